"""Headless Chromium for page tests: Debian's chromium + chromium-driver, never a downloaded browser."""
from __future__ import annotations

import contextlib
import shutil
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from layouts.i18n import LANG_COOKIE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage")


def make_driver(width: int = 1366, height: int = 900) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='pantau-chromium-')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


def open_page(driver, url: str, ready_css: str = "#footer", timeout: float = 30) -> None:
    """Load `url` and wait until Dash has rendered the page (the footer exists and no callback is pending)."""
    driver.get(url)
    WebDriverWait(driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, ready_css)))
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script(
            "return !document.querySelector('[data-dash-is-loading=\"true\"]') && "
            "document.querySelector('#_pages_content') && document.querySelector('#_pages_content').children.length > 0"
        )
    )


def console_errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@contextlib.contextmanager
def in_english(driver, base_url: str | None = None):
    """The interface in English (the language switch's cookie) inside the block, Indonesian again after it.
    A cookie belongs to a site: with `base_url` the browser first opens the app there."""
    if base_url is not None:
        driver.get(base_url + "/")
    driver.add_cookie({"name": LANG_COOKIE, "value": "en", "path": "/"})
    try:
        yield
    finally:
        driver.delete_cookie(LANG_COOKIE)


def grid_values(driver, grid_id: str, field: str | None = None) -> list:
    """Every row an AG Grid holds (all pages, in its order), as the grid's own API gives them: the row data, or one
    field of it."""
    return driver.execute_script(
        "const out = []; dash_ag_grid.getApi(arguments[0]).forEachNode("
        "n => out.push(arguments[1] === null ? n.data : n.data[arguments[1]])); return out;", grid_id, field)


def choose_option(driver, button_css: str, label: str) -> None:
    """Open a Dash 4 drop-down (a button with a list box) and pick the option shown as `label`."""
    driver.find_element(By.CSS_SELECTOR, button_css).click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[role='option']"))
    option = next(o for o in driver.find_elements(By.CSS_SELECTOR, "[role='option']") if o.text.strip() == label)
    option.click()


def allow_downloads(driver, folder) -> None:
    """Let the browser save downloads into `folder` without asking."""
    folder.mkdir(parents=True, exist_ok=True)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})


def wait_for_file(path, timeout: float = 30) -> None:
    """Until a download has arrived at `path` (or `timeout` seconds have passed)."""
    deadline = time.time() + timeout
    while not path.exists() and time.time() < deadline:
        time.sleep(0.2)

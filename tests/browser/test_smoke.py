"""Every registered page opens in headless Chromium with no console errors, and the language switch changes the
labels."""
import dash
import pytest
from selenium.webdriver.common.by import By

from tests.support.browser import console_errors, open_page

pytestmark = pytest.mark.browser


def test_every_registered_page_renders_without_console_errors(running_app, browser):
    browser.get(running_app + "/")
    browser.get_log("browser")  # drop anything from before
    paths = [page["relative_path"] for page in dash.page_registry.values()]
    assert len(paths) >= 2
    for path in paths:
        open_page(browser, running_app + path)
        errors = console_errors(browser)
        assert not errors, f"{path}: {errors}"
        assert browser.find_element(By.CSS_SELECTOR, "#footer").text.strip()
        nav = browser.find_element(By.CSS_SELECTOR, ".navbar").text
        assert "Ringkasan" in nav and "Pelaporan" in nav and "Metodologi" in nav


def test_language_switch_changes_the_labels(running_app, browser):
    open_page(browser, running_app + "/")
    assert "Ringkasan" in browser.find_element(By.CSS_SELECTOR, ".navbar").text
    browser.find_element(By.ID, "lang-switch").click()
    open_page(browser, browser.current_url)
    nav = browser.find_element(By.CSS_SELECTOR, ".navbar").text
    assert "Overview" in nav and "Ringkasan" not in nav
    browser.find_element(By.ID, "lang-switch").click()
    open_page(browser, browser.current_url)
    assert "Ringkasan" in browser.find_element(By.CSS_SELECTOR, ".navbar").text

"""What bench/load.py replays: the page visits of a logged-in official, each with the Dash callback requests a real
browser sends when it opens the page. A headless Chromium (Debian's, tests/support/browser.py) logs in and opens
every page; Chromium's network log gives the exact JSON bodies it posted to `/_dash-update-component`."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select

# The pages an official may open (export and admin need an analyst), plus filtered views and one profile.
OFFICIAL_PAGES = ("/", "/peta", "/peringkat", "/target-digital", "/kopdes-merah-putih", "/pelaporan", "/belum-melapor",
                  "/kirim", "/notifikasi", "/metodologi")
FILTERED = ("/?kab={kab}", "/peta?kab={kab}", "/peringkat?kab={kab}", "/kopdes-merah-putih?kab={kab}",
            "/pelaporan?kab={kab}", "/belum-melapor?kab={kab}")
CALLBACK_PATH = "/_dash-update-component"


@dataclass
class Visit:
    """One page visit: the URL (path and query) and the callback bodies the browser posted, in order."""
    url: str
    callbacks: list[dict] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.url if len(self.url) <= 40 else self.url[:37] + "…"


def callback_label(body: dict) -> str:
    """A short, stable name for a callback: its output ids and properties (pattern ids shown by their type)."""
    names = []
    for out in body.get("outputs") if isinstance(body.get("outputs"), list) else [body.get("outputs", {})]:
        ident = out.get("id")
        if isinstance(ident, dict):
            ident = ident.get("type", "pattern")
        names.append(f"{ident}.{str(out.get('property')).split('@')[0]}")  # "@hash": Dash's allow_duplicate
    text = "+".join(names) or str(body.get("output", "?"))
    return text if len(text) <= 44 else text[:41] + "…"


def visit_urls(database_url: str, kab: str | None = None) -> list[str]:
    """The URLs to visit on this warehouse: every official page, a few filtered by one kabupaten, and the profile of
    the largest cooperative scored in the latest period."""
    from warehouse.db import engine_for
    from warehouse.models import CooperativeSnapshot

    engine = engine_for(database_url)
    with engine.connect() as conn:
        latest = conn.execute(select(CooperativeSnapshot.period_end)
                              .order_by(CooperativeSnapshot.period_end.desc()).limit(1)).scalar()
        row = None if latest is None else conn.execute(
            select(CooperativeSnapshot.nik, CooperativeSnapshot.regency_code)
            .where(CooperativeSnapshot.period_end == latest, CooperativeSnapshot.health_total.is_not(None))
            .order_by(CooperativeSnapshot.total_assets.desc()).limit(1)).first()
    engine.dispose()
    urls = list(OFFICIAL_PAGES)
    if row is not None:
        kab = kab or str(row.regency_code)
        urls.append(f"/koperasi/{row.nik}")
    if kab:
        urls += [template.format(kab=kab) for template in FILTERED]
    return urls


def _driver():
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from tests.support.browser import CHROMEDRIVER, CHROMIUM, FLAGS

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1366,900")
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='pantau-load-chromium-')}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


def _posted_callbacks(driver) -> list[dict]:
    """The callback bodies posted since the performance log was last read, in the order they were sent."""
    bodies = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.requestWillBeSent":
            continue
        request = message["params"]["request"]
        if request.get("method") != "POST" or not urlsplit(request.get("url", "")).path.endswith(CALLBACK_PATH):
            continue
        data = request.get("postData")
        if data is None and request.get("hasPostData"):  # a large body is not inlined in the log: ask for it
            data = driver.execute_cdp_cmd("Network.getRequestPostData",
                                          {"requestId": message["params"]["requestId"]})["postData"]
        bodies.append(json.loads(data))
    return bodies


def record(base_url: str, username: str, password: str, urls: list[str], say=print) -> list[Visit]:
    """Log in with Chromium, open every URL and return its visit with the callbacks the browser posted."""
    from selenium.webdriver.common.by import By

    from tests.support.browser import open_page

    driver = _driver()
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.get(base_url + "/login")
        driver.find_element(By.NAME, "username").send_keys(username)
        driver.find_element(By.NAME, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
        time.sleep(0.5)
        visits = []
        for url in urls:
            driver.get("about:blank")
            _posted_callbacks(driver)  # forget the previous page's requests
            started = time.perf_counter()
            open_page(driver, base_url + url)
            time.sleep(0.5)  # late chained callbacks (after the first render)
            visit = Visit(url, _posted_callbacks(driver))
            if not visit.callbacks:
                raise RuntimeError(f"recording {url}: the browser posted no callback (not logged in?)")
            say(f"  recorded {url}: {len(visit.callbacks)} callbacks ({time.perf_counter() - started:.1f} s)")
            visits.append(visit)
        return visits
    finally:
        driver.quit()


def save(visits: list[Visit], path) -> None:
    path.write_text(json.dumps([{"url": v.url, "callbacks": v.callbacks} for v in visits]), encoding="utf-8")


def load(path) -> list[Visit]:
    return [Visit(item["url"], item["callbacks"]) for item in json.loads(path.read_text(encoding="utf-8"))]

"""Kopdes Merah Putih in headless Chromium on the small province: the total, the funnel drawn and the map are the
stored KDMP roll-ups, the stuck-village grid holds the stored village rows and downloads them as CSV with the DATA
SIMULASI line, a kabupaten in the URL narrows everything, and the page speaks English."""
from __future__ import annotations

import csv
import io

import pytest
from selenium.webdriver.common.by import By

from layouts.i18n import fmt_int
from layouts.pages.kdmp.summary import FUNNEL
from layouts.pages.kdmp.view import STAGES
from tests.support.boundaries import SHARED_GEOJSON
from tests.support.browser import allow_downloads, console_errors, grid_values, in_english, open_page, wait_for_file
from tests.support.server import serve_app
from tests.support.sql import read_frame

pytestmark = pytest.mark.browser

GRID = "kdmp-village-grid"


def newest(url: str, regency: str = "53") -> dict:
    frame = read_frame(url, "SELECT * FROM kdmp_indicators WHERE regency_code = :c ORDER BY period_end DESC", c=regency)
    return frame.iloc[0].to_dict()


def stuck_codes(url: str, period, regency: str | None = None) -> set[str]:
    frame = read_frame(url, "SELECT village_code, regency_code, stuck_nib, no_land FROM kdmp_villages "
                            "WHERE period_end = :p", p=period)
    chosen = frame.loc[frame["stuck_nib"].astype(bool) | frame["no_land"].astype(bool)]
    if regency:
        chosen = chosen.loc[chosen["regency_code"] == regency]
    return set(chosen["village_code"])


def test_kdmp_page_in_the_browser_shows_the_stored_figures_and_village_rows(province_url, settings_for, browser,
                                                                            tmp_path):
    with serve_app(settings_for(province_url, BOUNDARIES_PATH=SHARED_GEOJSON)) as base:  # the map's real boundaries
        check_page(base, province_url, browser, tmp_path)


def check_page(province_app, province_url, browser, tmp_path):
    province = newest(province_url)
    browser.get(province_app + "/")
    browser.get_log("browser")
    open_page(browser, province_app + "/kopdes-merah-putih", ready_css=f"#{GRID} .ag-row")
    assert browser.find_element(By.ID, "kdmp-total").text == fmt_int(province["kdmp_villages"])
    assert "[kdmp_villages]" in browser.find_element(By.ID, "kdmp-total").get_attribute("title")
    drawn = browser.execute_script(
        "return Array.from(document.querySelector('#kdmp-funnel .js-plotly-plot').data[0].x)")
    assert drawn == [province[FUNNEL[s]] for s in STAGES]
    assert drawn[0] == province["kdmp_villages"] and drawn[0] > drawn[-1]  # hand-checkable: all formed, fewer held RAT
    traces = browser.execute_script(
        "return document.querySelector('#kdmp-map .js-plotly-plot').data.map(t => ({type: t.type, name: t.name, "
        "locations: t.locations || [], z: t.z || []}))")
    assert {t["type"] for t in traces} == {"choroplethmap"}
    assert sorted(c for t in traces if t["name"] in ("values", "no-data") for c in t["locations"]) == sorted(
        read_frame(province_url, "SELECT regency_code FROM kdmp_indicators WHERE period_end = :p AND "
                                 "regency_code <> '53'", p=province["period_end"])["regency_code"])
    land = read_frame(province_url, "SELECT regency_code, pct_kdmp_land FROM kdmp_indicators WHERE period_end = :p",
                      p=province["period_end"]).set_index("regency_code")["pct_kdmp_land"]
    main = next(t for t in traces if t["name"] == "values")
    assert main["z"] == pytest.approx([land[c] for c in main["locations"]])  # the map's default: share with land
    stuck = stuck_codes(province_url, province["period_end"])
    assert stuck and set(grid_values(browser, GRID, "village_code")) == stuck
    assert "diawasi dinas koperasi kabupaten/kota" in browser.find_element(By.ID, "population-note").text

    downloads = tmp_path / "downloads"
    allow_downloads(browser, downloads)
    button = browser.find_element(By.CSS_SELECTOR, f"button[id*='grid-export'][id*='{GRID}']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()
    target = downloads / f"{GRID}.csv"
    wait_for_file(target)
    raw = target.read_bytes()
    assert raw.startswith("\ufeffDATA SIMULASI".encode())
    rows = [r for r in csv.reader(io.StringIO(raw.decode("utf-8-sig").split("\n", 1)[1])) if r]
    code = rows[0].index("Kode desa")
    assert {r[code] for r in rows[1:]} == stuck
    assert not console_errors(browser)

    sikka = newest(province_url, "5310")
    open_page(browser, province_app + "/kopdes-merah-putih?kab=5310", ready_css=f"#{GRID} .ag-row")
    assert browser.find_element(By.ID, "kdmp-total").text == fmt_int(sikka["kdmp_villages"])
    assert set(grid_values(browser, GRID, "village_code")) == stuck_codes(province_url, sikka["period_end"], "5310")
    assert not console_errors(browser)

    with in_english(browser):
        open_page(browser, province_app + "/kopdes-merah-putih", ready_css="#kdmp-headline")
        body = browser.find_element(By.CSS_SELECTOR, "#_pages_content").text.lower()
        assert "milestones: from the village meeting to the first rat" in body and "stuck (nib, land)" in body
        assert "tahapan" not in body and "tertahan (nib" not in body
        assert browser.find_element(By.ID, "kdmp-total").text == fmt_int(province["kdmp_villages"], "en")
        assert not console_errors(browser)

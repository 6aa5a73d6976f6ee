"""Target Digital in headless Chromium on the small province: the progress count, the funnel drawn and the stuck list
in the grid are the stored figures, for the province and a kabupaten, and the page speaks English."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from indicators import digital as digital_indicators
from layouts.i18n import fmt_int
from tests.support.browser import console_errors, grid_values, in_english, open_page
from tests.support.sql import area_row, latest_period, snapshot_niks

pytestmark = pytest.mark.browser

STAGES = list(digital_indicators.load_norms()["stages"]["order"])


def test_page_in_the_browser_matches_the_stored_figures_in_both_languages(province_app, province_url, browser):
    period = latest_period(province_url)
    province = area_row(province_url, period)
    browser.get(province_app + "/")
    browser.get_log("browser")
    open_page(browser, province_app + "/target-digital", ready_css="#digital-progress")
    count = browser.find_element(By.ID, "digital-progress-count")
    assert count.text == fmt_int(province["go_digital"])
    assert "[go_digital]" in count.get_attribute("title")
    assert fmt_int(province["digital_target"]) in browser.find_element(By.ID, "digital-progress-target").text
    funnel = browser.execute_script(
        "return Array.from(document.querySelector('#digital-funnel .js-plotly-plot').data[0].x)")
    assert funnel == [province[f"funnel_{s}"] for s in STAGES]
    stuck = snapshot_niks(province_url, "stuck_in_migration = :t", t=True)
    browser.find_element(By.CSS_SELECTOR, "#digital-stuck-grid .ag-row")
    assert set(grid_values(browser, "digital-stuck-grid", "nik")) == stuck
    assert "/koperasi/" in browser.find_element(By.CSS_SELECTOR, "#digital-stuck-grid .ag-row a").get_attribute("href")
    assert not console_errors(browser)

    open_page(browser, province_app + "/target-digital?kab=5371", ready_css="#digital-progress")
    kupang = area_row(province_url, period, "5371")
    assert browser.find_element(By.ID, "digital-progress-count").text == fmt_int(kupang["go_digital"])
    assert fmt_int(kupang["digital_target"]) in browser.find_element(By.ID, "digital-progress-target").text
    assert "kota kupang" in browser.find_element(By.ID, "digital-progress").text.lower()
    assert not console_errors(browser)

    with in_english(browser):
        open_page(browser, province_app + "/target-digital", ready_css="#digital-progress")
        body = browser.find_element(By.CSS_SELECTOR, "#_pages_content").text.lower()
        assert "progress to the target" in body and "adoption funnel" in body and "active cooperatives" in body
        assert "kemajuan" not in body and "corong" not in body
        assert browser.find_element(By.ID, "digital-progress-count").text == fmt_int(province["go_digital"], "en")
        assert not console_errors(browser)

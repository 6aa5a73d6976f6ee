"""Ringkasan / Overview in headless Chromium on the small province: what only a browser shows — every view (the
province, a kabupaten, a type, the first month, another kabupaten chart, English) draws its charts without a console
error, and an alert tab opens on a click, its "see all" link puts the list in the URL and the grid holds the whole
list. The figures and texts themselves are checked in-process (tests/layouts/test_overview.py)."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.browser import console_errors, grid_values, in_english, open_page
from tests.support.sql import first_period, snapshot_niks

pytestmark = pytest.mark.browser

CHARTS = ("#ov-health-dist .main-svg .bars path", "#ov-regency-bars .main-svg .bars path")


def test_every_view_draws_its_charts_without_console_errors_in_both_languages(province_url, province_app, browser):
    first = first_period(province_url)
    browser.get(province_app + "/")
    browser.get_log("browser")
    for query in ("", "?kab=5371", "?jenis=simpan_pinjam", f"?periode={first:%Y-%m}", "?indikator=reporting_rate"):
        open_page(browser, province_app + "/" + query, ready_css="#ov-regency-bars .js-plotly-plot")
        for chart in CHARTS:
            assert browser.find_elements(By.CSS_SELECTOR, chart), (query, chart)
        assert not console_errors(browser), query
    with in_english(browser):
        open_page(browser, province_app + "/", ready_css="#ov-regency-bars .js-plotly-plot")
        assert "Healthy cooperatives" in browser.find_element(By.ID, "card-sehat").get_attribute("textContent")
        assert not console_errors(browser)


def test_an_alert_tab_opens_on_a_click_and_see_all_shows_the_whole_list(province_url, province_app, browser):
    no_rat = snapshot_niks(province_url, "years_without_rat >= 2")
    open_page(browser, province_app + "/", ready_css="#ov-alert-tabs")
    tabs = browser.find_elements(By.CSS_SELECTOR, "#ov-alert-tabs a.nav-link")
    first_row = "#ov-alerts-no_rat-top tbody tr"
    assert not browser.find_element(By.CSS_SELECTOR, first_row).is_displayed()  # the first tab is open
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", tabs[1])
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, first_row).is_displayed())
    assert len(browser.find_elements(By.CSS_SELECTOR, first_row)) == min(10, len(no_rat))
    if len(no_rat) > 10:  # "see all" shows the whole list in a grid
        see_all = browser.find_element(By.ID, "ov-alerts-no_rat-all")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", see_all)
        WebDriverWait(browser, 20).until(lambda d: "peringatan=no_rat" in d.current_url)
        open_page(browser, browser.current_url, ready_css="#ov-alerts-no_rat .ag-row")
        assert set(grid_values(browser, "ov-alerts-no_rat", "nik")) == no_rat
    assert not console_errors(browser)

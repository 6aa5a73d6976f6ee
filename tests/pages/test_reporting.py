"""Reporting & data-quality page in headless Chromium on the small province: the heatmap holds the roll-ups' rates
for 22 kabupaten, the measure switch changes URL and values, the late-filer list equals the reporting status, the
ingest and rejection sections show the warehouse's runs."""
from __future__ import annotations

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import text

from tests.support.browser import console_errors, in_english, open_page
from warehouse.db import engine_for

pytestmark = pytest.mark.browser
HEATMAP = "document.querySelector('#rep-heatmap .js-plotly-plot').data[0]"


def rates(engine, indicator: str) -> pd.DataFrame:
    """regency_code × period_end of one rate for the latest 24 periods, as I read it."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT regency_code, period_end, value FROM regency_indicators WHERE indicator = :i AND period_end IN "
            "(SELECT DISTINCT period_end FROM regency_indicators ORDER BY period_end DESC LIMIT 24)"),
            {"i": indicator}).all()
    frame = pd.DataFrame(rows, columns=["regency_code", "period_end", "value"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame.pivot(index="regency_code", columns="period_end", values="value").sort_index(axis=1)


def heatmap(browser) -> tuple[list[str], list[list]]:
    codes = browser.execute_script(f"return {HEATMAP}.meta.codes")
    z = browser.execute_script(f"return {HEATMAP}.z")
    return codes, z


def assert_matrix(codes, z, expected: pd.DataFrame):
    assert len(codes) == 22 and len(z) == 22
    assert all(len(row) == 24 for row in z)
    for code, row in zip(codes, z):
        want = expected.loc[code].tolist()
        for got, value in zip(row, want):
            if value is None or pd.isna(value):
                assert got is None
            else:
                assert got == pytest.approx(value, abs=0.01)


def test_heatmap_shows_22_kabupaten_rates_and_the_switch_changes_url_and_values(province_url, province_app,
                                                                                browser):
    engine = engine_for(province_url)
    browser.get(province_app + "/")
    browser.get_log("browser")
    open_page(browser, province_app + "/pelaporan", ready_css="#rep-heatmap .js-plotly-plot")
    codes, z = heatmap(browser)
    reporting = rates(engine, "reporting_rate")
    assert_matrix(codes, z, reporting)
    assert reporting.loc[["5371", "5310", "5303"]].notna().any().any()  # the three kabupaten with cooperatives
    assert browser.execute_script(f"return {HEATMAP}.zmin") == 0
    assert browser.execute_script(f"return {HEATMAP}.zmax") == 100

    browser.find_element(By.ID, "rep-measure-on_time_rate").click()
    WebDriverWait(browser, 20).until(lambda d: "ukuran=on_time_rate" in d.current_url)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "const g = document.querySelector('#rep-heatmap .js-plotly-plot'); return g && g.data[0].meta.measure")
        == "on_time_rate")
    codes, z = heatmap(browser)
    on_time = rates(engine, "on_time_rate")
    assert_matrix(codes, z, on_time)
    assert not on_time.equals(reporting)
    assert not console_errors(browser)


def late_count(engine, regency=None) -> int:
    """Cooperatives with a late or missing report in the latest 12 reporting periods, as I count them."""
    sql = ("SELECT COUNT(*) FROM (SELECT nik FROM reporting_status WHERE period_end IN "
           "(SELECT DISTINCT period_end FROM reporting_status ORDER BY period_end DESC LIMIT 12)"
           + (" AND regency_code = :r" if regency else "")
           + " GROUP BY nik HAVING SUM(CASE WHEN status IN ('late', 'missing') THEN 1 ELSE 0 END) > 0) AS x")
    with engine.connect() as conn:
        return conn.execute(text(sql), {"r": regency} if regency else {}).scalar()


def grid_niks(browser, grid_id: str) -> list[str]:
    return browser.execute_script(
        f"const api = dash_ag_grid.getApi('{grid_id}'); const out = []; api.forEachNode(n => out.push(n.data.nik));"
        "return out;")


def test_late_filers_equal_the_reporting_status_worst_first_and_follow_the_filters(province_url, province_app,
                                                                                   browser):
    engine = engine_for(province_url)
    total = late_count(engine)
    assert total > 0
    open_page(browser, province_app + "/pelaporan?tab=terlambat", ready_css="#rep-late-grid .ag-row")
    assert int(browser.find_element(By.ID, "rep-late-count").get_attribute("data-count")) == total
    niks = grid_niks(browser, "rep-late-grid")
    assert len(niks) == total
    first = browser.execute_script("return dash_ag_grid.getApi('rep-late-grid').getDisplayedRowAtIndex(0).data")
    last = browser.execute_script(
        "const api = dash_ag_grid.getApi('rep-late-grid');"
        "return api.getDisplayedRowAtIndex(api.getDisplayedRowCount() - 1).data")
    assert first["late"] + first["missing"] >= last["late"] + last["missing"]
    link = browser.find_element(By.CSS_SELECTOR, "#rep-late-grid a.coop-link")
    assert "/koperasi/" in link.get_attribute("href")

    kupang = late_count(engine, "5371")
    open_page(browser, province_app + "/pelaporan?tab=terlambat&kab=5371", ready_css="#rep-late-count")
    assert int(browser.find_element(By.ID, "rep-late-count").get_attribute("data-count")) == kupang
    assert kupang < total
    assert not console_errors(browser)


def test_ingest_runs_freshness_and_rejections_sections(province_url, province_app, browser):
    engine = engine_for(province_url)
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT COUNT(*) FROM ingest_runs")).scalar()
        sources = [r[0] for r in conn.execute(text("SELECT source FROM source_state"))]
    open_page(browser, province_app + "/pelaporan?tab=impor", ready_css="#dq-runs-grid .ag-row")
    assert browser.execute_script("return dash_ag_grid.getApi('dq-runs-grid').getDisplayedRowCount()") == runs
    for source in sources:
        state = browser.find_element(By.CSS_SELECTOR, f"#rep-fresh-{source} td[data-state]").get_attribute(
            "data-state")
        assert state in ("ok", "late", "never", "unscheduled")
    open_page(browser, province_app + "/pelaporan?tab=ditolak", ready_css="#rep-section-ditolak")
    assert "ditolak" in browser.find_element(By.ID, "rep-section-ditolak").text.lower()
    assert not console_errors(browser)


def test_the_page_speaks_english_with_the_language_cookie(province_app, browser):
    with in_english(browser, province_app):
        open_page(browser, province_app + "/pelaporan", ready_css="#rep-heatmap")
        page = browser.find_element(By.CSS_SELECTOR, ".reporting").text
        assert "Reporting rates" in page and "Late filers" in page and "Measure" in page
        assert "Pelapor terlambat" not in page
        assert not console_errors(browser)

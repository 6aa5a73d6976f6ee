"""Pelaporan / Reporting & data quality in headless Chromium on the small province: the heatmap drawn with 22
kabupaten and the measure switch changing URL and values, the late-filer grid equal to the reporting status and
following the filters, the ingest and rejection sections, the page in English, and a grid's CSV button exporting
exactly the rows the grid shows (filtered and sorted by the reader) with the formula guard."""
from __future__ import annotations

import csv
import io

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import text

from tests.support.browser import allow_downloads, console_errors, grid_values, in_english, open_page, wait_for_file
from tests.support.reporting import assert_heatmap_is, stored_rates
from warehouse.db import engine_for

pytestmark = pytest.mark.browser

HEATMAP = "document.querySelector('#rep-heatmap .js-plotly-plot').data[0]"


def heatmap(browser) -> tuple[list[str], list[list]]:
    codes = browser.execute_script(f"return {HEATMAP}.meta.codes")
    z = browser.execute_script(f"return {HEATMAP}.z")
    return codes, z


def test_heatmap_shows_22_kabupaten_rates_and_the_switch_changes_url_and_values(province_url, province_app,
                                                                                browser):
    browser.get(province_app + "/")
    browser.get_log("browser")
    open_page(browser, province_app + "/pelaporan", ready_css="#rep-heatmap .js-plotly-plot")
    codes, z = heatmap(browser)
    reporting = stored_rates(province_url, "reporting_rate")
    assert_heatmap_is(codes, z, reporting)
    assert reporting.loc[["5371", "5310", "5303"]].notna().any().any()  # the three kabupaten with cooperatives
    assert browser.execute_script(f"return {HEATMAP}.zmin") == 0
    assert browser.execute_script(f"return {HEATMAP}.zmax") == 100
    assert "[reporting_rate]" in browser.find_element(By.ID, "rep-summary-rate").get_attribute("title")

    browser.find_element(By.ID, "rep-measure-on_time_rate").click()
    WebDriverWait(browser, 20).until(lambda d: "ukuran=on_time_rate" in d.current_url)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "const g = document.querySelector('#rep-heatmap .js-plotly-plot'); return g && g.data[0].meta.measure")
        == "on_time_rate")
    codes, z = heatmap(browser)
    on_time = stored_rates(province_url, "on_time_rate")
    assert_heatmap_is(codes, z, on_time)
    assert not on_time.equals(reporting)
    assert not console_errors(browser)


def late_count(url: str, regency=None) -> int:
    """Cooperatives with a late or missing report in the latest 12 reporting periods, as I count them, in the
    population the page shows by default (not the ministry's national primaries nor OJK's open-loop ones)."""
    sql = ("SELECT COUNT(*) FROM (SELECT nik FROM reporting_status WHERE period_end IN "
           "(SELECT DISTINCT period_end FROM reporting_status ORDER BY period_end DESC LIMIT 12)"
           " AND nik NOT IN (SELECT nik FROM cooperatives WHERE membership_area = 'nasional' OR open_loop = TRUE)"
           + (" AND regency_code = :r" if regency else "")
           + " GROUP BY nik HAVING SUM(CASE WHEN status IN ('late', 'missing') THEN 1 ELSE 0 END) > 0) AS x")
    with engine_for(url).connect() as conn:
        return conn.execute(text(sql), {"r": regency} if regency else {}).scalar()


def test_late_filers_equal_the_reporting_status_worst_first_and_follow_the_filters(province_url, province_app,
                                                                                   browser):
    total = late_count(province_url)
    assert total > 0
    open_page(browser, province_app + "/pelaporan?tab=terlambat", ready_css="#rep-late-grid .ag-row")
    assert int(browser.find_element(By.ID, "rep-late-count").get_attribute("data-count")) == total
    niks = grid_values(browser, "rep-late-grid", "nik")
    assert len(niks) == total
    first = browser.execute_script("return dash_ag_grid.getApi('rep-late-grid').getDisplayedRowAtIndex(0).data")
    last = browser.execute_script(
        "const api = dash_ag_grid.getApi('rep-late-grid');"
        "return api.getDisplayedRowAtIndex(api.getDisplayedRowCount() - 1).data")
    assert first["late"] + first["missing"] >= last["late"] + last["missing"]
    link = browser.find_element(By.CSS_SELECTOR, "#rep-late-grid a.coop-link")
    assert "/koperasi/" in link.get_attribute("href")

    kupang = late_count(province_url, "5371")
    open_page(browser, province_app + "/pelaporan?tab=terlambat&kab=5371", ready_css="#rep-late-count")
    assert int(browser.find_element(By.ID, "rep-late-count").get_attribute("data-count")) == kupang
    assert kupang < total
    assert not console_errors(browser)


def test_ingest_runs_freshness_and_rejections_sections(province_url, province_app, browser):
    with engine_for(province_url).connect() as conn:
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


GRID = "dq-runs-grid"


def test_grid_csv_is_the_filtered_sorted_rows_with_injection_guarded(province_app, browser, tmp_path):
    open_page(browser, province_app + "/pelaporan?tab=impor", ready_css=f"#{GRID} .ag-row")
    # The reader filters on one file name pattern and sorts by rows loaded, largest first; a row whose target
    # looks like a spreadsheet formula is added to check the guard.
    shown = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const api = dash_ag_grid.getApi(arguments[0]);
        api.applyTransaction({add: [{id: 999999, source: "inbox", target: "=HYPERLINK(\\"http://x\\")",
                                     rows_loaded: 10 ** 9}]});
        api.setFilterModel({source: {filterType: "text", type: "equals", filter: "inbox"}});
        api.applyColumnState({state: [{colId: "rows_loaded", sort: "desc"}], defaultState: {sort: null}});
        setTimeout(() => {
            const ids = [];
            api.forEachNodeAfterFilterAndSort(node => ids.push(String(node.data.id)));
            done(ids);
        }, 300);
    """, GRID)
    assert len(shown) > 2 and shown[0] == "999999"
    downloads = tmp_path / "downloads"
    allow_downloads(browser, downloads)
    browser.find_element(By.CSS_SELECTOR, f"button[id*='grid-export'][id*='{GRID}']").click()
    target = downloads / f"{GRID}.csv"
    wait_for_file(target)
    raw = target.read_bytes()
    assert raw.startswith("\ufeffDATA SIMULASI".encode())  # one byte-order mark, then the label line
    body = raw.decode("utf-8-sig").split("\n", 1)[1]
    rows = list(csv.reader(io.StringIO(body)))
    header, data = rows[0], [r for r in rows[1:] if r]
    first_column = [r[0] for r in data]
    assert first_column == shown  # exactly the grid's rows, in the grid's order
    target_col = header.index(next(h for h in header if h.startswith("Berkas")))
    assert data[0][target_col] == "'=HYPERLINK(\"http://x\")"  # would otherwise run in a spreadsheet
    assert all(r[header.index("Sumber")] == "inbox" for r in data)
    assert not console_errors(browser)

"""Reporting & data-quality page on the small province: the heatmap cells are the stored rates and counts of 22
kabupaten (per type too), the summary is the stored province row, the measure switch changes URL and values, the
late-filer list equals the reporting status, the ingest and rejection sections show the warehouse's runs."""
from __future__ import annotations

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import text

from tests.support.browser import console_errors, in_english, open_page
from tests.support.components import find
from warehouse.db import engine_for

HEATMAP = "document.querySelector('#rep-heatmap .js-plotly-plot').data[0]"


def rates(engine, indicator: str, kind: str = "") -> pd.DataFrame:
    """regency_code × period_end of one stored figure for the latest 24 month ends, as I read it from the table."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            f"SELECT regency_code, period_end, {indicator} FROM regency_indicators WHERE type = :k "
            "AND regency_code != '53' AND period_end IN (SELECT period_end FROM regency_indicators "
            "WHERE regency_code = '53' AND type = '' ORDER BY period_end DESC LIMIT 24)"), {"k": kind}).all()
    frame = pd.DataFrame(rows, columns=["regency_code", "period_end", "value"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame.pivot(index="regency_code", columns="period_end", values="value").sort_index(axis=1)


def province_row(engine, kind: str = "") -> dict:
    """The stored province row of the latest month end."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT * FROM regency_indicators WHERE regency_code = '53' AND type = :k AND period_end = "
            "(SELECT MAX(period_end) FROM regency_indicators)"), {"k": kind}).mappings().one()
    return dict(row)


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
                assert got == pytest.approx(value)


def _layout(app, **query):
    from layouts.pages import data_quality

    with app.server.test_request_context("/pelaporan"):
        return data_quality.layout(**query)


@pytest.fixture
def page_app(province_url, settings_for):
    from app import create_app

    return create_app(settings_for(province_url))


@pytest.mark.parametrize(("kind", "measure"), [("", "reporting_rate"), ("simpan_pinjam", "on_time_rate"),
                                               ("konsumen", "reporting_rate")])
def test_heatmap_cells_are_the_stored_rates_and_counts_also_per_type(page_app, province_url, kind, measure):
    engine = engine_for(province_url)
    query = {"ukuran": measure, **({"jenis": kind} if kind else {})}
    heat = find(_layout(page_app, **query), "rep-heatmap").figure["data"][0]
    assert heat["meta"]["measure"] == measure
    stored = rates(engine, measure, kind)
    assert_matrix(heat["meta"]["codes"], heat["z"], stored)
    assert stored.loc[["5371", "5310", "5303"]].notna().any().any()
    counts = {c: rates(engine, c, kind) for c in ("expected", "received", "received_on_time")}
    for code, row in zip(heat["meta"]["codes"], heat["customdata"]):
        for j, cell in enumerate(row):
            for i, name in enumerate(counts):
                assert cell[i] == pytest.approx(counts[name].loc[code].iloc[j])
    # worst first: sorted by the stored rate of the latest month (no reports expected first)
    latest = [r[-1] for r in heat["z"]]
    known = [v for v in latest if v is not None]
    assert known == sorted(known) and latest[:len(latest) - len(known)] == [None] * (len(latest) - len(known))
    assert f"[{measure}]" in heat["hovertemplate"]


def test_a_type_filter_shows_that_types_stored_rates_not_all_types(page_app, province_url):
    engine = engine_for(province_url)
    all_types = find(_layout(page_app), "rep-heatmap").figure["data"][0]["z"]
    savings = find(_layout(page_app, jenis="simpan_pinjam"), "rep-heatmap").figure["data"][0]["z"]
    assert all_types != savings
    assert not rates(engine, "reporting_rate", "simpan_pinjam").equals(rates(engine, "reporting_rate"))


@pytest.mark.parametrize("kind", ["", "produsen"])
def test_the_summary_is_the_stored_province_row_as_figures(page_app, province_url, kind):
    from layouts.i18n import fmt_figure

    row = province_row(engine_for(province_url), kind)
    page = _layout(page_app, **({"jenis": kind} if kind else {}))
    month = pd.Timestamp(row["period_end"]).strftime("%Y-%m")
    rate = find(page, "rep-summary-rate").to_plotly_json()["props"]
    assert rate["data-scope"] == f"regency_indicators|53|{month}|{kind}"
    assert float(rate["data-value"]) == pytest.approx(row["reporting_rate"])
    assert rate["children"] == fmt_figure(row["reporting_rate"], "percent", "id")
    on_time = find(page, "rep-summary-on-time").to_plotly_json()["props"]
    assert float(on_time["data-value"]) == pytest.approx(row["on_time_rate"])
    assert row["expected"] > 0


def test_a_chosen_kabupaten_gets_its_own_summary_line(page_app, province_url):
    page = _layout(page_app, kab="5310")
    assert find(page, "rep-summary-rate") is not None
    rate = find(page, "rep-summary-rate-5310").to_plotly_json()["props"]
    assert rate["data-scope"].startswith("regency_indicators|5310|")
    with engine_for(province_url).connect() as conn:
        stored = conn.execute(text(
            "SELECT reporting_rate FROM regency_indicators WHERE regency_code = '5310' AND type = '' AND period_end = "
            "(SELECT MAX(period_end) FROM regency_indicators)")).scalar()
    assert float(rate["data-value"]) == pytest.approx(stored)


@pytest.mark.browser
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
    assert "[reporting_rate]" in browser.find_element(By.ID, "rep-summary-rate").get_attribute("title")

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


@pytest.mark.browser
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


@pytest.mark.browser
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


@pytest.mark.browser
def test_the_page_speaks_english_with_the_language_cookie(province_app, browser):
    with in_english(browser, province_app):
        open_page(browser, province_app + "/pelaporan", ready_css="#rep-heatmap")
        page = browser.find_element(By.CSS_SELECTOR, ".reporting").text
        assert "Reporting rates" in page and "Late filers" in page and "Measure" in page
        assert "Pelapor terlambat" not in page
        assert not console_errors(browser)

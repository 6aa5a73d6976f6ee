"""Target Digital page: its numbers equal what the warehouse holds (roll-ups, targets, snapshot funnel, stuck list,
stored projection), the kabupaten link switches to that kabupaten's target share, and the page speaks English."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import text

from indicators import digital as digital_indicators
from layouts.i18n import fmt_int, fmt_period
from tests.support.browser import console_errors, in_english, open_page
from tests.test_pages_content import find
from warehouse.db import engine_for

NORMS = digital_indicators.load_norms()
STAGES = list(NORMS["stages"]["order"])


def _sql(url: str, sql: str, **params) -> pd.DataFrame:
    with engine_for(url).connect() as conn:
        return pd.read_sql(text(sql), conn, params=params)


def _latest_period(url: str) -> date:
    return pd.Timestamp(_sql(url, "select max(period_end) as p from regency_indicators")["p"][0]).date()


def _indicator(url: str, name: str, period: date, regency: str | None = None) -> float:
    sql = "select sum(value) as v from regency_indicators where indicator = :name and period_end = :period"
    params = {"name": name, "period": period}
    if regency:
        sql += " and regency_code = :regency"
        params["regency"] = regency
    return float(_sql(url, sql, **params)["v"][0])


def _projection(url: str) -> dict:
    raw = _sql(url, "select value from meta where key = 'digital_projection'")["value"]
    assert len(raw) == 1, "the refresh stores the Go Digital projection"
    return json.loads(raw[0])


def _snapshot_period(url: str) -> date:
    return pd.Timestamp(_sql(url, "select max(period_end) as p from cooperative_snapshots")["p"][0]).date()


def _funnel(url: str, regency: str | None = None) -> list[int]:
    """Counts at or beyond each stage, counted here from the snapshot rows themselves."""
    rows = _sql(url, "select regency_code, digital_stage from cooperative_snapshots where period_end = :p",
                p=_snapshot_period(url))
    if regency:
        rows = rows.loc[rows["regency_code"] == regency]
    rank = rows["digital_stage"].map({s: i for i, s in enumerate(STAGES)}).dropna()
    return [int((rank >= i).sum()) for i in range(len(STAGES))]


def _stuck_niks(url: str, regency: str | None = None) -> set[str]:
    rows = _sql(url, "select nik, regency_code, stuck_in_migration from cooperative_snapshots where period_end = :p",
                p=_snapshot_period(url))
    rows = rows.loc[rows["stuck_in_migration"].astype(bool)]
    if regency:
        rows = rows.loc[rows["regency_code"] == regency]
    return set(rows["nik"].astype(str))


def _projection_phrase(proj: dict, lang: str = "id") -> str:
    if proj.get("reached_on"):
        return fmt_period(date.fromisoformat(proj["reached_on"]), lang)
    return "tidak akan tercapai" if lang == "id" else "will not be reached"


@pytest.fixture
def page_app(province_url, settings_for):
    from app import create_app

    return create_app(settings_for(province_url))


def _layout(app, **query):
    from layouts.pages import digital

    with app.server.test_request_context("/target-digital"):
        return digital.layout(**query)


def _text(component) -> str:
    children = getattr(component, "children", component)
    if isinstance(children, (list, tuple)):
        return "".join(_text(c) for c in children if c is not None)
    return str(children) if not hasattr(children, "children") else _text(children)


def test_layout_numbers_equal_the_warehouse(page_app, province_url):
    period = _latest_period(province_url)
    proj = _projection(province_url)
    page = _layout(page_app)

    count = _indicator(province_url, "go_digital", period)
    assert _text(find(page, "digital-progress-count")) == fmt_int(count)
    assert fmt_int(proj["target"]) in _text(find(page, "digital-progress-target"))
    assert _projection_phrase(proj) in _text(find(page, "digital-projection"))
    definition = _text(find(page, "digital-definition"))
    for stage in NORMS["go_digital"]["stages"]:
        assert NORMS["stages"]["labels_id"][stage] in definition

    funnel = find(page, "digital-funnel").figure
    assert funnel["data"][0]["type"] == "funnel" and funnel["data"][0]["x"] == _funnel(province_url)
    assert _funnel(province_url)[0] > 0

    regency_rows = find(page, "digital-regency-grid").rowData
    by_code = {r["regency_code"]: r for r in regency_rows}
    targets = _sql(province_url, "select regency_code, value from regency_indicators "
                                 "where indicator = 'digital_target' and period_end = :p", p=period)
    assert len(targets) >= 3 and targets["value"].sum() == proj["target"]
    assert len(regency_rows) == len(targets)
    for code, target in zip(targets["regency_code"], targets["value"]):
        assert by_code[code]["target"] == target
    assert by_code["5371"]["go_digital"] == _indicator(province_url, "go_digital", period, "5371")

    stuck = find(page, "digital-stuck-grid")
    expected = _stuck_niks(province_url)
    if expected:
        assert {r["nik"] for r in stuck.rowData} == expected
        assert all(r["name"].endswith(f"(/koperasi/{r['nik']})") for r in stuck.rowData)
    else:
        assert stuck is None


def test_a_kabupaten_link_shows_its_own_target_share(page_app, province_url):
    period = _latest_period(province_url)
    page = _layout(page_app, kab="5310")
    target = _indicator(province_url, "digital_target", period, "5310")
    assert 0 < target < 1000
    count = _indicator(province_url, "go_digital", period, "5310")
    assert _text(find(page, "digital-progress-count")) == fmt_int(count)
    assert fmt_int(target) in _text(find(page, "digital-progress-target"))
    assert find(page, "digital-funnel").figure["data"][0]["x"] == _funnel(province_url, "5310")
    trend = find(page, "digital-trend").figure
    target_line = [tr for tr in trend["data"] if tr["name"] == "Target"][0]
    assert set(target_line["y"]) == {target}


def test_an_earlier_period_shows_that_months_count(page_app, province_url):
    page = _layout(page_app, periode="2023-12")
    expected = _indicator(province_url, "go_digital", date(2023, 12, 31))
    assert _text(find(page, "digital-progress-count")) == fmt_int(expected)
    assert "Desember 2023" in _text(find(page, "digital-progress"))


@pytest.mark.browser
def test_page_in_the_browser_matches_the_warehouse_in_both_languages(province_app, province_url, browser):
    period = _latest_period(province_url)
    proj = _projection(province_url)
    browser.get(province_app + "/")
    browser.get_log("browser")
    open_page(browser, province_app + "/target-digital", ready_css="#digital-progress")
    count = browser.find_element(By.ID, "digital-progress-count").text
    assert count == fmt_int(_indicator(province_url, "go_digital", period))
    assert fmt_int(proj["target"]) in browser.find_element(By.ID, "digital-progress-target").text
    assert _projection_phrase(proj) in browser.find_element(By.ID, "digital-projection").text
    funnel = browser.execute_script(
        "return Array.from(document.querySelector('#digital-funnel .js-plotly-plot').data[0].x)")
    assert funnel == _funnel(province_url)
    stuck = _stuck_niks(province_url)
    if stuck:
        browser.find_element(By.CSS_SELECTOR, "#digital-stuck-grid .ag-row")
        shown = browser.execute_script(
            "const niks = []; dash_ag_grid.getApi('digital-stuck-grid').forEachNode(n => niks.push(n.data.nik));"
            "return niks;")
        assert set(shown) == stuck
        link = browser.find_element(By.CSS_SELECTOR, "#digital-stuck-grid .ag-row a")
        assert "/koperasi/" in link.get_attribute("href")
    assert not console_errors(browser)

    open_page(browser, province_app + "/target-digital?kab=5371", ready_css="#digital-progress")
    target = _indicator(province_url, "digital_target", period, "5371")
    assert browser.find_element(By.ID, "digital-progress-count").text == fmt_int(
        _indicator(province_url, "go_digital", period, "5371"))
    assert fmt_int(target) in browser.find_element(By.ID, "digital-progress-target").text
    assert "kota kupang" in browser.find_element(By.ID, "digital-progress").text.lower()
    assert not console_errors(browser)

    # the same page in English (the language switch's cookie)
    with in_english(browser):
        open_page(browser, province_app + "/target-digital", ready_css="#digital-progress")
        body = browser.find_element(By.CSS_SELECTOR, "#_pages_content").text.lower()
        assert "progress to the target" in body and "adoption funnel" in body
        assert "kemajuan" not in body and "corong" not in body
        assert _projection_phrase(proj, "en") in browser.find_element(By.ID, "digital-projection").text
        count = browser.find_element(By.ID, "digital-progress-count").text
        assert count == fmt_int(_indicator(province_url, "go_digital", period), "en")
        assert not console_errors(browser)


def test_projection_sentence_says_when_the_target_is_out_of_reach():
    from layouts.pages.digital import projection_text

    assert projection_text({"target": 1000, "current": 934, "pace_per_month": 7.58, "reached_on": "2027-07-31"},
                           "id") == ("Proyeksi: target tercapai sekitar akhir Juli 2027 dengan laju 12 bulan terakhir "
                                     "(7,6 koperasi per bulan).")
    stalled = projection_text({"target": 1000, "current": 934, "pace_per_month": -1.5, "reached_on": None}, "en")
    assert stalled == ("Projection: at the pace of the last 12 months (-1.5 cooperatives a month) the target will "
                       "not be reached.")
    assert "belum ada cukup riwayat" in projection_text({"pace_per_month": None, "reached_on": None}, "id")
    assert "Desember 2023" in projection_text({"reached_on": "2023-12-31", "already_reached": True}, "id")

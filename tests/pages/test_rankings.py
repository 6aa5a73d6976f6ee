"""Peringkat / Rankings: the kabupaten roll-ups and the cooperative snapshots as the page shows them, against the
warehouse read directly; URL filters, the peer-group round trip, the profile link, the English labels."""
from __future__ import annotations

import gzip
import json
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from tests.support.browser import console_errors, in_english, open_page
from warehouse.db import engine_for
from warehouse.models import CooperativeSnapshot, RegencyIndicator
from tests.support.components import find


def snapshot_rows(url: str, period=None, **where) -> dict:
    """{nik: row} of cooperative_snapshots at `period` (default: the latest), filtered by column = value."""
    table = CooperativeSnapshot.__table__
    with engine_for(url).connect() as conn:
        if period is None:
            period = conn.execute(select(func.max(table.c.period_end))).scalar()
        stmt = select(table).where(table.c.period_end == period, *(table.c[k] == v for k, v in where.items()))
        rows = conn.execute(stmt).mappings().all()
    return {r["nik"]: dict(r) for r in rows}


def a_peer_group(url: str, regency: str, kind: str) -> str:
    """The largest peer group among one kabupaten's cooperatives of one type at the latest snapshot."""
    rows = snapshot_rows(url, regency_code=regency, type=kind)
    groups = [r["peer_group"] for r in rows.values() if r["peer_group"]]
    assert groups, "the small province has savings-and-loan cooperatives in Kota Kupang"
    return max(set(groups), key=groups.count)


# --------------------------------------------------------------------------------------------- without a browser
def test_regency_ranking_shows_the_roll_ups_of_the_latest_period(province_url, settings_for):
    from app import create_app
    from layouts.pages import rankings

    app = create_app(settings_for(province_url))
    with app.server.test_request_context("/peringkat"):
        page = rankings.layout()
    grid = find(page, "rankings-regency-grid")
    assert len(grid.rowData) == 22
    with engine_for(province_url).connect() as conn:
        period = conn.execute(select(func.max(RegencyIndicator.period_end))).scalar()
        expected = dict(conn.execute(
            select(RegencyIndicator.regency_code, RegencyIndicator.value)
            .where(RegencyIndicator.period_end == period, RegencyIndicator.indicator == "avg_health_score")).all())
    shown = {r["regency_code"]: r["avg_health_score"] for r in grid.rowData if r["avg_health_score"] is not None
             and r["avg_health_score"] == r["avg_health_score"]}
    assert set(shown) == {"5371", "5310", "5303"}
    for code, value in shown.items():
        assert value == pytest.approx(expected[code])
    assert "Kota Kupang" in {r["short_name"] for r in grid.rowData}


def test_rows_endpoint_gives_the_snapshots_of_the_filters_with_their_percentiles(province_url, settings_for):
    from app import create_app

    app = create_app(settings_for(province_url))
    client = app.server.test_client()
    rows = json.loads(client.get("/peringkat/koperasi.json?kab=5371").data)
    expected = snapshot_rows(province_url, regency_code="5371")
    assert len(rows) == len(expected) > 0
    for row in rows:
        want = expected[row["nik"]]
        for column in ("pct_health_total", "pct_npl_ratio", "pct_roa", "npl_ratio"):
            if want[column] is None:
                assert row[column] is None
            else:
                assert row[column] == pytest.approx(want[column], abs=0.005)
    assert [r["health_total"] for r in rows if r["health_total"] is not None] == sorted(
        (r["health_total"] for r in rows if r["health_total"] is not None), reverse=True)
    # type and kabupaten together; an unknown peer group is ignored rather than emptying the table
    both = json.loads(client.get("/peringkat/koperasi.json?kab=5371&jenis=simpan_pinjam&kelompok=nope:z").data)
    assert {r["nik"] for r in both} == set(snapshot_rows(province_url, regency_code="5371", type="simpan_pinjam"))
    # The province's rows are megabytes of JSON: a browser asking for compression gets it (same rows).
    packed = client.get("/peringkat/koperasi.json", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == client.get("/peringkat/koperasi.json").data


def test_a_period_that_is_not_a_snapshot_period_shows_the_nearest_earlier_one(province_url, settings_for):
    from app import create_app
    from layouts.pages import rankings

    with engine_for(province_url).connect() as conn:
        snaps = list(conn.execute(select(CooperativeSnapshot.period_end).distinct()).scalars())
        periods = list(conn.execute(select(RegencyIndicator.period_end).distinct()).scalars())
    asked = max(p for p in periods if p not in snaps)
    nearest = max(s for s in snaps if s <= asked)
    app = create_app(settings_for(province_url))
    with app.server.test_request_context("/peringkat"):
        page = rankings.layout(tampilan="koperasi", periode=asked.strftime("%Y-%m"))
    notice = find(page, "rankings-period-notice")
    assert notice is not None and str(nearest.year) in notice.children
    count = find(page, "rankings-count").children
    assert count.startswith(f"{len(snapshot_rows(province_url, period=nearest))} koperasi")


# --------------------------------------------------------------------------------------------- in the browser
def grid_rows(driver, grid_id: str) -> list[dict]:
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.getElementById('rankings-rows-loaded').textContent !== ''"))
    return driver.execute_script(
        "const api = dash_ag_grid.getApi(arguments[0]); const rows = [];"
        "api.forEachNodeAfterFilterAndSort(n => rows.push(n.data)); return rows;", grid_id)


@pytest.mark.browser
def test_cooperative_ranking_in_the_browser_follows_the_url_and_links_to_profiles(province_app, province_url,
                                                                                  browser):
    group = a_peer_group(province_url, "5371", "simpan_pinjam")
    url = f"{province_app}/peringkat?tampilan=koperasi&kab=5371&jenis=simpan_pinjam&kelompok={group}"
    browser.get(province_app + "/")
    browser.delete_all_cookies()
    browser.get_log("browser")  # drop what earlier pages (of other servers) logged
    open_page(browser, url, ready_css="#rankings-coop-grid")
    rows = grid_rows(browser, "rankings-coop-grid")
    expected = snapshot_rows(province_url, regency_code="5371", type="simpan_pinjam", peer_group=group)
    assert sorted(r["nik"] for r in rows) == sorted(expected)
    for row in rows:
        want = expected[row["nik"]]["pct_equity_ratio"]
        assert (row["pct_equity_ratio"] is None) == (want is None)
        if want is not None:
            assert row["pct_equity_ratio"] == pytest.approx(want, abs=0.005)
    # the percentile shows as "P<n>" beside the value
    cells = browser.find_elements(By.CSS_SELECTOR, "#rankings-coop-grid .ag-cell[col-id='pct_health_total']")
    assert cells and all(c.text.startswith("P") or c.text == "–" for c in cells)

    # clear the peer group: the URL loses it, the rows widen to the whole type in the kabupaten
    browser.find_element(By.CSS_SELECTOR, "button.dash-dropdown[id*='kelompok']").click()
    other = [o for o in browser.find_elements(By.CSS_SELECTOR, "[role=option] input")
             if o.get_attribute("value") != group][0].get_attribute("value")
    option = browser.find_element(By.CSS_SELECTOR, f"[role=option] input[value='{other}']").find_element(
        By.XPATH, "./ancestor::label")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", option)
    option.click()
    WebDriverWait(browser, 20).until(lambda d: parse_qs(urlparse(d.current_url).query).get("kelompok") == [other])
    open_page(browser, browser.current_url, ready_css="#rankings-coop-grid")
    after = grid_rows(browser, "rankings-coop-grid")
    expected_other = snapshot_rows(province_url, regency_code="5371", type="simpan_pinjam", peer_group=other)
    assert sorted(r["nik"] for r in after) == sorted(expected_other)
    browser.refresh()
    open_page(browser, browser.current_url, ready_css="#rankings-coop-grid")
    assert sorted(r["nik"] for r in grid_rows(browser, "rankings-coop-grid")) == sorted(expected_other)

    # a cooperative's name opens its profile
    link = browser.find_element(By.CSS_SELECTOR, "#rankings-coop-grid a.rankings-link")
    name = link.text
    link.click()
    WebDriverWait(browser, 20).until(lambda d: "/koperasi/" in d.current_url)
    open_page(browser, browser.current_url, ready_css="#profile-name")
    assert name in browser.find_element(By.ID, "profile-name").text
    assert not console_errors(browser)


@pytest.mark.browser
def test_rankings_page_in_english(province_app, province_url, browser):
    browser.get(province_app + "/")
    browser.get_log("browser")  # drop what earlier pages (of other servers) logged
    with in_english(browser):
        open_page(browser, province_app + "/peringkat", ready_css="#rankings-regency-grid .ag-row")
        headers = browser.find_element(By.CSS_SELECTOR, "#rankings-regency-grid .ag-header").text
        assert "Average health score" in headers and "Rata-rata" not in headers
        assert "Rankings" in browser.find_element(By.TAG_NAME, "h1").text
        # the numbers are formatted the English way (1,234.5) in the English interface
        cells = browser.find_elements(By.CSS_SELECTOR, "#rankings-regency-grid .ag-cell[col-id='members']")
        assert any("," in c.text for c in cells if len(c.text) > 4)
        # a month without cooperative snapshots: the link keeps it, the notice says which period is shown
        with engine_for(province_url).connect() as conn:
            snaps = set(conn.execute(select(CooperativeSnapshot.period_end).distinct()).scalars())
            months = set(conn.execute(select(RegencyIndicator.period_end).distinct()).scalars())
        asked = max(months - snaps).strftime("%Y-%m")
        open_page(browser, f"{province_app}/peringkat?tampilan=koperasi&periode={asked}", ready_css="#rankings-count")
        grid_rows(browser, "rankings-coop-grid")
        assert "is not one of them" in browser.find_element(By.ID, "rankings-period-notice").text
        assert f"periode={asked}" in browser.current_url
        assert not console_errors(browser)

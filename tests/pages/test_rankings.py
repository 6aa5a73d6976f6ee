"""Peringkat / Rankings: the kabupaten roll-ups (stored rows, per type, the province's own row pinned below) and the
cooperative snapshots (monitored ones rated, the rest listed last) as the page shows them, against the warehouse
read directly; registry headers with their definitions; URL filters, the peer-group round trip, the profile link,
the English labels."""
from __future__ import annotations

import gzip
import json
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from indicators import registry
from layouts import components
from tests.support.browser import console_errors, in_english, open_page
from tests.support.components import find
from warehouse.db import engine_for
from warehouse.models import CooperativeSnapshot, RegencyIndicator
from warehouse.read_rankings import KEY_RATIOS, REGENCY_COLUMNS


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


def stored_areas(url: str, kind: str = "") -> tuple[object, dict[str, dict]]:
    """{regency_code: stored row} of every area (the 22 and the province "53") at the latest period, one type."""
    ri = RegencyIndicator
    with engine_for(url).connect() as conn:
        period = conn.execute(select(func.max(ri.period_end)).where(ri.regency_code == "53", ri.type == "")).scalar()
        rows = conn.execute(select(ri.__table__).where(ri.period_end == period, ri.type == kind)).mappings().all()
    return period, {r["regency_code"]: dict(r) for r in rows}


def render(url: str, settings_for, **query):
    from app import create_app
    from layouts.pages import rankings

    app = create_app(settings_for(url))
    with app.server.test_request_context("/peringkat"):
        return rankings.layout(**query)


def same(shown, stored) -> bool:
    if stored is None:
        return shown is None or shown != shown
    return shown == pytest.approx(stored)


def assert_grid_is_stored(grid, stored: dict[str, dict]) -> None:
    """The 22 rows and the pinned province row hold exactly the stored figures of their area."""
    assert len(grid.rowData) == 22
    for row in grid.rowData:
        for column in REGENCY_COLUMNS:
            want = stored.get(row["regency_code"], {}).get(column)
            assert same(row[column], want), (row["regency_code"], column, row[column], want)
    (province,) = grid.dashGridOptions["pinnedBottomRowData"]
    assert province["regency_code"] == "53" and province["short_name"] == "Provinsi NTT"
    for column in REGENCY_COLUMNS:
        assert same(province[column], stored["53"][column]), column


# --------------------------------------------------------------------------------------------- without a browser
def test_the_kabupaten_grid_is_the_stored_rows_with_the_province_row_pinned_below(province_url, settings_for):
    grid = find(render(province_url, settings_for), "rankings-regency-grid")
    _, stored = stored_areas(province_url)
    assert_grid_is_stored(grid, stored)
    with_score = {r["regency_code"] for r in grid.rowData if r["avg_health_score"] == r["avg_health_score"]
                  and r["avg_health_score"] is not None}
    assert with_score == {"5371", "5310", "5303"}
    assert "Kota Kupang" in {r["short_name"] for r in grid.rowData}
    # the province row is the refresh's own: members_per_1000 of the province is not the kabupaten's sum or mean
    per_1000 = [stored[c]["members_per_1000"] for c in with_score]
    assert stored["53"]["members_per_1000"] not in (pytest.approx(sum(per_1000)),
                                                    pytest.approx(sum(per_1000) / len(per_1000)))


def test_the_type_filter_shows_the_kabupaten_rows_of_that_type(province_url, settings_for):
    page = render(province_url, settings_for, jenis="simpan_pinjam")
    grid = find(page, "rankings-regency-grid")
    _, stored = stored_areas(province_url, "simpan_pinjam")
    _, every_type = stored_areas(province_url)
    assert_grid_is_stored(grid, stored)
    assert stored["5371"]["cooperatives"] < every_type["5371"]["cooperatives"]  # really the type's rows
    # the population statement under the grid: the type's monitored cooperatives in the province, as stored
    count = find(page, "rankings-reg-monitored").to_plotly_json()["props"]
    assert float(count["data-value"]) == stored["53"]["monitored_cooperatives"]
    assert count["data-scope"].endswith("|simpan_pinjam") and count["data-scope"].startswith("regency_indicators|53|")
    assert "Simpan pinjam" in find(page, "rankings-reg-count").children


def test_grid_headers_are_the_registry_labels_with_their_definitions_as_tooltips(province_url, settings_for):
    from layouts.pages import rankings

    reg = registry.load()
    grid = find(render(province_url, settings_for), "rankings-regency-grid")
    headers = {c["field"]: c for c in grid.columnDefs}
    for column in REGENCY_COLUMNS:
        assert headers[column]["headerName"] == reg.get(column).label("id")
        assert headers[column]["headerTooltip"] == components.definition_title(column, "id")
    assert grid.dashGridOptions["enableBrowserTooltips"] is True
    columns = rankings._cooperative_columns("en")
    groups = {c["headerName"]: c for c in columns if "children" in c}
    for name in KEY_RATIOS:
        label = reg.get(name).label("en") + (" ↓" if reg.get(name).direction == "lower" else "")
        value, percentile = groups[label]["children"]
        assert groups[label]["headerTooltip"] == components.definition_title(name, "en")
        assert (value["field"], value["headerTooltip"]) == (name, components.definition_title(name, "en"))
        assert percentile["headerTooltip"] == components.definition_title(f"pct_{name}", "en")
    assert "Non-performing loans (NPL) ↓" in groups
    health = groups["Health score"]["children"]
    assert [c["headerTooltip"] for c in health] == [components.definition_title(i, "en") for i in
                                                   ("health_total", "health_category", "pct_health_total")]


def test_the_cooperative_view_states_its_population_with_the_stored_monitored_count(province_url, settings_for):
    page = render(province_url, settings_for, tampilan="koperasi", kab="5371")
    span = find(page, "rankings-monitored").to_plotly_json()["props"]
    period, stored = stored_areas(province_url)
    monitored = snapshot_rows(province_url, period=period, regency_code="5371", monitored=True)
    assert span["data-scope"] == f"regency_indicators|5371|{period.strftime('%Y-%m')}|"
    # the shares on the map count exactly the cooperatives this list rates
    assert float(span["data-value"]) == stored["5371"]["monitored_cooperatives"] == len(monitored) > 0
    text = str(find(page, "rankings-population").to_plotly_json())
    assert "koperasi dalam pemantauan" in text and "Kota Kupang" in text and "tanpa peringkat" in text


def test_rows_endpoint_gives_the_snapshots_of_the_filters_with_their_percentiles(province_url, settings_for):
    from app import create_app

    app = create_app(settings_for(province_url))
    client = app.server.test_client()
    rows = json.loads(client.get("/peringkat/koperasi.json?kab=5371").data)
    expected = snapshot_rows(province_url, regency_code="5371")
    assert len(rows) == len(expected) > 0
    assert list(rows[0]) == ["rank", "name", "nik", "regency", "peer_label", "health_total", "category_label",
                             "pct_health_total", *(c for r in KEY_RATIOS for c in (r, f"pct_{r}")), "rat_grade",
                             "digital_label", "health_category"]
    # rated: the monitored cooperatives with a score, best first; then the rest, unranked, the unmonitored last
    monitored = [expected[r["nik"]]["monitored"] for r in rows]
    assert monitored == sorted(monitored, reverse=True)
    unmonitored = [r for r in rows if not expected[r["nik"]]["monitored"]]
    assert unmonitored and all(r["rank"] is None and r["category_label"] == "Tanpa laporan 12 bulan"
                               for r in unmonitored)
    assert all(r["rank"] is not None for r in rows if r["health_total"] is not None)
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
        # a header's hover is the registry definition; the province's own row is pinned below the 22
        title = browser.execute_script(
            "const e = document.querySelector(\"#rankings-regency-grid .ag-header-cell[col-id='pct_sehat']\");"
            "const t = e && (e.getAttribute('title') ? e : e.querySelector('[title]')); return t && t.getAttribute('title');")
        assert title == components.definition_title("pct_sehat", "en")
        pinned = browser.find_element(By.CSS_SELECTOR, "#rankings-regency-grid .ag-floating-bottom").text
        assert "NTT province" in pinned
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

"""Peringkat / Rankings rendered in-process on the small province: the kabupaten roll-ups (stored rows, per type, the
province's own row pinned below) and the cooperative snapshots (monitored ones rated, the rest listed last) against
the warehouse read directly; registry headers with their definitions; the rows endpoint; a period without
snapshots."""
from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import func, select

from indicators import registry
from layouts import components
from tests.support.components import find
from tests.support.pages import render
from tests.support.sql import regional, snapshot_rows
from warehouse.db import engine_for
from warehouse.models import CooperativeSnapshot, RegencyIndicator
from warehouse.read_rankings import KEY_RATIOS, REGENCY_COLUMNS


def stored_areas(url: str, kind: str = "", scope: str = "daerah") -> tuple[object, dict[str, dict]]:
    """{regency_code: stored row} of every area (the 22 and the province "53") at the latest period, one type, one
    population."""
    ri = RegencyIndicator
    with engine_for(url).connect() as conn:
        period = conn.execute(select(func.max(ri.period_end)).where(ri.regency_code == "53", ri.type == "")).scalar()
        rows = conn.execute(select(ri.__table__).where(ri.period_end == period, ri.type == kind,
                                                       ri.scope == scope)).mappings().all()
    return period, {r["regency_code"]: dict(r) for r in rows}


def rankings(app, **query):
    return render(app, "rankings", "/peringkat", **query)


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


def test_the_kabupaten_grid_is_the_stored_rows_with_the_province_row_pinned_below(page_app, province_url):
    grid = find(rankings(page_app), "rankings-regency-grid")
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


def test_the_type_filter_shows_the_kabupaten_rows_of_that_type(page_app, province_url):
    page = rankings(page_app, jenis="simpan_pinjam")
    grid = find(page, "rankings-regency-grid")
    _, stored = stored_areas(province_url, "simpan_pinjam")
    _, every_type = stored_areas(province_url)
    assert_grid_is_stored(grid, stored)
    assert stored["5371"]["cooperatives"] < every_type["5371"]["cooperatives"]  # really the type's rows
    # the population statement under the grid: the type's monitored cooperatives in the province, as stored
    count = find(page, "rankings-reg-monitored").to_plotly_json()["props"]
    assert float(count["data-value"]) == stored["53"]["monitored_cooperatives"]
    assert count["data-scope"].endswith("|simpan_pinjam|daerah") and count["data-scope"].startswith("regency_indicators|53|")
    assert "Simpan pinjam" in find(page, "rankings-reg-count").children


def test_grid_headers_are_the_registry_labels_with_their_definitions_as_tooltips(page_app):
    from layouts.pages import rankings as rankings_page

    reg = registry.load()
    grid = find(rankings(page_app), "rankings-regency-grid")
    headers = {c["field"]: c for c in grid.columnDefs}
    for column in REGENCY_COLUMNS:
        assert headers[column]["headerName"] == reg.get(column).label("id")
        assert headers[column]["headerTooltip"] == components.definition_title(column, "id")
    assert grid.dashGridOptions["enableBrowserTooltips"] is True
    columns = rankings_page._cooperative_columns("en")
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


def test_the_cooperative_view_states_its_population_with_the_stored_monitored_count(page_app, province_url):
    page = rankings(page_app, tampilan="koperasi", kab="5371")
    span = find(page, "rankings-monitored").to_plotly_json()["props"]
    period, stored = stored_areas(province_url)
    monitored = regional(snapshot_rows(province_url, period=period, regency_code="5371", monitored=True))
    assert span["data-scope"] == f"regency_indicators|5371|{period.strftime('%Y-%m')}||daerah"
    # the shares on the map count exactly the cooperatives this list rates
    assert float(span["data-value"]) == stored["5371"]["monitored_cooperatives"] == len(monitored) > 0
    text = str(find(page, "rankings-population").to_plotly_json())
    assert "koperasi dalam pemantauan" in text and "Kota Kupang" in text and "tanpa peringkat" in text


def test_rows_endpoint_gives_the_snapshots_of_the_filters_with_their_percentiles(page_app, province_url):
    client = page_app.server.test_client()
    rows = json.loads(client.get("/peringkat/koperasi.json?kab=5371").data)
    expected = regional(snapshot_rows(province_url, regency_code="5371"))
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
    assert {r["nik"] for r in both} == set(regional(snapshot_rows(province_url, regency_code="5371",
                                                                  type="simpan_pinjam")))
    # every cooperative registered in NTT with cakupan=semua: the national primary of Kota Kupang too
    everyone = json.loads(client.get("/peringkat/koperasi.json?kab=5371&cakupan=semua").data)
    assert {r["nik"] for r in everyone} == set(snapshot_rows(province_url, regency_code="5371")) > set(expected)
    # The province's rows are megabytes of JSON: a browser asking for compression gets it (same rows).
    packed = client.get("/peringkat/koperasi.json", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == client.get("/peringkat/koperasi.json").data


def test_a_period_that_is_not_a_snapshot_period_shows_the_nearest_earlier_one(page_app, province_url):
    with engine_for(province_url).connect() as conn:
        snaps = list(conn.execute(select(CooperativeSnapshot.period_end).distinct()).scalars())
        periods = list(conn.execute(select(RegencyIndicator.period_end).distinct()).scalars())
    asked = max(p for p in periods if p not in snaps)
    nearest = max(s for s in snaps if s <= asked)
    page = rankings(page_app, tampilan="koperasi", periode=asked.strftime("%Y-%m"))
    notice = find(page, "rankings-period-notice")
    assert notice is not None and str(nearest.year) in notice.children
    count = find(page, "rankings-count").children
    assert count.startswith(f"{len(regional(snapshot_rows(province_url, period=nearest)))} koperasi")

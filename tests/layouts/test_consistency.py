"""One truth, checked end to end: what the API serves equals the registry's definitions applied to the report rows,
and every number a page shows equals the API's value for the same filters."""
import math
from datetime import date
from urllib.parse import urlencode

import pytest

from indicators import registry
from layouts.i18n import fmt_figure
from tests.support.components import walk
from tests.support.pages import render
from tests.support.truth import differences


def test_every_snapshot_ratio_and_area_share_follows_the_registry(page_app):
    """Zero differences: each snapshot ratio = the registry formula on the cooperative's latest report within the
    lookback; each kabupaten and province count and share = the count over the snapshot rows."""
    client = page_app.server.test_client()
    found = differences(lambda path: client.get(path).get_json())
    assert found == {"ratios": [], "shares": []}


PAGES = [
    ("overview", "/", {}),
    ("overview", "/", {"kab": "5371"}),
    ("overview", "/", {"jenis": "simpan_pinjam"}),
    ("overview", "/", {"kab": "5310", "periode": "2026-03"}),
    ("map", "/peta", {"kab": "5371", "indikator": "pct_sehat"}),
    ("map", "/peta", {"periode": "2025-12", "indikator": "reporting_rate"}),
    ("rankings", "/peringkat", {}),
    ("rankings", "/peringkat", {"jenis": "konsumen"}),
    ("digital", "/target-digital", {}),
    ("digital", "/target-digital", {"kab": "5303", "periode": "2026-01"}),
    ("data_quality", "/pelaporan", {}),
    ("overview", "/", {"cakupan": "semua", "kab": "5371"}),
    ("kdmp", "/kopdes-merah-putih", {}),
    ("kdmp", "/kopdes-merah-putih", {"kab": "5303", "periode": "2026-02"}),
]


def _render(app, module_name: str, path: str, query: dict):
    """The page as the router renders it for path?query."""
    return render(app, module_name, path + ("?" + urlencode(query) if query else ""), **query)


def _api_value(client, scope: str, indicator: str):
    dataset, *key = scope.split("|")
    column = registry.load().get(indicator).columns(dataset)
    assert column, f"{indicator} is not published in {dataset}"
    if dataset == "regency_indicators":
        code, month, kind, population = key
        query = f"kab={code}&periode={month}&cakupan={population}" + (f"&jenis={kind}" if kind else "")
        rows = _cached_get(client, f"/api/v1/regency_indicators.json?{query}")["rows"]
        assert len(rows) == 1, scope
        return rows[0][column[0]]
    if dataset == "kdmp_indicators":
        code, month = key
        rows = _cached_get(client, f"/api/v1/kdmp_indicators.json?kab={code}&periode={month}")["rows"]
        assert len(rows) == 1, scope
        return rows[0][column[0]]
    if dataset == "snapshots":
        nik, month = key
        rows = _cached_get(client, f"/api/v1/snapshots.json?periode={month}&limit=10000")["rows"]
        match = [r for r in rows if r["nik"] == nik]
        assert len(match) == 1, scope
        return match[0][column[0]]
    raise AssertionError(f"unknown scope {scope}")


_CACHE: dict = {}


def _cached_get(client, path: str) -> dict:
    key = (id(client), path)
    if key not in _CACHE:
        _CACHE[key] = client.get(path).get_json()
    return _CACHE[key]


def _same(shown: str, api) -> bool:
    if api is None:
        return shown == ""
    if isinstance(api, bool):
        return shown == ("true" if api else "false")
    if isinstance(api, str):
        return shown[:10] == api[:10]
    return math.isclose(float(shown), float(api), rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("module_name,path,query", PAGES, ids=[f"{p}{q}" for _, p, q in PAGES])
def test_every_number_on_a_page_is_the_apis_value(page_app, module_name, path, query):
    """Each figure span on the page (data-indicator, data-value, data-scope) carries the value the API serves for
    the same scope, and its text is that value written the registry unit's way."""
    tree = _render(page_app, module_name, path, query)
    client = page_app.server.test_client()
    figures = [node for node in walk(tree) if getattr(node, "data-indicator", None)]
    assert figures, f"{path} {query} shows no figure spans"
    reg = registry.load()
    for node in figures:
        indicator, scope, shown = getattr(node, "data-indicator"), getattr(node, "data-scope"), getattr(node, "data-value")
        api = _api_value(client, scope, indicator)
        assert _same(shown, api), (path, query, indicator, scope, shown, api)
        digits = getattr(node, "data-digits", None)
        if api is not None and isinstance(node.children, str) and reg.get(indicator).unit not in ("code",):
            value = date.fromisoformat(api[:10]) if isinstance(api, str) else api
            written = fmt_figure(value, reg.get(indicator).unit, "id", None if digits is None else int(digits))
            assert written.lstrip("+−") in node.children, (indicator, node.children, written)


GRID_PAGES = [
    ("rankings", "/peringkat", {}, "rankings-regency-grid"),
    ("rankings", "/peringkat", {"jenis": "produsen", "periode": "2026-06"}, "rankings-regency-grid"),
    ("digital", "/target-digital", {}, "digital-regency-grid"),
    ("digital", "/target-digital", {"periode": "2025-12"}, "digital-regency-grid"),
]


@pytest.mark.parametrize("module_name,path,query,grid_id", GRID_PAGES,
                         ids=[f"{g}{q}" for _, _, q, g in GRID_PAGES])
def test_every_figure_cell_of_a_kabupaten_grid_is_the_apis_value(page_app, province_url, module_name, path, query,
                                                                 grid_id):
    """A grid column made by components.figure_column names its registry figure; every cell of it (and the pinned
    province row) equals the API's value for that kabupaten, period and type."""
    from warehouse import queries
    from warehouse.db import engine_for

    tree = _render(page_app, module_name, path, query)
    grid = next(node for node in walk(tree) if getattr(node, "id", None) == grid_id)
    columns = [c for c in grid.columnDefs if (c.get("context") or {}).get("indicator")]
    assert columns, f"{grid_id} has no figure columns"
    period = query.get("periode") or queries.periods(engine_for(province_url))[0].strftime("%Y-%m")
    kind = query.get("jenis", "")
    client = page_app.server.test_client()
    rows = list(grid.rowData) + list((grid.dashGridOptions or {}).get("pinnedBottomRowData") or [])
    assert len(rows) >= 3
    for row in rows:
        scope = f"regency_indicators|{row['regency_code']}|{period}|{kind}|daerah"
        for column in columns:
            api = _api_value(client, scope, column["context"]["indicator"])
            value = row[column["field"]]
            value = None if value is None or value != value else value
            assert (value is None and api is None) or math.isclose(float(value), float(api), rel_tol=1e-9,
                                                                   abs_tol=1e-9), (grid_id, scope, column["field"],
                                                                                   value, api)

"""The KDMP of every kabupaten/kota: the stored milestone counts as a grid (the province's own row pinned below it)
and a map coloured by one stored KDMP figure (the map page's boundaries and choropleth)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from indicators import registry
from layouts import charts, components
from layouts.i18n import fmt_period, t
from layouts.pages.kdmp.view import INDICATOR, MAP_INDICATORS, View
from layouts.pages.map import GEOJSON_ROUTE
from layouts.pages.map.figure import figure as map_figure
from layouts.pages.map.ranking import ranked
from warehouse import boundaries, queries

GRAPH_ID = "kdmp-map"
COLUMNS = ("kdmp_villages", "kdmp_legal", "kdmp_nib", "kdmp_npwp", "kdmp_bank", "kdmp_simkopdes", "kdmp_land",
           "kdmp_construction", "kdmp_handover", "kdmp_operating", "kdmp_first_rat", "kdmp_stuck_nib",
           "kdmp_no_land", "pct_kdmp_fresh", "kdmp_stale", "kdmp_mentored")


def _num(lang: str, digits: int = 0, suffix: str = "") -> dict:
    locale = "en-US" if lang == "en" else "id-ID"
    return {"function": f"params.value == null ? '–' : Number(params.value).toLocaleString('{locale}', "
                        f"{{minimumFractionDigits: {digits}, maximumFractionDigits: {digits}}}) + '{suffix}'"}


def grid(rows, province: dict | None, v: View, lang: str, simulated: bool):
    frame = rows[["regency_code", "name", *COLUMNS]].copy()
    frame["href"] = [dash.get_relative_path("/kopdes-merah-putih") + v.query(kab=code) for code in frame["regency_code"]]
    reg = registry.load()
    cols = [{"field": "regency_code", "headerName": t("digital.col.code", lang), "width": 75, "pinned": "left"},
            {"field": "name", "headerName": t("digital.col.regency", lang), "minWidth": 170, "pinned": "left",
             "cellRenderer": "RankingsCoopLink"}]
    for name in COLUMNS:
        pct = reg.get(name).unit == "percent"
        cols.append(components.figure_column(name, name, lang, type="numericColumn", minWidth=92, flex=1,
                                             valueFormatter=_num(lang, 1 if pct else 0, " %" if pct else ""),
                                             wrapHeaderText=True, autoHeaderHeight=True))
    out = components.grid("kdmp-regency-grid", frame, cols, lang, simulated=simulated)
    ag = out.children[-1]
    pinned = [{"regency_code": province.get("regency_code"), "name": t("fig.province", lang),
               **{c: province.get(c) for c in COLUMNS}}] if province else []
    ag.dashGridOptions = {**ag.dashGridOptions, "pagination": False, "domLayout": "autoHeight",
                          "enableBrowserTooltips": True, "pinnedBottomRowData": pinned}
    ag.style = {}
    return out


def _shapes(settings, engine):
    codes = queries.regencies(engine)["code"].astype(str)
    try:
        return boundaries.load(settings.BOUNDARIES_PATH, codes)
    except boundaries.BoundaryError:
        return None  # the map shows points at the capitals (the map page says why)


def map_card(rows, v: View, lang: str, settings, engine):
    frame = ranked(rows, v.indicator)
    shapes = _shapes(settings, engine)
    url = dash.get_relative_path(GEOJSON_ROUTE) + f"?v={shapes.version}" if shapes else None
    fig = map_figure(frame, v.indicator, lang, shapes, v.filters.regency, url)
    options = [{"label": registry.load().get(k).label(lang), "value": k} for k in MAP_INDICATORS]
    switch = html.Div([
        dbc.Label(t("map.indicator", lang), className="small text-muted mb-0", html_for=f"filter-{INDICATOR}"),
        dcc.Dropdown(id={"type": "filter", "name": INDICATOR}, options=options, value=v.indicator, clearable=False),
    ], className="mb-2")
    return dbc.Card([
        dbc.CardHeader(html.Span(t("kdmp.map", lang, indicator=registry.load().get(v.indicator).label(lang),
                                   period=fmt_period(v.filters.period, lang)), id="kdmp-map-title",
                                 title=components.definition_title(v.indicator, lang))),
        dbc.CardBody([switch, html.Div(dcc.Graph(id=GRAPH_ID, figure=fig, responsive=True, style={"height": "100%"},
                                                 config={**charts.GRAPH_CONFIG, "scrollZoom": False}),
                                       className="map-graph-box"),
                      dcc.Store(id="kdmp-map-fit"),
                      html.P(t("kdmp.map.hint", lang), className="small text-muted mb-0 mt-1"),
                      components.definitions([v.indicator], lang, element_id="kdmp-map-definitions")],
                     className="p-2"),
    ], className="shadow-sm h-100", id="kdmp-map-card")


def section(rows, province: dict | None, v: View, lang: str, simulated: bool, settings, engine):
    return dbc.Card([dbc.CardHeader(t("kdmp.regencies", lang)), dbc.CardBody([
        html.P(t("kdmp.regencies.note", lang), className="small text-muted mb-2"),
        grid(rows, province, v, lang, simulated),
        components.definitions(COLUMNS, lang, element_id="kdmp-regency-definitions"),
    ])], className="shadow-sm mb-3", id="kdmp-regencies")

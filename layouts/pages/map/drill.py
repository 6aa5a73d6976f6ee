"""The map's drill-down into one kabupaten: its stored figures beside the province's, and its cooperatives."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from indicators import registry
from layouts import components, filters, labels, scope
from layouts.i18n import fmt_int, fmt_period, missing, t
from layouts.pages.map.ranking import INDICATOR, INDICATORS, ranks
from warehouse import queries, read_map

# The counts the drill-down shows first: the registry, the active cooperatives and the monitored population the
# sums and most shares run over.
POPULATION_COUNTS = ("cooperatives", "active", "monitored_cooperatives")


def _key_figures(values: pd.DataFrame, province: dict, code: str, period, lang: str, population: str | None = None):
    """The kabupaten's stored figures beside the province's stored row, with the kabupaten's rank among the 22."""
    mine = values.index[values["code"] == code][0]
    here = components.area_scope(period, code, None, population)
    whole = components.area_scope(period, None, None, population)
    lines = []
    for key in (*POPULATION_COUNTS, *INDICATORS):
        ind = registry.load().get(key)
        rank, n = "", 0
        if key in INDICATORS:
            ranking = ranks(values[key], key)
            n = int(ranking.notna().sum())
            rank = f"{int(ranking.at[mine])}/{n}" if pd.notna(ranking.at[mine]) else "–"
        lines.append(html.Tr([
            html.Td(ind.label(lang)),
            html.Td(components.figure(key, values.at[mine, key], lang, here), className="text-end text-nowrap"),
            html.Td(components.figure(key, province.get(key), lang, whole), className="text-end text-nowrap"),
            html.Td(rank, className="text-end"),
        ], id=f"map-fig-{key}", className="map-fig-count" if key in POPULATION_COUNTS else None))
    head = html.Thead(html.Tr([html.Th(t("map.col.indicator", lang)),
                               html.Th(t("map.col.this", lang), className="text-end"),
                               html.Th(t("map.col.province", lang), className="text-end"),
                               html.Th(t("map.col.rank_of", lang), className="text-end")]))
    return dbc.Table([head, html.Tbody(lines)], size="sm", className="mb-0 small", id="map-key-figures")


def _category(row, lang: str) -> str:
    if row.monitored is False:
        return t("cat.unmonitored", lang)
    return labels.category(row.health_category, lang)


def _label_column(indicator_id: str, field: str, lang: str, **column) -> dict:
    """A grid column showing a figure's translated label (not the stored code): the registry header and definition,
    without the figure_column marker that says the cells hold the stored values."""
    return {"field": field, "headerName": registry.load().get(indicator_id).label(lang),
            "headerTooltip": components.definition_title(indicator_id, lang), **column}


def _cooperatives(engine, code: str, name: str, f: filters.Filters, lang: str):
    view = scope.cooperatives(code)  # the figures are public; the cooperatives are not, an officer's only their own
    if not view.allowed:
        return [scope.notice(view, lang, "map-coops-hidden", "/peta" + f.query())]
    snap = queries.snapshot_period(engine, f.period)
    if snap is None:
        return [dbc.Alert(t("map.drill.no_snapshots", lang), color="info", className="small py-2",
                          id="map-no-snapshots")]
    coops = read_map.regency_cooperatives(engine, code, snap, f.scope)
    note = (t("map.drill.snapshot", lang, period=fmt_period(snap, lang)) if snap == f.period else
            t("map.drill.snapshot_other", lang, period=fmt_period(snap, lang), chosen=fmt_period(f.period, lang)))
    header = html.Div([html.Span(t("map.drill.count", lang, n=fmt_int(len(coops), lang)), className="fw-semibold me-2",
                                 id="map-coop-count"),
                       html.Span(note, className="text-muted", id="map-snapshot-note"),
                       html.Div(t("map.drill.population", lang), className="text-muted", id="map-coop-population")],
                      className="small mb-2")
    if coops.empty:
        return [header, html.P(t("map.drill.none", lang), className="small text-muted")]
    monitored = coops["monitored"].map(lambda v: None if missing(v) else bool(v))
    frame = pd.DataFrame({
        "nik": coops["nik"].astype(str),
        "name": coops["name"],
        "type": coops["type"].map(lambda v: labels.word(labels.COOP_TYPES, v, lang)),
        "health_total": coops["health_total"].astype(float),
        "category": [_category(row, lang) for row in coops.assign(monitored=monitored).itertuples()],
        "rat_grade": coops["rat_grade"].fillna("–"),
        "digital": coops["digital_stage"].map(lambda v: labels.stage(v, lang)),
        "monitored": monitored.map(lambda v: "–" if v is None else (t("fig.yes", lang) if v else t("fig.no", lang))),
    })
    locale = "en-US" if lang == "en" else "id-ID"
    columns = [
        {"field": "name", "headerName": t("map.col.name", lang), "cellRenderer": "MapCoopLink", "flex": 3,
         "minWidth": 190},
        {"field": "nik", "headerName": "NIK", "width": 150, "hide": True},
        {"field": "type", "headerName": t("map.col.type", lang), "flex": 1, "minWidth": 110},
        components.figure_column(
            "health_total", "health_total", lang, flex=1, minWidth=100, type="numericColumn",
            filter="agNumberColumnFilter",
            valueFormatter={"function": f"params.value == null ? '–' : params.value.toLocaleString('{locale}', "
                                        "{minimumFractionDigits: 1, maximumFractionDigits: 1})"}),
        _label_column("health_category", "category", lang, flex=1.5, minWidth=140),
        _label_column("monitored", "monitored", lang, headerName=t("map.col.monitored", lang), flex=0.8, minWidth=90),
        components.figure_column("rat_grade", "rat_grade", lang, flex=0.7, minWidth=80),
        _label_column("digital_stage", "digital", lang, flex=1, minWidth=110),
    ]
    for column in columns:
        column.update(wrapHeaderText=True, autoHeaderHeight=True)
    simulated = queries.status(engine).is_demo
    grid = components.grid("map-coop-grid", frame, columns, lang, height=440, page_size=15, simulated=simulated)
    ag = grid.children[-1]
    # the header tooltips (registry definitions) as the browser's own, like every figure's hover on the page
    ag.dashGridOptions = {**ag.dashGridOptions, "enableBrowserTooltips": True}
    return [header, grid]


def drill_down(engine, values: pd.DataFrame, province: dict, f: filters.Filters, indicator: str, lang: str):
    code = f.regency
    name = values.loc[values["code"] == code, "name"].iloc[0]
    close = dcc.Link(t("map.drill.close", lang), href="/peta" + f.query(kab=None, **{INDICATOR: indicator}),
                     className="btn btn-sm btn-outline-secondary", id="map-drill-close")
    rankings = dcc.Link(t("map.drill.rankings", lang, name=name), href=f"/peringkat?kab={code}",
                        className="btn btn-sm btn-primary", id="map-drill-rankings")
    return dbc.Card([
        dbc.CardHeader(html.Div([html.H2(name, className="h5 mb-0"), html.Div([rankings, close],
                                                                             className="d-flex gap-2")],
                                className="d-flex flex-wrap justify-content-between align-items-center gap-2")),
        dbc.CardBody(dbc.Row([
            dbc.Col([html.H3(t("map.drill.figures", lang, period=fmt_period(f.period, lang)), className="h6"),
                     html.Div(_key_figures(values, province, code, f.period, lang, f.scope),
                              className="table-responsive"),
                     html.P(t("map.drill.figures_note", lang), className="small text-muted mt-1 mb-0",
                            id="map-figures-note"),
                     components.definitions([*POPULATION_COUNTS, *INDICATORS], lang,
                                            element_id="map-drill-definitions")],
                    xl=5, className="mb-3"),
            dbc.Col([html.H3(t("map.drill.coops", lang, name=name), className="h6"),
                     *_cooperatives(engine, code, name, f, lang)], xl=7),
        ])),
    ], className="mt-3 shadow-sm", id="map-drill")

"""Peta / Map: the 22 kabupaten/kota coloured by a chosen indicator, a ranking beside it and a drill-down.

Everything lives in the URL: `/peta?periode=2026-09&indikator=pct_go_digital&kab=5371`. Every value is the stored
roll-up, read as it is. The page's parts: ranking.py (the indicators, the kabupaten ranked), figure.py (the map),
drill.py (one kabupaten: key figures against the province, its cooperatives)."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from indicators import registry
from layouts import charts, components, context, filters, population
from layouts.i18n import N_, fmt_period, t, t_marked
from layouts.pages.map.drill import drill_down
from layouts.pages.map.figure import figure
from layouts.pages.map.ranking import (DEFAULT_INDICATOR, INDICATOR, INDICATORS, indicator_dropdown,
                                       population_note, rank_note, ranked, ranking_table)
from warehouse import boundaries, queries, read_map

PAGE = {"path": "/peta", **components.page_names(N_("page.map")), "order": 10, "access": "public"}

GEOJSON_ROUTE = "/peta/batas-wilayah.geojson"  # served by layouts/api.py
GRAPH_ID = "map-graph"
ATTRIBUTIONS = {boundaries.WILAYAH_BOUNDARIES: N_("map.attribution.wilayah_boundaries"),
                boundaries.GEOBOUNDARIES: N_("map.attribution.geoboundaries")}


def _attribution(shapes: boundaries.Boundaries | None, lang: str) -> str:
    if shapes is None:
        return t("map.attribution.points", lang)
    if shapes.attribution:
        return t("map.attribution.file", lang, text=shapes.attribution)
    if shapes.source in ATTRIBUTIONS:
        return t_marked(ATTRIBUTIONS[shapes.source], lang)
    return t("map.attribution.file", lang, text=shapes.path.name)


def _load_shapes(settings, engine) -> tuple[boundaries.Boundaries | None, str | None]:
    """The boundaries, or None and the notice saying why the page shows points instead."""
    path = settings.BOUNDARIES_PATH
    codes = queries.regencies(engine)["code"].astype(str)
    try:
        return boundaries.load(path, codes), None
    except boundaries.BoundaryError as exc:
        if not path.exists():
            return None, "missing"
        return None, str(exc)


def layout(**query):
    lang = context.lang()
    engine = context.engine()
    header = components.page_header(t("page.map", lang), t("map.subtitle", lang))
    f = filters.parse(query, engine)
    if f.period is None:
        return html.Div([header, components.empty_state(lang)])
    raw = (query.get(INDICATOR) or "").strip()
    indicator = raw if raw in INDICATORS else DEFAULT_INDICATOR
    notice = (dbc.Alert(t("map.indicator_ignored", lang, value=raw), color="warning", className="py-1 small mb-2")
              if raw and raw not in INDICATORS else None)
    values = read_map.regency_values(engine, f.period, f.scope)
    province = read_map.province_values(engine, f.period, f.scope)
    frame = ranked(values, indicator)
    shapes, problem = _load_shapes(context.settings(), engine)
    fallback = None
    if problem is not None:
        path = str(context.settings().BOUNDARIES_PATH)
        text = (t("map.fallback.missing", lang, path=path) if problem == "missing"
                else t("map.fallback.invalid", lang, path=path, reason=problem))
        fallback = dbc.Alert(text, color="warning", className="small py-2 mb-2", id="map-fallback")
    url = dash.get_relative_path(GEOJSON_ROUTE) + f"?v={shapes.version}" if shapes else None
    fig = figure(frame, indicator, lang, shapes, f.regency, url)
    label = registry.load().get(indicator).label(lang)
    title = t("map.card.title", lang, indicator=label, period=fmt_period(f.period, lang))
    map_card = dbc.Card([
        dbc.CardHeader(html.Span(title, id="map-title", title=components.definition_title(indicator, lang)),
                       className="fw-semibold"),
        dbc.CardBody([
            fallback,
            # the box sets the height (map.css: less on a phone); the responsive graph fills it
            html.Div(dcc.Graph(id=GRAPH_ID, figure=fig, responsive=True, style={"height": "100%"},
                               config={**charts.GRAPH_CONFIG, "scrollZoom": False,
                                       "modeBarButtonsToRemove": ["select2d", "lasso2d"]}), className="map-graph-box"),
            dcc.Store(id="map-fit"),
        ], className="p-2"),
        dbc.CardFooter([html.Div(t("map.hint", lang), className="mb-1"),
                        html.Div(_attribution(shapes, lang), id="map-attribution")],
                       className="small text-muted"),
    ], className="h-100 shadow-sm")
    ranking_card = dbc.Card([
        dbc.CardHeader([html.Div(t("map.ranking.title", lang), className="fw-semibold"),
                        html.Div(rank_note(indicator, lang), className="small text-muted", id="map-rank-note")]),
        dbc.CardBody(ranking_table(frame, indicator, f, lang, f.regency), className="p-0 map-ranking-body"),
        dbc.CardFooter([population_note(indicator, province, f.period, lang, f.scope),
                        components.definitions([indicator], lang, element_id="map-definitions")],
                       className="small text-muted"),
    ], className="h-100 shadow-sm")
    return html.Div([
        header,
        filters.bar(f, lang, engine, fields=(filters.PERIOD, filters.SCOPE), extra=[indicator_dropdown(indicator, lang)]),
        notice,
        population.note(engine, f, lang, PAGE["path"], {INDICATOR: indicator}),
        dbc.Row([dbc.Col(map_card, lg=8, className="mb-3 mb-lg-0"), dbc.Col(ranking_card, lg=4)], className="g-3"),
        drill_down(engine, values, province, f, indicator, lang) if f.regency else None,
    ], className="map-page")


def register_callbacks(app) -> None:
    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input(GRAPH_ID, "clickData"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def _drill_into_clicked_regency(click, search):
        """A click on a kabupaten puts its code in the URL (`kab=`), which opens the drill-down below the map."""
        points = (click or {}).get("points") or []
        if not points:
            raise PreventUpdate
        point = points[0]
        custom = point.get("customdata")
        code = point.get("location") or (custom[3] if isinstance(custom, list) and len(custom) > 3 else None)
        if not code:
            raise PreventUpdate
        params = dict(parse_qsl((search or "").lstrip("?")))
        if params.get(filters.REGENCY) == str(code):
            raise PreventUpdate
        params[filters.REGENCY] = str(code)
        return "?" + urlencode(params)

    app.clientside_callback(
        "function (figure, id) { return window.pantauMap ? window.pantauMap.fit(figure, id) : null; }",
        Output("map-fit", "data"),
        Input(GRAPH_ID, "figure"),
        State(GRAPH_ID, "id"),
    )

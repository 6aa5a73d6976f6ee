"""Kopdes Merah Putih: the Koperasi Desa/Kelurahan Merah Putih of the province (or one kabupaten) — the milestone
funnel from the special village meeting to the first RAT, every kabupaten's progress as a grid and a map, outlets,
financing, how fresh each village's data is and the mentoring, and (for logged-in readers) the villages stuck or
stale, with their mentor. Every number is a stored figure of kdmp_indicators / kdmp_villages (the refresh computes
them from the kdmp rows the ingestors loaded); nothing is added up here.

URL: /kopdes-merah-putih?periode=2026-11&kab=5321&indikator=pct_kdmp_land&daftar=tertahan&tahap=badan_hukum&desa=…
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from layouts import components, context, filters, population
from layouts.i18n import N_, fmt_date, t
from layouts.pages.kdmp import operations, regencies, summary, villages
from layouts.pages.kdmp.view import INDICATOR, parse
from layouts.pages.kdmp.view import View  # noqa: F401  (tests build views)
from warehouse import queries, read_kdmp

PAGE = {"path": "/kopdes-merah-putih", **components.page_names(N_("page.kdmp")), "order": 35, "access": "public"}


def _api_links(v, lang: str):
    kab = f"?kab={v.filters.regency}" if v.filters.regency else ""
    links = [html.A(name, href=f"/api/v1/{name}.csv{kab}", className="me-2") for name in
             ("kdmp_indicators", "kdmp_villages", "kdmp", "pendampingan")]
    return html.P([t("kdmp.api", lang) + " ", *links,
                   html.A(t("kdmp.api.dictionary", lang), href="/api/v1/dictionary.csv?dataset=kdmp")],
                  className="small text-muted mb-0", id="kdmp-api")


def layout(**query):
    lang = context.lang()
    engine = context.engine()
    v = parse(query, engine)
    header = components.page_header(t("page.kdmp", lang), t("kdmp.subtitle", lang))
    if v.filters.period is None:
        return html.Div([header, dbc.Alert(t("kdmp.no_data", lang), color="info", id="kdmp-empty")],
                        className="kdmp-page")
    row = read_kdmp.area_row(engine, v.filters.period, v.filters.regency)
    province = read_kdmp.area_row(engine, v.filters.period)
    simulated = queries.status(engine).is_demo
    periods = dict(read_kdmp.periods(engine))
    f = v.filters
    bar = filters.bar(f, lang, engine, fields=(filters.PERIOD, filters.REGENCY))
    notice = (dbc.Alert(t("filter.ignored", lang, names=", ".join(v.ignored)), color="warning",
                        className="py-1 small mb-2", id="kdmp-ignored") if v.ignored else None)
    as_of = html.P(t("kdmp.as_of", lang, date=fmt_date(periods.get(f.period), lang)), className="small text-muted mb-2",
                   id="kdmp-as-of")
    if row is None:
        return html.Div([header, bar, notice, dbc.Alert(t("kdmp.no_area", lang), color="info", id="kdmp-no-area")],
                        className="kdmp-page")
    rows = read_kdmp.regency_rows(engine, f.period)
    return html.Div([
        header, bar, notice, population.kdmp_note(lang), as_of,
        summary.published_note(lang) if not f.regency else None,
        summary.headline(row, v, lang),
        dbc.Row([dbc.Col(summary.funnel(row, v, lang), lg=6, className="mb-3"),
                 dbc.Col(regencies.map_card(rows, v, lang, context.settings(), engine), lg=6, className="mb-3")],
                className="g-3"),
        regencies.section(rows, province, v, lang, simulated, context.settings(), engine),
        dbc.Row([dbc.Col(operations.outlets_card(row, v, lang), lg=4, className="mb-3"),
                 dbc.Col(operations.finance_card(row, v, lang), lg=4, className="mb-3"),
                 dbc.Col(operations.freshness_card(row, v, lang), lg=4, className="mb-3")], className="g-3"),
        operations.trend_card(read_kdmp.series(engine, f.regency), v, lang),
        html.Div(className="mb-3"),
        villages.section(engine, v, lang, simulated, PAGE["path"]),
        _api_links(v, lang),
    ], className="kdmp-page")


def register_callbacks(app) -> None:
    """The filters and the map's indicator are URL parameters (written by `filters.register_callbacks`); a click on
    a kabupaten of the map puts it in the URL; the map fits its card like the map page's."""
    from urllib.parse import parse_qsl, urlencode

    from dash.exceptions import PreventUpdate

    @app.callback(Output("url", "search", allow_duplicate=True), Input(regencies.GRAPH_ID, "clickData"),
                  State("url", "search"), prevent_initial_call=True)
    def _choose_clicked_regency(click, search):
        points = (click or {}).get("points") or []
        if not points:
            raise PreventUpdate
        point = points[0]
        custom = point.get("customdata")
        code = point.get("location") or (custom[3] if isinstance(custom, list) and len(custom) > 3 else None)
        params = dict(parse_qsl((search or "").lstrip("?")))
        if not code or params.get(filters.REGENCY) == str(code):
            raise PreventUpdate
        params[filters.REGENCY] = str(code)
        return "?" + urlencode(params)

    app.clientside_callback(
        "function (figure, id) { return window.pantauMap ? window.pantauMap.fit(figure, id) : null; }",
        Output("kdmp-map-fit", "data"), Input(regencies.GRAPH_ID, "figure"), State(regencies.GRAPH_ID, "id"))


__all__ = ["INDICATOR", "PAGE", "layout", "register_callbacks"]

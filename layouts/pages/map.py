"""Peta / Map: the 22 kabupaten/kota coloured by a chosen indicator and period, a ranking table beside it, and a
drill-down into one kabupaten (key figures against the province, its cooperatives). Everything lives in the URL:
`/peta?periode=2026-09&indikator=pct_go_digital&kab=5371`. Every value is the stored roll-up, read as it is."""
from __future__ import annotations

import functools
import html as html_text
import math
import textwrap
from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from indicators import registry
from layouts import components, context, filters, labels, scope
from layouts.i18n import N_, fmt_figure, fmt_int, fmt_period, t, t_marked
from warehouse import boundaries, queries, read_map

PAGE = {"path": "/peta", **components.page_names(N_("page.map")), "order": 10, "access": "public"}

INDICATOR = "indikator"  # URL parameter
# The indicators the switch offers (registry ids); label, unit and direction come from the registry.
INDICATORS = ("pct_go_digital", "go_digital", "avg_health_score", "pct_sehat", "pct_rat_compliant",
              "reporting_rate", "members_per_1000", "total_assets")
# The counts the drill-down shows first: the registry, the active cooperatives and the monitored population the
# sums and most shares run over.
POPULATION_COUNTS = ("cooperatives", "active", "monitored_cooperatives")
DEFAULT_INDICATOR = "pct_go_digital"
# ColorBrewer YlGnBu, light = low, dark = high (readable for colour-blind readers), without its near-white first
# step so a low value still shows on the white map. Spelled out: plotly.js's own "YlGnBu" runs the other way.
_YLGNBU = ("rgb(237,248,177)", "rgb(199,233,180)", "rgb(127,205,187)", "rgb(65,182,196)", "rgb(29,145,192)",
           "rgb(34,94,168)", "rgb(37,52,148)", "rgb(8,29,88)")
COLORSCALE = [[round(i / (len(_YLGNBU) - 1), 4), colour] for i, colour in enumerate(_YLGNBU)]
NO_DATA_COLOUR = "#d9d9d9"
SELECTED_COLOUR = "#c2185b"
GEOJSON_ROUTE = "/peta/batas-wilayah.geojson"  # served by layouts/api.py
GRAPH_ID = "map-graph"
ATTRIBUTIONS = {boundaries.WILAYAH_BOUNDARIES: N_("map.attribution.wilayah_boundaries"),
                boundaries.GEOBOUNDARIES: N_("map.attribution.geoboundaries")}
RANK_NOTES = {"higher": N_("map.ranking.note.higher"), "lower": N_("map.ranking.note.lower")}
CATEGORY_LABELS = {
    "sehat": N_("map.cat.sehat"),
    "cukup_sehat": N_("map.cat.cukup_sehat"),
    "dalam_pengawasan": N_("map.cat.dalam_pengawasan"),
    "dalam_pengawasan_khusus": N_("map.cat.dalam_pengawasan_khusus"),
}
STAGE_LABELS = {"identified": N_("map.stage.identified"), "migrating": N_("map.stage.migrating"),
                "live": N_("map.stage.live"), "transacting": N_("map.stage.transacting")}


def _indicator(indicator_id: str) -> registry.Indicator:
    return registry.load().get(indicator_id)


def population_count(indicator_id: str) -> str | None:
    """The area count a figure is taken over (the registry's rule, shared by every page)."""
    return registry.load().population_count(indicator_id)


def ranks(values: pd.Series, indicator_id: str) -> pd.Series:
    """Rank 1 = best by the registry direction (ties share the better rank); no value, or a figure without a
    direction, has no rank."""
    direction = _indicator(indicator_id).direction
    numbers = values.astype(float)
    if direction not in ("higher", "lower"):
        return pd.Series(np.nan, index=values.index)
    return numbers.rank(ascending=direction == "lower", method="min")


def ranked(values: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The kabupaten with their stored `value` and `rank`, best first (no value last)."""
    out = values[["code", "name", "short_name", "label_lat", "label_lon"]].copy()
    out["value"] = values[indicator_id].astype(float)
    out["rank"] = ranks(out["value"], indicator_id)
    if out["rank"].notna().any():
        return out.sort_values(["rank", "short_name"], na_position="last").reset_index(drop=True)
    return out.sort_values(["value", "short_name"], ascending=[False, True], na_position="last").reset_index(drop=True)


def _value_text(value, indicator_id: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("map.no_value", lang)
    return fmt_figure(value, _indicator(indicator_id).unit, lang)


def _hover_data(frame: pd.DataFrame, indicator_id: str, lang: str, n: int) -> list[list[str]]:
    """Per kabupaten: name, value as the page writes it, "rank r of n" (n = the kabupaten with a rank), code."""
    return [
        [row.name, _value_text(row.value, indicator_id, lang),
         t("map.rank", lang, rank=int(row.rank), n=n) if pd.notna(row.rank) else "", row.code]
        for row in frame.itertuples()
    ]


def _hovertemplate(indicator_id: str, lang: str) -> str:
    """Name, value, rank, then the registry definition in small grey lines (plotly's hover does not wrap)."""
    label = html_text.escape(_indicator(indicator_id).label(lang), quote=False)
    lines = textwrap.wrap(components.definition_title(indicator_id, lang), 64)
    definition = "<br>".join(f"<span style='color:#6c757d;font-size:11px'>{html_text.escape(line, quote=False)}"
                             "</span>" for line in lines)
    return ("<b>%{customdata[0]}</b><br>" + label + ": <b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
            + definition + "<extra></extra>")


def _z(frame: pd.DataFrame) -> list:
    return [None if math.isnan(v) else float(v) for v in frame["value"].to_numpy(dtype=float)]


def _colorbar(indicator_id: str, values: list, lang: str) -> dict:
    ind = _indicator(indicator_id)
    bar = dict(title=dict(text=html_text.escape(ind.label(lang), quote=False), side="top"), orientation="h", x=0.5,
               xanchor="center", y=0.0, yanchor="top", len=0.8, thickness=10, outlinewidth=0, tickformat=",~f")
    if ind.unit == "percent":
        bar["ticksuffix"] = " %"
    present = [v for v in values if v is not None]
    if ind.unit == "rupiah" and present:
        # plotly writes large numbers as 1.2T / 500G; the ticks are written the page's way instead (Rp1,2 T)
        ticks = sorted(set(np.linspace(min(present), max(present), 4).tolist()))
        bar.update(tickvals=ticks, ticktext=[fmt_figure(v, ind.unit, lang) for v in ticks])
    return bar


@functools.cache
def _template() -> dict:
    import plotly.io as pio

    return pio.templates["plotly_white"].to_plotly_json()


def figure(frame: pd.DataFrame, indicator: str, lang: str, shapes: boundaries.Boundaries | None,
           selected: str | None, geojson_url: str | None = None) -> dict:
    """The choropleth (with `shapes`) or, without them, markers at the capitals; hover = name, value, rank and the
    registry definition; z = the stored values.

    A plain figure dict (no plotly.graph_objects): the page re-renders on every URL change and validating the
    GeoJSON through graph objects costs more than the whole rest of the page. The GeoJSON itself is not in the
    figure but at `geojson_url` (served by this app, so it works offline; the browser caches it)."""
    hover = _hovertemplate(indicator, lang)
    n = int(frame["rank"].notna().sum())
    has = frame["value"].notna()
    line = {"color": "white", "width": 0.8}
    traces = []
    if shapes is not None:
        geo = geojson_url or shapes.geojson
        if not has.all():  # the kabupaten without a value stay visible, in grey, saying so
            empty = frame.loc[~has]
            traces.append(dict(
                type="choroplethmap", geojson=geo, featureidkey="properties.code", locations=list(empty["code"]),
                z=[0] * len(empty), colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]], showscale=False,
                customdata=_hover_data(empty, indicator, lang, n), hovertemplate=hover, marker={"line": line},
                name="no-data"))
        data = frame.loc[has]
        z = _z(data)
        traces.append(dict(
            type="choroplethmap", geojson=geo, featureidkey="properties.code", locations=list(data["code"]),
            z=z, colorscale=COLORSCALE, marker={"line": line, "opacity": 0.9},
            customdata=_hover_data(data, indicator, lang, n), hovertemplate=hover,
            colorbar=_colorbar(indicator, z, lang), name="values"))
        if selected:
            traces.append(dict(
                type="choroplethmap", geojson=geo, featureidkey="properties.code", locations=[selected], z=[0],
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False, hoverinfo="skip",
                marker={"line": {"color": SELECTED_COLOUR, "width": 3}}, name="selected"))
        box = shapes.box
    else:
        values = frame["value"].astype(float)
        span = (values.max() - values.min()) if has.any() else 0
        # marker size only places the value on a visual scale (the hover and table give the figure itself)
        share = ((values - values.min()) / span) if span else values * 0 + 0.5
        size = (12 + 26 * np.sqrt(share)).fillna(10).round(1)
        z = _z(frame)
        traces.append(dict(
            # markers only: text on a MapLibre map needs glyphs, which it fetches from the internet
            type="scattermap", lat=list(frame["label_lat"]), lon=list(frame["label_lon"]), mode="markers",
            marker=dict(size=list(size), color=z, colorscale=COLORSCALE, showscale=True,
                        colorbar=_colorbar(indicator, z, lang), opacity=0.9),
            customdata=_hover_data(frame, indicator, lang, n), hovertemplate=hover, name="points"))
        if selected and selected in set(frame["code"]):
            row = frame.loc[frame["code"] == selected].iloc[0]
            traces.append(dict(type="scattermap", lat=[row.label_lat], lon=[row.label_lon], mode="markers",
                               hoverinfo="skip", marker={"size": 44, "color": "rgba(194,24,91,0.25)"},
                               name="selected"))
        box = (frame["label_lon"].min() - 0.3, frame["label_lat"].min() - 0.3, frame["label_lon"].max() + 0.3,
               frame["label_lat"].max() + 0.3)
    box = [round(float(v), 4) for v in box]
    layout = dict(
        template=_template(),
        map=dict(style="white-bg", center=dict(lon=(box[0] + box[2]) / 2, lat=(box[1] + box[3]) / 2), zoom=5.6),
        margin=dict(l=0, r=0, t=0, b=50),
        showlegend=False,
        separators=",." if lang != "en" else ".,",
        meta={"bbox": box},  # map.js fits the zoom to the card's size
        hoverlabel=dict(bgcolor="white", font=dict(size=13)),
    )
    return {"data": traces, "layout": layout}


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


def _indicator_dropdown(indicator: str, lang: str):
    options = [{"label": _indicator(key).label(lang), "value": key} for key in INDICATORS]
    return html.Div([
        dbc.Label(t("map.indicator", lang), className="small text-muted mb-0", html_for=f"filter-{INDICATOR}"),
        # the shared filter callback writes every {"type": "filter"} control to the URL (?indikator=...)
        dcc.Dropdown(id={"type": "filter", "name": INDICATOR}, options=options, value=indicator, clearable=False),
    ])


def _ranking_table(frame: pd.DataFrame, indicator: str, f: filters.Filters, lang: str, selected: str | None):
    rows = []
    for row in frame.itertuples():
        href = "/peta" + f.query(kab=row.code, **{INDICATOR: indicator})
        rows.append(html.Tr(
            [html.Td(int(row.rank) if pd.notna(row.rank) else "–", className="text-muted"),
             html.Td(dcc.Link(row.short_name, href=href)),
             html.Td(components.figure(indicator, row.value, lang, components.area_scope(f.period, row.code)),
                     className="text-end text-nowrap")],
            className="table-active fw-semibold" if row.code == selected else None, id=f"map-rank-{row.code}"))
    head = html.Thead(html.Tr([html.Th(t("map.col.rank", lang)), html.Th(t("map.col.regency", lang)),
                               html.Th(t("map.col.value", lang), className="text-end")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, className="mb-0 map-ranking-table",
                     id="map-ranking")


def _rank_note(indicator: str, lang: str) -> str:
    direction = _indicator(indicator).direction
    return t_marked(RANK_NOTES[direction], lang) if direction in RANK_NOTES else t("map.ranking.note.none", lang)


def _population_note(indicator: str, province: dict, period, lang: str):
    """Over which cooperatives (or reports) the figure is taken, with the stored province count of them."""
    reg = registry.load()
    ind = reg.get(indicator)
    parts = [html.Span(t("map.population", lang), className="fw-semibold"), " ",
             reg.population_label(ind.population, lang)]
    count = population_count(indicator)
    if count is not None and province.get(count) is not None:
        parts += [" (", components.figure(count, province.get(count), lang, components.area_scope(period)), " ",
                  t("map.population.province", lang), ")"]
    parts += [": ", reg.population_description(ind.population, lang)]
    return html.Div(parts, id="map-population", className="mb-1")


def _key_figures(values: pd.DataFrame, province: dict, code: str, period, lang: str):
    """The kabupaten's stored figures beside the province's stored row, with the kabupaten's rank among the 22."""
    mine = values.index[values["code"] == code][0]
    here, whole = components.area_scope(period, code), components.area_scope(period)
    lines = []
    for key in (*POPULATION_COUNTS, *INDICATORS):
        ind = _indicator(key)
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
        return t("map.cat.unmonitored", lang)
    return labels.word(CATEGORY_LABELS, row.health_category, lang, missing=t("map.cat.none", lang))


def _label_column(indicator_id: str, field: str, lang: str, **column) -> dict:
    """A grid column showing a figure's translated label (not the stored code): the registry header and definition,
    without the figure_column marker that says the cells hold the stored values."""
    return {"field": field, "headerName": _indicator(indicator_id).label(lang),
            "headerTooltip": components.definition_title(indicator_id, lang), **column}


def _cooperatives(engine, code: str, name: str, f: filters.Filters, lang: str):
    view = scope.cooperatives(code)  # the figures are public; the cooperatives are not, an officer's only their own
    if not view.allowed:
        return [scope.notice(view, lang, "map-coops-hidden", "/peta" + f.query())]
    snap = queries.snapshot_period(engine, f.period)
    if snap is None:
        return [dbc.Alert(t("map.drill.no_snapshots", lang), color="info", className="small py-2",
                          id="map-no-snapshots")]
    coops = read_map.regency_cooperatives(engine, code, snap)
    note = (t("map.drill.snapshot", lang, period=fmt_period(snap, lang)) if snap == f.period else
            t("map.drill.snapshot_other", lang, period=fmt_period(snap, lang), chosen=fmt_period(f.period, lang)))
    header = html.Div([html.Span(t("map.drill.count", lang, n=fmt_int(len(coops), lang)), className="fw-semibold me-2",
                                 id="map-coop-count"),
                       html.Span(note, className="text-muted", id="map-snapshot-note"),
                       html.Div(t("map.drill.population", lang), className="text-muted", id="map-coop-population")],
                      className="small mb-2")
    if coops.empty:
        return [header, html.P(t("map.drill.none", lang), className="small text-muted")]
    monitored = coops["monitored"].map(lambda v: None if v is None or v is pd.NA or v != v else bool(v))
    frame = pd.DataFrame({
        "nik": coops["nik"].astype(str),
        "name": coops["name"],
        "type": coops["type"].map(lambda v: labels.word(labels.COOP_TYPES, v, lang)),
        "health_total": coops["health_total"].astype(float),
        "category": [_category(row, lang) for row in coops.assign(monitored=monitored).itertuples()],
        "rat_grade": coops["rat_grade"].fillna("–"),
        "digital": coops["digital_stage"].map(lambda v: labels.word(STAGE_LABELS, v, lang,
                                                                    missing=t("map.stage.none", lang))),
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


def _drill_down(engine, values: pd.DataFrame, province: dict, f: filters.Filters, indicator: str, lang: str):
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
                     html.Div(_key_figures(values, province, code, f.period, lang), className="table-responsive"),
                     html.P(t("map.drill.figures_note", lang), className="small text-muted mt-1 mb-0",
                            id="map-figures-note"),
                     components.definitions([*POPULATION_COUNTS, *INDICATORS], lang,
                                            element_id="map-drill-definitions")],
                    xl=5, className="mb-3"),
            dbc.Col([html.H3(t("map.drill.coops", lang, name=name), className="h6"),
                     *_cooperatives(engine, code, name, f, lang)], xl=7),
        ])),
    ], className="mt-3 shadow-sm", id="map-drill")


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
    values = read_map.regency_values(engine, f.period)
    province = read_map.province_values(engine, f.period)
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
    label = _indicator(indicator).label(lang)
    title = t("map.card.title", lang, indicator=label, period=fmt_period(f.period, lang))
    map_card = dbc.Card([
        dbc.CardHeader(html.Span(title, id="map-title", title=components.definition_title(indicator, lang)),
                       className="fw-semibold"),
        dbc.CardBody([
            fallback,
            # the box sets the height (map.css: less on a phone); the responsive graph fills it
            html.Div(dcc.Graph(id=GRAPH_ID, figure=fig, responsive=True, style={"height": "100%"},
                               config={"displaylogo": False, "scrollZoom": False,
                                       "modeBarButtonsToRemove": ["select2d", "lasso2d"]}), className="map-graph-box"),
            dcc.Store(id="map-fit"),
        ], className="p-2"),
        dbc.CardFooter([html.Div(t("map.hint", lang), className="mb-1"),
                        html.Div(_attribution(shapes, lang), id="map-attribution")],
                       className="small text-muted"),
    ], className="h-100 shadow-sm")
    ranking_card = dbc.Card([
        dbc.CardHeader([html.Div(t("map.ranking.title", lang), className="fw-semibold"),
                        html.Div(_rank_note(indicator, lang), className="small text-muted", id="map-rank-note")]),
        dbc.CardBody(_ranking_table(frame, indicator, f, lang, f.regency), className="p-0 map-ranking-body"),
        dbc.CardFooter([_population_note(indicator, province, f.period, lang),
                        components.definitions([indicator], lang, element_id="map-definitions")],
                       className="small text-muted"),
    ], className="h-100 shadow-sm")
    return html.Div([
        header,
        filters.bar(f, lang, engine, fields=(filters.PERIOD,), extra=[_indicator_dropdown(indicator, lang)]),
        notice,
        dbc.Row([dbc.Col(map_card, lg=8, className="mb-3 mb-lg-0"), dbc.Col(ranking_card, lg=4)], className="g-3"),
        _drill_down(engine, values, province, f, indicator, lang) if f.regency else None,
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

"""Peringkat / Rankings: the 22 kabupaten/kota by their stored roll-ups (with the province's stored row), and the
cooperatives by health score with each key ratio's percentile in the peer group; a cooperative's name opens its
profile."""
from __future__ import annotations

import dataclasses
import functools
from datetime import date

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ClientsideFunction, Input, Output, dcc, html

from indicators import registry
from layouts import components, context, filters, labels, population, scope
from layouts.i18n import N_, fmt_int, fmt_period, t, t_marked
from warehouse import queries, read_rankings
from warehouse.read_rankings import KEY_RATIOS, REGENCY_COLUMNS

PAGE = {"path": "/peringkat", **components.page_names(N_("page.rankings")), "order": 20, "access": "official"}

# Page-specific URL parameters (Indonesian, like the global ones).
VIEW, PEER = "tampilan", "kelompok"
VIEWS = ("kabupaten", "koperasi")
VIEW_LABELS = {"kabupaten": N_("rk.view.kabupaten"), "koperasi": N_("rk.view.koperasi")}


# ----------------------------------------------------------------------------------------------- cell formats
def _num(digits: int, lang: str, suffix: str = "") -> dict:
    return {"function": f"rankingsNumber(params.value, {digits}, '{lang}', '{suffix}')"}


def _pct_formatter() -> dict:
    return {"function": "rankingsPercentile(params.value)"}


# How a grid cell writes a figure of each registry unit (digits, suffix): the grid's mirror of i18n.fmt_figure.
_UNIT_FORMATS = {"percent": (1, " %"), "count": (0, ""), "points": (1, ""), "per_1000": (1, "")}


def _unit_formatter(indicator_id: str, lang: str) -> dict:
    digits, suffix = _UNIT_FORMATS[registry.load().get(indicator_id).unit]
    return _num(digits, lang, suffix)


# ----------------------------------------------------------------------------------------------- row frames
@functools.lru_cache(maxsize=16)
def _cooperative_rows(url: str, version: int, period: date, lang: str) -> pd.DataFrame:
    """The cooperative grid's rows for one period and language (vectorised; cached on the data version)."""
    frame = read_rankings.cooperative_ranking(context.engine(), period, "semua")  # (each population filters it)
    cats = frame["health_category"].where(frame["health_category"].isin(list(labels.HEALTH_CATEGORIES)), "none")
    stages = frame["digital_stage"].where(frame["digital_stage"].isin(list(labels.DIGITAL_STAGES)), "none")
    out = frame[["nik", "name", "regency_code", "regency", "type", "peer_group", "monitored", "health_total",
                 "pct_health_total", "total_assets", *KEY_RATIOS, *(f"pct_{r}" for r in KEY_RATIOS),
                 "rat_grade", "supervisor"]].copy()
    out["health_category"] = cats
    # a cooperative without a report in the 12 month-ends is listed but not rated: say so instead of "not scored"
    words = {c: labels.category(c, lang) for c in (*labels.HEALTH_CATEGORIES, "none")}
    out["category_label"] = cats.map(words).where(frame["monitored"], t("cat.unmonitored", lang))
    out["digital_label"] = stages.map({s: labels.stage(s, lang) for s in (*labels.DIGITAL_STAGES, "none")})
    out["peer_label"] = frame["peer_group"].map(lambda g: labels.peer_group(g, lang))
    out["rat_grade"] = out["rat_grade"].fillna("–")
    # Two decimals are all the grid shows (one) and keep the page's row data small.
    numeric = ["health_total", "pct_health_total", "total_assets", *KEY_RATIOS, *(f"pct_{r}" for r in KEY_RATIOS)]
    out[numeric] = out[numeric].round(2)
    return out


def cooperative_rows(engine, period: date, lang: str, regency: str | None, kind: str | None,
                     peer: str | None, population: str | None = None) -> pd.DataFrame:
    rows = _cooperative_rows(str(engine.url), queries.current_version(engine), period, lang)
    mask = pd.Series(True, index=rows.index)
    if (population or filters.DEFAULT_SCOPE) == "daerah":  # the cooperatives the roll-ups of "daerah" count
        mask &= ~rows["supervisor"].isin(queries.NON_REGIONAL)
    if regency:
        mask &= rows["regency_code"].eq(regency)
    if kind:
        mask &= rows["type"].eq(kind)
    if peer:
        mask &= rows["peer_group"].eq(peer)
    out = rows.loc[mask].copy()
    out.insert(0, "rank", out["health_total"].rank(ascending=False, method="min"))
    return out


# ----------------------------------------------------------------------------------------------- grids
def _group_header(indicator_id: str, lang: str) -> str:
    """The registry label; an arrow where a lower value is the better one (NPL)."""
    ind = registry.load().get(indicator_id)
    return ind.label(lang) + (" ↓" if ind.direction == "lower" else "")


def _cooperative_columns(lang: str) -> list[dict]:
    def ratio_group(name: str) -> dict:
        return {
            "headerName": _group_header(name, lang),
            "headerTooltip": components.definition_title(name, lang),
            "marryChildren": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "children": [
                components.figure_column(name, name, lang, headerName=t("rk.col.value", lang), width=100,
                                         type="numericColumn", filter="agNumberColumnFilter",
                                         valueFormatter=_unit_formatter(name, lang)),
                components.figure_column(f"pct_{name}", f"pct_{name}", lang, headerName="P", width=72,
                                         type="numericColumn", filter="agNumberColumnFilter", floatingFilter=False,
                                         valueFormatter=_pct_formatter(), cellClass="rankings-pct"),
            ],
        }

    return [
        {"field": "rank", "headerName": t("rk.col.rank", lang), "width": 70, "type": "numericColumn",
         "filter": "agNumberColumnFilter", "floatingFilter": False, "valueFormatter": _num(0, lang),
         "headerTooltip": t("rk.rank_tooltip", lang)},
        {"field": "name", "headerName": t("rk.col.name", lang), "minWidth": 220, "flex": 2,
         "cellRenderer": "RankingsCoopLink", "filter": "agTextColumnFilter",
         # the link is built in the browser from the row's NIK (no URL per row in the page's data)
         "cellRendererParams": {"prefix": dash.get_relative_path("/koperasi/")}},
        {"field": "nik", "headerName": t("rk.col.nik", lang), "width": 135, "filter": "agTextColumnFilter"},
        {"field": "regency", "headerName": t("rk.col.regency", lang), "width": 135, "filter": "agTextColumnFilter"},
        {"field": "peer_label", "headerName": t("rk.col.peer", lang), "width": 235, "filter": "agTextColumnFilter",
         "tooltipField": "peer_label"},
        {
            "headerName": _group_header("health_total", lang),
            "headerTooltip": components.definition_title("health_total", lang),
            "marryChildren": True,
            "children": [
                components.figure_column("health_total", "health_total", lang, headerName=t("rk.col.score", lang),
                                         width=95, sort="desc", type="numericColumn", filter="agNumberColumnFilter",
                                         valueFormatter=_unit_formatter("health_total", lang)),
                # a translated label, not the stored code: the registry's definition as tooltip, no figure marker
                {"field": "category_label", "headerName": t("rk.col.category", lang),
                 "headerTooltip": components.definition_title("health_category", lang), "width": 175,
                 "cellRenderer": "RankingsCategory", "filter": "agTextColumnFilter"},
                components.figure_column("pct_health_total", "pct_health_total", lang, headerName="P", width=72,
                                         type="numericColumn", filter="agNumberColumnFilter", floatingFilter=False,
                                         valueFormatter=_pct_formatter(), cellClass="rankings-pct"),
            ],
        },
        *(ratio_group(name) for name in KEY_RATIOS),
        components.figure_column("rat_grade", "rat_grade", lang, headerName=t("rk.col.rat_grade", lang), width=110,
                                 filter="agTextColumnFilter"),
        {"field": "digital_label", "headerName": t("rk.col.digital", lang),
         "headerTooltip": components.definition_title("digital_stage", lang), "width": 140,
         "filter": "agTextColumnFilter"},
    ]


def _regency_columns(lang: str) -> list[dict]:
    cols = [{"field": "short_name", "headerName": t("rk.col.regency", lang), "minWidth": 160, "flex": 2,
             "cellRenderer": "RankingsCoopLink", "filter": "agTextColumnFilter", "tooltipField": "name",
             "pinned": "left"}]
    for name in REGENCY_COLUMNS:
        col = components.figure_column(name, name, lang, minWidth=120, flex=1, type="numericColumn",
                                       filter="agNumberColumnFilter", wrapHeaderText=True, autoHeaderHeight=True,
                                       valueFormatter=_unit_formatter(name, lang))
        if name == "avg_health_score":
            col["sort"] = "desc"
        cols.append(col)
    return cols


def _with_figure(text: str, placeholder: str, figure) -> list:
    """A catalogue sentence with a figure span where its `{placeholder}` stands."""
    before, _, after = text.partition("{" + placeholder + "}")
    return [before, figure, after]


# ----------------------------------------------------------------------------------------------- layout
def _view_nav(view: str, f: filters.Filters, peer: str | None, lang: str):
    items = []
    for name in VIEWS:
        href = dash.get_relative_path(PAGE["path"]) + f.query(**{VIEW: name, PEER: peer})
        items.append(dbc.NavItem(dbc.NavLink(t_marked(VIEW_LABELS[name], lang), href=href, active=name == view,
                                             id=f"rankings-view-{name}")))
    return dbc.Nav(items, pills=True, className="mb-3")


@dataclasses.dataclass(frozen=True)
class View:
    """What the URL asks for, validated: filters (period moved to a snapshot period), view, peer group."""

    filters: filters.Filters
    view: str
    peer: str | None
    peer_groups: tuple[str, ...]  # the peer groups on offer (of the chosen type, at the period)
    has_snapshots: bool
    asked_period: date | None  # the URL's period when it was not a snapshot period (shown as a notice)
    ignored_peer: str | None  # a peer group from the URL that does not exist here


def resolve(query: dict, engine) -> View:
    """The kabupaten view reads the roll-ups of any month; the cooperative view moves the period to a snapshot
    period (the nearest earlier one) and validates the peer group against it."""
    f = filters.parse(query, engine)
    raw_view = query.get(VIEW)
    view = raw_view if raw_view in VIEWS else ("koperasi" if query.get(PEER) else "kabupaten")
    snaps = queries.snapshot_periods(engine) if f.period is not None else []
    peer = (query.get(PEER) or "").strip() or None
    asked = ignored = None
    groups: tuple[str, ...] = ()
    if snaps and view == "koperasi":
        shown = queries.snapshot_period(engine, f.period)
        if query.get(filters.PERIOD) and f.period != shown and filters.PERIOD not in f.ignored:
            asked = f.period
        f = dataclasses.replace(f, period=shown, periods=tuple(snaps))
        rows = read_rankings.cooperative_ranking(engine, f.period)
        kinds = rows.loc[rows["peer_group"].notna(), ["peer_group", "type"]]
        if f.type:
            kinds = kinds.loc[kinds["type"].eq(f.type)]
        groups = tuple(sorted(kinds["peer_group"].unique()))
        if peer and peer not in groups:
            ignored, peer = peer, None
    return View(f, view, peer, groups, bool(snaps), asked, ignored)


def _keep_asked_period(bar, v: View, lang: str):
    """Keep the URL's period selected in the drop-down when it is not a snapshot period (labelled with the period
    shown instead), so the filters do not rewrite the link and the notice stays."""
    asked = v.asked_period
    if asked is None:
        return bar
    key = asked.strftime("%Y-%m")
    stack = [bar]
    while stack:
        node = stack.pop()
        if getattr(node, "id", None) == {"type": "filter", "name": filters.PERIOD}:
            label = f"{fmt_period(asked, lang)} → {fmt_period(v.filters.period, lang)}"
            options = [o for o in node.options if o["value"] > key] + [{"label": label, "value": key}]
            node.options = options + [o for o in node.options if o["value"] < key]
            node.value = key
            break
        children = getattr(node, "children", None)
        stack.extend(c for c in (children if isinstance(children, (list, tuple)) else [children])
                     if c is not None and not isinstance(c, str))
    return bar


def layout(**query):
    lang = context.lang()
    engine = context.engine()
    header = components.page_header(t("page.rankings", lang), t("rk.subtitle", lang))
    v = resolve(query, engine)
    f = v.filters
    if f.period is None:
        return html.Div([header, components.empty_state(lang)])
    simulated = queries.status(engine).is_demo
    notices = []
    if v.asked_period is not None:
        notices.append(dbc.Alert(t("rk.period_snapped", lang, asked=fmt_period(v.asked_period, lang),
                                   shown=fmt_period(f.period, lang)),
                                 color="info", className="py-1 small mb-2", id="rankings-period-notice"))
    if v.view == "kabupaten":
        body = _regency_section(engine, f, lang, simulated)
        bar = filters.bar(f, lang, engine, fields=(filters.PERIOD, filters.TYPE, filters.SCOPE))
    elif not v.has_snapshots:
        body = dbc.Alert(t("rk.no_snapshots", lang), color="info", id="rankings-no-snapshots")
        bar = filters.bar(f, lang, engine, fields=(filters.PERIOD, filters.REGENCY, filters.TYPE, filters.SCOPE))
    else:
        if v.ignored_peer:
            notices.append(dbc.Alert(t("rk.peer_ignored", lang, group=v.ignored_peer), color="warning",
                                     className="py-1 small mb-2", id="rankings-peer-notice"))
        peer_dropdown = html.Div([
            dbc.Label(t("rk.peer", lang), className="small text-muted mb-0", html_for=f"filter-{PEER}"),
            dcc.Dropdown(id={"type": "filter", "name": PEER},
                         options=[{"label": labels.peer_group(g, lang), "value": g} for g in v.peer_groups],
                         value=v.peer, placeholder=t("rk.all_peers", lang)),
        ])
        bar = _keep_asked_period(filters.bar(f, lang, engine, fields=(filters.PERIOD, filters.REGENCY, filters.TYPE,
                                                                      filters.SCOPE),
                                             extra=[peer_dropdown]), v, lang)
        view = scope.cooperatives(f.regency)  # an officer: their own kabupaten's cooperatives only
        body = (_cooperative_section(engine, v, lang, simulated, view) if view.allowed
                else scope.notice(view, lang, "rankings-coops-hidden", PAGE["path"] + f.query(**{VIEW: "koperasi"})))
    nav_filters = f if v.asked_period is None else dataclasses.replace(f, period=v.asked_period)
    return html.Div([header, _view_nav(v.view, nav_filters, v.peer, lang), *notices, bar,
                     population.note(engine, f, lang, PAGE["path"], {VIEW: v.view, PEER: v.peer}), body],
                    className="rankings")


def _province_row(engine, f: filters.Filters, lang: str) -> dict | None:
    """The province's stored row of the period and type, as the kabupaten grid's pinned bottom row (never a sum of
    the rows above it)."""
    row = queries.area_row(engine, f.period, None, f.type, f.scope)
    if row is None:
        return None
    return {"regency_code": row["regency_code"], "short_name": t("fig.province", lang), "name": t("fig.province", lang),
            **{name: row.get(name) for name in REGENCY_COLUMNS}}


def _regency_section(engine, f: filters.Filters, lang: str, simulated: bool):
    frame = read_rankings.regency_ranking(engine, f.period, f.type, f.scope).copy()
    frame["href"] = [dash.get_relative_path(PAGE["path"]) + f.query(**{VIEW: "koperasi", filters.REGENCY: code})
                     for code in frame["regency_code"]]
    grid = components.grid("rankings-regency-grid", frame, _regency_columns(lang), lang, simulated=simulated)
    # 22 rows: the whole table on one page, as tall as its rows (no inner scroll bar); the province below them.
    ag = grid.children[-1]
    province = _province_row(engine, f, lang)
    ag.dashGridOptions = {**ag.dashGridOptions, "pagination": False, "domLayout": "autoHeight",
                          "enableBrowserTooltips": True, "pinnedBottomRowData": [province] if province else []}
    ag.style = {}
    scope_text = t("rk.reg_count", lang, period=fmt_period(f.period, lang))
    if f.type:
        scope_text += " · " + t("rk.reg_type", lang, type=labels.word(labels.COOP_TYPES, f.type, lang))
    return html.Div([
        html.P(scope_text, className="small text-muted mb-1", id="rankings-reg-count"),
        grid,
        html.P(_with_figure(t("rk.reg_population", lang, n="{n}"), "n", components.figure(
            "monitored_cooperatives", (province or {}).get("monitored_cooperatives"), lang,
            components.area_scope(f.period, None, f.type, f.scope), element_id="rankings-reg-monitored")),
            className="small text-muted mt-2 mb-1", id="rankings-reg-population"),
        html.P(t("rk.reg_note", lang), className="small text-muted mb-1"),
        components.definitions(REGENCY_COLUMNS, lang, element_id="rankings-reg-definitions"),
    ])


# The cooperative grid's fields, in the order of its columns (plus the category key its badge is coloured by).
ROW_FIELDS = ["rank", "name", "nik", "regency", "peer_label", "health_total", "category_label", "pct_health_total",
              *(c for r in KEY_RATIOS for c in (r, f"pct_{r}")), "rat_grade", "digital_label", "health_category"]
ROWS_PATH = "/peringkat/koperasi.json"  # the rows' route, in layouts/api.py


def _cooperative_section(engine, v: View, lang: str, simulated: bool, view: scope.CoopView):
    f = v.filters
    rows = cooperative_rows(engine, f.period, lang, view.regency, f.type, v.peer, f.scope)
    # Up to 4,301 rows: the browser fetches them as plain JSON (a few ms with pandas) instead of carrying them in
    # the page layout (Dash's JSON encoder took most of a second for the whole province).
    src = (dash.get_relative_path(ROWS_PATH) + f.query(**{PEER: v.peer, "bahasa": lang,
                                                           "v": queries.current_version(engine)}))
    grid = components.grid("rankings-coop-grid", rows.iloc[:0][ROW_FIELDS], _cooperative_columns(lang), lang,
                           height=640, page_size=50, simulated=simulated)
    ag = grid.children[-1]
    ag.dashGridOptions = {**ag.dashGridOptions, "enableBrowserTooltips": True}
    return html.Div([
        html.P(t("rk.count", lang, n=fmt_int(len(rows), lang), period=fmt_period(f.period, lang)),
               className="small text-muted mb-1", id="rankings-count"),
        _population(engine, f, view.regency, lang),
        scope.scoped_note(view, f.regency, lang, "rankings-scoped"),
        dcc.Store(id="rankings-rows-src", data=src),
        html.Span(id="rankings-rows-loaded", hidden=True),
        grid,
        html.P(t("rk.pct_note", lang), className="small text-muted mt-2 mb-1", id="rankings-pct-note"),
        components.definitions(["health_total", "health_category", *KEY_RATIOS, "pct_health_total", "monitored"],
                               lang, element_id="rankings-coop-definitions"),
    ])


def _population(engine, f: filters.Filters, regency: str | None, lang: str):
    """Which cooperatives the list rates: the monitored ones, counted by the stored roll-up of the same period,
    kabupaten and type (the population the map's and overview's shares count)."""
    row = queries.area_row(engine, f.period, regency, f.type, f.scope) or {}
    if regency:
        names = queries.regencies(engine)
        area = names.loc[names["code"].astype(str) == regency, "name"].iloc[0]
    else:
        area = t("fig.province", lang)
    if f.type:
        area += " · " + labels.word(labels.COOP_TYPES, f.type, lang)
    count = components.figure("monitored_cooperatives", row.get("monitored_cooperatives"), lang,
                              components.area_scope(f.period, regency, f.type, f.scope),
                              element_id="rankings-monitored")
    return html.P(_with_figure(t("rk.population", lang, area=area, period=fmt_period(f.period, lang), n="{n}"),
                               "n", count), className="small mb-1", id="rankings-population")


def rows_json(query: dict, engine, lang: str) -> str:
    """The cooperative grid's rows for the URL's filters as a JSON array of records (a kabupaten officer's own
    kabupaten only: another kabupaten's filter answers an empty list)."""
    v = resolve(query, engine)
    if v.filters.period is None or not v.has_snapshots:
        return "[]"
    f = v.filters
    view = scope.cooperatives(f.regency)
    if not view.allowed:
        return "[]"
    rows = cooperative_rows(engine, f.period, lang, view.regency, f.type, v.peer, f.scope)
    return rows[ROW_FIELDS].to_json(orient="records", force_ascii=False)


def register_callbacks(app) -> None:
    """The filters (including the peer group, an extra `filter` drop-down) are written to the URL by
    `filters.register_callbacks`; the view switch is a plain link; the export is `components.grid`'s. The
    cooperative rows come from ROWS_PATH (served by layouts/api.py), fetched in the browser."""
    app.clientside_callback(
        ClientsideFunction(namespace="rankings", function_name="loadRows"),
        Output("rankings-coop-grid", "rowData"),
        Output("rankings-rows-loaded", "children"),
        Input("rankings-rows-src", "data"),
    )


__all__ = ["PAGE", "layout", "register_callbacks"]

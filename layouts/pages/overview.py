"""Ringkasan / Overview: the province (or one kabupaten) at a glance — headline cards with their change over twelve
months, the health-category distribution, alerts that link to the cooperatives, and a kabupaten comparison."""
from __future__ import annotations

import math
from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.io as pio
from dash import dcc, html

from layouts import components, context, filters, scope
from layouts.i18n import fmt_int, fmt_number, fmt_pct, fmt_period, fmt_rupiah, t
from warehouse import queries, read_overview

PAGE = {"path": "/", "name": "page.overview", "order": 0, "title": "Ringkasan"}

INDICATOR = "indikator"  # URL parameter of the kabupaten chart
INDICATORS = ("pct_sehat", "avg_health_score", "pct_rat_compliant", "pct_go_digital", "reporting_rate",
              "on_time_rate", "members_per_1000", "cooperatives", "total_assets")
PERCENT_INDICATORS = {"pct_sehat", "pct_rat_compliant", "pct_go_digital", "reporting_rate", "on_time_rate"}
CATEGORY_COLOURS = {
    "sehat": "#2e9d57",
    "cukup_sehat": "#2a9d8f",
    "dalam_pengawasan": "#f28c28",
    "dalam_pengawasan_khusus": "#d62828",
}
GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": False}
ALERT_ROWS = 10  # rows of each alert list on the overview; "see all" opens the whole list as a grid
ALERTS = ("fallen", "no_rat", "stopped")
EXPANDED = "peringatan"  # URL parameter: the alert list shown in full


_TEMPLATE: dict = {}


def figure(data: list[dict], lang: str, **layout) -> dict:
    """A plotly figure as a plain dict (plotly_white template, the reader's decimal marks): building dicts skips
    plotly's per-property validation, which costs more than the page's reads."""
    if not _TEMPLATE:
        _TEMPLATE.update(pio.templates["plotly_white"].to_plotly_json())
    layout = {"template": _TEMPLATE, "separators": ",." if lang == "id" else ".,", **layout}
    return {"data": data, "layout": layout}


def _year_earlier(period: date) -> date:
    stamp = pd.Timestamp(period) - pd.offsets.MonthEnd(12)
    return stamp.date()


def _finite(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


# ----------------------------------------------------------------------------------------------- trend arrows
def trend(now, before, lang: str, prev_period: date | None, kind: str = "count"):
    """▲/▼ with the change against twelve months earlier; green when better (higher is better for every card)."""
    if prev_period is None:  # no comparison period at all: the page says so once, not on every card
        return None
    if not (_finite(now) and _finite(before)):
        return html.Span(t("ov.trend.none", lang), className="text-muted trend trend-none")
    versus = t("ov.trend.vs", lang, period=fmt_period(prev_period, lang))
    change = now - before
    if kind == "share":
        text = t("ov.trend.points", lang, value=fmt_number(abs(change), 1, lang))
        same = round(change, 1) == 0
    elif kind == "relative":
        rel = change / before if before else float("nan")
        text = fmt_pct(abs(rel), 1, lang) if _finite(rel) else "–"
        same = round(change) == 0
    else:
        text = fmt_int(abs(change), lang)
        same = round(change) == 0
    if same:
        return html.Span(t("ov.trend.same", lang, period=fmt_period(prev_period, lang)),
                         className="text-muted trend trend-same")
    up = change > 0
    return html.Span(
        [html.Span("▲" if up else "▼", className="trend-arrow me-1"), f"{'+' if up else '−'}{text} {versus}"],
        className=("text-success" if up else "text-danger") + " trend " + ("trend-up" if up else "trend-down"),
    )


def card(card_id: str, title: str, value: str, *details):
    body = [html.Div(title, className="text-muted small text-uppercase"),
            html.Div(value, className="fs-3 fw-semibold card-value")]
    body += [html.Div(d, className="small") for d in details if d is not None]
    return dbc.Card(dbc.CardBody(body), className="h-100 shadow-sm", id=card_id)


# ----------------------------------------------------------------------------------------------------- cards
def _figures(engine, f: filters.Filters):
    """(now, before, previous period, note) for the cards: the kabupaten roll-ups, or with a type chosen the
    cooperative snapshots of that type (when the period has one)."""
    prev_period = _year_earlier(f.period)
    if f.type:
        snaps = queries.snapshot_periods(engine)
        if f.period in snaps:
            now = read_overview.snapshot_totals(engine, f.period, f.regency, f.type)
            before = (read_overview.snapshot_totals(engine, prev_period, f.regency, f.type)
                      if prev_period in snaps else None)
            return now, before, prev_period if before else None, "snapshot"
        now = read_overview.rollup_totals(engine, f.period, f.regency)
        before = read_overview.rollup_totals(engine, prev_period, f.regency)
        return now, before, prev_period if before else None, "all_types"
    now = read_overview.rollup_totals(engine, f.period, f.regency)
    before = read_overview.rollup_totals(engine, prev_period, f.regency)
    return now, before, prev_period if before else None, None


def cards(engine, f: filters.Filters, lang: str):
    now, before, prev_period, note = _figures(engine, f)
    before = before or {}

    def tr(key, kind):
        return trend(now.get(key), before.get(key), lang, prev_period, kind)

    registry = read_overview.registry_counts(engine, f.regency, f.type)
    coop_card = card(
        "card-cooperatives", t("card.cooperatives", lang), fmt_int(registry["cooperatives"], lang),
        html.Span(t("ov.card.cooperatives_detail", lang, active=fmt_int(registry["active"], lang),
                    legal=fmt_int(registry["legal_entities"], lang)), className="text-muted"),
        html.Span(t("ov.card.registry_detail", lang), className="text-muted"),
    )
    size_detail = (html.Span(t("ov.card.snapshot_detail", lang), className="text-muted") if note == "snapshot" else
                   html.Span(t("ov.card.reporting_detail", lang, n=fmt_int(now.get("reporting_cooperatives"), lang)),
                             className="text-muted"))
    members_card = card("card-members", t("card.members", lang), fmt_int(now["members"], lang),
                        tr("members", "relative"), size_detail)
    assets_card = card("card-assets", t("card.assets", lang), fmt_rupiah(now["total_assets"], lang),
                       tr("total_assets", "relative"), size_detail)

    target = read_overview.digital_target(engine)
    if f.regency and not f.type:
        target = now.get("digital_target")
    digital_parts = [tr("go_digital", "count")]
    if not f.type and _finite(target) and target:
        share = now["go_digital"] / target
        digital_parts.insert(0, dbc.Progress(value=min(share * 100, 100), className="my-1", style={"height": "8px"},
                                             color="success", id="card-digital-progress"))
        digital_parts.insert(1, html.Span(t("ov.card.go_digital_detail", lang, pct=fmt_pct(share, 1, lang),
                                            target=fmt_int(target, lang)), className="text-muted"))
    else:
        digital_parts.insert(0, html.Span(t("ov.card.go_digital_active", lang,
                                            pct=fmt_pct(now["pct_go_digital"] / 100, 1, lang)),
                                          className="text-muted"))
    digital_parts.append(dcc.Link(t("ov.card.go_digital_link", lang), href="/target-digital" + f.query(),
                                  className="small"))
    digital_card = card("card-digital", t("ov.card.go_digital", lang), fmt_int(now["go_digital"], lang),
                        *digital_parts)

    sehat_card = card(
        "card-sehat", t("ov.card.sehat", lang), fmt_pct(now["pct_sehat"] / 100, 1, lang), tr("pct_sehat", "share"),
        html.Span(t("ov.card.sehat_detail", lang, n=fmt_int(now["sehat"], lang), d=fmt_int(now["scored"], lang)),
                  className="text-muted"))
    rat_card = card(
        "card-rat", t("ov.card.rat", lang), fmt_pct(now["pct_rat_compliant"] / 100, 1, lang),
        tr("pct_rat_compliant", "share"),
        html.Span(t("ov.card.rat_detail", lang, n=fmt_int(now["rat_compliant"], lang),
                    d=fmt_int(now["active"], lang), year=f.period.year - 1), className="text-muted"))
    reporting_card = card(
        "card-reporting", t("ov.card.reporting", lang), fmt_pct(now["reporting_rate"] / 100, 1, lang),
        tr("reporting_rate", "share"),
        html.Span(t("ov.card.reporting_rate_detail", lang, n=fmt_int(now["received"], lang),
                    d=fmt_int(now["expected"], lang), on_time=fmt_pct(now["on_time_rate"] / 100, 1, lang)),
                  className="text-muted"))
    score = now.get("avg_health_score")
    score_card = None
    if note != "snapshot":  # the snapshots carry no average score of their own
        score_card = card(
            "card-health-score", t("ov.card.health_score", lang),
            fmt_number(score, 1, lang) if _finite(score) else "–", tr("avg_health_score", "share"),
            html.Span(t("ov.card.health_score_detail", lang), className="text-muted"))

    row = [coop_card, members_card, assets_card, digital_card, sehat_card, rat_card, reporting_card, score_card]
    notice = None
    if note:
        key = "ov.type_note" if note == "snapshot" else "ov.type_note_all"
        text = t(key, lang, type=t(f"type.{f.type}", lang), period=fmt_period(f.period, lang))
        if prev_period is None:
            text += " " + t("ov.trend.none_all", lang)
        notice = dbc.Alert(text, color="secondary", className="py-1 small mb-2", id="ov-type-note")
    elif prev_period is None:
        notice = dbc.Alert(t("ov.trend.none", lang), color="secondary", className="py-1 small mb-2",
                           id="ov-trend-note")
    return html.Div([
        notice,
        dbc.Row([dbc.Col(c, xs=6, xl=3) for c in row if c is not None], className="g-2 g-md-3 mb-3",
                id="ov-cards"),
    ])


# ------------------------------------------------------------------------------------------- health categories
def health_distribution(engine, f: filters.Filters, lang: str, snap: date | None):
    header = dbc.CardHeader(t("ov.health_dist", lang))
    if snap is None:
        return dbc.Card([header, dbc.CardBody(html.P(t("ov.no_snapshots", lang), className="mb-0 text-muted"))],
                        className="h-100")
    counts = read_overview.category_counts(engine, snap, f.regency, f.type)
    rows = [fmt_period(snap, lang), t("ov.health_prev", lang)]
    totals = [max(int(counts["now"].sum()), 1), max(int(counts["prev"].sum()), 1)]
    traces = []
    for item in counts.itertuples():
        values = [int(item.now), int(item.prev)]
        traces.append(dict(
            type="bar", name=t(f"ov.cat.{item.category}", lang), y=rows, x=values, orientation="h",
            marker=dict(color=CATEGORY_COLOURS[item.category]),
            text=[fmt_int(v, lang) if v / tot >= 0.06 else "" for v, tot in zip(values, totals)],
            textposition="inside", insidetextanchor="middle",
            customdata=[fmt_pct(v / tot, 1, lang) for v, tot in zip(values, totals)],
            hovertemplate="%{fullData.name}: %{x} (%{customdata})<extra>%{y}</extra>",
            meta=item.category,
        ))
    # the table below is the legend (and gives the exact counts)
    fig = figure(traces, lang, barmode="stack", height=120, margin=dict(l=10, r=10, t=0, b=0), showlegend=False,
                 xaxis=dict(showgrid=False, visible=False),
                 yaxis=dict(autorange="reversed"))
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(""), html.Th(rows[0], className="text-end"),
                             html.Th(rows[1], className="text-end")])),
         html.Tbody([html.Tr([html.Td([html.Span("■ ", style={"color": CATEGORY_COLOURS[r.category]}),
                                       t(f"ov.cat.{r.category}", lang)]),
                              html.Td(fmt_int(r.now, lang), className="text-end", **{"data-count": str(r.now)}),
                              html.Td(fmt_int(r.prev, lang), className="text-end")],
                             id=f"ov-cat-{r.category}")
                     for r in counts.itertuples()])],
        size="sm", className="mb-0 small", id="ov-health-table")
    return dbc.Card([header, dbc.CardBody([
        dcc.Graph(id="ov-health-dist", figure=fig, config=GRAPH_CONFIG, style={"height": "120px"}),
        table,
        html.Div(t("ov.health_dist_note", lang, period=fmt_period(snap, lang)), className="small text-muted mt-1"),
    ])])


# ------------------------------------------------------------------------------------------------------ alerts
def _link_col(lang: str) -> dict:
    return {"field": "name", "headerName": t("ov.col.name", lang), "flex": 2, "minWidth": 200,
            "cellRenderer": "PantauCoopLink", "filter": "agTextColumnFilter"}


def _alert_columns(kind: str, lang: str) -> list[dict]:
    cols = [_link_col(lang),
            {"field": "regency", "headerName": t("ov.col.regency", lang), "flex": 1, "minWidth": 130},
            {"field": "type_label", "headerName": t("ov.col.type", lang), "width": 130}]
    if kind == "fallen":
        cols += [{"field": "change", "headerName": t("ov.col.change", lang), "flex": 1, "minWidth": 220},
                 {"field": "health_total", "headerName": t("ov.col.health_total", lang), "width": 90,
                  "type": "numericColumn",
                  "valueFormatter": {"function": f"PantauNumber(params.value, '{lang}', 1)"}}]
    elif kind == "no_rat":
        cols += [{"field": "years_without_rat", "headerName": t("ov.col.years_without_rat", lang), "width": 130,
                  "type": "numericColumn",
                  "valueFormatter": {"function": f"PantauNumber(params.value, '{lang}', 1)"}},
                 {"field": "rat_grade", "headerName": t("ov.col.rat_grade", lang), "width": 100}]
    else:
        cols += [{"field": "missing_since_label", "headerName": t("ov.col.missing_since", lang), "width": 140},
                 {"field": "last_received_label", "headerName": t("ov.col.last_received", lang), "width": 140}]
    cols.append({"field": "nik", "headerName": t("ov.col.nik", lang), "width": 150})
    return cols


def _alert_frame(kind: str, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = pd.DataFrame({
        "nik": frame["nik"].astype(str),
        "name": frame["name"].fillna(frame["nik"]).astype(str),
        "regency": frame["regency"].fillna(""),
        "type_label": frame["type"].map(lambda v: t(f"type.{v}", lang) if isinstance(v, str) else ""),
    })
    if kind == "fallen":
        out["change"] = (frame["health_category_prev"].map(lambda v: t(f"ov.cat.{v}", lang)) + " → "
                         + frame["health_category"].map(lambda v: t(f"ov.cat.{v}", lang)))
        out["health_total"] = frame["health_total"].round(1)
    elif kind == "no_rat":
        out["years_without_rat"] = frame["years_without_rat"].round(1)
        out["rat_grade"] = frame["rat_grade"].fillna("–")
    else:
        out["missing_since_label"] = frame["missing_since"].map(lambda v: fmt_period(_as_date(v), lang))
        out["last_received_label"] = frame["last_received"].map(lambda v: fmt_period(_as_date(v), lang))
    return out


def _as_date(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def _alert_table(kind: str, rows: pd.DataFrame, columns: list[dict], lang: str):
    """The first rows of one alert list as a plain table; the name links to the cooperative's profile."""
    shown = [c for c in columns if c["field"] not in ("nik", "type_label")]
    def cls(c):  # numbers right-aligned; the kabupaten column only on wider screens
        return " ".join(filter(None, ["text-end" if c.get("type") else "",
                                      "d-none d-md-table-cell" if c["field"] == "regency" else ""])) or None

    head = html.Thead(html.Tr([html.Th(c["headerName"], className=cls(c)) for c in shown]))
    body = []
    for row in rows.itertuples(index=False):
        cells = []
        for c in shown:
            value = getattr(row, c["field"])
            if c["field"] == "name":
                cells.append(html.Td(dcc.Link(value, href=f"/koperasi/{row.nik}", className="coop-link")))
            else:
                text = fmt_number(value, 1, lang) if isinstance(value, float) else value
                cells.append(html.Td(text, className=cls(c)))
        body.append(html.Tr(cells, **{"data-nik": row.nik}))
    return dbc.Table([head, html.Tbody(body)], size="sm", hover=True, responsive=True, className="mb-1 small",
                     id=f"ov-alerts-{kind}-top")


def alerts(engine, f: filters.Filters, lang: str, snap: date | None, simulated: bool, params: dict):
    """Three alert tabs, each with its count and first rows; "see all" (`?peringatan=<kind>`) shows the whole
    list as a grid (sortable, filterable, exportable)."""
    header = dbc.CardHeader(t("ov.alerts", lang))
    if snap is None:
        return dbc.Card([header, dbc.CardBody(html.P(t("ov.no_snapshots", lang), className="mb-0 text-muted"))],
                        className="h-100")
    view = scope.cooperatives(f.regency)  # cooperative lists: logged-in readers, an officer's own kabupaten
    if not view.allowed:
        return dbc.Card([header, dbc.CardBody(scope.notice(view, lang, "ov-alerts-hidden", "/" + f.query(**params)))],
                        className="h-100", id="alerts")
    lists = read_overview.alerts(engine, snap, view.regency, f.type)
    expanded = params.get(EXPANDED)
    tabs = []
    for kind in ALERTS:
        frame = lists[kind]
        help_text = t(f"ov.alert.{kind}_help", lang, n=read_overview.STOPPED_MONTHS)
        columns = _alert_columns(kind, lang)
        if frame.empty:
            content = html.P(t("ov.alert.none", lang), className="text-muted small my-2")
        elif kind == expanded:
            content = html.Div([
                components.grid(f"ov-alerts-{kind}", _alert_frame(kind, frame, lang), columns, lang, height=520,
                                simulated=simulated),
                dcc.Link(t("ov.alert.top", lang, n=ALERT_ROWS), href="/" + f.query(**{**params, EXPANDED: None}),
                         className="small", id=f"ov-alerts-{kind}-less"),
            ])
        else:
            content = html.Div([
                _alert_table(kind, _alert_frame(kind, frame.head(ALERT_ROWS), lang), columns, lang),
                dcc.Link(t("ov.alert.all", lang, n=fmt_int(len(frame), lang)),
                         href="/" + f.query(**{**params, EXPANDED: kind}) + "#alerts", className="small",
                         id=f"ov-alerts-{kind}-all") if len(frame) > ALERT_ROWS else None,
            ])
        tabs.append(dbc.Tab(
            html.Div([html.Div(help_text, className="small text-muted my-2"), content], className="pt-1"),
            label=f"{t(f'ov.alert.{kind}', lang)} ({fmt_int(len(frame), lang)})", tab_id=kind,
            id=f"ov-alert-tab-{kind}", label_class_name="small px-2",
        ))
    return dbc.Card([header, dbc.CardBody([
        scope.scoped_note(view, f.regency, lang, "ov-alerts-scoped"),
        dbc.Tabs(tabs, id="ov-alert-tabs", active_tab=expanded or ALERTS[0]),
        html.Div(t("ov.alerts_note", lang, period=fmt_period(snap, lang)), className="small text-muted mt-1"),
    ])], className="h-100", id="alerts")


# ---------------------------------------------------------------------------------------------- kabupaten chart
def _indicator_control(chosen: str, lang: str):
    options = [{"label": t(f"ov.ind.{k}", lang), "value": k} for k in INDICATORS]
    return dcc.Dropdown(id={"type": "filter", "name": INDICATOR}, options=options, value=chosen, clearable=False,
                        style={"minWidth": "240px"}, className="small")


def _value_text(indicator: str, value, lang: str) -> str:
    if not _finite(value):
        return "–"
    if indicator in PERCENT_INDICATORS:
        return fmt_pct(value / 100, 1, lang)
    if indicator == "total_assets":
        return fmt_rupiah(value, lang)
    if indicator in ("cooperatives",):
        return fmt_int(value, lang)
    return fmt_number(value, 1, lang)


def regency_chart(engine, f: filters.Filters, lang: str, indicator: str):
    frame = read_overview.rollup_by_regency(engine, f.period, indicator).sort_values("value", na_position="first")
    colours = ["#0d6efd" if code == f.regency else ("#9ec5fe" if f.regency else "#4a7fc1")
               for code in frame["regency_code"]]
    values = [v if _finite(v) else None for v in frame["value"]]
    bars = dict(type="bar", x=values, y=frame["short_name"].tolist(), orientation="h", marker=dict(color=colours),
                text=[_value_text(indicator, v, lang) for v in frame["value"]], textposition="outside",
                cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>")
    top = frame["value"].max()
    xaxis = dict(title=None)
    if _finite(top) and top > 0:  # room for the value labels; a percentage never beyond 100
        xaxis["range"] = [0, min(top * 1.18, 100) if indicator in PERCENT_INDICATORS and top <= 85 else top * 1.18]
    shapes, annotations = [], []
    province = read_overview.rollup_totals(engine, f.period)
    ref = province.get(indicator) if province else None
    if (indicator in PERCENT_INDICATORS or indicator == "avg_health_score") and _finite(ref):
        shapes.append(dict(type="line", xref="x", yref="paper", x0=ref, x1=ref, y0=0, y1=1,
                           line=dict(dash="dash", color="#555", width=1)))
        annotations.append(dict(xref="x", yref="paper", x=ref, y=1, yanchor="bottom", showarrow=False,
                                text=t("ov.province_line", lang, value=_value_text(indicator, ref, lang)),
                                font=dict(size=11)))
    fig = figure([bars], lang, height=520, margin=dict(l=10, r=50, t=30, b=10), xaxis=xaxis,
                 yaxis=dict(title=None, tickfont=dict(size=11)), shapes=shapes, annotations=annotations)
    title = html.Div(
        [html.Span(t("ov.by_regency", lang, indicator=t(f"ov.ind.{indicator}", lang)), className="me-2"),
         html.Span(t("ov.all_types", lang), className="small text-muted fw-normal") if f.type else None,
         html.Div(_indicator_control(indicator, lang), className="ms-auto")],
        className="d-flex flex-wrap align-items-center gap-2")
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody(dcc.Graph(id="ov-regency-bars", figure=fig,
                                                                   config=GRAPH_CONFIG, style={"height": "520px"}))])


def type_chart(engine, f: filters.Filters, lang: str):
    types = read_overview.type_counts(engine, f.regency)
    types = types.assign(label=types["type"].map(lambda v: t(f"type.{v}", lang)))
    pull = [0.08 if v == f.type else 0 for v in types["type"]]
    pie = dict(type="pie", labels=types["label"].tolist(), values=types["cooperatives"].tolist(), hole=0.5,
               pull=pull, sort=False, texttemplate="%{percent:.1%}", hovertemplate="%{label}: %{value}<extra></extra>")
    fig = figure([pie], lang, height=240, margin=dict(l=10, r=10, t=10, b=10), legend=dict(x=1, y=0.5))
    return dbc.Card([dbc.CardHeader(t("ov.by_type", lang)),
                     dbc.CardBody(dcc.Graph(id="overview-type-pie", figure=fig, config=GRAPH_CONFIG,
                                            style={"height": "240px"}))])


# ------------------------------------------------------------------------------------------------------ layout
def layout(**query):
    lang = context.lang()
    engine = context.engine()
    f = filters.parse(query, engine)
    status = queries.status(engine)
    if f.period is None or read_overview.rollup_totals(engine, f.period, f.regency) is None:
        return html.Div([components.page_header(t("page.overview", lang), t("app.tagline", lang)),
                         components.empty_state(lang)])
    indicator = query.get(INDICATOR) if query.get(INDICATOR) in INDICATORS else INDICATORS[0]
    # page parameters the links keep besides the global filters
    params = {INDICATOR: indicator if indicator != INDICATORS[0] else None,
              EXPANDED: query.get(EXPANDED) if query.get(EXPANDED) in ALERTS else None}
    if f.regency:
        names = queries.regencies(engine).set_index("code")["name"]
        subtitle = t("ov.subtitle_regency", lang, regency=names.get(f.regency, f.regency),
                     period=fmt_period(f.period, lang))
    else:
        subtitle = t("ov.subtitle", lang, period=fmt_period(f.period, lang))
    snap = queries.snapshot_period(engine, f.period)
    return html.Div(
        [
            components.page_header(t("page.overview", lang), subtitle),
            filters.bar(f, lang, engine),
            cards(engine, f, lang),
            dbc.Row([
                dbc.Col([health_distribution(engine, f, lang, snap), type_chart(engine, f, lang)], lg=5,
                        className="d-flex flex-column gap-3"),
                dbc.Col(alerts(engine, f, lang, snap, status.is_demo, params), lg=7),
            ], className="g-3 mb-3"),
            regency_chart(engine, f, lang, indicator),
        ],
        className="overview",
    )


def register_callbacks(app) -> None:
    """Every control of the page is a URL filter (written by `filters.register_callbacks`); no callbacks here."""


__all__ = ["PAGE", "layout", "register_callbacks"]

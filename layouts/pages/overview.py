"""Ringkasan / Overview: the province (or one kabupaten, or one cooperative type) at a glance — headline cards with
their stored twelve-month changes, the health-category distribution, alerts that link to the cooperatives, and a
kabupaten comparison. Every number is a stored figure shown through `components.figure`."""
from __future__ import annotations

import math
from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.io as pio
from dash import dcc, html

from indicators import registry
from layouts import components, context, filters, labels, scope
from layouts.i18n import N_, fmt_figure, fmt_int, fmt_number, fmt_period, t, t_marked
from warehouse import queries, read_overview

PAGE = {"path": "/", **components.page_names(N_("page.overview")), "order": 0, "access": "public"}

INDICATOR = "indikator"  # URL parameter of the kabupaten chart
INDICATORS = ("pct_sehat", "avg_health_score", "pct_rat_compliant", "pct_go_digital", "reporting_rate",
              "on_time_rate", "members_per_1000", "cooperatives", "total_assets")
# units of a rate or a level: a kabupaten can be compared with the province's own figure (a count or a sum cannot)
REFERENCE_UNITS = ("percent", "points", "per_1000")
CATEGORY_COLOURS = {
    "sehat": "#2e9d57",
    "cukup_sehat": "#2a9d8f",
    "dalam_pengawasan": "#f28c28",
    "dalam_pengawasan_khusus": "#d62828",
}
CATEGORY_LABELS = {
    "sehat": N_("ov.cat.sehat"),
    "cukup_sehat": N_("ov.cat.cukup_sehat"),
    "dalam_pengawasan": N_("ov.cat.dalam_pengawasan"),
    "dalam_pengawasan_khusus": N_("ov.cat.dalam_pengawasan_khusus"),
}
GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": False}
ALERT_ROWS = 10  # rows of each alert list on the overview; "see all" opens the whole list as a grid
ALERTS = ("fallen", "no_rat", "stopped")
ALERT_LABELS = {  # kind: (tab label, help line)
    "fallen": (N_("ov.alert.fallen"), N_("ov.alert.fallen_help")),
    "no_rat": (N_("ov.alert.no_rat"), N_("ov.alert.no_rat_help")),
    "stopped": (N_("ov.alert.stopped"), N_("ov.alert.stopped_help")),
}
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
    return (pd.Timestamp(period) - pd.offsets.MonthEnd(12)).date()


def _finite(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


class Area:
    """One stored row of figures (an area, type and month-end) and how the page shows its numbers."""

    def __init__(self, row: dict | None, period: date, regency: str | None, kind: str | None, lang: str):
        self.row = row or {}
        self.period = period
        self.scope = components.area_scope(period, regency, kind)
        self.lang = lang

    def get(self, indicator_id: str):
        return self.row.get(indicator_id)

    def fig(self, indicator_id: str, text: str | None = None, **kwargs):
        return components.figure(indicator_id, self.get(indicator_id), self.lang, self.scope, text=text, **kwargs)


# ----------------------------------------------------------------------------------------------- trend lines
def _change_text(value, unit: str, lang: str) -> tuple[str, bool]:
    """The stored change as shown, with its sign — +2,1 % (percent change), +1,2 poin (percentage points),
    +0,3 poin (score points), +12 (count) — and whether it shows as zero at those digits. The formatter writes the
    number and its minus sign, so the change reads exactly as the figure does everywhere else."""
    digits = 0 if unit == "count" else 1
    zero = fmt_number(abs(value), digits, lang) == fmt_number(0, digits, lang)
    text = fmt_figure(value, unit, lang).lstrip("+")
    if unit == "points":
        text += " " + t("fig.points", lang)
    return text if zero or value < 0 else "+" + text, zero


def trend(area: Area, change_id: str, base_id: str | None = None):
    """The stored twelve-month change of a card's figure (▲/▼, green when better by the registry's direction)
    and what it compares: the same cooperatives in both periods (`base_id` counts them) or the area's figure of
    twelve months earlier. Nothing stored → "no comparison yet"; the page never subtracts."""
    lang = area.lang
    value = area.get(change_id)
    if not _finite(value):
        return html.Div(html.Span(t("ov.trend.none", lang), className="text-muted trend trend-none"),
                        className="small mb-1")
    ind = registry.load().get(change_id)
    text, zero = _change_text(value, ind.unit, lang)
    if zero:
        arrow, state, colour = "=", "trend-same", "text-muted"
    else:
        up = value > 0
        arrow, state = ("▲", "trend-up") if up else ("▼", "trend-down")
        better = {"higher": up, "lower": not up}.get(ind.direction)
        colour = "text-secondary" if better is None else ("text-success" if better else "text-danger")
    previous = fmt_period(_year_earlier(area.period), lang)
    if base_id == "matched_cooperatives":
        compared = components.sentence(t("ov.trend.matched", lang), period=previous, n=area.fig(base_id))
    elif base_id == "scored_both":
        compared = components.sentence(t("ov.trend.scored_both", lang), period=previous, n=area.fig(base_id))
    else:
        compared = [t("ov.trend.vs", lang, period=previous)]
    return html.Div([
        html.Span([html.Span(arrow, className="trend-arrow me-1"), area.fig(change_id, text=text)],
                  className=f"{colour} trend {state} fw-semibold"),
        html.Span([" ", *compared], className="text-muted"),
    ], className="small mb-1")


def card(card_id: str, title: str, value, *details):
    body = [html.Div(title, className="text-muted small text-uppercase"),
            html.Div(value, className="fs-3 fw-semibold card-value")]
    body += [d if isinstance(d, html.Div) else html.Div(d, className="small text-muted")
             for d in details if d is not None]
    return dbc.Card(dbc.CardBody(body), className="h-100 shadow-sm", id=card_id)


# ----------------------------------------------------------------------------------------------------- cards
def cards(area: Area, f: filters.Filters, lang: str):
    """The headline cards, every number from the one stored row of the chosen area, type and month-end."""
    coop_card = card(
        "card-cooperatives", t("card.cooperatives", lang), area.fig("cooperatives"),
        components.sentence(t("ov.card.cooperatives_detail", lang), active=area.fig("active"),
                            legal=area.fig("legal_entities")))
    members_card = card("card-members", t("card.members", lang), area.fig("members"),
                        trend(area, "members_change", "matched_cooperatives"),
                        components.sentence(t("ov.card.monitored", lang), n=area.fig("monitored_cooperatives")))
    assets_card = card("card-assets", t("card.assets", lang), area.fig("total_assets"),
                       trend(area, "total_assets_change", "matched_cooperatives"),
                       components.sentence(t("ov.card.monitored", lang), n=area.fig("monitored_cooperatives")))

    if not f.type and _finite(area.get("digital_target")):
        progress = area.get("pct_digital_target")
        digital_parts = [
            dbc.Progress(value=min(progress, 100) if _finite(progress) else 0, max=100, className="my-1",
                         style={"height": "8px"}, color="success", id="card-digital-progress"),
            components.sentence(t("ov.card.go_digital_detail", lang), pct=area.fig("pct_digital_target"),
                     target=area.fig("digital_target")),
        ]
    else:  # the target is the province's and each kabupaten's, not a type's: the share of active ones instead
        digital_parts = [components.sentence(t("ov.card.go_digital_active", lang), pct=area.fig("pct_go_digital"),
                                  active=area.fig("active"))]
    digital_card = card(
        "card-digital", t("ov.card.go_digital", lang), area.fig("go_digital"),
        trend(area, "go_digital_change"), *digital_parts,
        html.Div(dcc.Link(t("ov.card.go_digital_link", lang), href="/target-digital" + f.query()), className="small"))

    sehat_card = card(
        "card-sehat", t("ov.card.sehat", lang), area.fig("pct_sehat"), trend(area, "pct_sehat_change", "scored_both"),
        components.sentence(t("ov.card.sehat_detail", lang), n=area.fig("sehat"), d=area.fig("scored")))
    rat_card = card(
        "card-rat", t("ov.card.rat", lang), area.fig("pct_rat_compliant"), trend(area, "pct_rat_compliant_change"),
        components.sentence(t("ov.card.rat_detail", lang), n=area.fig("rat_compliant"), d=area.fig("rat_expected"),
                 year=str(f.period.year - 1)))
    reporting_card = card(
        "card-reporting", t("ov.card.reporting", lang), area.fig("reporting_rate"),
        trend(area, "reporting_rate_change"),
        components.sentence(t("ov.card.reporting_rate_detail", lang), n=area.fig("received"), d=area.fig("expected"),
                 on_time=area.fig("on_time_rate")))
    score_card = card(
        "card-health-score", t("ov.card.health_score", lang), area.fig("avg_health_score"),
        trend(area, "avg_health_score_change", "scored_both"),
        components.sentence(t("ov.card.health_score_detail", lang), n=area.fig("scored")))

    row = [coop_card, members_card, assets_card, digital_card, sehat_card, rat_card, reporting_card, score_card]
    digital_ids = (["pct_digital_target", "digital_target"] if not f.type and _finite(area.get("digital_target"))
                   else ["pct_go_digital"])
    # the population of the sums and of the scores, said once above the cards (the cards name it briefly)
    population = html.P(components.sentence(t("ov.population", lang), monitored=area.fig("monitored_cooperatives"),
                                 reporting=area.fig("reporting_cooperatives")),
                        className="small text-muted mb-2", id="ov-population")
    # the headline figures and the populations; each change explains itself on hover
    return html.Div([
        population,
        dbc.Row([dbc.Col(c, xs=6, xl=3) for c in row], className="g-2 g-md-3", id="ov-cards"),
        components.definitions(
            ["cooperatives", "monitored_cooperatives", "reporting_cooperatives", "members", "total_assets",
             "matched_cooperatives", "go_digital", *digital_ids, "pct_sehat", "scored", "scored_both",
             "pct_rat_compliant", "reporting_rate", "avg_health_score"],
            lang, element_id="ov-cards-definitions"),
    ], className="mb-3")


# ------------------------------------------------------------------------------------------- health categories
def health_distribution(engine, f: filters.Filters, lang: str):
    """Cooperatives per health category at the period and twelve months earlier: the stored counts, each period
    over its own scored population (the table's last row)."""
    counts = read_overview.category_counts(engine, f.period, f.regency, f.type)
    before = _year_earlier(f.period)
    scopes = (components.area_scope(f.period, f.regency, f.type), components.area_scope(before, f.regency, f.type))
    periods = [fmt_period(f.period, lang), fmt_period(before, lang)]
    categories = counts.loc[counts["category"] != "scored"]
    traces = []
    for item in categories.itertuples():
        values = [v if _finite(v) else None for v in (item.now, item.prev)]
        traces.append(dict(
            type="bar", name=labels.word(CATEGORY_LABELS, item.category, lang), y=periods, x=values, orientation="h",
            marker=dict(color=CATEGORY_COLOURS[item.category]),
            text=[fmt_int(v, lang) if v is not None else "" for v in values],
            textposition="inside", insidetextanchor="middle", textangle=0,
            hovertemplate="%{fullData.name}: %{text}<extra>%{y}</extra>",
            meta=item.category,
        ))
    # the table below is the legend and gives the exact counts; labels that do not fit their segment are hidden
    fig = figure(traces, lang, barmode="stack", height=120, margin=dict(l=10, r=10, t=0, b=0), showlegend=False,
                 uniformtext=dict(minsize=10, mode="hide"), xaxis=dict(showgrid=False, visible=False),
                 yaxis=dict(autorange="reversed"))

    def cell(indicator_id, value, which):
        return html.Td(components.figure(indicator_id, value, lang, scopes[which]), className="text-end")

    rows = []
    for r in counts.itertuples():
        total = r.category == "scored"
        name = (t("ov.health_scored", lang) if total else
                [html.Span("■ ", style={"color": CATEGORY_COLOURS[r.category]}),
                 labels.word(CATEGORY_LABELS, r.category, lang)])
        rows.append(html.Tr([html.Td(name), cell(r.category, r.now, 0), cell(r.category, r.prev, 1)],
                            id=f"ov-cat-{r.category}", className="fw-semibold border-top" if total else None))
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th("")] + [html.Th(label, className="text-end") for label in periods])),
         html.Tbody(rows)],
        size="sm", className="mb-0 small", id="ov-health-table")
    return dbc.Card([dbc.CardHeader(t("ov.health_dist", lang)), dbc.CardBody([
        dcc.Graph(id="ov-health-dist", figure=fig, config=GRAPH_CONFIG, style={"height": "120px"}),
        table,
        html.Div(t("ov.health_dist_note", lang), className="small text-muted mt-1"),
        components.definitions([*read_overview.CATEGORIES, "scored"], lang, element_id="ov-health-definitions"),
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
        "type_label": frame["type"].map(lambda v: labels.word(labels.COOP_TYPES, v, lang, missing="")),
    })
    if kind == "fallen":
        out["change"] = (frame["health_category_prev"].map(lambda v: labels.word(CATEGORY_LABELS, v, lang)) + " → "
                         + frame["health_category"].map(lambda v: labels.word(CATEGORY_LABELS, v, lang)))
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
        label, help_key = ALERT_LABELS[kind]
        help_text = t_marked(help_key, lang, n=read_overview.STOPPED_MONTHS)
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
            label=f"{t_marked(label, lang)} ({fmt_int(len(frame), lang)})", tab_id=kind,
            id=f"ov-alert-tab-{kind}", label_class_name="small px-2",
        ))
    return dbc.Card([header, dbc.CardBody([
        scope.scoped_note(view, f.regency, lang, "ov-alerts-scoped"),
        dbc.Tabs(tabs, id="ov-alert-tabs", active_tab=expanded or ALERTS[0]),
        html.Div(t("ov.alerts_note", lang, period=fmt_period(snap, lang)), className="small text-muted mt-1"),
    ])], className="h-100", id="alerts")


# ---------------------------------------------------------------------------------------------- kabupaten chart
def _indicator_control(chosen: str, lang: str):
    reg = registry.load()
    options = [{"label": reg.get(k).label(lang), "value": k} for k in INDICATORS]
    return dcc.Dropdown(id={"type": "filter", "name": INDICATOR}, options=options, value=chosen, clearable=False,
                        style={"minWidth": "240px"}, className="small")


def regency_chart(engine, f: filters.Filters, lang: str, indicator: str, province: dict):
    """One stored figure for every kabupaten (of the chosen type), with the province's own stored figure as the
    reference line for rates and levels."""
    ind = registry.load().get(indicator)
    frame = read_overview.regency_bars(engine, f.period, indicator, f.type).sort_values("value", na_position="first")
    colours = ["#0d6efd" if code == f.regency else ("#9ec5fe" if f.regency else "#4a7fc1")
               for code in frame["regency_code"]]
    values = [v if _finite(v) else None for v in frame["value"]]
    bars = dict(type="bar", x=values, y=frame["short_name"].tolist(), orientation="h", marker=dict(color=colours),
                text=[fmt_figure(v, ind.unit, lang) for v in values], textposition="outside",
                cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>", meta=indicator,
                customdata=frame["regency_code"].tolist())
    finite = [v for v in values if v is not None]
    xaxis = dict(title=None)
    if finite and max(finite) > 0:  # room for the value labels; a percentage axis never beyond 100
        top = max(finite)
        xaxis["range"] = [0, min(top * 1.18, 100) if ind.unit == "percent" and top <= 85 else top * 1.18]
    shapes, annotations = [], []
    ref = province.get(indicator)
    if ind.unit in REFERENCE_UNITS and _finite(ref):
        shapes.append(dict(type="line", xref="x", yref="paper", x0=ref, x1=ref, y0=0, y1=1,
                           line=dict(dash="dash", color="#555", width=1)))
        annotations.append(dict(xref="x", yref="paper", x=ref, y=1, yanchor="bottom", showarrow=False,
                                text=t("ov.province_line", lang, value=fmt_figure(ref, ind.unit, lang)),
                                font=dict(size=11)))
    fig = figure([bars], lang, height=520, margin=dict(l=10, r=50, t=30, b=10), xaxis=xaxis,
                 yaxis=dict(title=None, tickfont=dict(size=11)), shapes=shapes, annotations=annotations)
    title = html.Div(
        [html.Span(t("ov.by_regency", lang, indicator=ind.label(lang)), className="me-2",
                   title=components.definition_title(indicator, lang)),
         html.Span(t("ov.chart_type", lang, type=labels.word(labels.COOP_TYPES, f.type, lang)),
                   className="small text-muted fw-normal")
         if f.type else None,
         html.Div(_indicator_control(indicator, lang), className="ms-auto")],
        className="d-flex flex-wrap align-items-center gap-2")
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody([
        dcc.Graph(id="ov-regency-bars", figure=fig, config=GRAPH_CONFIG, style={"height": "520px"}),
        components.definitions([indicator], lang, element_id="ov-regency-definitions"),
    ])])


def type_chart(engine, f: filters.Filters, lang: str):
    """Registered cooperatives per type (the stored counts of each type's row)."""
    types = read_overview.type_counts(engine, f.period, f.regency)
    types = types.assign(label=types["type"].map(lambda v: labels.word(labels.COOP_TYPES, v, lang)))
    pull = [0.08 if v == f.type else 0 for v in types["type"]]
    pie = dict(type="pie", labels=types["label"].tolist(), values=types["cooperatives"].tolist(), hole=0.5,
               pull=pull, sort=False, texttemplate="%{value:,}", hovertemplate="%{label}: %{value:,}<extra></extra>")
    fig = figure([pie], lang, height=240, margin=dict(l=10, r=10, t=10, b=10), legend=dict(x=1, y=0.5))
    return dbc.Card([dbc.CardHeader(t("ov.by_type", lang)), dbc.CardBody([
        dcc.Graph(id="overview-type-pie", figure=fig, config=GRAPH_CONFIG, style={"height": "240px"}),
        components.definitions(["cooperatives"], lang, element_id="ov-type-definitions"),
    ])])


# ------------------------------------------------------------------------------------------------------ layout
def layout(**query):
    lang = context.lang()
    engine = context.engine()
    f = filters.parse(query, engine)
    status = queries.status(engine)
    row = read_overview.figures(engine, f.period, f.regency, f.type) if f.period is not None else None
    if row is None:
        return html.Div([components.page_header(t("page.overview", lang), t("app.tagline", lang)),
                         components.empty_state(lang)])
    area = Area(row, f.period, f.regency, f.type, lang)
    province = row if not f.regency else (read_overview.figures(engine, f.period, None, f.type) or {})
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
    if f.type:
        subtitle += " · " + t("ov.subtitle_type", lang, type=labels.word(labels.COOP_TYPES, f.type, lang))
    snap = queries.snapshot_period(engine, f.period)
    return html.Div(
        [
            components.page_header(t("page.overview", lang), subtitle),
            filters.bar(f, lang, engine),
            cards(area, f, lang),
            dbc.Row([
                dbc.Col([health_distribution(engine, f, lang), type_chart(engine, f, lang)], lg=5,
                        className="d-flex flex-column gap-3"),
                dbc.Col(alerts(engine, f, lang, snap, status.is_demo, params), lg=7),
            ], className="g-3 mb-3"),
            regency_chart(engine, f, lang, indicator, province),
        ],
        className="overview",
    )


def register_callbacks(app) -> None:
    """Every control of the page is a URL filter (written by `filters.register_callbacks`); no callbacks here."""


__all__ = ["PAGE", "layout", "register_callbacks"]

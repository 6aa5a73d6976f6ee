"""The overview's breakdowns: one stored figure per kabupaten against the province's, cooperatives per type."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from indicators import registry
from layouts import charts, components, filters, labels
from layouts.i18n import fmt_figure, missing, t
from warehouse import read_overview

INDICATOR = "indikator"  # URL parameter of the kabupaten chart
INDICATORS = ("pct_sehat", "avg_health_score", "pct_rat_compliant", "pct_go_digital", "reporting_rate",
              "on_time_rate", "members_per_1000", "cooperatives", "total_assets")
# units of a rate or a level: a kabupaten can be compared with the province's own figure (a count or a sum cannot)
REFERENCE_UNITS = ("percent", "points", "per_1000")


def indicator_control(chosen: str, lang: str):
    reg = registry.load()
    options = [{"label": reg.get(k).label(lang), "value": k} for k in INDICATORS]
    return dcc.Dropdown(id={"type": "filter", "name": INDICATOR}, options=options, value=chosen, clearable=False,
                        style={"minWidth": "240px"}, className="small")


def regency_chart(engine, f: filters.Filters, lang: str, indicator: str, province: dict):
    """One stored figure for every kabupaten (of the chosen type), with the province's own stored figure as the
    reference line for rates and levels."""
    ind = registry.load().get(indicator)
    frame = read_overview.regency_bars(engine, f.period, indicator, f.type, f.scope).sort_values("value",
                                                                                             na_position="first")
    colours = ["#0d6efd" if code == f.regency else ("#9ec5fe" if f.regency else "#4a7fc1")
               for code in frame["regency_code"]]
    values = [None if missing(v) else v for v in frame["value"]]
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
    if ind.unit in REFERENCE_UNITS and not missing(ref):
        shapes.append(dict(type="line", xref="x", yref="paper", x0=ref, x1=ref, y0=0, y1=1,
                           line=dict(dash="dash", color="#555", width=1)))
        annotations.append(dict(xref="x", yref="paper", x=ref, y=1, yanchor="bottom", showarrow=False,
                                text=t("ov.province_line", lang, value=fmt_figure(ref, ind.unit, lang)),
                                font=dict(size=11)))
    fig = charts.figure([bars], lang, height=520, margin=dict(l=10, r=50, t=30, b=10), xaxis=xaxis,
                        yaxis=dict(title=None, tickfont=dict(size=11)), shapes=shapes, annotations=annotations)
    title = html.Div(
        [html.Span(t("ov.by_regency", lang, indicator=ind.label(lang)), className="me-2",
                   title=components.definition_title(indicator, lang)),
         html.Span(t("ov.chart_type", lang, type=labels.word(labels.COOP_TYPES, f.type, lang)),
                   className="small text-muted fw-normal")
         if f.type else None,
         html.Div(indicator_control(indicator, lang), className="ms-auto")],
        className="d-flex flex-wrap align-items-center gap-2")
    return dbc.Card([dbc.CardHeader(title), dbc.CardBody([
        dcc.Graph(id="ov-regency-bars", figure=fig, config=charts.STATIC_CONFIG, style={"height": "520px"}),
        components.definitions([indicator], lang, element_id="ov-regency-definitions"),
    ])])


def type_chart(engine, f: filters.Filters, lang: str):
    """Registered cooperatives per type (the stored counts of each type's row)."""
    types = read_overview.type_counts(engine, f.period, f.regency, f.scope)
    types = types.assign(label=types["type"].map(lambda v: labels.word(labels.COOP_TYPES, v, lang)))
    pull = [0.08 if v == f.type else 0 for v in types["type"]]
    pie = dict(type="pie", labels=types["label"].tolist(), values=types["cooperatives"].tolist(), hole=0.5,
               pull=pull, sort=False, texttemplate="%{value:,}", hovertemplate="%{label}: %{value:,}<extra></extra>")
    fig = charts.figure([pie], lang, height=240, margin=charts.TIGHT_MARGIN, legend=dict(x=1, y=0.5))
    return dbc.Card([dbc.CardHeader(t("ov.by_type", lang)), dbc.CardBody([
        dcc.Graph(id="overview-type-pie", figure=fig, config=charts.STATIC_CONFIG, style={"height": "240px"}),
        components.definitions(["cooperatives"], lang, element_id="ov-type-definitions"),
    ])])

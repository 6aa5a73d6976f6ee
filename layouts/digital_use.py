"""The Target Digital page's section on digital use that lasts: beside the 1,000 target (which counts onboarding),
the Go Digital cooperatives that submitted through the platform in each of the last three months, their trend, each
kabupaten's, and the same share among those mentored in the last twelve months and those not. Every number is a
stored figure of the roll-ups (registry: digital_active, pct_digital_active, pct_active_mentored, …)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import charts, components, filters
from layouts.i18n import fmt_period, t
from warehouse import queries, read_digital

FIGURES = ("digital_active", "pct_digital_active", "go_digital", "digital_mentored", "pct_active_mentored",
           "digital_unmentored", "pct_active_unmentored", "digital_mentoring_hours")
BLUE, TEAL, GREY = "#0d6efd", "#0e7c86", "#adb5bd"


def _num(lang: str, digits: int = 0, suffix: str = "") -> dict:
    locale = "en-US" if lang == "en" else "id-ID"
    return {"function": f"params.value == null ? '–' : Number(params.value).toLocaleString('{locale}', "
                        f"{{minimumFractionDigits: {digits}, maximumFractionDigits: {digits}}}) + '{suffix}'"}


def trend(series: pd.DataFrame, f: filters.Filters, lang: str) -> dict:
    """The stored monthly Go Digital count and the stored digital-and-active count, from a year before the first
    mentoring record (the log starts mid-2024) to the chosen period."""
    s = series.loc[(series["period_end"] <= f.period) & series["digital_active"].notna()]
    s = s.loc[s["period_end"] >= pd.Timestamp("2024-01-31").date()]
    months = [p.isoformat() for p in s["period_end"]]
    hover = "%{x|%b %Y}: %{y:,.0f}<extra>%{fullData.name}</extra>"
    traces = [
        {"type": "scatter", "mode": "lines", "x": months, "y": [float(v) for v in s["go_digital"]],
         "name": t("du.trend.go_digital", lang), "line": {"color": GREY, "width": 2}, "hovertemplate": hover},
        {"type": "scatter", "mode": "lines", "x": months, "y": [float(v) for v in s["digital_active"]],
         "name": t("du.trend.active", lang), "line": {"color": BLUE, "width": 3}, "hovertemplate": hover},
    ]
    return charts.figure(traces, lang, height=300, margin=charts.TIGHT_MARGIN, hovermode="x unified",
                         legend={"orientation": "h", "y": -0.18, "x": 0},
                         yaxis={"rangemode": "tozero", "tickformat": ",d"})


def regency_grid(progress: pd.DataFrame, lang: str, simulated: bool):
    frame = progress[["regency_code", "name", *FIGURES]]
    num = {"type": "numericColumn", "flex": 1, "minWidth": 95, "valueFormatter": _num(lang)}
    pct = {**num, "minWidth": 110, "valueFormatter": _num(lang, 1, " %")}
    cols = [
        {"field": "regency_code", "headerName": t("digital.col.code", lang), "width": 75},
        {"field": "name", "headerName": t("digital.col.regency", lang), "flex": 2, "minWidth": 150},
        components.figure_column("go_digital", "go_digital", lang, **num),
        components.figure_column("digital_active", "digital_active", lang, **num),
        components.figure_column("pct_digital_active", "pct_digital_active", lang, **pct, sort="asc"),
        components.figure_column("digital_mentored", "digital_mentored", lang, **num),
        components.figure_column("pct_active_mentored", "pct_active_mentored", lang, **pct),
        components.figure_column("digital_unmentored", "digital_unmentored", lang, **num),
        components.figure_column("pct_active_unmentored", "pct_active_unmentored", lang, **pct),
        components.figure_column("digital_mentoring_hours", "digital_mentoring_hours", lang, **num),
    ]
    for col in cols:
        col.update(wrapHeaderText=True, autoHeaderHeight=True)
    return components.grid("digital-active-grid", frame, cols, lang, height=560, page_size=25, simulated=simulated)


def section(engine, f: filters.Filters, lang: str, simulated: bool):
    """The card: the area's stored figures in a sentence, the trend, and every kabupaten's figures."""
    row = queries.area_row(engine, f.period, f.regency, None, f.scope)
    if row is None or row.get("digital_active") is None:
        return None
    where = components.area_scope(f.period, f.regency, None, f.scope)

    def fig(ind, **kw):
        return components.figure(ind, row.get(ind), lang, where, className="fw-semibold", **kw)

    headline = html.P(components.sentence(
        t("du.headline", lang), active=fig("digital_active", element_id="du-active"),
        go=fig("go_digital"), pct=fig("pct_digital_active", element_id="du-pct"),
        period=fmt_period(f.period, lang)), className="mb-1", id="du-headline")
    mentoring = html.P(components.sentence(
        t("du.mentoring", lang), mentored=fig("digital_mentored"),
        pct_m=fig("pct_active_mentored", element_id="du-pct-mentored"), unmentored=fig("digital_unmentored"),
        pct_u=fig("pct_active_unmentored", element_id="du-pct-unmentored"),
        hours=fig("digital_mentoring_hours")), className="mb-2", id="du-mentoring")
    progress = read_digital.progress(engine, f.period, f.scope)
    body = [
        html.P(t("du.intro", lang), className="small text-muted mb-2"),
        headline, mentoring,
        dbc.Row([
            dbc.Col(dcc.Graph(id="du-trend", figure=trend(read_digital.series(engine, f.regency, f.scope), f, lang),
                              config=charts.STATIC_CONFIG), lg=5),
            dbc.Col(regency_grid(progress, lang, simulated), lg=7, className="mt-3 mt-lg-0"),
        ]),
        components.definitions(FIGURES, lang, element_id="du-definitions"),
    ]
    return dbc.Card([dbc.CardHeader(t("du.title", lang)), dbc.CardBody(body)], className="shadow-sm mb-3",
                    id="digital-active")

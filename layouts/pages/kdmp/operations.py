"""The KDMP page's operations cards: outlets operating by type, financing by scheme, how fresh the villages' data
is and the mentoring they had, and the milestones over time — every number a stored KDMP figure of the area."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from indicators import registry, vocabulary
from layouts import charts, components, labels
from layouts.i18n import t, t_marked
from layouts.pages.kdmp.view import View

OUTLETS = tuple(f"kdmp_outlet_{o}" for o in vocabulary.KDMP_OUTLETS)
SCHEMES = ("kdmp_scheme_pmk49", "kdmp_scheme_agrinas", "kdmp_scheme_lainnya")
FINANCE = ("kdmp_plafond", "kdmp_disbursed")
FRESHNESS = ("kdmp_fresh", "pct_kdmp_fresh", "kdmp_stale", "pct_kdmp_stale", "kdmp_days_since_update_mean",
             "kdmp_with_nik", "kdmp_mentored", "kdmp_mentoring_hours", "kdmp_members")
TREND = ("kdmp_legal", "kdmp_nib", "kdmp_simkopdes", "kdmp_land", "kdmp_construction", "kdmp_operating",
         "kdmp_first_rat")
TREND_COLOURS = ("#adb5bd", "#6ea8fe", "#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#d63384")


def _figures_list(row: dict, where: str, ids, lang: str, element_id: str):
    reg = registry.load()
    items = []
    for ind_id in ids:
        items += [html.Dt(reg.get(ind_id).label(lang), className="col-7 fw-normal"),
                  html.Dd(components.figure(ind_id, row.get(ind_id), lang, where, className="fw-semibold"),
                          className="col-5 text-end mb-1")]
    return html.Dl(items, className="row small mb-0", id=element_id)


def outlets_card(row: dict, v: View, lang: str):
    where = components.kdmp_scope(v.filters.period, v.filters.regency)
    names = [t_marked(labels.KDMP_OUTLETS[o], lang) for o in vocabulary.KDMP_OUTLETS]
    values = [float(row.get(k) or 0) for k in OUTLETS]
    bars = dict(type="bar", orientation="h", y=names, x=values, marker=dict(color="#198754"),
                text=[f"{int(x):,}".replace(",", "." if lang == "id" else ",") for x in values],
                textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>")
    fig = charts.figure([bars], lang, height=300, margin={"l": 10, "r": 50, "t": 10, "b": 10},
                        yaxis={"autorange": "reversed", "automargin": True},
                        xaxis={"rangemode": "tozero", "tickformat": ",d"})
    return dbc.Card([dbc.CardHeader(t("kdmp.outlets", lang)), dbc.CardBody([
        html.P(components.sentence(t("kdmp.outlets.note", lang),
                                   n=components.figure("kdmp_operating", row.get("kdmp_operating"), lang, where,
                                                       className="fw-semibold")), className="small mb-1"),
        dcc.Graph(id="kdmp-outlets", figure=fig, config=charts.STATIC_CONFIG),
        html.Div([html.Span([t_marked(labels.KDMP_OUTLETS[o], lang), ": ",
                             components.figure(k, row.get(k), lang, where)], className="me-2 text-nowrap")
                  for o, k in zip(vocabulary.KDMP_OUTLETS, OUTLETS)], className="small visually-hidden",
                 id="kdmp-outlet-figures"),
        components.definitions(OUTLETS, lang, element_id="kdmp-outlet-definitions"),
    ])], className="shadow-sm h-100", id="kdmp-outlets-card")


def finance_card(row: dict, v: View, lang: str):
    where = components.kdmp_scope(v.filters.period, v.filters.regency)
    return dbc.Card([dbc.CardHeader(t("kdmp.finance", lang)), dbc.CardBody([
        _figures_list(row, where, (*SCHEMES, *FINANCE), lang, "kdmp-finance-figures"),
        html.P(t("kdmp.finance.note", lang), className="small text-muted mt-2 mb-0"),
        components.definitions((*SCHEMES, *FINANCE), lang, element_id="kdmp-finance-definitions"),
    ])], className="shadow-sm h-100", id="kdmp-finance-card")


def freshness_card(row: dict, v: View, lang: str):
    where = components.kdmp_scope(v.filters.period, v.filters.regency)
    return dbc.Card([dbc.CardHeader(t("kdmp.freshness", lang)), dbc.CardBody([
        _figures_list(row, where, FRESHNESS, lang, "kdmp-freshness-figures"),
        html.P(t("kdmp.freshness.note", lang), className="small text-muted mt-2 mb-0"),
        components.definitions(FRESHNESS, lang, element_id="kdmp-freshness-definitions"),
    ])], className="shadow-sm h-100", id="kdmp-freshness-card")


def trend_card(series: pd.DataFrame, v: View, lang: str):
    s = series.loc[series["period_end"] <= v.filters.period]
    x = [d.isoformat() for d in s["reference_date"]]
    reg = registry.load()
    traces = [dict(type="scatter", mode="lines+markers", x=x, y=[float(y) for y in s[k].fillna(0)],
                   name=reg.get(k).label(lang), line=dict(color=c, width=2), marker=dict(size=4),
                   hovertemplate="%{x|%d %b %Y}: %{y:,.0f}<extra>%{fullData.name}</extra>")
              for k, c in zip(TREND, TREND_COLOURS)]
    fig = charts.figure(traces, lang, height=320, margin=charts.TIGHT_MARGIN, hovermode="x unified",
                        legend={"orientation": "h", "y": -0.2, "x": 0},
                        yaxis={"rangemode": "tozero", "tickformat": ",d"})
    return dbc.Card([dbc.CardHeader(t("kdmp.trend", lang)), dbc.CardBody([
        dcc.Graph(id="kdmp-trend", figure=fig, config=charts.STATIC_CONFIG),
        html.P(t("kdmp.trend.note", lang), className="small text-muted mb-0"),
        components.definitions(TREND, lang, element_id="kdmp-trend-definitions"),
    ])], className="shadow-sm h-100", id="kdmp-trend-card")

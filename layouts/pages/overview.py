"""Ringkasan / Overview: the province at a glance from the registry and the latest reports."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.express as px
from dash import dcc, html

from layouts import components, context
from layouts.i18n import fmt_int, fmt_period, fmt_rupiah, t
from warehouse import queries

PAGE = {"path": "/", "name": "page.overview", "order": 0, "title": "Ringkasan"}


def layout(**_query):
    lang = context.lang()
    engine = context.engine()
    summary = queries.registry_summary(engine)
    status = queries.status(engine)
    if summary["cooperatives"].sum() == 0:
        return html.Div([components.page_header(t("page.overview", lang), t("app.tagline", lang)),
                         components.empty_state(lang)])
    totals = summary[["cooperatives", "active", "legal_entities", "members", "total_assets"]].sum()
    cards = dbc.Row(
        [
            dbc.Col(components.stat_card(
                t("card.cooperatives", lang), fmt_int(totals["cooperatives"], lang),
                f"{fmt_int(totals['active'], lang)} {t('card.active', lang)} · "
                f"{fmt_int(totals['legal_entities'], lang)} {t('card.legal_entities', lang)}", "card-cooperatives"),
                md=6, lg=3),
            dbc.Col(components.stat_card(t("card.members", lang), fmt_int(totals["members"], lang), None,
                                         "card-members"), md=6, lg=3),
            dbc.Col(components.stat_card(t("card.assets", lang), fmt_rupiah(totals["total_assets"], lang), None,
                                         "card-assets"), md=6, lg=3),
            dbc.Col(components.stat_card(
                t("card.reports", lang), fmt_int(queries.report_count(engine), lang),
                t("card.latest_period", lang, period=fmt_period(status.as_of, lang)), "card-reports"), md=6, lg=3),
        ],
        className="g-3 mb-3",
    )
    per_1000 = (summary["members"] / summary["pop_2020"] * 1000).round(1)
    bars = px.bar(
        summary.assign(per_1000=per_1000).sort_values("cooperatives"),
        x="cooperatives", y="short_name", orientation="h",
        labels={"cooperatives": t("table.cooperatives", lang), "short_name": ""},
        hover_data={"active": True, "members": ":,.0f", "per_1000": True},
    )
    bars.update_layout(height=620, margin=dict(l=10, r=10, t=10, b=10), template="plotly_white")
    types = queries.type_counts(engine)
    types["label"] = types["type"].map(lambda v: t(f"type.{v}", lang))
    pie = px.pie(types, names="label", values="cooperatives", hole=0.5)
    pie.update_layout(height=360, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h"))
    return html.Div(
        [
            components.page_header(t("page.overview", lang), t("app.tagline", lang)),
            cards,
            dbc.Row(
                [
                    dbc.Col(dbc.Card([dbc.CardHeader(t("overview.by_regency", lang)),
                                      dbc.CardBody(dcc.Graph(id="overview-regency-bars", figure=bars,
                                                             config={"displaylogo": False}))]), lg=7),
                    dbc.Col(dbc.Card([dbc.CardHeader(t("overview.by_type", lang)),
                                      dbc.CardBody(dcc.Graph(id="overview-type-pie", figure=pie,
                                                             config={"displaylogo": False}))]), lg=5),
                ],
                className="g-3",
            ),
        ]
    )


def register_callbacks(app) -> None:
    """The overview has no callbacks of its own yet; filters arrive with the dashboard pages."""

"""Ringkasan / Overview: the province (or one kabupaten, or one cooperative type) at a glance.

Headline cards with their stored twelve-month changes (cards.py), the health-category distribution (health.py),
alerts that link to the cooperatives (alerts.py), and the kabupaten and type breakdowns (breakdown.py). Every
number is a stored figure shown through `components.figure`."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from layouts import components, context, filters, labels, population, published
from layouts.i18n import N_, fmt_period, t
from layouts.pages.overview.alerts import ALERTS, EXPANDED, alerts
from layouts.pages.overview.breakdown import INDICATOR, INDICATORS, regency_chart, type_chart
from layouts.pages.overview.cards import Area, cards
from layouts.pages.overview.health import health_distribution
from warehouse import queries, read_overview

PAGE = {"path": "/", **components.page_names(N_("page.overview")), "order": 0, "access": "public"}


def layout(**query):
    lang = context.lang()
    engine = context.engine()
    f = filters.parse(query, engine)
    status = queries.status(engine)
    row = read_overview.figures(engine, f.period, f.regency, f.type, f.scope) if f.period is not None else None
    if row is None:
        return html.Div([components.page_header(t("page.overview", lang), t("app.tagline", lang)),
                         components.empty_state(lang)])
    area = Area(row, f.period, f.regency, f.type, lang, f.scope)
    province = row if not f.regency else (read_overview.figures(engine, f.period, None, f.type, f.scope) or {})
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
            population.note(engine, f, lang, PAGE["path"], params),
            cards(area, f, lang),
            dbc.Row([
                dbc.Col([health_distribution(engine, f, lang), type_chart(engine, f, lang)], lg=5,
                        className="d-flex flex-column gap-3"),
                dbc.Col(alerts(engine, f, lang, snap, status.is_demo, params), lg=7),
            ], className="g-3 mb-3"),
            regency_chart(engine, f, lang, indicator, province),
            published.series_card(lang) if not f.regency and not f.type else None,
        ],
        className="overview",
    )


def register_callbacks(app) -> None:
    """Every control of the page is a URL filter (written by `filters.register_callbacks`); no callbacks here."""


__all__ = ["PAGE", "layout", "register_callbacks"]

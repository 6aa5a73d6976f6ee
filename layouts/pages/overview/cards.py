"""The overview's headline cards, each with its stored twelve-month change and what that change compares."""
from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from indicators import registry
from layouts import components, filters
from layouts.i18n import fmt_figure, fmt_number, fmt_period, missing, t


def year_earlier(period: date) -> date:
    return (pd.Timestamp(period) - pd.offsets.MonthEnd(12)).date()


class Area:
    """One stored row of figures (an area, type and month-end) and how the page shows its numbers."""

    def __init__(self, row: dict | None, period: date, regency: str | None, kind: str | None, lang: str,
                 population: str | None = None):
        self.row = row or {}
        self.period = period
        self.scope = components.area_scope(period, regency, kind, population)
        self.lang = lang

    def get(self, indicator_id: str):
        return self.row.get(indicator_id)

    def fig(self, indicator_id: str, text: str | None = None, **kwargs):
        return components.figure(indicator_id, self.get(indicator_id), self.lang, self.scope, text=text, **kwargs)


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
    if missing(value):
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
    previous = fmt_period(year_earlier(area.period), lang)
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

    if not f.type and not missing(area.get("digital_target")):
        progress = area.get("pct_digital_target")
        digital_parts = [
            dbc.Progress(value=0 if missing(progress) else min(progress, 100), max=100, className="my-1",
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
    digital_ids = (["pct_digital_target", "digital_target"] if not f.type and not missing(area.get("digital_target"))
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

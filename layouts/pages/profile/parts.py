"""What the profile's cards share: the card frame, the category badges, the snapshot sentence, the charts' layout."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from layouts import charts, components, labels
from layouts.i18n import fmt_period, missing, t

# The registry entries behind the snapshot statement (which report the figures come from).
SNAPSHOT_FLAGS = ("monitored", "reported")


def card(title, body, card_id: str | None = None, subtitle=None, class_name: str = "mb-3 h-100"):
    """A card of the profile: its title (and a smaller subtitle) in the header, `body` below."""
    head = [html.Span(title)]
    if subtitle:
        head.append(html.Div(subtitle, className="small text-muted fw-normal"))
    return dbc.Card([dbc.CardHeader(head), dbc.CardBody(body)], className=class_name, id=card_id)


def chart(data: list, layout: dict, height: int, lang: str) -> dict:
    """A profile chart: `height` pixels, small margins and font, then the chart's own `layout`."""
    return charts.figure(data, lang, **{"height": height, "margin": charts.TIGHT_MARGIN, "font": {"size": 12},
                                        **layout})


def category_badge(key, lang: str, **kwargs):
    """A score's health category as a coloured badge (the Rankings grid draws the same in rankings.js)."""
    name = key if key in labels.HEALTH_CATEGORIES else "none"
    return html.Span(labels.category(key, lang), className=f"badge rankings-cat rankings-cat-{name}", **kwargs)


def snapshot_badge(snap, latest, lang: str, **kwargs):
    """The health category badge: the snapshot's (the one the Rankings show), with its definition on hover."""
    if snap is None:  # snapshots not computed yet: the latest score's own category
        return category_badge(latest["category"] if latest is not None else None, lang, **kwargs)
    key = snap.get("health_category")
    key = key if isinstance(key, str) else None
    name = key or "none"
    return components.figure("health_category", key, lang, components.snapshot_scope(snap["nik"], snap["period_end"]),
                             text=labels.category(key, lang), className=f"badge rankings-cat rankings-cat-{name}",
                             element_id=kwargs.get("id"))


def snapshot_basis(snap, lang: str) -> list:
    """Which report a snapshot's figures come from, in words: the latest report in the 12 months up to the
    period (the stored monitored / reported flags), and that the Rankings show the same."""
    period = fmt_period(snap["period_end"], lang)
    if not bool(snap.get("monitored")):
        return [t("pf.snapshot_not_monitored", lang, period=period)]
    source = snap.get("source_period")
    source = "–" if missing(source) else fmt_period(pd.Timestamp(source).date(), lang)
    own = (t("pf.snapshot_reported", lang, period=period, source=source) if bool(snap.get("reported")) else
           t("pf.snapshot_not_reported", lang, period=period, source=source))
    return [t("pf.snapshot_basis", lang, period=period), " ", own]

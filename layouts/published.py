"""The card of figures others published (indicators/published.toml): the 2023 series and the governor's May 2025
figures side by side, each with its source, with the note that they do not line up and are not merged."""
from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from indicators import published
from layouts.i18n import N_, fmt_date, fmt_int, fmt_rupiah, t, t_marked

ROWS = (  # (key in the series, label key, how it is written)
    ("cooperatives", N_("pub.cooperatives"), "count"),
    ("legal_entities", N_("pub.legal_entities"), "count"),
    ("active", N_("pub.active"), "count"),
    ("members", N_("pub.members"), "count"),
    ("total_assets", N_("pub.total_assets"), "rupiah"),
    ("own_capital", N_("pub.own_capital"), "rupiah"),
    ("shu_2024", N_("pub.shu_2024"), "rupiah"),
)


def _value(value, kind: str, lang: str) -> str:
    if value is None:
        return "–"
    return fmt_rupiah(value, lang) if kind == "rupiah" else fmt_int(value, lang)


def _label(item: dict, lang: str) -> str:
    return item["label_en"] if lang == "en" else item["label_id"]


def series_card(lang: str):
    """Both published series as a small table: one column each, their date and source under it."""
    series = published.series()
    head = html.Thead(html.Tr([html.Th(""), *(html.Th([_label(s, lang), html.Br(),
                                                        html.Span(fmt_date(date.fromisoformat(s["as_of"]), lang),
                                                                  className="fw-normal text-muted small")])
                                               for s in series)]))
    body = html.Tbody([html.Tr([html.Td(t_marked(label, lang)), *(html.Td(_value(s.get(key), kind, lang),
                                                                          className="text-end") for s in series)])
                       for key, label, kind in ROWS if any(key in s for s in series)])
    sources = html.Ul([html.Li(f"{_label(s, lang)}: {s['source']}") for s in series], className="small text-muted mb-1")
    return dbc.Card([dbc.CardHeader(t("pub.title", lang)), dbc.CardBody([
        html.P(t("pub.note", lang), className="small mb-2"),
        dbc.Table([head, body], size="sm", className="mb-2 published-table", id="published-series"),
        sources,
    ])], className="shadow-sm mt-3", id="published-card")

"""The KDMP page's head: the headline figures of the area (the province or a kabupaten) as stored, the milestone
funnel, and the province's own published report beside them."""
from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from indicators import published
from layouts import charts, components, labels
from layouts.i18n import fmt_date, fmt_int, t, t_marked
from layouts.pages.kdmp.view import STAGES, View

# The stored count behind each milestone of the funnel, in order (registry ids).
FUNNEL = {"musdesus": "kdmp_musdesus", "badan_hukum": "kdmp_legal", "nib_npwp_rekening": "kdmp_nib_npwp_bank",
          "simkopdes": "kdmp_simkopdes", "lahan": "kdmp_land", "pembangunan": "kdmp_construction",
          "serah_terima": "kdmp_handover", "gerai": "kdmp_operating", "rat_pertama": "kdmp_first_rat"}
# Headline cards: (count, the stored share beside it or None).
CARDS = (("kdmp_legal", "pct_kdmp_legal"), ("kdmp_nib", "pct_kdmp_nib"), ("kdmp_simkopdes", "pct_kdmp_simkopdes"),
         ("kdmp_land", "pct_kdmp_land"), ("kdmp_construction", "pct_kdmp_construction"),
         ("kdmp_operating", "pct_kdmp_operating"), ("kdmp_first_rat", None), ("kdmp_stale", "pct_kdmp_stale"))
COLOURS = ("#9ec5fe", "#6ea8fe", "#3d8bfd", "#0d6efd", "#0a58ca", "#198754", "#157347", "#0f5132", "#6f42c1")


def _card(row: dict, where: str, count: str, share: str | None, lang: str):
    from indicators import registry

    ind = registry.load().get(count)
    value = components.figure(count, row.get(count), lang, where, className="fs-4 fw-semibold",
                              element_id=f"kdmp-card-{count}")
    detail = components.figure(share, row.get(share), lang, where, className="text-muted") if share else None
    return dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(ind.label(lang), className="small text-muted text-uppercase kdmp-card-label"),
        html.Div([value, " ", detail] if detail else value),
    ], className="py-2")), xs=6, md=3, className="mb-2")


def headline(row: dict, v: View, lang: str):
    where = components.kdmp_scope(v.filters.period, v.filters.regency)
    total = html.P(components.sentence(
        t("kdmp.total", lang),
        n=components.figure("kdmp_villages", row.get("kdmp_villages"), lang, where, className="fw-semibold",
                            element_id="kdmp-total"),
        desa=components.figure("kdmp_desa", row.get("kdmp_desa"), lang, where, element_id="kdmp-total-desa"),
        kelurahan=components.figure("kdmp_kelurahan", row.get("kdmp_kelurahan"), lang, where,
                                    element_id="kdmp-total-kelurahan"),
        date=fmt_date(v.reference_date, lang)), className="mb-2", id="kdmp-total-line")
    cards = dbc.Row([_card(row, where, count, share, lang) for count, share in CARDS], className="g-2")
    return html.Div([total, cards, components.definitions(
        ["kdmp_villages", *(c for c, _ in CARDS), *(s for _, s in CARDS if s)], lang,
        element_id="kdmp-card-definitions")], id="kdmp-headline", className="mb-3")


def published_note(lang: str):
    """The province's own report of the KDMP formed, with its source (not a figure of this dashboard)."""
    p = published.kdmp()
    text = t("kdmp.published", lang, n=fmt_int(p["villages"], lang), desa=fmt_int(p["desa"], lang),
             kelurahan=fmt_int(p["kelurahan"], lang), date=fmt_date(date.fromisoformat(p["legal_by"]), lang),
             national=fmt_int(p["national"], lang), simkopdes=fmt_int(p["national_simkopdes"], lang),
             national_date=fmt_date(date.fromisoformat(p["national_as_of"]), lang))
    return html.Div([html.Span(t("kdmp.published.label", lang) + " ", className="fw-semibold"), text,
                     html.Div(f"{p['source']} · {p['national_source']}", className="text-muted")],
                    className="small border-start border-3 ps-2 mb-3", id="kdmp-published")


def funnel(row: dict, v: View, lang: str):
    """The stored count of KDMP that reached each milestone (a village may reach a later one first: the counts
    are of each milestone, not of a strict sequence)."""
    where = components.kdmp_scope(v.filters.period, v.filters.regency)
    names = [t_marked(labels.KDMP_STAGES[s], lang) for s in STAGES]
    values = [row.get(FUNNEL[s]) or 0 for s in STAGES]
    bars = dict(type="bar", orientation="h", y=names, x=[float(x) for x in values], marker=dict(color=list(COLOURS)),
                text=[fmt_int(x, lang) for x in values], textposition="outside", cliponaxis=False,
                hovertemplate="%{y}: %{text}<extra></extra>")
    fig = charts.figure([bars], lang, height=330, margin={"l": 10, "r": 60, "t": 10, "b": 10},
                        yaxis={"autorange": "reversed", "automargin": True},
                        xaxis={"rangemode": "tozero", "tickformat": ",d"})
    figures = html.Div([html.Span([t_marked(labels.KDMP_STAGES[s], lang), ": ",
                                   components.figure(FUNNEL[s], row.get(FUNNEL[s]), lang, where,
                                                     className="fw-semibold")], className="me-3 text-nowrap")
                        for s in STAGES], className="small", id="kdmp-funnel-figures")
    return dbc.Card([dbc.CardHeader(t("kdmp.funnel", lang)), dbc.CardBody([
        dcc.Graph(id="kdmp-funnel", figure=fig, config=charts.STATIC_CONFIG),
        figures,
        html.P(t("kdmp.funnel.note", lang), className="small text-muted mt-1 mb-0"),
        components.definitions(list(FUNNEL.values()), lang, element_id="kdmp-funnel-definitions"),
    ])], className="shadow-sm h-100", id="kdmp-funnel-card")

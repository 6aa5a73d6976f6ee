"""The profile's health card: the snapshot's score and category, the report behind them, each aspect's points."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import charts, components, labels
from layouts.i18n import fmt_number, fmt_pct, fmt_period, missing, t
from layouts.pages.profile import methods
from layouts.pages.profile.parts import SNAPSHOT_FLAGS, card, category_badge, chart, snapshot_badge, snapshot_basis
from warehouse import read_profile


def health_card(data: read_profile.Profile, snap, main: str, latest, lang: str):
    """The card of the snapshot's health (`latest`: the score row whose aspects are drawn, see methods.latest)."""
    title = t("pf.health", lang)
    if snap is None and latest is None:
        return card(title, html.P(t("pf.no_score", lang), className="mb-0"), "profile-health")
    if snap is not None:
        scope_ = components.snapshot_scope(snap["nik"], snap["period_end"])
        headline = [
            html.Div(components.figure("health_total", snap.get("health_total"), lang, scope_, digits=1),
                     className="profile-score", id="profile-score"),
            html.Div(snapshot_badge(snap, latest, lang), className="my-2"),
            html.Div(labels.word(methods.FRAMEWORKS, main, lang), className="small fw-semibold"),
            html.Div([*snapshot_basis(snap, lang), " ", t("pf.same_as_rankings", lang)],
                     className="small text-muted", id="profile-snapshot-basis"),
        ]
        notes = ["health_total", "health_category", *SNAPSHOT_FLAGS]
    else:
        headline = [
            html.Div(fmt_number(latest["total"], 1, lang), className="profile-score", id="profile-score"),
            html.Div(category_badge(latest["category"], lang), className="my-2"),
            html.Div(labels.word(methods.FRAMEWORKS, main, lang), className="small fw-semibold"),
        ]
        notes = []
    if snap is not None and not bool(snap.get("monitored")):
        latest = None  # an old report's aspects are no current health: the history chart keeps them
    report = []
    if latest is not None:
        report = [
            html.Div(t("pf.health_period", lang, period=fmt_period(latest["period_end"], lang),
                       coverage=fmt_pct(latest["coverage"], 0, lang)),
                     className="small text-muted mt-2", id="profile-score-report"),
            _score_source(data.reports, latest["period_end"], lang),
        ]
        notes += ["score_total", "score_coverage"]
    aspects = (_aspect_chart(main, methods.stored_components(latest["components"]), latest["category"],
                             latest["period_end"], lang)
               if latest is not None else
               html.P(t("pf.no_current_score", lang) if snap is not None else t("pf.no_score", lang),
                      className="small text-muted"))
    body = [dbc.Row([dbc.Col(headline + report, md=4, className="mb-2"), dbc.Col(aspects, md=8)], className="g-2"),
            components.definitions(notes, lang, element_id="profile-health-definitions") if notes else None]
    return card(title, body, "profile-health")


def _score_source(reports: pd.DataFrame, period, lang: str):
    rows = reports.loc[reports["period_end"].eq(period) & reports["is_current"].astype(bool)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return html.Div(t("pf.score_from", lang, period=fmt_period(period, lang), revision=int(row["revision"]),
                      run=int(row["ingest_run_id"]), target=row["run_target"] or "–"),
                    className="small text-muted mt-1", id="profile-score-source")


def _aspect_chart(method: str, parts: dict, category, period, lang: str):
    aspects = [(key, label, weight) for key, label, weight in methods.aspects(method, lang) if weight]
    if not aspects or not any(key in parts for key, _, _ in aspects):
        return html.P(t("pf.no_score", lang), className="small text-muted")
    names = [label for _, label, _ in aspects][::-1]
    maxima = [float(weight) for _, _, weight in aspects][::-1]
    points = [parts.get(key) for key, _, _ in aspects][::-1]
    points = [None if missing(p) else float(p) for p in points]
    text = [f"{fmt_number(p, 1, lang) if p is not None else '–'} / {fmt_number(m, 0, lang)}"
            for p, m in zip(points, maxima)]
    colour = labels.CATEGORY_COLOURS.get(category, "#6c757d")
    data = [
        {"type": "bar", "y": names, "x": maxima, "orientation": "h", "name": t("pf.max", lang),
         "marker": {"color": "#e9ecef"}, "hoverinfo": "skip", "width": 0.8},
        {"type": "bar", "y": names, "x": points, "orientation": "h", "name": t("pf.points", lang), "width": 0.5,
         "marker": {"color": colour}, "text": text, "textposition": "outside", "cliponaxis": False,
         "hovertemplate": "%{y}: %{text}<extra></extra>"},
    ]
    layout = {"barmode": "overlay", "showlegend": False, "bargap": 0.2,
              "xaxis": {"range": [0, max(maxima) * 1.35], "showticklabels": False, "showgrid": False},
              "yaxis": {"automargin": True}}
    return html.Div([html.Div(t("pf.aspects", lang, period=fmt_period(period, lang)), className="small text-muted"),
                     dcc.Graph(id="profile-aspects", figure=chart(data, layout, 40 + 34 * len(aspects), lang),
                               config=charts.STATIC_CONFIG)])

"""The profile's score history against the method's category bands, and the other methods' latest results."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import charts, components, labels
from layouts.i18n import N_, fmt_number, fmt_period, missing, t
from layouts.pages.profile import methods
from layouts.pages.profile.parts import card, category_badge, chart

PEARLS_FLAGS = {"pass": N_("pf.pearls_flag.pass"), "warn": N_("pf.pearls_flag.warn"), "fail": N_("pf.pearls_flag.fail")}


def _history(scores: pd.DataFrame, main: str, lang: str):
    rows = scores.loc[scores["framework"].isin([main, "ksp2021"]) & scores["total"].notna()]
    if rows.empty:
        return html.P(t("pf.no_score", lang), className="mb-0")
    bands = methods.category_bands(main)
    shapes = [{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": low, "y1": high,
               "fillcolor": labels.CATEGORY_COLOURS.get(key, "#6c757d"), "opacity": 0.07, "line": {"width": 0},
               "layer": "below"}
              for key, low, high in bands]
    shapes += [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": low, "y1": low,
                "line": {"color": "#6c757d", "width": 1, "dash": "dot"}} for _key, low, _high in bands if low]
    annotations = [{"x": 1, "xref": "paper", "xanchor": "right", "y": low, "yshift": 2 if low else 4, "yref": "y",
                    "yanchor": "bottom", "showarrow": False,
                    "text": f"{labels.category(key, lang)} ≥ {fmt_number(low, 0, lang)}" if low
                    else labels.category(key, lang),
                    "font": {"size": 10, "color": labels.CATEGORY_COLOURS.get(key, "#6c757d")},
                    "bgcolor": "rgba(255,255,255,0.75)"}
                   for key, low, _high in bands]
    data = []
    styles = {main: {"color": "#0d47a1", "width": 2.5}, "ksp2021": {"color": "#7e57c2", "width": 1.5, "dash": "dash"}}
    for framework, style in styles.items():
        part = rows.loc[rows["framework"].eq(framework)]
        if part.empty:
            continue
        data.append({"type": "scatter", "x": part["period_end"].astype(str).tolist(),
                     "y": part["total"].tolist(), "mode": "lines", "line": style,
                     "name": labels.word(methods.FRAMEWORKS, framework, lang),
                     "hovertemplate": "%{x|%m/%Y}: %{y:.1f}<extra></extra>"})
    layout = {"shapes": shapes, "annotations": annotations, "hovermode": "x unified",
              "yaxis": {"range": [0, 100], "title": {"text": t("pf.score", lang)}},
              "xaxis": {"type": "date"}, "legend": {"orientation": "h", "y": -0.15, "x": 0}}
    return [dcc.Graph(id="profile-history-chart", figure=chart(data, layout, 320, lang), config=charts.GRAPH_CONFIG),
            components.definitions(["score_total", "score_category"], lang)]


def history_row(scores: pd.DataFrame, main: str, lang: str):
    """Score history, with the other methods' results beside it when there are any (else the chart is full width)."""
    history = card(t("pf.history", lang), _history(scores, main, lang), "profile-history")
    other = _other_methods(scores, lang)
    if not other:
        return dbc.Row(dbc.Col(history, className="mb-3"), className="g-3")
    return dbc.Row([dbc.Col(history, lg=7, className="mb-3"),
                    dbc.Col(card(t("pf.other", lang), other, "profile-other"), lg=5, className="mb-3")],
                   className="g-3")


def _other_methods(scores: pd.DataFrame, lang: str) -> list:
    blocks = []
    ksp2021 = methods.latest(scores, "ksp2021")
    if ksp2021 is not None and not missing(ksp2021["total"]):
        parts = methods.stored_components(ksp2021["components"])
        aspects = [html.Li(t("pf.aspect_pct", lang, aspect=label, value=fmt_number(parts[key], 1, lang)))
                   for key, label, _ in methods.aspects("ksp2021", lang) if not missing(parts.get(key))]
        blocks.append(html.Div([
            html.Div(t("pf.framework.ksp2021", lang), className="fw-semibold small"),
            html.Div([html.Span(fmt_number(ksp2021["total"], 1, lang), className="fs-4 fw-bold me-2"),
                      category_badge(ksp2021["category"], lang),
                      html.Span(" " + fmt_period(ksp2021["period_end"], lang), className="small text-muted")]),
            html.Ul(aspects, className="small mb-3 ps-3"),
        ], id="profile-ksp2021"))
    pearls = methods.latest(scores, "pearls")
    if pearls is not None:
        parts = methods.stored_components(pearls["components"])
        pearls_labels = methods.pearls_labels(lang)
        flag_class = {"pass": "text-success", "warn": "text-warning-emphasis", "fail": "text-danger"}
        rows = []
        for code, label in pearls_labels.items():
            if missing(parts.get(code)):
                continue
            flag = parts.get(f"{code}_flag")
            rows.append(html.Tr([
                html.Td(code, className="fw-semibold"), html.Td(label, style={"whiteSpace": "normal"}),
                html.Td(f"{fmt_number(parts[code], 1, lang)} %", className="text-end"),
                html.Td(labels.word(PEARLS_FLAGS, flag, lang) if flag in PEARLS_FLAGS else "–",
                        className=flag_class.get(flag, "")),
            ]))
        blocks.append(html.Div([
            html.Div([t("pf.framework.pearls", lang), " ",
                      html.Span(fmt_period(pearls["period_end"], lang), className="text-muted fw-normal")],
                     className="fw-semibold small mb-1"),
            dbc.Table(html.Tbody(rows), size="sm", className="profile-table mb-0", responsive=True),
        ], id="profile-pearls"))
    return blocks

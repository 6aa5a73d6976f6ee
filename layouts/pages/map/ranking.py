"""The map's indicators and the kabupaten ranked by one (rank 1 = best by the registry direction) as a table."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import dcc, html

from indicators import registry
from layouts import components, filters
from layouts.i18n import N_, t, t_marked

INDICATOR = "indikator"  # URL parameter
# The indicators the switch offers (registry ids); label, unit and direction come from the registry.
INDICATORS = ("pct_go_digital", "go_digital", "pct_digital_active", "avg_health_score", "pct_sehat",
              "pct_rat_compliant", "reporting_rate", "members_per_1000", "total_assets")
DEFAULT_INDICATOR = "pct_go_digital"
RANK_NOTES = {"higher": N_("map.ranking.note.higher"), "lower": N_("map.ranking.note.lower")}


def population_count(indicator_id: str) -> str | None:
    """The area count a figure is taken over (the registry's rule, shared by every page)."""
    return registry.load().population_count(indicator_id)


def ranks(values: pd.Series, indicator_id: str) -> pd.Series:
    """Rank 1 = best by the registry direction (ties share the better rank); no value, or a figure without a
    direction, has no rank."""
    direction = registry.load().get(indicator_id).direction
    numbers = values.astype(float)
    if direction not in ("higher", "lower"):
        return pd.Series(np.nan, index=values.index)
    return numbers.rank(ascending=direction == "lower", method="min")


def ranked(values: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The kabupaten with their stored `value` and `rank`, best first (no value last)."""
    out = values[["code", "name", "short_name", "label_lat", "label_lon"]].copy()
    out["value"] = values[indicator_id].astype(float)
    out["rank"] = ranks(out["value"], indicator_id)
    if out["rank"].notna().any():
        return out.sort_values(["rank", "short_name"], na_position="last").reset_index(drop=True)
    return out.sort_values(["value", "short_name"], ascending=[False, True], na_position="last").reset_index(drop=True)


def ranking_table(frame: pd.DataFrame, indicator: str, f: filters.Filters, lang: str, selected: str | None):
    rows = []
    for row in frame.itertuples():
        href = "/peta" + f.query(kab=row.code, **{INDICATOR: indicator})
        rows.append(html.Tr(
            [html.Td(int(row.rank) if pd.notna(row.rank) else "–", className="text-muted"),
             html.Td(dcc.Link(row.short_name, href=href)),
             html.Td(components.figure(indicator, row.value, lang,
                                       components.area_scope(f.period, row.code, None, f.scope)),
                     className="text-end text-nowrap")],
            className="table-active fw-semibold" if row.code == selected else None, id=f"map-rank-{row.code}"))
    head = html.Thead(html.Tr([html.Th(t("map.col.rank", lang)), html.Th(t("map.col.regency", lang)),
                               html.Th(t("map.col.value", lang), className="text-end")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, className="mb-0 map-ranking-table",
                     id="map-ranking")


def rank_note(indicator: str, lang: str) -> str:
    direction = registry.load().get(indicator).direction
    return t_marked(RANK_NOTES[direction], lang) if direction in RANK_NOTES else t("map.ranking.note.none", lang)


def population_note(indicator: str, province: dict, period, lang: str, population: str | None = None):
    """Over which cooperatives (or reports) the figure is taken, with the stored province count of them."""
    reg = registry.load()
    ind = reg.get(indicator)
    parts = [html.Span(t("map.population", lang), className="fw-semibold"), " ",
             reg.population_label(ind.population, lang)]
    count = population_count(indicator)
    if count is not None and province.get(count) is not None:
        parts += [" (", components.figure(count, province.get(count), lang,
                                          components.area_scope(period, None, None, population)), " ",
                  t("map.population.province", lang), ")"]
    parts += [": ", reg.population_description(ind.population, lang)]
    return html.Div(parts, id="map-population", className="mb-1")


def indicator_dropdown(indicator: str, lang: str):
    options = [{"label": registry.load().get(key).label(lang), "value": key} for key in INDICATORS]
    return html.Div([
        dbc.Label(t("map.indicator", lang), className="small text-muted mb-0", html_for=f"filter-{INDICATOR}"),
        # the shared filter callback writes every {"type": "filter"} control to the URL (?indikator=...)
        dcc.Dropdown(id={"type": "filter", "name": INDICATOR}, options=options, value=indicator, clearable=False),
    ])

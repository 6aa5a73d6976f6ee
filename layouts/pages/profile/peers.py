"""The profile's peer comparison: the snapshot's key ratios and percentiles beside the peer group's median and range."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from indicators import registry
from layouts import charts, components, labels
from layouts.i18n import N_, fmt_figure, fmt_int, fmt_period, missing, t
from layouts.pages.profile.parts import SNAPSHOT_FLAGS, card, chart, snapshot_basis
from warehouse import read_profile
from warehouse.models import PEER_INDICATORS

# The figures the peer comparison shows (their percentiles are pct_<column>); their order is the rankings'.
PEER_FIGURES = tuple(name for name, _higher in PEER_INDICATORS)
# On a phone the table keeps the cooperative's value and its percentile (the chart below it draws the median and
# the middle range); the median comes back from 576 px, the range and group size from 768 px.
_SMALL_UP = "d-none d-sm-table-cell"
_WIDE_ONLY = "d-none d-md-table-cell"
DIRECTIONS = {"higher": N_("pf.direction.higher"), "lower": N_("pf.direction.lower")}


def _text(value, unit: str, lang: str, digits: int = 1) -> str:
    """A figure written by its unit (missing → "–")."""
    return fmt_figure(None if missing(value) else float(value), unit, lang, digits)


def _direction_mark(indicator_id: str, lang: str):
    """↑ / ↓ after a figure's name when its registry direction says higher / lower is better (nothing otherwise)."""
    direction = registry.load().get(indicator_id).direction
    if direction == "none":
        return None
    return html.Span(" ↑" if direction == "higher" else " ↓", className="text-muted",
                     title=labels.word(DIRECTIONS, direction, lang))


def peers_card(data: read_profile.Profile, snap, lang: str):
    """The snapshot's key ratios (stored, as the Rankings show them) with their stored peer percentiles, beside
    the stored peer-group median and middle range of the same snapshot period."""
    title = t("pf.peers", lang)
    if snap is None:
        return card(title, html.P(t("pf.no_snapshot", lang), className="mb-0 small text-muted"), "profile-peers",
                    class_name="mb-3")
    reg = registry.load()
    scope_ = components.snapshot_scope(snap["nik"], snap["period_end"])
    stats = data.peer_stats.set_index("indicator") if not data.peer_stats.empty else pd.DataFrame()
    rows, chart_rows, shown = [], [], []
    for name in PEER_FIGURES:
        ind = reg.get(name)
        column = ind.columns("snapshots")[0]
        pct_id = f"pct_{column}"
        value, pct = snap.get(column), snap.get(pct_id)
        stat = stats.loc[name] if name in stats.index else None

        def peer(v):  # peer statistics are stored per indicator but are no registry figure of their own
            return "–" if stat is None else _text(v, ind.unit, lang)

        label = [html.Span(ind.label(lang), title=components.definition_title(name, lang)),
                 _direction_mark(name, lang)]
        rows.append(html.Tr([
            html.Td(label, style={"whiteSpace": "normal"}),
            html.Td(components.figure(name, value, lang, scope_, text=_text(value, ind.unit, lang)),
                    className="text-end fw-semibold", id=f"profile-value-{name}"),
            html.Td(peer(None if stat is None else stat["median"]), className=f"text-end {_SMALL_UP}"),
            html.Td("–" if stat is None else f"{peer(stat['p25'])} – {peer(stat['p75'])}",
                    className=f"text-end {_WIDE_ONLY}"),
            html.Td(components.figure(pct_id, pct, lang, scope_,
                                      text="–" if missing(pct) else "P" + fmt_figure(pct, "percentile", lang, 0)),
                    className="text-end", id=f"profile-pct-{name}"),
            html.Td("–" if stat is None else fmt_int(stat["n"], lang), className=f"text-end text-muted {_WIDE_ONLY}"),
        ]))
        shown += [name, pct_id]
        if stat is not None and not missing(value) and not missing(stat["p25"]):
            chart_rows.append((name, ind, float(value), stat))
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(t("pf.col.indicator", lang)),
                             html.Th(t("pf.col.value", lang), className="text-end"),
                             html.Th(t("pf.col.median", lang), className=f"text-end {_SMALL_UP}"),
                             html.Th(t("pf.col.iqr", lang), className=f"text-end {_WIDE_ONLY}"),
                             html.Th(t("pf.col.pct", lang), className="text-end"),
                             html.Th(t("pf.col.n", lang), className=f"text-end {_WIDE_ONLY}")])),
         html.Tbody(rows)],
        size="sm", hover=True, responsive=True, className="profile-table mb-1", id="profile-peer-table",
    )
    basis = html.P([*snapshot_basis(snap, lang), " ", t("pf.peers_same", lang)], className="small mb-1",
                   id="profile-peers-basis")
    note = html.P(t("pf.pct_note", lang), className="small text-muted mb-0")
    subtitle = t("pf.peers_sub", lang, group=labels.peer_group(snap.get("peer_group"), lang),
                 period=fmt_period(snap["period_end"], lang))
    chart = _range_chart(chart_rows, lang)
    body = [dbc.Row([dbc.Col([basis, table, note], lg=7), dbc.Col(chart, lg=5)], className="g-3"),
            components.definitions([*shown, *SNAPSHOT_FLAGS], lang, element_id="profile-peers-definitions")]
    return card(title, body, "profile-peers", subtitle=subtitle, class_name="mb-3")


def _range_chart(rows: list, lang: str):
    if not rows:
        return None
    # One small panel per indicator (each on its own scale), stacked: axis i+1 spans its own band of the height.
    data, layout = [], {"showlegend": False}
    step = 1 / len(rows)
    colours = {"better": "#198754", "worse": "#e8760a", "none": "#0d6efd"}
    for i, (name, ind, value, stat) in enumerate(rows):
        label = ind.label(lang)
        # Better or worse than the median only where the registry gives the figure a direction.
        side = ("none" if ind.direction == "none" else
                "better" if (value >= stat["median"]) == (ind.direction == "higher") else "worse")
        lo, hi = min(value, stat["p25"]), max(value, stat["p75"])
        pad = (hi - lo) * 0.12 or 1.0  # axis room around the points, not a figure
        suffix = "" if i == 0 else str(i + 1)
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        data += [
            {"type": "scatter", "x": [stat["p25"], stat["p75"]], "y": [label, label], "mode": "lines",
             "line": {"color": "#ced4da", "width": 10}, "hoverinfo": "skip", **axes},
            {"type": "scatter", "x": [stat["median"]], "y": [label], "mode": "markers",
             "marker": {"symbol": "line-ns-open", "size": 16, "color": "#495057", "line": {"width": 2}},
             "hovertemplate": t("pf.col.median", lang) + f": {_text(stat['median'], ind.unit, lang)}<extra></extra>",
             **axes},
            {"type": "scatter", "x": [value], "y": [label], "mode": "markers",
             "marker": {"size": 11, "color": colours[side], "line": {"color": "#fff", "width": 1}},
             "hovertemplate": f"{label}: {_text(value, ind.unit, lang)}<extra></extra>", **axes},
        ]
        top = 1 - i * step
        layout[f"yaxis{suffix}"] = {"domain": [top - step + 0.045, top], "anchor": f"x{suffix}",
                                    "tickfont": {"size": 11}, "automargin": True}
        layout[f"xaxis{suffix}"] = {"domain": [0, 1], "anchor": f"y{suffix}", "range": [lo - pad, hi + pad],
                                    "tickfont": {"size": 9}, "nticks": 5}
    return html.Div([dcc.Graph(id="profile-peer-chart", figure=chart(data, layout, 62 * len(rows) + 20, lang),
                               config=charts.STATIC_CONFIG),
                     html.P(t("pf.range_note", lang), className="small text-muted mb-0")])

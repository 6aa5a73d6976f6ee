"""The overview's health categories: stored counts now and twelve months earlier, as bars and as their table."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import charts, components, filters, labels
from layouts.i18n import fmt_int, fmt_period, missing, t
from layouts.pages.overview.cards import year_earlier
from warehouse import read_overview


def health_distribution(engine, f: filters.Filters, lang: str):
    """Cooperatives per health category at the period and twelve months earlier: the stored counts, each period
    over its own scored population (the table's last row)."""
    counts = read_overview.category_counts(engine, f.period, f.regency, f.type, f.scope)
    before = year_earlier(f.period)
    scopes = (components.area_scope(f.period, f.regency, f.type, f.scope),
              components.area_scope(before, f.regency, f.type, f.scope))
    periods = [fmt_period(f.period, lang), fmt_period(before, lang)]
    categories = counts.loc[counts["category"] != "scored"]
    traces = []
    for item in categories.itertuples():
        values = [None if missing(v) else v for v in (item.now, item.prev)]
        traces.append(dict(
            type="bar", name=labels.word(labels.HEALTH_CATEGORIES, item.category, lang), y=periods, x=values,
            orientation="h",
            marker=dict(color=labels.CATEGORY_BAR_COLOURS[item.category]),
            text=[fmt_int(v, lang) if v is not None else "" for v in values],
            textposition="inside", insidetextanchor="middle", textangle=0,
            hovertemplate="%{fullData.name}: %{text}<extra>%{y}</extra>",
            meta=item.category,
        ))
    # the table below is the legend and gives the exact counts; labels that do not fit their segment are hidden
    fig = charts.figure(traces, lang, barmode="stack", height=120, margin=dict(l=10, r=10, t=0, b=0),
                        showlegend=False, uniformtext=dict(minsize=10, mode="hide"),
                        xaxis=dict(showgrid=False, visible=False), yaxis=dict(autorange="reversed"))

    def cell(indicator_id, value, which):
        return html.Td(components.figure(indicator_id, value, lang, scopes[which]), className="text-end")

    rows = []
    for r in counts.itertuples():
        total = r.category == "scored"
        name = (t("ov.health_scored", lang) if total else
                [html.Span("■ ", style={"color": labels.CATEGORY_BAR_COLOURS[r.category]}),
                 labels.word(labels.HEALTH_CATEGORIES, r.category, lang)])
        rows.append(html.Tr([html.Td(name), cell(r.category, r.now, 0), cell(r.category, r.prev, 1)],
                            id=f"ov-cat-{r.category}", className="fw-semibold border-top" if total else None))
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th("")] + [html.Th(label, className="text-end") for label in periods])),
         html.Tbody(rows)],
        size="sm", className="mb-0 small", id="ov-health-table")
    return dbc.Card([dbc.CardHeader(t("ov.health_dist", lang)), dbc.CardBody([
        dcc.Graph(id="ov-health-dist", figure=fig, config=charts.STATIC_CONFIG, style={"height": "120px"}),
        table,
        html.Div(t("ov.health_dist_note", lang), className="small text-muted mt-1"),
        components.definitions([*read_overview.CATEGORIES, "scored"], lang, element_id="ov-health-definitions"),
    ])])

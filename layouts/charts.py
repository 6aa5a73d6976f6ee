"""Plotly figures as plain dicts for every page: plotly_white built once, the reader's decimal marks, graph options."""
from __future__ import annotations

import functools

import plotly.io as pio

# dcc.Graph's config: no plotly logo; a small or static chart leaves the mode bar out (it covers the chart's top).
GRAPH_CONFIG = {"displaylogo": False}
STATIC_CONFIG = {**GRAPH_CONFIG, "displayModeBar": False}
TIGHT_MARGIN = {"l": 10, "r": 10, "t": 10, "b": 10}


@functools.cache
def _plotly_white() -> dict:
    return pio.templates["plotly_white"].to_plotly_json()


def template(trace_types=()) -> dict:
    """plotly_white as plain JSON: its layout, and its trace defaults only for the trace types drawn (the others
    would travel with every figure for nothing)."""
    full = _plotly_white()
    return {"layout": full["layout"], "data": {k: full["data"][k] for k in trace_types if k in full["data"]}}


def separators(lang: str) -> str:
    """Plotly's decimal and thousands marks: 1.234,5 in Indonesian, 1,234.5 in English."""
    return ".," if lang == "en" else ",."


def figure(data: list, lang: str, **layout) -> dict:
    """A plotly figure as a plain dict: traces as dicts (or plotly trace objects, turned into dicts), the
    plotly_white template and the reader's decimal marks under `layout`. Building dicts skips plotly's validation
    of the whole figure, which cost more than a page's reads."""
    traces = [trace.to_plotly_json() if hasattr(trace, "to_plotly_json") else trace for trace in data]
    kinds = dict.fromkeys(trace.get("type", "scatter") for trace in traces)
    return {"data": traces,
            "layout": {"template": template(kinds), "separators": separators(lang), **layout}}

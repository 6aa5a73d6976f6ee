"""The map itself: the kabupaten coloured by one stored figure; name, value, rank and definition on hover.

Without boundaries, markers at the kabupaten capitals."""
from __future__ import annotations

import html as html_text
import math
import textwrap

import numpy as np
import pandas as pd

from indicators import registry
from layouts import charts, components
from layouts.i18n import fmt_figure, missing, t
from warehouse import boundaries

# ColorBrewer YlGnBu, light = low, dark = high (readable for colour-blind readers), without its near-white first
# step so a low value still shows on the white map. Spelled out: plotly.js's own "YlGnBu" runs the other way.
_YLGNBU = ("rgb(237,248,177)", "rgb(199,233,180)", "rgb(127,205,187)", "rgb(65,182,196)", "rgb(29,145,192)",
           "rgb(34,94,168)", "rgb(37,52,148)", "rgb(8,29,88)")
COLORSCALE = [[round(i / (len(_YLGNBU) - 1), 4), colour] for i, colour in enumerate(_YLGNBU)]
NO_DATA_COLOUR = "#d9d9d9"
SELECTED_COLOUR = "#c2185b"


def _value_text(value, indicator_id: str, lang: str) -> str:
    if missing(value):
        return t("map.no_value", lang)
    return fmt_figure(value, registry.load().get(indicator_id).unit, lang)


def _hover_data(frame: pd.DataFrame, indicator_id: str, lang: str, n: int) -> list[list[str]]:
    """Per kabupaten: name, value as the page writes it, "rank r of n" (n = the kabupaten with a rank), code."""
    return [
        [row.name, _value_text(row.value, indicator_id, lang),
         t("map.rank", lang, rank=int(row.rank), n=n) if pd.notna(row.rank) else "", row.code]
        for row in frame.itertuples()
    ]


def _hovertemplate(indicator_id: str, lang: str) -> str:
    """Name, value, rank, then the registry definition in small grey lines (plotly's hover does not wrap)."""
    label = html_text.escape(registry.load().get(indicator_id).label(lang), quote=False)
    lines = textwrap.wrap(components.definition_title(indicator_id, lang), 64)
    definition = "<br>".join(f"<span style='color:#6c757d;font-size:11px'>{html_text.escape(line, quote=False)}"
                             "</span>" for line in lines)
    return ("<b>%{customdata[0]}</b><br>" + label + ": <b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
            + definition + "<extra></extra>")


def _z(frame: pd.DataFrame) -> list:
    return [None if math.isnan(v) else float(v) for v in frame["value"].to_numpy(dtype=float)]


def _colorbar(indicator_id: str, values: list, lang: str) -> dict:
    ind = registry.load().get(indicator_id)
    bar = dict(title=dict(text=html_text.escape(ind.label(lang), quote=False), side="top"), orientation="h", x=0.5,
               xanchor="center", y=0.0, yanchor="top", len=0.8, thickness=10, outlinewidth=0, tickformat=",~f")
    if ind.unit == "percent":
        bar["ticksuffix"] = " %"
    present = [v for v in values if v is not None]
    if ind.unit == "rupiah" and present:
        # plotly writes large numbers as 1.2T / 500G; the ticks are written the page's way instead (Rp1,2 T)
        ticks = sorted(set(np.linspace(min(present), max(present), 4).tolist()))
        bar.update(tickvals=ticks, ticktext=[fmt_figure(v, ind.unit, lang) for v in ticks])
    return bar


def figure(frame: pd.DataFrame, indicator: str, lang: str, shapes: boundaries.Boundaries | None,
           selected: str | None, geojson_url: str | None = None) -> dict:
    """The choropleth (with `shapes`) or, without them, markers at the capitals; hover = name, value, rank and the
    registry definition; z = the stored values.

    A plain figure dict (no plotly.graph_objects): the page re-renders on every URL change and validating the
    GeoJSON through graph objects costs more than the whole rest of the page. The GeoJSON itself is not in the
    figure but at `geojson_url` (served by this app, so it works offline; the browser caches it)."""
    hover = _hovertemplate(indicator, lang)
    n = int(frame["rank"].notna().sum())
    has = frame["value"].notna()
    line = {"color": "white", "width": 0.8}
    traces = []
    if shapes is not None:
        geo = geojson_url or shapes.geojson
        if not has.all():  # the kabupaten without a value stay visible, in grey, saying so
            empty = frame.loc[~has]
            traces.append(dict(
                type="choroplethmap", geojson=geo, featureidkey="properties.code", locations=list(empty["code"]),
                z=[0] * len(empty), colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]], showscale=False,
                customdata=_hover_data(empty, indicator, lang, n), hovertemplate=hover, marker={"line": line},
                name="no-data"))
        data = frame.loc[has]
        z = _z(data)
        traces.append(dict(
            type="choroplethmap", geojson=geo, featureidkey="properties.code", locations=list(data["code"]),
            z=z, colorscale=COLORSCALE, marker={"line": line, "opacity": 0.9},
            customdata=_hover_data(data, indicator, lang, n), hovertemplate=hover,
            colorbar=_colorbar(indicator, z, lang), name="values"))
        if selected:
            traces.append(dict(
                type="choroplethmap", geojson=geo, featureidkey="properties.code", locations=[selected], z=[0],
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False, hoverinfo="skip",
                marker={"line": {"color": SELECTED_COLOUR, "width": 3}}, name="selected"))
        box = shapes.box
    else:
        values = frame["value"].astype(float)
        span = (values.max() - values.min()) if has.any() else 0
        # marker size only places the value on a visual scale (the hover and table give the figure itself)
        share = ((values - values.min()) / span) if span else values * 0 + 0.5
        size = (12 + 26 * np.sqrt(share)).fillna(10).round(1)
        z = _z(frame)
        traces.append(dict(
            # markers only: text on a MapLibre map needs glyphs, which it fetches from the internet
            type="scattermap", lat=list(frame["label_lat"]), lon=list(frame["label_lon"]), mode="markers",
            marker=dict(size=list(size), color=z, colorscale=COLORSCALE, showscale=True,
                        colorbar=_colorbar(indicator, z, lang), opacity=0.9),
            customdata=_hover_data(frame, indicator, lang, n), hovertemplate=hover, name="points"))
        if selected and selected in set(frame["code"]):
            row = frame.loc[frame["code"] == selected].iloc[0]
            traces.append(dict(type="scattermap", lat=[row.label_lat], lon=[row.label_lon], mode="markers",
                               hoverinfo="skip", marker={"size": 44, "color": "rgba(194,24,91,0.25)"},
                               name="selected"))
        box = (frame["label_lon"].min() - 0.3, frame["label_lat"].min() - 0.3, frame["label_lon"].max() + 0.3,
               frame["label_lat"].max() + 0.3)
    box = [round(float(v), 4) for v in box]
    return charts.figure(
        traces, lang,
        map=dict(style="white-bg", center=dict(lon=(box[0] + box[2]) / 2, lat=(box[1] + box[3]) / 2), zoom=5.6),
        margin=dict(l=0, r=0, t=0, b=50),
        showlegend=False,
        meta={"bbox": box},  # map.js fits the zoom to the card's size
        hoverlabel=dict(bgcolor="white", font=dict(size=13)),
    )

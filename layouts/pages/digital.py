"""Target Digital: progress to the province's 1,000 Go Digital cooperatives, over time, through the adoption funnel,
per kabupaten against its share, the cooperatives stuck in migration, and the projected date."""
from __future__ import annotations

import functools
from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from dash import dcc, html

from layouts import components, context, filters, scope
from layouts.i18n import fmt_int, fmt_number, fmt_period, t
from warehouse import queries, read_digital

PAGE = {"path": "/target-digital", "name": "page.digital", "order": 30, "title": "Target Digital"}

# Published provincial figures (Pemprov NTT), shown as references next to the data, never mixed into it.
MILESTONES = ((2022, 276), (2023, 600))
GRAPH_CONFIG = {"displaylogo": False}
BLUE, GREEN, GREY, ORANGE = "#0d6efd", "#198754", "#6c757d", "#fd7e14"


def _separators(lang: str) -> str:
    """Plotly's decimal and thousands separators: 1.234,5 in Indonesian."""
    return ".," if lang == "en" else ",."


def _num_formatter(lang: str, digits: int = 0, suffix: str = "") -> dict:
    """AG Grid value formatter in the reader's locale (the cell keeps its number, so sorting stays numeric)."""
    locale = "en-US" if lang == "en" else "id-ID"
    return {"function": f"params.value == null ? '–' : Number(params.value).toLocaleString('{locale}', "
                        f"{{minimumFractionDigits: {digits}, maximumFractionDigits: {digits}}}) + '{suffix}'"}


def _date_formatter(lang: str) -> dict:
    """AG Grid formatter of an ISO date as 12 Januari 2021 (the cell keeps the ISO text, so it sorts by date)."""
    months = ", ".join(f"'{fmt_period(date(2000, m, 1), lang).split()[0]}'" for m in range(1, 13))
    return {"function": f"params.value ? Number(params.value.slice(8, 10)) + ' ' + [{months}]"
                        "[Number(params.value.slice(5, 7)) - 1] + ' ' + params.value.slice(0, 4) : '–'"}


def _stage_label(stage: str, lang: str) -> str:
    norms = read_digital.norms()
    return norms["stages"]["labels_en" if lang == "en" else "labels_id"].get(stage, stage)


def definition_text(lang: str) -> str:
    stages = [_stage_label(s, lang) for s in read_digital.norms()["go_digital"]["stages"]]
    joined = stages[0] if len(stages) == 1 else ", ".join(stages[:-1]) + f" {t('digital.or', lang)} {stages[-1]}"
    return t("digital.definition", lang, stages=joined)


def projection_text(proj: dict, lang: str) -> str:
    pace = proj.get("pace_per_month")
    reached = proj.get("reached_on")
    if proj.get("already_reached") and reached:
        return t("digital.projection.reached", lang, date=fmt_period(date.fromisoformat(reached), lang))
    if reached:
        return t("digital.projection.date", lang, date=fmt_period(date.fromisoformat(reached), lang),
                 pace=fmt_number(pace, 1, lang))
    if pace is None:
        return t("digital.projection.no_pace", lang)
    return t("digital.projection.none", lang, pace=fmt_number(pace, 1, lang))


def _view(engine, f: filters.Filters) -> dict:
    """Everything the page shows for the chosen period and kabupaten (province when none)."""
    progress = read_digital.progress(engine, f.period)
    norms_target = int(read_digital.norms()["target"]["province"])
    stored = read_digital.projection(engine)
    latest = f.periods[0] if f.periods else None
    if f.regency:
        rows = progress.loc[progress["regency_code"] == f.regency]
        row = rows.iloc[0] if len(rows) else pd.Series({"target": None, "go_digital": None, "name": None})
        target = None if pd.isna(row["target"]) else int(row["target"])
        count = row["go_digital"]
        name = row["name"]
    else:
        target = int((stored or {}).get("target") or norms_target)
        count = progress["go_digital"].sum(min_count=1)
        name = None
    if not f.regency and f.period == latest and stored is not None:
        proj = stored  # the refresh's projection of the province at the latest period
    elif target:
        proj = read_digital.projection_for(engine, f.regency, f.period, target)
    else:
        proj = None
    return {"progress": progress, "target": target, "count": None if pd.isna(count) else int(count), "name": name,
            "projection": proj, "series": read_digital.series(engine, f.regency)}


def progress_card(v: dict, f: filters.Filters, lang: str):
    target, count = v["target"], v["count"]
    title = t("digital.progress_regency", lang, regency=v["name"]) if f.regency else t("digital.progress", lang)
    pct = count / target * 100 if target and count is not None else None
    bar_value = min(pct or 0, 100)
    ticks = []
    if not f.regency and target:
        for year, n in MILESTONES:
            left = n / target * 100
            if left < 100:
                ticks.append(html.Div(
                    html.Span(t("digital.milestone_label", lang, year=year, n=fmt_int(n, lang)),
                              className="small text-muted", style={"position": "absolute", "top": "100%",
                                                                    "transform": "translateX(-50%)",
                                                                    "whiteSpace": "nowrap"}),
                    className="digital-milestone", title=t("digital.trend.published", lang),
                    style={"position": "absolute", "left": f"{left:.2f}%", "top": "-4px", "bottom": "-4px",
                           "borderLeft": "2px dashed #343a40"}))
    bar = html.Div(
        [dbc.Progress(value=bar_value, label=fmt_number(pct, 1, lang) + " %" if pct is not None else "",
                      color="success" if pct is not None and pct >= 100 else "primary",
                      style={"height": "2rem", "fontSize": "1rem"}, id="digital-progress-bar"), *ticks],
        style={"position": "relative", "marginBottom": "1.8rem" if ticks else "0.5rem"},
    )
    remaining = None if target is None or count is None else max(target - count, 0)
    left_col = [
        html.Div(title, className="text-muted small text-uppercase"),
        html.Div([
            html.Span(fmt_int(count, lang), id="digital-progress-count", className="display-5 fw-semibold me-2"),
            html.Span(t("digital.of_target", lang, target=fmt_int(target, lang)), id="digital-progress-target",
                      className="fs-5 text-muted"),
        ], className="mb-2"),
        bar,
        html.Div([
            html.Span([html.Strong(fmt_number(pct, 1, lang) + " %", id="digital-progress-pct"), " ",
                       t("digital.reached", lang)], className="me-3"),
            html.Span(t("digital.target_met", lang) if remaining == 0 else
                      t("digital.remaining_n", lang, n=fmt_int(remaining, lang)), id="digital-progress-remaining",
                      className="me-3"),
            html.Span(t("digital.as_of", lang, period=fmt_period(f.period, lang)), className="text-muted"),
        ], className="small"),
    ]
    right_col = [
        html.P(projection_text(v["projection"], lang) if v["projection"] else "", id="digital-projection",
               className="fw-semibold mb-2"),
        html.P(definition_text(lang), id="digital-definition", className="small mb-2"),
        html.P(t("digital.milestones", lang), id="digital-milestones", className="small text-muted mb-0")
        if not f.regency else None,
    ]
    row = dbc.Row([dbc.Col(left_col, lg=7), dbc.Col(right_col, lg=5, className="mt-3 mt-lg-0")])
    return dbc.Card(dbc.CardBody(row),
                    className="shadow-sm mb-3", id="digital-progress")


@functools.lru_cache(maxsize=1)
def _template() -> dict:
    """plotly_white as a plain dict, built once: a figure given `template="plotly_white"` copies and validates
    the whole template every time, which is most of this page's server time."""
    return pio.templates["plotly_white"].to_plotly_json()


def _figure(traces: list, lang: str, **layout) -> dict:
    """A figure as a plain dict: traces built (and checked) by plotly, the layout not re-validated."""
    return {"data": [trace.to_plotly_json() for trace in traces],
            "layout": {"template": _template(), "separators": _separators(lang),
                       "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, **layout}}


def trend_figure(v: dict, f: filters.Filters, lang: str) -> dict:
    """Monthly Go Digital count up to the chosen period, the target line, the projection (dashed) to the date
    it is reached, and (province) the published provincial figures."""
    s = v["series"]
    s = s.loc[s["period_end"] <= f.period].dropna()
    started = s.index[s["go_digital"] > 0]
    if len(started):  # the years before the first Go Digital cooperative are a flat zero: start a year before it
        s = s.loc[max(started[0] - 12, s.index[0]):]
    months = [p.isoformat() for p in s["period_end"]]
    values = [int(x) for x in s["go_digital"]]
    hover = "%{x|%b %Y}: %{y:,.0f}<extra></extra>"
    traces = [go.Scatter(x=months, y=values, mode="lines", name=t("digital.trend.actual", lang),
                         line=dict(color=BLUE, width=3), hovertemplate=hover)]
    target = v["target"]
    end = months[-1] if months else f.period.isoformat()
    proj = v["projection"] or {}
    if proj.get("reached_on") and not proj.get("already_reached") and months and target:
        traces.append(go.Scatter(x=[months[-1], proj["reached_on"]], y=[values[-1], target], mode="lines+markers",
                                 name=t("digital.trend.projection", lang),
                                 line=dict(color=ORANGE, dash="dash", width=2),
                                 marker=dict(size=[0, 9]), hovertemplate=hover))
        end = max(end, proj["reached_on"])
    if target and months:
        traces.append(go.Scatter(x=[months[0], end], y=[target, target], mode="lines",
                                 name=t("digital.trend.target", lang), line=dict(color=GREY, dash="dot", width=2),
                                 hovertemplate=f"{t('digital.trend.target', lang)}: %{{y:,.0f}}<extra></extra>"))
    if not f.regency:
        traces.append(go.Scatter(
            x=[date(y, 12, 31).isoformat() for y, _ in MILESTONES], y=[n for _, n in MILESTONES], mode="markers+text",
            name=t("digital.trend.published", lang), marker=dict(symbol="diamond", size=11, color=GREEN),
            text=[fmt_int(n, lang) for _, n in MILESTONES], textposition="top center",
            hovertemplate="%{x|%Y}: %{y:,.0f}<extra></extra>"))
    return _figure(traces, lang, height=360, legend={"orientation": "h", "y": -0.15, "x": 0}, hovermode="closest",
                   yaxis={"title": {"text": t("digital.trend.axis", lang)}, "rangemode": "tozero", "tickformat": ",d"})


def funnel_figure(frame: pd.DataFrame, lang: str) -> dict:
    """Identified → migrating → live → transacting: cooperatives at or beyond each step."""
    trace = go.Funnel(
        y=[_stage_label(s, lang) for s in frame["stage"]], x=[int(c) for c in frame["count"]],
        texttemplate="%{value:,.0f}<br>%{percentInitial:.0%}", textposition="inside",
        marker=dict(color=["#9ec5fe", "#6ea8fe", BLUE, GREEN]), connector=dict(fillcolor="#e9ecef"),
        hovertemplate="%{y}: %{x:,.0f} (%{percentInitial:.1%})<extra></extra>",
    )
    return _figure([trace], lang, height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10})


def regency_figure(progress: pd.DataFrame, f: filters.Filters, lang: str) -> dict:
    """Each kabupaten's Go Digital count as % of its target, sorted; the chosen one in orange, reached in green."""
    frame = progress.dropna(subset=["pct"]).sort_values("pct")
    colors = [ORANGE if c == f.regency else (GREEN if p >= 100 else BLUE)
              for c, p in zip(frame["regency_code"], frame["pct"])]
    trace = go.Bar(
        x=[round(float(p), 1) for p in frame["pct"]], y=list(frame["short_name"]), orientation="h",
        marker_color=colors, text=[f"{fmt_number(p, 0, lang)} %" for p in frame["pct"]], textposition="outside",
        cliponaxis=False, customdata=[[n, int(g), int(tg)] for n, g, tg in
                                      zip(frame["name"], frame["go_digital"], frame["target"])],
        hovertemplate="%{customdata[0]}: %{customdata[1]:,.0f} / %{customdata[2]:,.0f} (%{x:.1f} %)<extra></extra>",
    )
    top = max(115.0, float(frame["pct"].max()) * 1.2) if not frame.empty else 115.0
    return _figure([trace], lang, height=max(260, 26 * len(frame) + 60), showlegend=False,
                   margin={"l": 10, "r": 10, "t": 30, "b": 10},
                   shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": 100, "x1": 100, "y0": 0, "y1": 1,
                            "layer": "below", "line": {"color": GREY, "dash": "dot"}}],
                   xaxis={"title": {"text": t("digital.regencies.axis", lang)}, "range": [0, top]},
                   yaxis={"automargin": True})


def regency_grid(progress: pd.DataFrame, lang: str, simulated: bool):
    frame = progress[["regency_code", "name", "target", "go_digital", "pct", "remaining", "active"]].copy()
    frame["pct"] = frame["pct"].round(1)
    cols = [
        {"field": "regency_code", "headerName": t("digital.col.code", lang), "width": 75},
        {"field": "name", "headerName": t("digital.col.regency", lang), "flex": 2, "minWidth": 150},
        {"field": "target", "headerName": t("digital.col.target", lang), "type": "numericColumn",
         "flex": 1, "minWidth": 85,
         "valueFormatter": _num_formatter(lang)},
        {"field": "go_digital", "headerName": t("digital.col.go_digital", lang), "type": "numericColumn",
         "flex": 1, "minWidth": 85, "valueFormatter": _num_formatter(lang)},
        {"field": "pct", "headerName": t("digital.col.pct", lang), "type": "numericColumn",
         "flex": 1, "minWidth": 85,
         "valueFormatter": _num_formatter(lang, 1, " %"), "sort": "desc"},
        {"field": "remaining", "headerName": t("digital.col.remaining", lang), "type": "numericColumn",
         "flex": 1, "minWidth": 85, "valueFormatter": _num_formatter(lang)},
        {"field": "active", "headerName": t("digital.col.active", lang), "type": "numericColumn",
         "flex": 1, "minWidth": 85,
         "valueFormatter": _num_formatter(lang)},
    ]
    for col in cols:
        col.update(wrapHeaderText=True, autoHeaderHeight=True)
    return components.grid("digital-regency-grid", frame, cols, lang, height=600, page_size=50, simulated=simulated)


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\[]()*_`<>#" else c for c in str(text))


def stuck_grid(frame: pd.DataFrame, lang: str, simulated: bool):
    rows = pd.DataFrame({
        "name": [f"[{_md_escape(n)}](/koperasi/{k})" for n, k in zip(frame["name"], frame["nik"])],
        "nik": frame["nik"],
        "regency": frame["regency"],
        "platform": frame["platform"].fillna("–"),
        "since": [s.isoformat() if s is not None and not pd.isna(s) else None for s in frame["since"]],
        "days": frame["days"],
    })
    cols = [
        {"field": "name", "headerName": t("digital.col.name", lang), "cellRenderer": "markdown", "flex": 2,
         "minWidth": 220},
        {"field": "regency", "headerName": t("digital.col.regency", lang), "flex": 1, "minWidth": 170},
        {"field": "platform", "headerName": t("digital.col.platform", lang), "width": 150},
        {"field": "since", "headerName": t("digital.col.since", lang), "width": 170, "cellDataType": "text",
         "valueFormatter": _date_formatter(lang)},
        {"field": "days", "headerName": t("digital.col.days", lang), "type": "numericColumn", "width": 100,
         "valueFormatter": _num_formatter(lang), "sort": "desc"},
        {"field": "nik", "headerName": t("digital.col.nik", lang), "width": 150},
    ]
    return components.grid("digital-stuck-grid", rows, cols, lang, height=420, simulated=simulated)


def _card(header, body, card_id: str | None = None):
    extra = {"id": card_id} if card_id else {}
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="shadow-sm h-100", **extra)


def layout(**query):
    lang = context.lang()
    engine = context.engine()
    f = filters.parse(query, engine)
    bar = filters.bar(f, lang, engine, fields=(filters.PERIOD, filters.REGENCY))
    if f.period is None:
        return html.Div([components.page_header(t("page.digital", lang)), components.empty_state(lang)])
    v = _view(engine, f)
    if v["count"] is None:
        return html.Div([components.page_header(t("page.digital", lang)), bar,
                         dbc.Alert(t("digital.no_data", lang), color="info")])
    simulated = queries.status(engine).is_demo
    target_text = fmt_int(v["target"], lang)
    subtitle = (t("digital.subtitle_regency", lang, regency=v["name"], target=target_text) if f.regency
                else t("digital.subtitle", lang, target=target_text))

    snap_period = queries.snapshot_period(engine, f.period)
    if snap_period is None:
        funnel_body = dbc.Alert(t("digital.funnel.empty", lang), color="info", className="mb-0")
        funnel_header = t("digital.funnel", lang, period=fmt_period(f.period, lang))
        stuck_section = None
    else:
        funnel = read_digital.funnel(engine, snap_period, f.regency)
        funnel_header = t("digital.funnel", lang, period=fmt_period(snap_period, lang))
        funnel_body = [dcc.Graph(id="digital-funnel", figure=funnel_figure(funnel, lang), config=GRAPH_CONFIG),
                       html.Div(t("digital.funnel.note", lang), className="small text-muted")]
        stuck = read_digital.stuck(engine, snap_period, f.regency)
        days = int(read_digital.norms()["stuck"]["migrating_days"])
        stuck_header = t("digital.stuck", lang, days=days, period=fmt_period(snap_period, lang),
                         n=fmt_int(len(stuck), lang))  # the count is an aggregate: everyone sees it
        view = scope.cooperatives(f.regency)  # the list: logged-in readers, an officer's own kabupaten only
        if not view.allowed:
            stuck_body = scope.notice(view, lang, "digital-stuck-hidden", "/target-digital" + f.query())
        else:
            if view.regency != f.regency:  # an officer looking at the province: their own kabupaten's rows
                stuck = stuck.loc[stuck["regency_code"].astype(str).eq(view.regency)]
            stuck_body = [scope.scoped_note(view, f.regency, lang, "digital-stuck-scoped"),
                          stuck_grid(stuck, lang, simulated) if not stuck.empty
                          else html.P(t("digital.stuck.none", lang), className="mb-0")]
        stuck_section = _card(stuck_header, stuck_body, "digital-stuck")

    progress = v["progress"]
    if progress["target"].notna().any():
        regency_body = dbc.Row([
            dbc.Col([dcc.Graph(id="digital-regency-bars", figure=regency_figure(progress, f, lang),
                               config=GRAPH_CONFIG),
                     html.Div(t("digital.regencies.note", lang), className="small text-muted")], lg=5),
            dbc.Col(regency_grid(progress, lang, simulated), lg=7, className="mt-3 mt-lg-0"),
        ])
    else:
        regency_body = dbc.Alert(t("digital.no_targets", lang), color="info", className="mb-0")

    return html.Div(
        [
            components.page_header(t("page.digital", lang), subtitle),
            bar,
            progress_card(v, f, lang),
            dbc.Row([
                dbc.Col(_card(t("digital.trend", lang), dcc.Graph(id="digital-trend", figure=trend_figure(v, f, lang),
                                                                  config=GRAPH_CONFIG)), lg=7),
                dbc.Col(_card(funnel_header, funnel_body, "digital-funnel-card"), lg=5),
            ], className="g-3 mb-3"),
            html.Div(_card(t("digital.regencies", lang), regency_body, "digital-regencies"), className="mb-3"),
            stuck_section,
        ],
        className="digital-page",
    )


def register_callbacks(app) -> None:
    """No callbacks of its own: the filters rewrite the URL and the page renders again from it; the grids' CSV
    export is wired by `components.register_callbacks`."""


__all__ = ["PAGE", "layout", "register_callbacks"]

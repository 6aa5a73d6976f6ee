"""Target Digital: progress to the province's 1,000 Go Digital cooperatives, over time, through the adoption funnel,
per kabupaten against its share, the cooperatives stuck in migration, and the projected date."""
from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from layouts import charts, components, context, digital_use, filters, population, scope
from layouts.i18n import N_, fmt_figure, fmt_int, fmt_period, month_names, t
from warehouse import queries, read_digital

PAGE = {"path": "/target-digital", **components.page_names(N_("page.digital")), "order": 30,
        "access": "public"}

# Published provincial figures (Pemprov NTT), shown as references in the trend, never mixed into the data.
MILESTONES = ((2022, 276), (2023, 600))
BLUE, GREEN, GREY, ORANGE = "#0d6efd", "#198754", "#6c757d", "#fd7e14"


def _num_formatter(lang: str, digits: int = 0, suffix: str = "") -> dict:
    """AG Grid value formatter in the reader's locale (the cell keeps its number, so sorting stays numeric)."""
    locale = "en-US" if lang == "en" else "id-ID"
    return {"function": f"params.value == null ? '–' : Number(params.value).toLocaleString('{locale}', "
                        f"{{minimumFractionDigits: {digits}, maximumFractionDigits: {digits}}}) + '{suffix}'"}


def _date_formatter(lang: str) -> dict:
    """AG Grid formatter of an ISO date as 12 Januari 2021 (the cell keeps the ISO text, so it sorts by date)."""
    months = ", ".join(f"'{name}'" for name in month_names(lang))
    return {"function": f"params.value ? Number(params.value.slice(8, 10)) + ' ' + [{months}]"
                        "[Number(params.value.slice(5, 7)) - 1] + ' ' + params.value.slice(0, 4) : '–'"}


def _stage_label(stage: str, lang: str) -> str:
    norms = read_digital.norms()
    return norms["stages"]["labels_en" if lang == "en" else "labels_id"].get(stage, stage)



def definition_text(lang: str) -> str:
    stages = [_stage_label(s, lang) for s in read_digital.norms()["go_digital"]["stages"]]
    joined = stages[0] if len(stages) == 1 else ", ".join(stages[:-1]) + " " + t("digital.or", lang) + " " + stages[-1]
    return t("digital.definition", lang, stages=joined)


def projection_text(proj: dict, lang: str, scope_text: str = "") -> list:
    """The stored projection as a sentence: its date (digital_reached_on) and pace (digital_pace) as figures."""
    pace, reached = proj.get("pace_per_month"), proj.get("reached_on")
    when = (components.figure("digital_reached_on", date.fromisoformat(reached), lang, scope_text,
                              element_id="digital-projection-date") if reached else None)
    speed = components.figure("digital_pace", pace, lang, scope_text, element_id="digital-projection-pace")
    if proj.get("already_reached") and reached:
        return components.sentence(t("digital.projection.reached", lang), date=when)
    if reached:
        return components.sentence(t("digital.projection.date", lang), date=when, pace=speed)
    if pace is None:
        return components.sentence(t("digital.projection.no_pace", lang))
    return components.sentence(t("digital.projection.none", lang), pace=speed)


def _view(engine, f: filters.Filters) -> dict | None:
    """The stored figures the page shows for the chosen period and area (the province row when no kabupaten):
    nothing is added up or divided here. None when the period has no roll-ups."""
    row = queries.area_row(engine, f.period, f.regency, None, f.scope)
    if row is None or row.get("go_digital") is None:
        return None
    return {"row": row, "scope": components.area_scope(f.period, f.regency, None, f.scope),
            "progress": read_digital.progress(engine, f.period, f.scope),
            "projection": read_digital.projection(engine, f.period, f.regency, f.scope),
            "series": read_digital.series(engine, f.regency, f.scope)}


PROGRESS_FIGURES = ("go_digital", "digital_target", "pct_digital_target", "digital_remaining", "digital_pace",
                    "digital_reached_on", "active")


def progress_card(v: dict, f: filters.Filters, lang: str):
    row, where = v["row"], v["scope"]
    target, reached = row.get("digital_target"), bool(row.get("digital_target_reached"))
    pct = row.get("pct_digital_target")
    title = t("digital.progress_regency", lang, regency=row.get("name")) if f.regency else t("digital.progress", lang)
    # The bar is drawn from the stored share; Bootstrap's bar clips anything beyond 100 %.
    bar = html.Div(dbc.Progress(value=pct or 0, color="success" if reached else "primary",
                                style={"height": "1.25rem"}, id="digital-progress-bar"), className="mb-2")
    remaining = (html.Span(t("digital.target_met", lang)) if reached else
                 components.sentence(t("digital.remaining_n", lang),
                           n=components.figure("digital_remaining", row.get("digital_remaining"), lang, where)))
    left_col = [
        html.Div(title, className="text-muted small text-uppercase"),
        html.Div([
            components.figure("go_digital", row.get("go_digital"), lang, where, element_id="digital-progress-count",
                              className="display-5 fw-semibold me-2"),
            html.Span(components.sentence(t("digital.of_target", lang),
                                target=components.figure("digital_target", target, lang, where)),
                      id="digital-progress-target", className="fs-5 text-muted"),
        ], className="mb-2"),
        bar,
        html.Div([
            html.Span([html.Strong(components.figure("pct_digital_target", pct, lang, where),
                                   id="digital-progress-pct"), " ", t("digital.reached", lang)], className="me-3"),
            html.Span(remaining, id="digital-progress-remaining", className="me-3"),
            html.Span(t("digital.as_of", lang, period=fmt_period(f.period, lang)), className="text-muted"),
        ], className="small"),
        html.P(components.sentence(t("digital.population", lang),
                         active=components.figure("active", row.get("active"), lang, where)),
               id="digital-population", className="small text-muted mt-2 mb-0"),
    ]
    right_col = [
        html.P(projection_text(v["projection"], lang, where) if v["projection"] else "", id="digital-projection",
               className="fw-semibold mb-2"),
        html.P(definition_text(lang), id="digital-definition", className="small mb-2"),
        html.P(t("digital.milestones", lang), id="digital-milestones", className="small text-muted mb-0")
        if not f.regency else None,
    ]
    body = [dbc.Row([dbc.Col(left_col, lg=7), dbc.Col(right_col, lg=5, className="mt-3 mt-lg-0")]),
            components.definitions(PROGRESS_FIGURES, lang, element_id="digital-progress-definitions")]
    return dbc.Card(dbc.CardBody(body), className="shadow-sm mb-3", id="digital-progress")


def trend_figure(v: dict, f: filters.Filters, lang: str) -> dict:
    """The stored monthly Go Digital count up to the chosen period, the stored target, the stored projection
    (dashed) to the date it is reached, and (province) the published provincial figures."""
    s = v["series"]
    s = s.loc[(s["period_end"] <= f.period) & s["go_digital"].notna()]
    started = s.index[s["go_digital"] > 0]
    if len(started):  # the years before the first Go Digital cooperative are a flat zero: start a year before it
        s = s.loc[max(started[0] - 12, s.index[0]):]
    months = [p.isoformat() for p in s["period_end"]]
    values = [int(x) for x in s["go_digital"]]
    hover = "%{x|%b %Y}: %{y:,.0f}<extra></extra>"
    traces = [go.Scatter(x=months, y=values, mode="lines", name=t("digital.trend.actual", lang),
                         line=dict(color=BLUE, width=3), hovertemplate=hover)]
    target = v["row"].get("digital_target")
    proj = v["projection"] or {}
    months_target = list(months)
    targets = [None if pd.isna(x) else float(x) for x in s["digital_target"]]
    if proj.get("reached_on") and not proj.get("already_reached") and months and target:
        traces.append(go.Scatter(x=[months[-1], proj["reached_on"]], y=[values[-1], target], mode="lines+markers",
                                 name=t("digital.trend.projection", lang),
                                 line=dict(color=ORANGE, dash="dash", width=2),
                                 marker=dict(size=[0, 9]), hovertemplate=hover))
        months_target.append(proj["reached_on"])  # the target line runs on to the projected date
        targets.append(float(target))
    if target and months:
        traces.append(go.Scatter(x=months_target, y=targets, mode="lines", line_shape="hv",
                                 name=t("digital.trend.target", lang), line=dict(color=GREY, dash="dot", width=2),
                                 hovertemplate=t("digital.trend.target", lang) + ": %{y:,.0f}<extra></extra>"))
    if not f.regency:
        traces.append(go.Scatter(
            x=[date(y, 12, 31).isoformat() for y, _ in MILESTONES], y=[n for _, n in MILESTONES], mode="markers+text",
            name=t("digital.trend.published", lang), marker=dict(symbol="diamond", size=11, color=GREEN),
            text=[fmt_int(n, lang) for _, n in MILESTONES], textposition="top center",
            hovertemplate="%{x|%Y}: %{y:,.0f}<extra></extra>"))
    return charts.figure(traces, lang, height=360, margin=charts.TIGHT_MARGIN, hovermode="closest",
                         legend={"orientation": "h", "y": -0.15, "x": 0},
                         yaxis={"title": {"text": t("digital.trend.axis", lang)}, "rangemode": "tozero",
                                "tickformat": ",d"})


FUNNEL_COLORS = ["#9ec5fe", "#6ea8fe", BLUE, GREEN]


def funnel_figure(frame: pd.DataFrame, lang: str) -> dict:
    """Identified → migrating → live → transacting: the stored counts of active cooperatives at or beyond each
    step (funnel_*), with the stored count exactly at the step (stage_*) on hover. No share of the first step is
    drawn: that would be a figure the registry does not define."""
    trace = go.Funnel(
        y=[_stage_label(s, lang) for s in frame["stage"]], x=[int(c) for c in frame["count"]],
        customdata=[int(c) for c in frame["exact"]], texttemplate="%{value:,.0f}", textposition="inside",
        marker=dict(color=FUNNEL_COLORS[:len(frame)]), connector=dict(fillcolor="#e9ecef"),
        hovertemplate=("%{y}: %{x:,.0f} " + t("digital.funnel.hover_beyond", lang) + "<br>"
                       + t("digital.funnel.hover_exact", lang) + ": %{customdata:,.0f}<extra></extra>"),
    )
    return charts.figure([trace], lang, height=320, margin=charts.TIGHT_MARGIN)


def funnel_exact(frame: pd.DataFrame, where: str, lang: str):
    """The stored count of active cooperatives exactly at each stage, as figures under the funnel."""
    parts: list = [t("digital.funnel.exact", lang) + ": "]
    for i, (stage, exact) in enumerate(zip(frame["stage"], frame["exact"])):
        if i:
            parts.append(" · ")
        parts += [_stage_label(stage, lang) + " ",
                  components.figure(f"stage_{stage}", exact, lang, where, className="fw-semibold")]
    return html.Div(parts, className="small", id="digital-funnel-exact")


def regency_figure(progress: pd.DataFrame, f: filters.Filters, lang: str) -> dict:
    """Each kabupaten's stored progress to its target (pct_digital_target), sorted; the chosen one in orange,
    reached in green."""
    frame = progress.dropna(subset=["pct"]).sort_values("pct")
    colors = [ORANGE if c == f.regency else (GREEN if r else BLUE)
              for c, r in zip(frame["regency_code"], frame["reached"])]
    trace = go.Bar(
        x=[float(p) for p in frame["pct"]], y=list(frame["short_name"]), orientation="h",
        marker_color=colors, text=[fmt_figure(p, "percent", lang, 0) for p in frame["pct"]], textposition="outside",
        cliponaxis=False, customdata=[[n, int(g), int(tg)] for n, g, tg in
                                      zip(frame["name"], frame["go_digital"], frame["target"])],
        hovertemplate="%{customdata[0]}: %{customdata[1]:,.0f} / %{customdata[2]:,.0f} (%{x:.1f} %)<extra></extra>",
    )
    # The axis runs to 100 % (the target line) or beyond when a kabupaten passed it; room for the labels is
    # left by plotly's autorange (it counts the outside text), so nothing is computed from the figures here.
    return charts.figure([trace], lang, height=max(260, 26 * len(frame) + 60), showlegend=False,
                         margin={"l": 10, "r": 55, "t": 10, "b": 10},  # the outside labels go in the right margin
                         shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": 100, "x1": 100, "y0": 0,
                                  "y1": 1, "layer": "below", "line": {"color": GREY, "dash": "dot"}}],
                         xaxis={"title": {"text": t("digital.regencies.axis", lang)}, "rangemode": "tozero",
                                "ticksuffix": " %"},
                         yaxis={"automargin": True})


def regency_grid(progress: pd.DataFrame, lang: str, simulated: bool):
    frame = progress[["regency_code", "name", "target", "go_digital", "pct", "remaining", "active"]]
    num = {"type": "numericColumn", "flex": 1, "minWidth": 95, "valueFormatter": _num_formatter(lang)}
    cols = [
        {"field": "regency_code", "headerName": t("digital.col.code", lang), "width": 75},
        {"field": "name", "headerName": t("digital.col.regency", lang), "flex": 2, "minWidth": 150},
        components.figure_column("digital_target", "target", lang, **num),
        components.figure_column("go_digital", "go_digital", lang, **num),
        components.figure_column("pct_digital_target", "pct", lang,
                                 **{**num, "minWidth": 125, "valueFormatter": _num_formatter(lang, 1, " %"),
                                    "sort": "desc"}),
        components.figure_column("digital_remaining", "remaining", lang, **num),
        components.figure_column("active", "active", lang, **num),
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
        components.figure_column("digital_days_in_stage", "days", lang, headerName=t("digital.col.days", lang),
                                 type="numericColumn", width=100, valueFormatter=_num_formatter(lang), sort="desc"),
        {"field": "nik", "headerName": t("digital.col.nik", lang), "width": 150},
    ]
    return components.grid("digital-stuck-grid", rows, cols, lang, height=420, simulated=simulated)


def _card(header, body, card_id: str | None = None):
    extra = {"id": card_id} if card_id else {}
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="shadow-sm h-100", **extra)


def _stuck_section(engine, f: filters.Filters, lang: str, simulated: bool):
    """The cooperatives stuck in migration, listed from the snapshot the period points to; its count is the stored
    stuck_cooperatives figure of that same period (it is an aggregate: everyone sees it; the list is for logged-in
    readers, an officer's own kabupaten only)."""
    snap_period = queries.snapshot_period(engine, f.period)
    if snap_period is None:
        return None
    stuck = read_digital.stuck(engine, snap_period, f.regency, f.scope)
    snap_row = queries.area_row(engine, snap_period, f.regency, None, f.scope) or {}
    days = int(read_digital.norms()["stuck"]["migrating_days"])
    count = components.figure("stuck_cooperatives", snap_row.get("stuck_cooperatives"), lang,
                              components.area_scope(snap_period, f.regency, None, f.scope),
                              element_id="digital-stuck-count")
    header = components.sentence(t("digital.stuck", lang), days=str(days), period=fmt_period(snap_period, lang),
                                 n=count)
    view = scope.cooperatives(f.regency)
    if not view.allowed:
        body = [scope.notice(view, lang, "digital-stuck-hidden", "/target-digital" + f.query())]
    else:
        if view.regency != f.regency:  # an officer looking at the province: their own kabupaten's rows
            stuck = stuck.loc[stuck["regency_code"].astype(str).eq(view.regency)]
        body = [scope.scoped_note(view, f.regency, lang, "digital-stuck-scoped"),
                stuck_grid(stuck, lang, simulated) if not stuck.empty
                else html.P(t("digital.stuck.none", lang), className="mb-0")]
    body.append(components.definitions(["stuck_cooperatives", "digital_days_in_stage"], lang))
    return _card(header, body, "digital-stuck")


def layout(**query):
    lang = context.lang()
    engine = context.engine()
    f = filters.parse(query, engine)
    bar = filters.bar(f, lang, engine, fields=(filters.PERIOD, filters.REGENCY, filters.SCOPE))
    if f.period is None:
        return html.Div([components.page_header(t("page.digital", lang)), components.empty_state(lang)])
    v = _view(engine, f)
    if v is None:
        return html.Div([components.page_header(t("page.digital", lang)), bar,
                         dbc.Alert(t("digital.no_data", lang), color="info")])
    simulated = queries.status(engine).is_demo
    target_text = fmt_figure(v["row"].get("digital_target"), "count", lang)
    subtitle = (t("digital.subtitle_regency", lang, regency=v["row"].get("name"), target=target_text) if f.regency
                else t("digital.subtitle", lang, target=target_text))

    funnel = read_digital.funnel(engine, f.period, f.regency, f.scope)
    funnel_body = [dcc.Graph(id="digital-funnel", figure=funnel_figure(funnel, lang), config=charts.GRAPH_CONFIG),
                   funnel_exact(funnel, v["scope"], lang),
                   html.Div(t("digital.funnel.note", lang), className="small text-muted"),
                   components.definitions([*(f"funnel_{s}" for s in funnel["stage"]),
                                           *(f"stage_{s}" for s in funnel["stage"])], lang)]
    trend_body = [dcc.Graph(id="digital-trend", figure=trend_figure(v, f, lang), config=charts.GRAPH_CONFIG),
                  components.definitions(["go_digital", "digital_target", "digital_reached_on"], lang)]

    progress = v["progress"]
    if progress["target"].notna().any():
        regency_body = [dbc.Row([
            dbc.Col([dcc.Graph(id="digital-regency-bars", figure=regency_figure(progress, f, lang),
                               config=charts.STATIC_CONFIG),  # it hid the top bar's label
                     html.Div(t("digital.regencies.note", lang), className="small text-muted")], lg=5),
            dbc.Col(regency_grid(progress, lang, simulated), lg=7, className="mt-3 mt-lg-0"),
        ]), components.definitions(["pct_digital_target", "digital_target", "go_digital", "digital_remaining",
                                    "active"], lang)]
    else:
        regency_body = dbc.Alert(t("digital.no_targets", lang), color="info", className="mb-0")

    return html.Div(
        [
            components.page_header(t("page.digital", lang), subtitle),
            bar,
            population.note(engine, f, lang, PAGE["path"]),
            progress_card(v, f, lang),
            dbc.Row([
                dbc.Col(_card(t("digital.trend", lang), trend_body, "digital-trend-card"), lg=7),
                dbc.Col(_card(t("digital.funnel", lang, period=fmt_period(f.period, lang)), funnel_body,
                              "digital-funnel-card"), lg=5),
            ], className="g-3 mb-3"),
            html.Div(_card(t("digital.regencies", lang), regency_body, "digital-regencies"), className="mb-3"),
            digital_use.section(engine, f, lang, simulated),
            _stuck_section(engine, f, lang, simulated),
        ],
        className="digital-page",
    )


def register_callbacks(app) -> None:
    """No callbacks of its own: the filters rewrite the URL and the page renders again from it; the grids' CSV
    export is wired by `components.register_callbacks`."""


__all__ = ["PAGE", "layout", "register_callbacks"]

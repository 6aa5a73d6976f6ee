"""Pelaporan & kualitas data / Reporting & data quality: reporting and on-time rates per kabupaten × period, the
late-filer list, ingest runs with source freshness, and rejected rows with their reasons. The section (`tab`) and
the heatmap's measure (`ukuran`) are URL parameters like the global filters, so every view is a link."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import access, charts, components, context, filters, labels, population, scope
from layouts.i18n import N_, fmt_datetime, fmt_int, fmt_month_short, fmt_period, t, t_marked
from warehouse import queries, read_reporting

PAGE = {"path": "/pelaporan", **components.page_names(N_("page.data_quality")), "order": 50,
        "access": "official", "cache": 60}  # (source freshness moves with the clock: answers at most a minute old)

TAB, MEASURE = "tab", "ukuran"
TABS = ("laju", "terlambat", "impor", "ditolak")  # URL values, Indonesian like the other parameters
TAB_LABELS = {"laju": N_("rep.tab.rates"), "terlambat": N_("rep.tab.late"), "impor": N_("rep.tab.runs"),
              "ditolak": N_("rep.tab.rejections")}
MEASURES = ("reporting_rate", "on_time_rate")
MEASURE_LABELS = {"reporting_rate": N_("rep.reporting_rate"), "on_time_rate": N_("rep.on_time_rate")}
FRESH_LABELS = {"ok": N_("rep.fresh.ok"), "late": N_("rep.fresh.late"), "never": N_("rep.fresh.never"),
                "unscheduled": N_("rep.fresh.unscheduled")}
RUN_STATUSES = {"success": N_("rep.status.success"), "rejected": N_("rep.status.rejected"),
                "failed": N_("rep.status.failed"), "running": N_("rep.status.running"),
                "interrupted": N_("rep.status.interrupted")}
LATE_ROWS = 1000  # rows of the late-filer grid; the count above it is the whole list
FRESH_GRACE_MIN = 60  # minutes a scheduled run may take before the source counts as late
# Colour scale 0–100 %: red (few reports) through amber to green (all in).
RATE_SCALE = [[0.0, "#b2182b"], [0.35, "#ef8a62"], [0.6, "#fddbc7"], [0.8, "#d9f0d3"], [1.0, "#1b7837"]]


def _col(field: str, header: str, **extra) -> dict:
    return {"field": field, "headerName": header, **extra}


def _num(lang: str, digits: int = 0, **extra) -> dict:
    """A numeric column shown the reader's way (the value stays a number for sorting, filters and the CSV)."""
    return {"type": "numericColumn", "filter": "agNumberColumnFilter",
            "valueFormatter": {"function": f"PantauNumber(params.value, '{lang}', {digits})"}, **extra}


def _link(label: str, href: str, active: bool, link_id: str):
    return dbc.NavItem(dbc.NavLink(label, href=href, active=active, id=link_id))


# ------------------------------------------------------------------------------------------------- rates heatmap
RATE_FIGURES = ("reporting_rate", "on_time_rate", "expected", "received", "received_on_time")


def _cells(frame: pd.DataFrame, codes: list[str], periods: list, column: str) -> list[list]:
    """One stored figure as heatmap rows (kabupaten) × columns (periods); a missing figure stays None."""
    wide = frame.pivot(index="regency_code", columns="period_end", values=column).reindex(index=codes,
                                                                                          columns=periods)
    return [[None if pd.isna(v) else float(v) for v in row] for row in wide.itertuples(index=False)]


def rate_summary(engine, f: filters.Filters, lang: str):
    """The stored reporting figures of the province (and the chosen kabupaten) at the period, for the type chosen:
    the rates with the counts they are shares of, so the population is said with them."""
    lines = []
    for code in (None, f.regency) if f.regency else (None,):
        row = queries.area_row(engine, f.period, code, f.type, f.scope)
        if row is None:
            continue
        where = components.area_scope(f.period, code, f.type, f.scope)

        def fig(ind, **kw):
            return components.figure(ind, row.get(ind), lang, where, className="fw-semibold", **kw)

        area = t("fig.province", lang) if code is None else row.get("name")
        suffix = "" if code is None else f"-{code}"
        lines.append(html.Div(
            [html.Span(f"{area}, {fmt_period(f.period, lang)}: ", className="fw-semibold")]
            + components.sentence(t("rep.summary", lang),
                                  rate=fig("reporting_rate", element_id=f"rep-summary-rate{suffix}"),
                                  received=fig("received"), expected=fig("expected"),
                                  on_time=fig("on_time_rate", element_id=f"rep-summary-on-time{suffix}"),
                                  received_on_time=fig("received_on_time")),
            className="small mb-1"))
    return html.Div(lines, id="rep-summary", className="mb-2") if lines else None



def rates_section(engine, f: filters.Filters, lang: str, measure: str, tab: str):
    frame = read_reporting.rate_matrix(engine, f.period, f.type, scope=f.scope)
    switch = html.Div(
        [html.Span(t("rep.measure", lang) + ":", className="small text-muted me-2")]
        + [dcc.Link(t_marked(MEASURE_LABELS[m], lang), href="/pelaporan" + f.query(tab=tab, ukuran=m),
                    id=f"rep-measure-{m}",
                    className="btn btn-sm " + ("btn-primary" if m == measure else "btn-outline-primary"))
           for m in MEASURES],
        className="d-flex align-items-center gap-1 mb-2", id="rep-measure")
    if frame.empty or frame[measure].notna().sum() == 0:
        return html.Div([switch, dbc.Alert(t("rep.no_rates", lang), color="info")])
    periods = sorted(frame["period_end"].unique())
    # Worst kabupaten at the top: sorted by the stored rate of the latest month shown (kabupaten expecting no
    # report there first, then by name) — a sort, not a new figure.
    latest = frame.loc[frame["period_end"] == periods[-1]].drop_duplicates("regency_code")
    names = latest.sort_values([measure, "short_name"], na_position="first")[["regency_code", "short_name"]]
    codes = names["regency_code"].tolist()
    x = [fmt_month_short(p, lang) for p in periods]  # Okt 2026
    y = [f"<b>{n}</b>" if code == f.regency else n for code, n in zip(codes, names["short_name"])]
    # numbers stay numbers in the hover; the layout's `separators` gives them the Indonesian (or English) marks
    counts = [_cells(frame, codes, periods, c) for c in ("expected", "received", "received_on_time")]
    custom = [[list(cell) for cell in zip(*rows)] for rows in zip(*counts)]
    definition = components.definition_title(measure, lang).replace(". ", ".<br>")
    hover = ("<b>%{y}</b>, %{x}<br>" + t_marked(MEASURE_LABELS[measure], lang) + ": %{z:.1f} %<br>"
             + t("rep.hover.expected", lang) + ": %{customdata[0]:,.0f} · " + t("rep.hover.received", lang)
             + ": %{customdata[1]:,.0f} · " + t("rep.hover.on_time", lang) + ": %{customdata[2]:,.0f}"
             + "<br><span style='font-size:10px'>" + definition + "</span><extra></extra>")
    heat = dict(
        type="heatmap", z=_cells(frame, codes, periods, measure), x=x, y=y, zmin=0, zmax=100,
        colorscale=RATE_SCALE, customdata=custom, hovertemplate=hover, hoverongaps=False, xgap=1, ygap=1,
        texttemplate="%{z:.0f}", textfont=dict(size=9),
        colorbar=dict(title=dict(text="%", side="top"), thickness=12, len=0.8, ticksuffix=" %"),
        meta={"codes": codes, "measure": measure},
    )
    fig = charts.figure([heat], lang, height=24 * len(names) + 150, margin=charts.TIGHT_MARGIN,
                        xaxis=dict(tickangle=-45, tickfont=dict(size=10), side="bottom", fixedrange=True),
                        yaxis=dict(tickfont=dict(size=11), fixedrange=True, autorange="reversed"))
    title = t("rep.heatmap_title", lang, measure=t_marked(MEASURE_LABELS[measure], lang),
              start=fmt_period(periods[0], lang), end=fmt_period(periods[-1], lang))
    notes = [html.Div(t("rep.heatmap_note", lang), className="small text-muted")]
    if f.type:
        notes.insert(0, html.Div(t("rep.heatmap_type", lang, type=labels.word(labels.COOP_TYPES, f.type, lang)),
                                 className="small text-muted"))
    return html.Div([
        switch,
        rate_summary(engine, f, lang),
        html.H2(title, className="h6 mt-2", id="rep-heatmap-title"),
        # on a phone the 24 months scroll sideways instead of shrinking to slivers
        html.Div(dcc.Graph(id="rep-heatmap", figure=fig, config=charts.STATIC_CONFIG, style={"minWidth": "820px"}),
                 style={"overflowX": "auto"}),
        *notes,
        components.definitions(RATE_FIGURES, lang, element_id="rep-definitions"),
    ])


# --------------------------------------------------------------------------------------------------- late filers
def late_section(engine, f: filters.Filters, lang: str, simulated: bool):
    window = read_reporting.reporting_window(engine, f.period)
    if not window:
        return dbc.Alert(t("rep.no_status", lang), color="info")
    view = scope.cooperatives(f.regency)  # an officer: their own kabupaten's cooperatives only
    if not view.allowed:
        return scope.notice(view, lang, "rep-late-hidden", "/pelaporan" + f.query(tab="terlambat"))
    late = read_reporting.late_filers(engine, f.period, view.regency, f.type, scope=f.scope)
    header = html.H2(t("rep.late_title", lang, start=fmt_period(window[-1], lang), end=fmt_period(window[0], lang)),
                     className="h6 mt-2")
    total = len(late)
    note = [html.Span(t("rep.late_note", lang, n=fmt_int(total, lang), periods=len(window)))]
    if total > LATE_ROWS:  # a province-wide list is long: the grid holds the worst, a filter narrows it
        late = late.head(LATE_ROWS)
        note.append(html.Span(" " + t("rep.late_capped", lang, n=fmt_int(LATE_ROWS, lang)), className="fw-semibold"))
    note = html.P(note, className="small text-muted mb-2", id="rep-late-count", **{"data-count": str(total)})
    note = html.Div([scope.scoped_note(view, f.regency, lang, "rep-late-scoped"), note,
                     html.P(dcc.Link(t("rep.missing_link", lang), href="/belum-melapor" + f.query()),
                            className="small mb-2", id="rep-missing-link")])
    if late.empty:
        return html.Div([header, html.P(t("rep.no_late", lang), className="text-muted", id="rep-late-count",
                                        **{"data-count": "0"})])
    rows = pd.DataFrame({
        "nik": late["nik"].astype(str),
        "name": late["name"].fillna(late["nik"]).astype(str),
        "regency": late["regency"].fillna(""),
        "type": late["type"].map(lambda v: labels.word(labels.COOP_TYPES, v, lang, missing="")),
        "expected": late["expected"], "received": late["received"], "on_time": late["on_time"],
        "late": late["late"], "missing": late["missing"],
        "max_days_late": late["max_days_late"].round(0),
        "last_missing": late["last_missing_period"].map(lambda v: v.strftime("%Y-%m") if pd.notna(v) else ""),
    })
    num = _num(lang, width=100, wrapHeaderText=True, autoHeaderHeight=True)
    cols = [
        _col("name", t("rep.col.name", lang), flex=2, minWidth=220, cellRenderer="PantauCoopLink"),
        _col("regency", t("rep.col.regency", lang), flex=1, minWidth=140),
        _col("type", t("rep.col.type", lang), width=125),
        _col("expected", t("rep.col.expected", lang), **num),
        _col("received", t("rep.col.received", lang), **num),
        _col("on_time", t("rep.col.on_time", lang), **num),
        _col("late", t("rep.col.late", lang), **num),
        _col("missing", t("rep.col.missing", lang), **num),
        _col("max_days_late", t("rep.col.max_days_late", lang), **num),
        _col("last_missing", t("rep.col.last_missing", lang), width=120, wrapHeaderText=True, autoHeaderHeight=True),
        _col("nik", t("ov.col.nik", lang), width=150),
    ]
    return html.Div([header, note, components.grid("rep-late-grid", rows, cols, lang, height=560, page_size=20,
                                                   simulated=simulated)])


# ---------------------------------------------------------------------------------------- ingest runs, freshness
def _age(delta: timedelta, lang: str) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 24 * 60:
        return t("rep.age.days", lang, d=minutes // (24 * 60), h=(minutes % (24 * 60)) // 60)
    if minutes >= 60:
        return t("rep.age.hours", lang, h=minutes // 60, m=minutes % 60)
    return t("rep.age.minutes", lang, m=max(minutes, 0))


def freshness(engine, lang: str, now: datetime | None = None):
    """Source, last success, watermark, age, its schedule and whether its next run after the last success is
    overdue (the scheduler writes the schedule and that due time into the warehouse)."""
    now = now or datetime.now(timezone.utc)
    states = queries.source_states(engine)
    rows = []
    for state in sorted(states.itertuples(), key=lambda r: r.source):
        source = state.source
        last = _utc(state.last_success_at)
        due = _utc(getattr(state, "due_by", None))
        cron = state.schedule if isinstance(getattr(state, "schedule", None), str) else None
        if last is None:
            verdict, colour = "never", "secondary"
        elif cron is None:
            verdict, colour = "unscheduled", "secondary"
        else:
            late = due is not None and now > due.to_pydatetime() + timedelta(minutes=FRESH_GRACE_MIN)
            verdict, colour = ("late", "danger") if late else ("ok", "success")
        watermark = state.watermark if state is not None and isinstance(state.watermark, str) else "–"
        rows.append(html.Tr([
            html.Td(_source_label(source, lang)),
            html.Td(fmt_datetime(last.to_pydatetime(), lang) if last is not None else "–"),
            html.Td(watermark, className="text-break"),
            html.Td(_age(now - last.to_pydatetime(), lang) if last is not None else "–"),
            html.Td(html.Code(cron) if cron else "–"),
            html.Td(dbc.Badge(t_marked(FRESH_LABELS[verdict], lang), color=colour), **{"data-state": verdict}),
        ], id=f"rep-fresh-{source}"))
    head = html.Thead(html.Tr([html.Th(h) for h in (
        t("dq.col.source", lang), t("dq.col.last_success", lang), t("rep.col.watermark", lang),
        t("rep.col.age", lang), t("rep.col.schedule", lang), t("rep.col.state", lang))]))
    return html.Div([
        dbc.Table([head, html.Tbody(rows)], size="sm", responsive=True, className="mb-1", id="dq-freshness"),
        html.Div(t("rep.fresh.note", lang, grace=FRESH_GRACE_MIN), className="small text-muted"),
    ])


def _utc(value) -> pd.Timestamp | None:
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp  # SQLite keeps naive UTC


def _source_label(source: str, lang: str) -> str:
    return f"{labels.word(labels.SOURCES, source, lang)} ({source})" if source in labels.SOURCES else source


def runs_section(engine, lang: str, simulated: bool):
    runs = queries.ingest_runs(engine)
    runs = runs.assign(started=runs["started_at"].map(lambda v: fmt_datetime(v, lang)),
                       duration=runs["duration_s"].round(2),
                       status_label=runs["status"].map(lambda v: labels.word(RUN_STATUSES, v, lang)),
                       username=runs["username"].fillna("") if "username" in runs else "")
    num = _num(lang)
    run_cols = [
        _col("id", t("rep.col.run", lang), width=90, type="numericColumn", filter="agNumberColumnFilter"),
        _col("source", t("dq.col.source", lang), width=110),
        _col("target", t("dq.col.target", lang), flex=2, minWidth=200),
        _col("username", t("dq.col.user", lang), width=120),
        _col("started", t("dq.col.started", lang), width=200),
        _col("duration", t("dq.col.duration", lang), width=120, **_num(lang, 2)),
        _col("status_label", t("dq.col.status", lang), width=110,
             cellClassRules={"text-danger fw-semibold": "data.status !== 'success'"}),
        _col("rows_read", t("dq.col.read", lang), width=100, **num),
        _col("rows_loaded", t("dq.col.loaded", lang), width=100, **num),
        _col("rows_revised", t("dq.col.revised", lang), width=100, **num),
        _col("rows_unchanged", t("dq.col.unchanged", lang), width=120, **num),
        _col("rows_rejected", t("dq.col.rejected", lang), width=100, **num),
        _col("error", t("dq.col.error", lang), flex=2, minWidth=200),
    ]
    fields = [c["field"] for c in run_cols] + ["status"]
    return html.Div([
        html.H2(t("dq.freshness", lang), className="h6 mt-2"),
        freshness(engine, lang),
        html.H2(t("dq.runs", lang), className="h6 mt-4"),
        html.P(t("rep.runs_note", lang, n=fmt_int(len(runs), lang)), className="small text-muted mb-2"),
        components.grid("dq-runs-grid", runs[fields], run_cols, lang, height=460, simulated=simulated),
    ])


def rejections_section(engine, lang: str, simulated: bool):
    # A kabupaten officer sees the rejected rows of their kabupaten's registered cooperatives only (a row whose NIK
    # is not in the registry belongs to no kabupaten: province-wide readers only).
    officer = None if scope.province_wide() else access.current_scope()
    rejected = read_reporting.regency_rejections(engine, officer) if officer else queries.rejections(engine)
    scoped = (html.P(t("access.rejections_scoped", lang, regency=scope.regency_name(officer)),
                     className="small text-muted mt-2 mb-0", id="rep-rejections-scoped") if officer else None)
    if rejected.empty:
        return html.Div([scoped, html.P(t("dq.no_rejections", lang), className="text-muted mt-2")])
    rejected = rejected.assign(created=rejected["created_at"].map(
        lambda v: fmt_datetime(pd.Timestamp(v).to_pydatetime(), lang) if pd.notna(v) else "–"))
    rej_cols = [
        _col("ingest_run_id", t("rep.col.run", lang), width=90, type="numericColumn"),
        _col("created", t("rep.col.created", lang), width=190),
        _col("dataset", t("rep.col.dataset", lang), width=150),
        _col("source_file", t("dq.col.file", lang), flex=1, minWidth=160),
        _col("row_number", t("dq.col.row", lang), width=90, type="numericColumn"),
        _col("nik", t("ov.col.nik", lang), width=150),
        _col("reasons_text", t("dq.col.reasons", lang), flex=3, minWidth=260, wrapText=True, autoHeight=True),
    ]
    return html.Div([
        scoped,
        html.P(t("rep.rejections_note", lang, n=fmt_int(len(rejected), lang)), className="small text-muted mt-2"),
        components.grid("dq-rejections-grid", rejected[[c["field"] for c in rej_cols]], rej_cols, lang,
                        height=560, simulated=simulated),
    ])


# ------------------------------------------------------------------------------------------------------ layout
def layout(**query):
    lang = context.lang()
    engine = context.engine()
    simulated = queries.status(engine).is_demo
    header = components.page_header(t("page.data_quality", lang), t("rep.subtitle", lang))
    if queries.ingest_runs(engine).empty:
        return html.Div([header, dbc.Alert(t("dq.none", lang), color="info")])
    f = filters.parse(query, engine)
    tab = query.get(TAB) if query.get(TAB) in TABS else TABS[0]
    measure = query.get(MEASURE) if query.get(MEASURE) in MEASURES else MEASURES[0]
    keep = {MEASURE: measure if measure != MEASURES[0] else None}
    nav = dbc.Nav([_link(t_marked(TAB_LABELS[k], lang), "/pelaporan" + f.query(tab=k, **keep), k == tab, f"rep-tab-{k}")
                   for k in TABS], pills=True, className="mb-3 flex-wrap rep-tabs", id="rep-tabs")
    if tab in ("laju", "terlambat") and f.period is None:
        body = components.empty_state(lang)
    elif tab == "laju":
        body = rates_section(engine, f, lang, measure, tab)
    elif tab == "terlambat":
        body = late_section(engine, f, lang, simulated)
    elif tab == "impor":
        body = runs_section(engine, lang, simulated)
    else:
        body = rejections_section(engine, lang, simulated)
    bar = filters.bar(f, lang, engine) if tab in ("laju", "terlambat") else None
    note = population.note(engine, f, lang, PAGE["path"], {"tab": tab}) if tab in ("laju", "terlambat") else None
    return html.Div([header, nav, bar, note, dbc.Card(dbc.CardBody(body), className="shadow-sm")],
                    className="reporting", id=f"rep-section-{tab}")


def register_callbacks(app) -> None:
    """Sections and the measure are links; filters are written to the URL by `filters.register_callbacks`; the
    grids' export buttons are wired by `components.register_callbacks`."""


__all__ = ["PAGE", "layout", "register_callbacks"]

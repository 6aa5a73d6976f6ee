"""Pelaporan & kualitas data / Data quality: ingest runs, rejections with their reasons, source freshness."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from layouts import components, context
from layouts.i18n import fmt_datetime, t
from warehouse import queries

PAGE = {"path": "/pelaporan", "name": "page.data_quality", "order": 50, "title": "Pelaporan & Kualitas Data"}


def _col(field: str, key: str, lang: str, **extra) -> dict:
    return {"field": field, "headerName": t(key, lang), **extra}


def layout(**_query):
    lang = context.lang()
    engine = context.engine()
    runs = queries.ingest_runs(engine)
    rejected = queries.rejections(engine)
    states = queries.source_states(engine)
    simulated = queries.status(engine).is_demo
    header = components.page_header(t("page.data_quality", lang))
    if runs.empty:
        return html.Div([header, dbc.Alert(t("dq.none", lang), color="info")])
    runs = runs.assign(started=runs["started_at"].map(lambda v: fmt_datetime(v, lang)),
                       duration=runs["duration_s"].round(2))
    run_cols = [
        _col("id", "dq.col.row", lang, headerName="#", width=80),
        _col("source", "dq.col.source", lang, width=110),
        _col("target", "dq.col.target", lang, flex=2),
        _col("started", "dq.col.started", lang, width=190),
        _col("duration", "dq.col.duration", lang, width=120, type="numericColumn"),
        _col("status", "dq.col.status", lang, width=110),
        _col("rows_read", "dq.col.read", lang, width=100, type="numericColumn"),
        _col("rows_loaded", "dq.col.loaded", lang, width=100, type="numericColumn"),
        _col("rows_revised", "dq.col.revised", lang, width=100, type="numericColumn"),
        _col("rows_unchanged", "dq.col.unchanged", lang, width=120, type="numericColumn"),
        _col("rows_rejected", "dq.col.rejected", lang, width=100, type="numericColumn"),
        _col("error", "dq.col.error", lang, flex=2),
    ]
    rej_cols = [
        _col("ingest_run_id", "dq.col.row", lang, headerName="Run", width=90),
        _col("dataset", "dq.col.source", lang, width=140),
        _col("source_file", "dq.col.file", lang, flex=2),
        _col("row_number", "dq.col.row", lang, width=90, type="numericColumn"),
        _col("nik", "dq.col.row", lang, headerName="NIK", width=150),
        _col("reasons_text", "dq.col.reasons", lang, flex=3, wrapText=True, autoHeight=True),
    ]
    fresh = states.assign(last=states["last_success_at"].map(lambda v: fmt_datetime(v, lang)))
    fresh_rows = [html.Tr([html.Td(r.source), html.Td(r.last)]) for r in fresh.itertuples()]
    return html.Div(
        [
            header,
            dbc.Card([dbc.CardHeader(t("dq.freshness", lang)), dbc.CardBody(dbc.Table(
                [html.Thead(html.Tr([html.Th(t("dq.col.source", lang)), html.Th(t("dq.col.last_success", lang))])),
                 html.Tbody(fresh_rows)], size="sm", className="mb-0", id="dq-freshness"))], className="mb-3"),
            dbc.Card([dbc.CardHeader(t("dq.runs", lang)), dbc.CardBody(
                components.grid("dq-runs-grid", runs[[c["field"] for c in run_cols if c["field"] in runs]
                                                     + ["started", "duration"]], run_cols, lang, height=420,
                                simulated=simulated))],
                     className="mb-3"),
            dbc.Card([dbc.CardHeader(t("dq.rejections", lang)), dbc.CardBody(
                components.grid("dq-rejections-grid", rejected[[c["field"] for c in rej_cols]], rej_cols, lang,
                                simulated=simulated)
                if not rejected.empty else html.P(t("dq.no_rejections", lang), className="mb-0"))]),
        ]
    )


def register_callbacks(app) -> None:
    """The grids' export buttons are wired by `components.register_callbacks`."""


__all__ = ["PAGE", "layout", "register_callbacks"]

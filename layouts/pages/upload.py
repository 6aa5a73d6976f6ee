"""Kirim Laporan / Send reports: officials and kabupaten officers upload XLSX/CSV files (the standard template,
any dataset); the files are kept in the warehouse (warehouse/uploads.py) and loaded by the ingest worker through the
same pipeline as the inbox, in the background. The page follows the batch (queued → loading → scoring → done) and
answers per file in the reader's language: accepted or refused whole (and why), the counts, every quarantined row
with its file row, column, value and rule, and a corrections file in the template's layout.

The browser posts the files to UPLOAD_PATH (multipart, the session's CSRF token, its own size limit) from a clientside
callback (assets/kirim.js), so a file never rides inside a Dash callback; the page's callbacks only read."""
from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from layouts import access, components, context, labels, rules
from layouts.i18n import N_, fmt_datetime, fmt_int, t, t_marked
from warehouse import queries, uploads

PAGE = {"path": "/kirim", **components.page_names(N_("page.upload")), "order": 55, "access": "official",
        "cache": False}  # (the reader's own uploads, and a page that sends: never a cached answer)
UPLOAD_PATH = "/kirim/unggah"
TEMPLATE_PATH = "/kirim/templat.xlsx"
POLL_MS = 1000
PHASES = {"queued": N_("up.phase.queued"), "loading": N_("up.phase.loading"), "scoring": N_("up.phase.scoring"),
          "done": N_("up.phase.done")}
PHASE_SHARE = {"queued": 0.05, "loading": 0.4, "scoring": 0.85, "done": 1.0}  # of one file's way through


def _csrf_token() -> str:
    if not access.installed():
        return ""
    from flask_wtf.csrf import generate_csrf

    return generate_csrf()


def _limits_text(lang: str) -> str:
    s = context.settings()
    return t("up.limits", lang, mb=fmt_int(s.UPLOAD_MAX_MB, lang), rows=fmt_int(s.UPLOAD_MAX_ROWS, lang),
             files=s.UPLOAD_MAX_FILES)


def _scope_note(lang: str):
    scope = access.current_scope()
    if not scope:
        return html.P(t("up.scope.province", lang), className="small mb-2", id="up-scope")
    names = queries.regencies(context.engine()).set_index("code")["name"].to_dict()
    return dbc.Alert(t("up.scope.officer", lang, regency=names.get(scope, scope), code=scope), color="info",
                     className="py-2 small", id="up-scope")


def layout(**_query):
    lang = context.lang()
    messages = {"too_many": t("up.error.too_many_files", lang, n=context.settings().UPLOAD_MAX_FILES),
                "too_large": t("up.error.request_too_large", lang), "failed": t("up.error.send_failed", lang),
                "sending": t("up.sending", lang)}
    return html.Div([
        components.page_header(t("page.upload", lang), t("up.subtitle", lang)),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody([
                _scope_note(lang),
                dcc.Upload(
                    html.Div([html.Div(t("up.drop", lang), className="fw-semibold"),
                              html.Div(t("up.drop_help", lang), className="small text-muted")]),
                    id="up-files", multiple=True, className="up-drop border border-2 rounded p-4 text-center mb-2",
                    style={"borderStyle": "dashed", "cursor": "pointer"},
                    accept=".xlsx,.xlsm,.csv,.txt"),
                html.P(_limits_text(lang), className="small text-muted mb-1", id="up-limits"),
                html.Div(id="up-send-status", className="small"),
            ]), className="shadow-sm mb-3"), lg=7),
            dbc.Col(dbc.Card(dbc.CardBody([
                html.H2(t("up.how.title", lang), className="h6"),
                dcc.Markdown(t("up.how.text", lang, template=TEMPLATE_PATH), className="small mb-2", link_target="_self"),
                html.A(t("up.template", lang), href=TEMPLATE_PATH, className="btn btn-outline-primary btn-sm me-2",
                       id="up-template"),
                dcc.Link(t("up.missing_link", lang), href="/belum-melapor", className="btn btn-outline-secondary btn-sm",
                         id="up-missing-link"),
            ]), className="shadow-sm mb-3"), lg=5),
        ]),
        dcc.Store(id="up-config", data={"url": UPLOAD_PATH, "csrf": _csrf_token(), "lang": lang,
                                        "max_files": context.settings().UPLOAD_MAX_FILES, "messages": messages}),
        dcc.Store(id="up-batch"),
        dcc.Interval(id="up-poll", interval=POLL_MS, disabled=True),
        html.Div(id="up-progress"),
        html.Div(id="up-results"),
        dcc.Download(id="up-download"),
        html.Div(history(lang), id="up-history"),
    ], className="upload-page")


# ------------------------------------------------------------------------------------------------ the answer
def _counts_table(counts: dict, lang: str, upload_id: int):
    names = [("read", "up.count.read"), ("loaded", "up.count.loaded"), ("revised", "up.count.revised"),
             ("unchanged", "up.count.unchanged"), ("rejected", "up.count.rejected")]
    head = html.Tr([html.Th(_count_label(name, lang), className="text-end") for name, _ in names])
    body = html.Tr([html.Td(fmt_int(counts.get(name, 0), lang), className="text-end",
                            **{"data-count": name, "data-value": str(counts.get(name, 0))}) for name, _ in names])
    return dbc.Table([html.Thead(head), html.Tbody(body)], size="sm", bordered=True, className="mb-2 small w-auto",
                     id=f"up-counts-{upload_id}")


COUNT_LABELS = {"read": N_("up.count.read"), "loaded": N_("up.count.loaded"), "revised": N_("up.count.revised"),
                "unchanged": N_("up.count.unchanged"), "rejected": N_("up.count.rejected")}


def _count_label(name: str, lang: str) -> str:
    return t_marked(COUNT_LABELS[name], lang)


def quarantine_frame(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One line per broken rule of each quarantined row: file row, sheet/dataset, column, value, rule."""
    out = []
    for r in rows.itertuples(index=False):
        if r.row_number is None or pd.isna(r.row_number):
            continue
        for reason in r.reasons:
            value = reason.get("value")
            out.append({"row": int(r.row_number), "dataset": r.dataset, "column": reason.get("column") or "",
                        "value": "" if value is None else str(value), "rule": rules.reason_text(reason, lang)})
    return pd.DataFrame(out, columns=["row", "dataset", "column", "value", "rule"])


def _quarantine_grid(frame: pd.DataFrame, lang: str, upload_id: int):
    columns = [{"field": "row", "headerName": t("up.col.row", lang), "width": 95, "type": "numericColumn"},
               {"field": "dataset", "headerName": t("up.col.dataset", lang), "width": 150},
               {"field": "column", "headerName": t("up.col.column", lang), "width": 190},
               {"field": "value", "headerName": t("up.col.value", lang), "flex": 1, "minWidth": 140},
               {"field": "rule", "headerName": t("up.col.rule", lang), "flex": 2, "minWidth": 260,
                "wrapText": True, "autoHeight": True}]
    return dag.AgGrid(id={"type": "up-quarantine", "upload": upload_id}, rowData=frame.to_dict("records"),
                      columnDefs=columns, className="ag-theme-alpine mb-2",
                      defaultColDef={"sortable": True, "filter": True, "resizable": True},
                      dashGridOptions={"pagination": True, "paginationPageSize": 20, "domLayout": "autoHeight",
                                       "localeText": components.grid_locale(lang)},
                      style={"width": "100%"})


def file_card(engine, item: dict, lang: str):
    """One file's answer (or where it is on its way)."""
    upload_id, result = item["id"], item["result"]
    title = html.Span([html.Strong(item["filename"]), html.Span(f" · {fmt_int(item['size'], lang)} B",
                                                                 className="text-muted small")])
    if result is None:
        phase = item["phase"] or item["status"]
        badge = dbc.Badge(t_marked(PHASES.get(phase, PHASES["queued"]), lang), color="secondary", className="ms-2")
        return dbc.Card(dbc.CardBody([html.Div([title, badge])]), className="mb-2", id=f"up-file-{upload_id}")
    status = result["status"]
    if status == "success":
        badge = dbc.Badge(t("up.accepted", lang), color="success", className="ms-2", id=f"up-status-{upload_id}")
    elif status == "rejected":
        badge = dbc.Badge(t("up.rejected", lang), color="danger", className="ms-2", id=f"up-status-{upload_id}")
    else:
        badge = dbc.Badge(t("up.failed", lang), color="warning", text_color="dark", className="ms-2",
                          id=f"up-status-{upload_id}")
    body = [html.Div([title, badge], className="mb-2")]
    if status != "success":
        reason = rules.file_text(result.get("code"), result.get("params"), result.get("message") or "", lang)
        body.append(dbc.Alert([html.Strong(t("up.why_refused", lang) + " "), reason], color="danger",
                              className="py-2 small", id=f"up-reason-{upload_id}"))
        body.append(html.P(t("up.nothing_loaded", lang), className="small text-muted mb-0"))
        return dbc.Card(dbc.CardBody(body), className="mb-2 border-danger", id=f"up-file-{upload_id}")
    counts = result.get("counts", {})
    body.append(_counts_table(counts, lang, upload_id))
    if item["status"] != "done":
        body.append(html.P([dbc.Spinner(size="sm", spinner_class_name="me-2"), t("up.scoring_note", lang)],
                           className="small text-muted"))
    if counts.get("rejected"):
        rows = uploads.quarantined(context.engine(), item["ingest_run_id"])
        frame = quarantine_frame(rows, lang)
        body += [html.H3(t("up.quarantine.title", lang, n=fmt_int(counts["rejected"], lang)), className="h6 mt-2"),
                 html.P(t("up.quarantine.help", lang), className="small text-muted mb-2"),
                 _quarantine_grid(frame, lang, upload_id),
                 dbc.Button(t("up.corrections", lang), id={"type": "up-corrections", "upload": upload_id},
                            color="primary", outline=True, size="sm")]
    else:
        body.append(html.P(t("up.all_loaded", lang), className="small text-success mb-0"))
    notes = result.get("notes") or []
    if notes:
        body.append(html.Details([html.Summary(t("up.notes", lang, n=len(notes)), className="small"),
                                  html.Ul([html.Li(n, className="small") for n in notes])], className="mt-2"))
    return dbc.Card(dbc.CardBody(body), className="mb-2", id=f"up-file-{upload_id}")


def progress(items: list[dict], lang: str):
    """A bar over the batch: each file counts by how far it is (queued, loading, scoring, done)."""
    if not items:
        return None
    done = all(i["status"] == "done" for i in items)
    share = sum(PHASE_SHARE["done" if i["status"] == "done" else (i["phase"] or "queued")] for i in items) / len(items)
    if done:
        label = t("up.progress.done", lang, n=len(items))
    elif items[0]["status"] == "queued" and items[0]["ahead"]:
        label = t("up.progress.waiting", lang, n=items[0]["ahead"])
    else:
        phase = next((i["phase"] for i in items if i["status"] != "done" and i["phase"]), "queued")
        label = t_marked(PHASES.get(phase, PHASES["queued"]), lang)
    return html.Div([
        html.Div(label, className="small mb-1", id="up-progress-label"),
        dbc.Progress(value=round(share * 100), striped=not done, animated=not done,
                     color="success" if done else "primary", className="mb-3", id="up-progress-bar"),
    ], id="up-progress-box", **{"data-done": "true" if done else "false"})


def history(lang: str):
    """The reader's last uploads (an admin's: everyone's), with their outcome."""
    user = access.current_user()
    if access.installed() and user is None:
        return None
    frame = uploads.recent(context.engine(), None if access.current_role() == "admin" or user is None
                           else user.username, limit=15)
    if frame.empty:
        return None
    rows = []
    for r in frame.itertuples():
        outcome = labels.word(RUN_OUTCOMES, r.run_status, lang) if isinstance(r.run_status, str) else \
            t_marked(PHASES.get(r.status, PHASES["queued"]), lang)
        counts = "" if pd.isna(r.rows_read) else t("up.history.counts", lang, read=fmt_int(r.rows_read, lang),
                                                    loaded=fmt_int(r.rows_loaded + r.rows_revised, lang),
                                                    rejected=fmt_int(r.rows_rejected, lang))
        rows.append(html.Tr([html.Td(fmt_datetime(r.created_at, lang)), html.Td(r.username), html.Td(r.filename),
                             html.Td(outcome), html.Td(counts)]))
    head = html.Tr([html.Th(text) for text in (t("up.history.when", lang), t("up.history.user", lang),
                                                t("up.history.file", lang), t("up.history.outcome", lang),
                                                t("up.history.rows", lang))])
    return dbc.Card(dbc.CardBody([html.H2(t("up.history", lang), className="h6"),
                                  dbc.Table([html.Thead(head), html.Tbody(rows)], size="sm", striped=True,
                                            className="small mb-0", responsive=True)]),
                    className="shadow-sm mt-3", id="up-history-card")


RUN_OUTCOMES = {"success": N_("up.accepted"), "rejected": N_("up.rejected"), "failed": N_("up.failed"),
                "running": N_("up.phase.loading"), "interrupted": N_("up.failed")}


# ------------------------------------------------------------------------------------------------ the route
def receive():
    """POST UPLOAD_PATH (multipart, field `files`): keep the files as a queued batch of the logged-in user; answers
    {batch} or {error, message} (400: no file, too many files). The route is the page's (guards.for_page): officials,
    kabupaten officers and admins; the origin/CSRF check and the body limit come first (access/hardening.py)."""
    lang = context.lang()
    settings = context.settings()
    files = [f for f in flask.request.files.getlist("files") if f and f.filename]
    if not files:
        return flask.jsonify({"error": "no_file", "message": t("up.error.no_file", lang)}), 400
    if len(files) > settings.UPLOAD_MAX_FILES:
        return flask.jsonify({"error": "too_many_files",
                              "message": t("up.error.too_many_files", lang, n=settings.UPLOAD_MAX_FILES)}), 400
    limit = int(settings.UPLOAD_MAX_MB * 1_000_000)
    sent = []
    for f in files:
        data = f.stream.read(limit + 1)  # a file over the limit is kept without its bytes, refused by the worker
        size = len(data) if len(data) <= limit else len(data) + _rest_size(f.stream)
        sent.append(uploads.Sent(f.filename, data if size <= limit else b"", size))
    user = access.current_user()
    batch = uploads.store(context.engine(), sent, user.username if user else "anonim",
                          access.current_scope(), lang, limit, ip=access.client_ip())
    response = flask.jsonify({"batch": batch})
    response.headers["Cache-Control"] = "no-store"
    return response


def _rest_size(stream) -> int:
    """The size of the rest of an over-large file, read and dropped in chunks (only its size is kept)."""
    size = 0
    while chunk := stream.read(1 << 20):
        size += len(chunk)
    return size


def template_route_view(make_template):
    """GET TEMPLATE_PATH: the standard reporting template (app.py hands in the ingest side's writer)."""

    def view():
        response = flask.Response(make_template(), mimetype="application/vnd.openxmlformats-officedocument."
                                                            "spreadsheetml.sheet")
        response.headers["Content-Disposition"] = 'attachment; filename="templat_pantau_koperasi.xlsx"'
        return response

    return view


# ------------------------------------------------------------------------------------------------ callbacks
def register_callbacks(app) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="kirim", function_name="send"),
        Output("up-batch", "data"),
        Output("up-send-status", "children"),
        Input("up-files", "contents"),
        State("up-files", "filename"),
        State("up-config", "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("up-progress", "children"),
        Output("up-results", "children"),
        Output("up-poll", "disabled"),
        Output("up-history", "children"),
        Input("up-batch", "data"),
        Input("up-poll", "n_intervals"),
        prevent_initial_call=True,
    )
    def _follow(batch, _ticks):
        if not batch or not isinstance(batch, str):
            raise PreventUpdate
        lang = context.lang()
        user = access.current_user()
        username = user.username if user else "anonim"
        items = uploads.batch_files(context.engine(), batch[:32], username)
        if not items:
            raise PreventUpdate
        done = all(i["status"] == "done" for i in items)
        cards = [html.H2(t("up.results", lang), className="h5 mt-2")] + [file_card(context.engine(), i, lang)
                                                                          for i in items]
        return progress(items, lang), cards, done, history(lang) if done else no_update

    @app.callback(
        Output("up-download", "data"),
        Input({"type": "up-corrections", "upload": dash_all()}, "n_clicks"),
        prevent_initial_call=True,
    )
    def _corrections(clicks):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(c for c in (clicks or []) if c):
            raise PreventUpdate
        lang = context.lang()
        user = access.current_user()
        run_id = uploads.owned_run(context.engine(), int(trigger["upload"]), user.username if user else "anonim")
        if run_id is None:
            raise PreventUpdate
        rows = uploads.quarantined(context.engine(), run_id)
        data = uploads.corrections_workbook(rows, [rules.row_reasons(r, lang) for r in rows["reasons"]], lang)
        if data is None:
            raise PreventUpdate
        access.record_export({"view": "corrections", "upload": int(trigger["upload"]), "run": run_id,
                              "rows": int(rows["raw"].notna().sum())})
        return dcc.send_bytes(data, f"perbaikan_{run_id}.xlsx" if lang == "id" else f"corrections_{run_id}.xlsx")


def dash_all():
    from dash import ALL

    return ALL


__all__ = ["PAGE", "layout", "register_callbacks"]

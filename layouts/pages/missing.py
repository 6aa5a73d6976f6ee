"""Belum Melapor / Not reported: per kabupaten/kota and period, the cooperatives whose report has not arrived, with
whom to call (the registry's contact person), as a call list (CSV) and as a plain-text message to paste into a chat.
The counts are the refresh's stored figures (expected, received, missing_reports); the list is the stored reporting
status. A kabupaten officer sees their own kabupaten only."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from indicators import accountability
from layouts import access, components, context, filters, labels, population, scope
from layouts.i18n import N_, fmt_date, fmt_int, fmt_period, simulated_texts, t
from warehouse import queries, read_missing
from warehouse.export.serialise import safe_cell

PAGE = {"path": "/belum-melapor", **components.page_names(N_("page.missing")), "order": 52, "access": "official",
        "nav": False,  # (linked from Kirim Laporan and Pelaporan: the menu holds the pages people start from)
        "never_cached": ("mr-call-download", "mr-message-download")}  # (downloads are audited: they always run)
FIELDS = (filters.PERIOD, filters.REGENCY, filters.SCOPE)
CALL_COLUMNS = {"name": N_("mr.col.name"), "nik": N_("mr.col.nik"), "regency": N_("mr.col.regency"),
                "district": N_("mr.col.district"), "type": N_("mr.col.type"),
                "contact_name": N_("mr.col.contact_name"), "contact_phone": N_("mr.col.contact_phone"),
                "contact_email": N_("mr.col.contact_email"), "last_received": N_("mr.col.last_received")}


def _shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        "nik": frame["nik"].astype(str), "name": frame["name"].fillna(frame["nik"]),
        "regency": frame["regency"].fillna(""), "district": frame["district"].fillna(""),
        "type": [labels.word(labels.COOP_TYPES, v, lang, missing="") for v in frame["type"]],
        "contact_name": frame["contact_name"].fillna(""), "contact_phone": frame["contact_phone"].fillna(""),
        "contact_email": frame["contact_email"].fillna(""),
        "last_received": [fmt_period(v, lang) if v else "–" for v in frame["last_received"]],
    })


def call_list_csv(frame: pd.DataFrame, lang: str, simulated: bool) -> str:
    """The call list as CSV text: the reader's column names, formula injection neutralised, a DATA SIMULASI line on
    demo data (the caller adds the byte-order mark)."""
    shown = _shown(frame, lang)[list(CALL_COLUMNS)]
    shown = shown.rename(columns={k: t_key(v, lang) for k, v in CALL_COLUMNS.items()}).map(safe_cell)
    body = shown.to_csv(index=False, lineterminator="\n")
    return (" — ".join(simulated_texts(lang)) + "\n" if simulated else "") + body


def t_key(key, lang: str) -> str:
    from layouts.i18n import t_marked

    return t_marked(key, lang)


def chat_message(frame: pd.DataFrame, period, area: str, lang: str, office: str) -> str:
    """A plain-text message an officer pastes into a chat group: the period, the cooperatives still missing with
    their contact, what to do."""
    deadline = accountability.report_deadline(pd.Series([pd.Timestamp(period)])).iloc[0]
    lines = [t("mr.msg.head", lang, period=fmt_period(period, lang), area=area, n=fmt_int(len(frame), lang)), ""]
    for i, r in enumerate(frame.itertuples(index=False), start=1):
        contact = ", ".join(v for v in (r.contact_name, r.contact_phone) if isinstance(v, str) and v)
        lines.append(f"{i}. {r.name} (NIK {r.nik})" + (f" — {contact}" if contact else ""))
    lines += ["", t("mr.msg.ask", lang, deadline=fmt_date(deadline.date(), lang)), "", office]
    return "\n".join(lines)


def _figures(engine, f: filters.Filters, lang: str):
    row = queries.area_row(engine, f.period, f.regency, None, f.scope) or {}
    scope_text = components.area_scope(f.period, f.regency, None, f.scope)
    cards = []
    for indicator, title in (("expected", t("mr.card.expected", lang)), ("received", t("mr.card.received", lang)),
                             ("missing_reports", t("mr.card.missing", lang))):
        value = components.figure(indicator, row.get(indicator), lang, scope_text, className="fs-3 fw-semibold",
                                  element_id=f"mr-{indicator}")
        cards.append(dbc.Col(dbc.Card(dbc.CardBody([html.Div(title, className="small text-muted"), value]),
                             className="h-100 shadow-sm"), xs=12, md=4))
    return html.Div([dbc.Row(cards, className="g-2 mb-2"),
                     components.definitions(["expected", "received", "missing_reports"], lang, "mr-definitions")])


def _by_regency(engine, f: filters.Filters, lang: str):
    """The province's view: every kabupaten/kota with its stored counts, each linking to its own list."""
    rows = read_missing.counts(engine, f.period, f.scope).sort_values("missing_reports", ascending=False)
    body = []
    for r in rows.itertuples():
        where = components.area_scope(f.period, r.regency_code, None, f.scope)
        body.append(html.Tr([
            html.Td(dcc.Link(r.name, href=PAGE["path"] + f.query(kab=r.regency_code))),
            html.Td(components.figure("expected", r.expected, lang, where), className="text-end"),
            html.Td(components.figure("received", r.received, lang, where), className="text-end"),
            html.Td(components.figure("missing_reports", r.missing_reports, lang, where), className="text-end"),
            html.Td(components.figure("reporting_rate", r.reporting_rate, lang, where), className="text-end"),
        ]))
    head = html.Tr([html.Th(t("mr.col.regency", lang))] + [
        html.Th(text, className="text-end") for text in (t("mr.card.expected", lang), t("mr.card.received", lang),
                                                         t("mr.card.missing", lang), t("mr.col.rate", lang))])
    return html.Details([html.Summary(t("mr.by_regency", lang), className="mb-2"),
                         dbc.Table([html.Thead(head), html.Tbody(body)], size="sm", striped=True, hover=True,
                                   className="small", responsive=True, id="mr-regencies")],
                        open=False, className="mb-3")


def layout(**query):
    lang = context.lang()
    engine = context.engine()
    header = components.page_header(t("page.missing", lang), t("mr.subtitle", lang))
    f = filters.parse(query, engine)
    reported = set(read_missing.periods(engine))
    if f.period is None or not reported:
        return html.Div([header, components.empty_state(lang)])
    if f.period not in reported:  # the reporting status covers the latest 24 periods
        f = filters.Filters(max(reported), f.regency, f.type, f.periods, (*f.ignored, filters.PERIOD), f.scope)
    view = scope.cooperatives(f.regency)
    # the figures of the area the list is about: a kabupaten officer's own kabupaten (the filter may say province)
    shown = filters.Filters(f.period, view.regency, f.type, f.periods, f.ignored, f.scope) \
        if view.allowed and view.regency else f
    parts = [header, filters.bar(f, lang, engine, FIELDS),
             population.note(engine, f, lang, PAGE["path"]), _figures(engine, shown, lang)]
    if not view.allowed:
        parts.append(scope.notice(view, lang, "mr-hidden", PAGE["path"] + f.query()))
        return html.Div(parts, className="missing-page")
    if view.regency is None:
        parts.append(_by_regency(engine, f, lang))
    parts.append(scope.scoped_note(view, f.regency, lang, "mr-scoped"))
    frame = read_missing.missing(engine, f.period, view.regency, f.scope)
    simulated = queries.status(engine).is_demo
    names = queries.regencies(engine).set_index("code")["name"].to_dict()
    area = names.get(view.regency, view.regency) if view.regency else t("digest.province", lang)
    parts.append(html.H2(t("mr.list", lang, n=fmt_int(len(frame), lang), period=fmt_period(f.period, lang),
                           area=area), className="h5 mt-2", id="mr-list-title"))
    deadline = accountability.report_deadline(pd.Series([pd.Timestamp(f.period)])).iloc[0].date()
    parts.append(html.P(t("mr.deadline", lang, date=fmt_date(deadline, lang)), className="small mb-1",
                        id="mr-deadline"))
    if frame.empty:
        parts.append(dbc.Alert(t("mr.none", lang), color="success", id="mr-none"))
        return html.Div(parts, className="missing-page")
    with_phone = int(frame["contact_phone"].notna().sum())
    parts.append(html.P(t("mr.contacts", lang, n=fmt_int(with_phone, lang), total=fmt_int(len(frame), lang)),
                        className="small text-muted", id="mr-contacts"))
    message = chat_message(frame, f.period, area, lang, context.settings().OFFICE_NAME)
    parts.append(dbc.Row([
        dbc.Col([dbc.Button(t("mr.call_list", lang), id="mr-call-list", color="primary", size="sm", className="me-2"),
                 dcc.Download(id="mr-call-download")], xs="auto"),
        dbc.Col([dbc.Button(t("mr.message_txt", lang), id="mr-message-txt", color="secondary", outline=True,
                            size="sm"), dcc.Download(id="mr-message-download")], xs="auto"),
    ], className="g-2 mb-2"))
    parts.append(dcc.Store(id="mr-query", data={"periode": f.period_key, "kab": view.regency, "cakupan": f.scope}))
    parts.append(html.Details([
        html.Summary(t("mr.message", lang)),
        html.Div([dcc.Clipboard(target_id="mr-message-text", title=t("mr.copy", lang),
                                className="btn btn-sm btn-outline-secondary mb-1"),
                  html.Pre(message, id="mr-message-text", className="border rounded p-2 bg-light small",
                           style={"whiteSpace": "pre-wrap", "maxHeight": "260px", "overflowY": "auto"})]),
    ], className="mb-3", id="mr-message-box"))
    columns = [{"field": "name", "headerName": t("mr.col.name", lang), "flex": 2, "minWidth": 200,
                "cellRenderer": "PantauCoopLink"},
               {"field": "regency", "headerName": t("mr.col.regency", lang), "width": 150},
               {"field": "district", "headerName": t("mr.col.district", lang), "width": 140},
               {"field": "contact_name", "headerName": t("mr.col.contact_name", lang), "width": 170},
               {"field": "contact_phone", "headerName": t("mr.col.contact_phone", lang), "width": 160},
               {"field": "contact_email", "headerName": t("mr.col.contact_email", lang), "width": 220},
               {"field": "last_received", "headerName": t("mr.col.last_received", lang), "width": 150},
               {"field": "nik", "headerName": t("mr.col.nik", lang), "width": 150}]
    parts.append(components.grid("mr-grid", _shown(frame, lang), columns, lang, height=520, simulated=simulated))
    return html.Div(parts, className="missing-page")


def _selection(data):
    """The list behind a download, from the page's stored filters, narrowed again to the reader's kabupaten."""
    if not isinstance(data, dict):
        raise PreventUpdate
    engine = context.engine()
    f = filters.parse({k: v for k, v in data.items() if v}, engine)
    view = scope.cooperatives(data.get("kab"))
    if not view.allowed or f.period is None:
        raise PreventUpdate
    frame = read_missing.missing(engine, f.period, view.regency, f.scope)
    names = queries.regencies(engine).set_index("code")["name"].to_dict()
    return engine, f, view, frame, names


def register_callbacks(app) -> None:
    @app.callback(Output("mr-call-download", "data"), Input("mr-call-list", "n_clicks"), State("mr-query", "data"),
                  prevent_initial_call=True)
    def _call_list(clicks, data):
        if not clicks:
            raise PreventUpdate
        lang = context.lang()
        engine, f, view, frame, _names = _selection(data)
        text = call_list_csv(frame, lang, queries.status(engine).is_demo)
        access.record_export({"view": "call_list", "period": f.period_key, "kab": view.regency, "rows": len(frame)})
        name = f"belum-melapor_{f.period_key}_{view.regency or '53'}.csv"
        return dcc.send_bytes(("\ufeff" + text).encode("utf-8"), name)

    @app.callback(Output("mr-message-download", "data"), Input("mr-message-txt", "n_clicks"),
                  State("mr-query", "data"), prevent_initial_call=True)
    def _message(clicks, data):
        if not clicks:
            raise PreventUpdate
        lang = context.lang()
        _engine, f, view, frame, names = _selection(data)
        area = names.get(view.regency, view.regency) if view.regency else t("digest.province", lang)
        text = chat_message(frame, f.period, area, lang, context.settings().OFFICE_NAME)
        access.record_export({"view": "chat_message", "period": f.period_key, "kab": view.regency,
                              "rows": len(frame)})
        return dcc.send_bytes(text.encode("utf-8"), f"pesan_belum-melapor_{f.period_key}.txt")


__all__ = ["PAGE", "layout", "register_callbacks"]

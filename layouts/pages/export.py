"""Ekspor / Export: pick a dataset and filters, see how many rows and a preview, download the CSV (the API's own
answer), copy the API URL or the command line, and read the data dictionary. Everything is in the URL:
`/ekspor?dataset=reports&kab=5371&periode=2026-09`."""
from __future__ import annotations

import dataclasses
from urllib.parse import parse_qsl, urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from layouts import access, api, components, context, filters, scope
from layouts.i18n import N_, fmt_int, fmt_period, t
from warehouse import export as ex

PAGE = {"path": "/ekspor", **components.page_names(N_("page.export")), "order": 70, "access": "analyst",
        "cache": False}  # (its preview is written to the audit log each time it is seen)
DATASET = "dataset"  # the page's own URL parameter; the rest are the API's
DEFAULT_DATASET = "registry"
PREVIEW_ROWS = 200
CONTROL = "export-control"  # controls whose changes this page writes to the URL itself (they depend on each other)


def _selection(name: str, query: dict) -> tuple[ex.Selection, list[ex.ExportError]]:
    """The API's reading of the page's query; a parameter the API would refuse is dropped and reported."""
    params = {k: v for k, v in query.items() if k != DATASET and v not in (None, "")}
    problems = []
    while True:
        try:
            selection, _ = ex.parse(name, params.items(), paging=False)
            return selection, problems
        except ex.ExportError as exc:
            problems.append(exc)
            if exc.parameter not in params:
                params = {}
            params.pop(exc.parameter, None)


def _scoped(selection: ex.Selection) -> tuple[ex.Selection, str | None]:
    """A kabupaten officer's selection holds only their kabupaten (as the API forces it; the aggregate dataset
    stays province-wide): (the selection to show, the officer's kabupaten or None)."""
    officer = access.current_scope()
    if not officer or selection.dataset in access.UNSCOPED_API or ex.P_REGENCY not in ex.DATASETS[selection.dataset].params:
        return selection, None
    return dataclasses.replace(selection, regency=officer), officer


def _dropdown(name: str, label: str, options: list[dict], value, placeholder: str | None = None):
    return html.Div([
        dbc.Label(label, className="small text-muted mb-0") if label else None,
        dcc.Dropdown(id={"type": CONTROL, "name": name}, options=options, value=value, placeholder=placeholder,
                     clearable=placeholder is not None),
    ])


def _controls(spec: ex.Dataset, selection: ex.Selection, lang: str, engine) -> list:
    """The dataset's own filters (beside kabupaten and type): months, fiscal year or scoring method."""
    out = []
    if spec.period in ("month", "event"):
        options = ex.period_options(engine, spec.name)
        months = [{"label": fmt_period(p, lang), "value": p.strftime("%Y-%m")} for p in options]
        keys = [{"label": p.strftime("%Y-%m"), "value": p.strftime("%Y-%m")} for p in options]  # fits half a column
        single = selection.period_from.strftime("%Y-%m") if selection.single_period else None
        start = None if selection.single_period or not selection.period_from else selection.period_from.strftime("%Y-%m")
        end = None if selection.single_period or not selection.period_to else selection.period_to.strftime("%Y-%m")
        out += [
            _dropdown(ex.P_PERIOD, t("export.period", lang), months, single, t("export.all_periods", lang)),
            html.Div([
                dbc.Label(t("export.range", lang), className="small text-muted mb-0"),
                html.Div([html.Div(_dropdown(ex.P_FROM, None, keys, start, t("export.period_from", lang)),
                                   className="flex-fill", style={"minWidth": 0, "overflowX": "clip"}),
                          html.Div(_dropdown(ex.P_TO, None, keys, end, t("export.period_to", lang)),
                                   className="flex-fill", style={"minWidth": 0, "overflowX": "clip"})],
                         className="d-flex gap-1"),
            ]),
        ]
    if ex.P_YEAR in spec.params:
        years = [{"label": str(y), "value": str(y)} for y in ex.fiscal_years(engine)]
        out.append(_dropdown(ex.P_YEAR, t("export.year", lang), years,
                             str(selection.year) if selection.year else None, t("export.all_years", lang)))
    if ex.P_FRAMEWORK in spec.params:
        methods = [{"label": m, "value": m} for m in ex.FRAMEWORKS]
        out.append(_dropdown(ex.P_FRAMEWORK, t("export.framework", lang), methods, selection.framework,
                             t("export.all_frameworks", lang)))
    return out


def _copyable(element_id: str, text: str, lang: str):
    return html.Div(
        [html.Code(text, id=element_id, className="flex-grow-1 text-break small"),
         dcc.Clipboard(target_id=element_id, title=t("export.copy", lang), className="btn btn-sm btn-outline-secondary ms-2")],
        className="d-flex align-items-start bg-light border rounded px-2 py-1",
    )


def _preview(spec: ex.Dataset, cells: list[list[str]], total: int, lang: str):
    """The first rows exactly as the file has them, in one virtualised grid (thousands of html cells would make
    the browser crawl on every re-render)."""
    if not cells:
        return dbc.Alert(t("export.no_rows", lang), color="info", className="mb-0", id="export-no-rows")
    fields = [f"c{i}" for i in range(len(spec.columns))]  # column names like "group" are safe as ids this way
    rows = [dict(zip(fields, row)) for row in cells]
    return html.Div([
        html.P(t("export.preview_note", lang, shown=fmt_int(len(cells), lang), rows=fmt_int(total, lang)),
               className="small text-muted mb-2", id="export-preview-note"),
        dag.AgGrid(
            id="export-preview",
            rowData=rows,
            columnDefs=[{"field": f, "headerName": name, "headerTooltip": name}
                        for f, name in zip(fields, spec.columns)],
            defaultColDef={"sortable": False, "filter": False, "resizable": True, "minWidth": 90},
            dashGridOptions={"animateRows": False, "suppressMovableColumns": True,
                             "autoSizeStrategy": {"type": "fitCellContents"}},
            style={"height": "420px"},
            className="ag-theme-alpine",
        ),
    ])


def _dictionary(spec: ex.Dataset, lang: str):
    head = html.Thead(html.Tr([html.Th(h) for h in (
        t("export.col.column", lang), t("export.col.type", lang), t("export.col.unit", lang),
        t("export.col.description", lang), t("export.col.alias", lang))]))
    rows = [html.Tr([html.Td(html.Code(f.name)), html.Td(f.kind), html.Td(f.unit),
                     html.Td(f.en if lang == "en" else f.id), html.Td(f.as_dict(spec.name)["alias_template"])])
            for f in spec.fields]
    return html.Div(dbc.Table([head, html.Tbody(rows)], size="sm", className="mb-0 small", id="export-dictionary"),
                    style={"overflowX": "auto"})


def layout(**query):
    lang = context.lang()
    engine = context.engine()
    name = query.get(DATASET) or DEFAULT_DATASET
    problems = []
    try:
        ex.check_dataset(name)
    except ex.ExportError as exc:
        problems.append(exc)
        name = DEFAULT_DATASET
    selection, bad = _selection(name, query)
    problems += bad
    selection, scoped = _scoped(selection)
    spec = ex.DATASETS[name]
    export = ex.build(selection, engine)
    total = export.count()
    label = spec.label_en if lang == "en" else spec.label_id
    host = flask.request.host_url.rstrip("/") if flask.has_request_context() else ""
    csv_url = api.api_url(selection, "csv")
    notices = [dbc.Alert(t("export.bad_parameter", lang, message=p.message if lang == "en" else p.pesan),
                         color="warning", className="py-1 small mb-2", id={"type": "export-problem", "index": i})
               for i, p in enumerate(problems)]
    if scoped:
        notices.append(dbc.Alert(t("access.export_scoped", lang, regency=scope.regency_name(scoped)),
                                 color="secondary", className="py-1 small mb-2", id="export-scoped"))

    picker = _dropdown(DATASET, t("export.dataset", lang),
                       [{"label": d.label_en if lang == "en" else d.label_id, "value": d.name}
                        for d in ex.DATASETS.values()], name)
    bar = filters.bar(filters.Filters(None, selection.regency, selection.type), lang, engine,
                      fields=tuple(p for p in (filters.REGENCY, filters.TYPE) if p in spec.params),
                      extra=_controls(spec, selection, lang, engine))
    summary = dbc.Card(dbc.CardBody([
        html.Div(t("export.rows", lang, rows=fmt_int(total, lang)), className="fs-3 fw-semibold", id="export-count"),
        html.Div(t("export.rows_detail", lang, columns=len(spec.columns)), className="small text-muted mb-3"),
        html.Div([
            html.A(t("export.download_csv", lang), href=csv_url, download=ex.filename(selection, "csv"),
                   className="btn btn-primary me-2 mb-2", id="export-download"),
            html.A(t("export.download_json", lang), href=api.api_url(selection, "json"), target="_blank",
                   className="btn btn-outline-secondary me-2 mb-2", id="export-json"),
            html.A(t("export.download_dictionary", lang), href=f"{api.PREFIX}/dictionary.csv?dataset={name}",
                   className="btn btn-outline-secondary mb-2", id="export-dictionary-csv"),
        ]),
    ]), className="h-100 shadow-sm")
    api_card = dbc.Card(dbc.CardBody([
        dbc.Label(t("export.api", lang), className="small text-muted mb-1"),
        _copyable("export-api-url", host + csv_url, lang),
        dbc.Label(t("export.cli", lang), className="small text-muted mb-1 mt-3"),
        _copyable("export-cli", ex.cli_line(selection), lang),
    ]), className="h-100 shadow-sm")
    # The preview shows rows as a download does: audited like one (who, what, how many rows shown)
    access.record_export({"view": "preview", "dataset": name, "query": selection.params(),
                          "rows": min(total, PREVIEW_ROWS)})
    notes = [html.P(t("export.format_note", lang), className="small text-muted mb-1")]
    if export.simulated:
        notes.append(html.P(t("export.simulated_note", lang), className="small text-muted mb-1",
                            id="export-simulated-note"))
    return html.Div([
        components.page_header(t("page.export", lang), t("export.subtitle", lang)),
        *notices,
        dbc.Row([
            dbc.Col(picker, xs=12, md=6, lg=3),
            dbc.Col(html.P(spec.description_en if lang == "en" else spec.description_id,
                           className="small text-muted mb-0 mt-md-4", id="export-description"), xs=12, md=6, lg=9),
        ], className="g-2 mb-2"),
        bar,
        dbc.Row([dbc.Col(summary, lg=5), dbc.Col(api_card, lg=7)], className="g-3 mb-3"),
        html.Div(notes, className="mb-3"),
        dbc.Card([dbc.CardHeader(t("export.preview", lang) + ": " + label),
                  dbc.CardBody(_preview(spec, ex.preview(engine, selection, PREVIEW_ROWS), total, lang))],
                 className="mb-3"),
        dbc.Card([dbc.CardHeader(t("export.dictionary", lang, dataset=label)), dbc.CardBody(_dictionary(spec, lang))]),
    ], id="export-page")


def url_search(search: str, changes: dict[str, str | None], changed: str | None) -> str:
    """The page's query after control changes: a new dataset keeps only the filters it takes; one month and a
    range of months exclude each other."""
    params = dict(parse_qsl((search or "").lstrip("?")))
    for key, value in changes.items():
        if value in (None, "", []):
            params.pop(key, None)
        else:
            params[key] = str(value)
    if changed == DATASET:
        allowed = set(ex.DATASETS[params.get(DATASET, DEFAULT_DATASET)].params)
        params = {k: v for k, v in params.items() if k == DATASET or k in allowed}
    elif changed == ex.P_PERIOD and params.get(ex.P_PERIOD):
        params.pop(ex.P_FROM, None)
        params.pop(ex.P_TO, None)
    elif changed in (ex.P_FROM, ex.P_TO) and params.get(changed):
        params.pop(ex.P_PERIOD, None)
    ordered = {DATASET: params.pop(DATASET)} if DATASET in params else {}
    ordered.update(params)
    return "?" + urlencode(ordered) if ordered else ""


def register_callbacks(app) -> None:
    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input({"type": CONTROL, "name": ALL}, "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def _controls_to_url(values, search):
        if not ctx.triggered_id:
            raise PreventUpdate
        changes = {spec["id"]["name"]: value for spec, value in zip(ctx.inputs_list[0], values)}
        new = url_search(search, changes, ctx.triggered_id["name"])
        if new == (search or ""):
            raise PreventUpdate
        return new


__all__ = ["PAGE", "layout", "register_callbacks", "url_search"]

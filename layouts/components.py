"""Shared page components: pure functions that return Dash components."""
from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, ClientsideFunction, Input, Output, State, dcc, html

from layouts.i18n import t


def page_header(title: str, subtitle: str | None = None):
    return html.Div(
        [html.H1(title, className="h3 mb-1"), html.P(subtitle, className="text-muted mb-3") if subtitle else None],
        className="mt-3",
    )


def stat_card(title: str, value: str, detail: str | None = None, card_id: str | None = None):
    body = [html.Div(title, className="text-muted small text-uppercase"), html.Div(value, className="fs-3 fw-semibold")]
    if detail:
        body.append(html.Div(detail, className="small text-muted"))
    return dbc.Card(dbc.CardBody(body), className="h-100 shadow-sm", id=card_id or {"type": "stat", "title": title})


def empty_state(lang: str):
    return dbc.Alert(t("empty.warehouse", lang), color="info", className="mt-3")


# AG Grid's own words (pager, filters, empty grid) in Bahasa Indonesia; English is AG Grid's default.
_GRID_WORDS_ID = {
    "page": "Halaman", "of": "dari", "to": "–", "more": "lainnya", "pageSizeSelectorLabel": "Baris per halaman:",
    "firstPage": "Halaman pertama", "previousPage": "Halaman sebelumnya", "nextPage": "Halaman berikutnya",
    "lastPage": "Halaman terakhir", "noRowsToShow": "Tidak ada baris", "loadingOoo": "Memuat…",
    "filterOoo": "Saring…", "equals": "Sama dengan", "notEqual": "Tidak sama dengan", "contains": "Memuat",
    "notContains": "Tidak memuat", "startsWith": "Diawali", "endsWith": "Diakhiri", "blank": "Kosong",
    "notBlank": "Tidak kosong", "lessThan": "Kurang dari", "greaterThan": "Lebih dari",
    "lessThanOrEqual": "Kurang dari atau sama dengan", "greaterThanOrEqual": "Lebih dari atau sama dengan",
    "inRange": "Di antara", "andCondition": "DAN", "orCondition": "ATAU", "applyFilter": "Terapkan",
    "resetFilter": "Atur ulang", "clearFilter": "Hapus", "ariaPageSizeSelectorLabel": "Baris per halaman",
}


def grid_locale(lang: str) -> dict:
    """AG Grid `localeText` for the reader's language."""
    return dict(_GRID_WORDS_ID) if lang == "id" else {}


def grid(grid_id: str, frame: pd.DataFrame, columns: list[dict], lang: str, height: int = 480, page_size: int = 20,
         simulated: bool = False):
    """An AG Grid that sorts, filters, paginates, and exports exactly its filtered, sorted rows as CSV.

    The CSV starts with a UTF-8 byte-order mark (Excel then shows Indonesian text right) and, for demo data, a
    first line saying DATA SIMULASI.
    """
    # AG Grid writes the UTF-8 byte-order mark itself (Excel then reads Indonesian text right) and puts a line
    # break after the prepended content; demo data gets the DATA SIMULASI line first.
    export_params = {"fileName": f"{grid_id}.csv"}
    if simulated:
        export_params["prependContent"] = f"{t('simulated.badge', lang)} — {t('simulated.note', lang)}"
    return html.Div(
        [
            dbc.Button(t("export.csv", lang), id={"type": "grid-export", "grid": grid_id}, size="sm",
                       color="secondary", outline=True, className="mb-2"),
            dcc.Store(id={"type": "grid-export-params", "grid": grid_id}, data=export_params),
            dcc.Store(id={"type": "grid-export-done", "grid": grid_id}),
            dag.AgGrid(
                id=grid_id,
                rowData=frame.to_dict("records"),
                columnDefs=columns,
                defaultColDef={"sortable": True, "filter": True, "resizable": True, "floatingFilter": True},
                dashGridOptions={"pagination": True, "paginationPageSize": page_size, "animateRows": False,
                                 "localeText": grid_locale(lang)},
                csvExportParams=export_params,
                style={"height": f"{height}px"},
                className="ag-theme-alpine",
            ),
        ]
    )


def register_callbacks(app) -> None:
    """Callbacks every page shares: the grids' CSV export (in the browser, formula injection neutralised) and the
    global filters written to the URL."""
    app.clientside_callback(
        ClientsideFunction(namespace="pantau", function_name="exportGrid"),
        Output({"type": "grid-export-done", "grid": MATCH}, "data"),
        Input({"type": "grid-export", "grid": MATCH}, "n_clicks"),
        State({"type": "grid-export", "grid": MATCH}, "id"),
        State({"type": "grid-export-params", "grid": MATCH}, "data"),
        prevent_initial_call=True,
    )
    from layouts import filters

    filters.register_callbacks(app)

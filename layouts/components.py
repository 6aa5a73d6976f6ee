"""Shared page components: pure functions that return Dash components."""
from __future__ import annotations

import string

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, ClientsideFunction, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from indicators import registry, vocabulary, wording
from layouts.i18n import N_, Key, fmt_figure, simulated_texts, t, t_marked


def page_names(key: Key) -> dict:
    """A page's `name` (the menu's catalogue key) and `title` (the browser tab's text, in the reader's language: Dash
    calls it for each page it serves) for its PAGE registration."""
    from layouts import context

    return {"name": key, "title": lambda **_path: t_marked(key, context.lang())}


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


# ------------------------------------------------------------------------------------------ published figures
def definition_title(indicator_id: str, lang: str) -> str:
    """The hover text of a figure: its registry label, formula, population and id (the Metodologi page's anchor)."""
    reg = registry.load()
    ind = reg.get(indicator_id)
    # (t() outside the f-strings: pybabel does not look inside an f-string)
    population, see = t("fig.population", lang), t("fig.see_methodology", lang)
    return (f"{ind.label(lang)}: {wording.formula_text(ind, lang).rstrip('.')}. {population}: "
            f"{reg.population_label(ind.population, lang)}. [{ind.id}] — {see}")


def _raw(value) -> str:
    """The stored value as the data-value attribute reads it ('' when missing)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return str(value)


def area_scope(period, regency: str | None = None, kind: str | None = None, scope: str | None = None) -> str:
    """Where an area figure comes from, as the API asks for it:
    regency_indicators|<code or 53>|YYYY-MM|<type>|<population: daerah or semua>."""
    month = period.strftime("%Y-%m") if period is not None else ""
    return f"regency_indicators|{regency or vocabulary.PROVINCE_CODE}|{month}|{kind or ''}|{scope or vocabulary.DEFAULT_SCOPE}"


def kdmp_scope(period, regency: str | None = None) -> str:
    """Where a KDMP area figure comes from, as the API asks for it: kdmp_indicators|<code or 53>|YYYY-MM."""
    month = period.strftime("%Y-%m") if period is not None else ""
    return f"kdmp_indicators|{regency or vocabulary.PROVINCE_CODE}|{month}"


def snapshot_scope(nik: str, period) -> str:
    """Where a cooperative's snapshot figure comes from, as the API asks for it: snapshots|<nik>|YYYY-MM."""
    return f"snapshots|{nik}|{pd.Timestamp(period).strftime('%Y-%m')}"


def figure(indicator_id: str, value, lang: str, scope: str, text: str | None = None, digits: int | None = None,
           className: str | None = None, element_id=None):
    """A published figure as a page shows it: written the way its registry unit says, its definition on hover,
    and data-indicator / data-value / data-scope attributes saying which stored value it is (the consistency
    test compares every one with the API)."""
    ind = registry.load().get(indicator_id)
    shown = text if text is not None else fmt_figure(value, ind.unit, lang, digits)
    extra = {"id": element_id} if element_id is not None else {}
    if digits is not None:
        extra["data-digits"] = str(digits)
    return html.Span(shown, title=definition_title(indicator_id, lang), className=className, **extra,
                     **{"data-indicator": indicator_id, "data-value": _raw(value), "data-scope": scope})


def sentence(text: str, **parts) -> list:
    """A catalogue message as written (`t(key, lang)` without values) with components (figure spans, links) in its
    {placeholders}, as a list of children."""
    out = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        if literal:
            out.append(literal)
        if name is not None:
            out.append(parts[name])
    return out


def definitions(indicator_ids, lang: str, element_id: str | None = None):
    """A footnote naming the registry definitions behind the figures above it, each linking to the Metodologi page."""
    reg = registry.load()
    links = []
    for i, ind_id in enumerate(dict.fromkeys(indicator_ids)):
        ind = reg.get(ind_id)
        if i:
            links.append(" · ")
        links.append(dcc.Link(ind.label(lang), href=f"/metodologi#ind-{ind_id}", title=definition_title(ind_id, lang),
                              className="figure-definition"))
    extra = {"id": element_id} if element_id else {}
    return html.Div([html.Span(t("fig.defined_as", lang) + ": ", className="fw-semibold"), *links],
                    className="small text-muted mt-1 figure-definitions", **extra)


def figure_column(indicator_id: str, field: str, lang: str, **column) -> dict:
    """An AG Grid column of a published figure: the registry label as its header and the definition as the
    header's tooltip."""
    ind = registry.load().get(indicator_id)
    # `context` names the registry entry, so a test can compare the grid's cells with the API
    return {"field": field, "headerName": column.pop("headerName", ind.label(lang)),
            "headerTooltip": definition_title(indicator_id, lang), "context": {"indicator": indicator_id}, **column}


def empty_state(lang: str):
    return dbc.Alert(t("empty.warehouse", lang), color="info", className="mt-3")


# AG Grid's own words (pager, filters, empty grid) in the reader's language; the English texts are AG Grid's
# defaults.
_GRID_WORDS = {
    "page": N_("grid.page"), "of": N_("grid.of"), "to": N_("grid.to"), "more": N_("grid.more"),
    "pageSizeSelectorLabel": N_("grid.pageSizeSelectorLabel"), "firstPage": N_("grid.firstPage"),
    "previousPage": N_("grid.previousPage"), "nextPage": N_("grid.nextPage"), "lastPage": N_("grid.lastPage"),
    "noRowsToShow": N_("grid.noRowsToShow"), "loadingOoo": N_("grid.loadingOoo"), "filterOoo": N_("grid.filterOoo"),
    "equals": N_("grid.equals"), "notEqual": N_("grid.notEqual"), "contains": N_("grid.contains"),
    "notContains": N_("grid.notContains"), "startsWith": N_("grid.startsWith"), "endsWith": N_("grid.endsWith"),
    "blank": N_("grid.blank"), "notBlank": N_("grid.notBlank"), "lessThan": N_("grid.lessThan"),
    "greaterThan": N_("grid.greaterThan"), "lessThanOrEqual": N_("grid.lessThanOrEqual"),
    "greaterThanOrEqual": N_("grid.greaterThanOrEqual"), "inRange": N_("grid.inRange"),
    "andCondition": N_("grid.andCondition"), "orCondition": N_("grid.orCondition"),
    "applyFilter": N_("grid.applyFilter"), "resetFilter": N_("grid.resetFilter"),
    "clearFilter": N_("grid.clearFilter"), "ariaPageSizeSelectorLabel": N_("grid.ariaPageSizeSelectorLabel"),
}


def grid_locale(lang: str) -> dict:
    """AG Grid `localeText` for the reader's language."""
    return {name: t_marked(key, lang) for name, key in _GRID_WORDS.items()}


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
        export_params["prependContent"] = " — ".join(simulated_texts(lang))
    return html.Div(
        [
            dbc.Button(t("export.csv", lang), id={"type": "grid-export", "grid": grid_id}, size="sm",
                       color="secondary", outline=True, className="mb-2"),
            dcc.Store(id={"type": "grid-export-params", "grid": grid_id}, data=export_params),
            dcc.Store(id={"type": "grid-export-done", "grid": grid_id}),
            dcc.Store(id={"type": "grid-export-audited", "grid": grid_id}),
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

    @app.callback(
        Output({"type": "grid-export-audited", "grid": MATCH}, "data"),
        Input({"type": "grid-export", "grid": MATCH}, "n_clicks"),
        State({"type": "grid-export", "grid": MATCH}, "id"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def _audit_grid_export(clicks, button, path, search):
        """The CSV is written in the browser; the click is recorded here, so grid downloads are audited as the
        API's are (a logged-in reader's: a public reader's grids hold only public kabupaten figures)."""
        from layouts import access

        if access.installed() and access.current_user() is None:
            raise PreventUpdate
        access.record_export({"view": "grid", "grid": str(button.get("grid"))[:80], "page": (path or "")[:200],
                              "query": (search or "")[:500], "clicks": clicks})
        return clicks

    from layouts import filters

    filters.register_callbacks(app)

"""The overview's alert lists (category fallen, no recent RAT, stopped reporting): first rows, or all as a grid."""
from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import components, filters, labels, scope
from layouts.i18n import N_, fmt_int, fmt_number, fmt_period, missing, t, t_marked
from warehouse import read_overview

ALERT_ROWS = 10  # rows of each alert list on the overview; "see all" opens the whole list as a grid
ALERTS = ("fallen", "no_rat", "stopped")
ALERT_LABELS = {  # kind: (tab label, help line)
    "fallen": (N_("ov.alert.fallen"), N_("ov.alert.fallen_help")),
    "no_rat": (N_("ov.alert.no_rat"), N_("ov.alert.no_rat_help")),
    "stopped": (N_("ov.alert.stopped"), N_("ov.alert.stopped_help")),
}
EXPANDED = "peringatan"  # URL parameter: the alert list shown in full


def _link_col(lang: str) -> dict:
    return {"field": "name", "headerName": t("ov.col.name", lang), "flex": 2, "minWidth": 200,
            "cellRenderer": "PantauCoopLink", "filter": "agTextColumnFilter"}


def _alert_columns(kind: str, lang: str) -> list[dict]:
    cols = [_link_col(lang),
            {"field": "regency", "headerName": t("ov.col.regency", lang), "flex": 1, "minWidth": 130},
            {"field": "type_label", "headerName": t("ov.col.type", lang), "width": 130}]
    if kind == "fallen":
        cols += [{"field": "change", "headerName": t("ov.col.change", lang), "flex": 1, "minWidth": 220},
                 {"field": "health_total", "headerName": t("ov.col.health_total", lang), "width": 90,
                  "type": "numericColumn",
                  "valueFormatter": {"function": f"PantauNumber(params.value, '{lang}', 1)"}}]
    elif kind == "no_rat":
        cols += [{"field": "years_without_rat", "headerName": t("ov.col.years_without_rat", lang), "width": 130,
                  "type": "numericColumn",
                  "valueFormatter": {"function": f"PantauNumber(params.value, '{lang}', 1)"}},
                 {"field": "rat_grade", "headerName": t("ov.col.rat_grade", lang), "width": 100}]
    else:
        cols += [{"field": "missing_since_label", "headerName": t("ov.col.missing_since", lang), "width": 140},
                 {"field": "last_received_label", "headerName": t("ov.col.last_received", lang), "width": 140}]
    cols.append({"field": "nik", "headerName": t("ov.col.nik", lang), "width": 150})
    return cols


def _alert_frame(kind: str, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = pd.DataFrame({
        "nik": frame["nik"].astype(str),
        "name": frame["name"].fillna(frame["nik"]).astype(str),
        "regency": frame["regency"].fillna(""),
        "type_label": frame["type"].map(lambda v: labels.word(labels.COOP_TYPES, v, lang, missing="")),
    })
    if kind == "fallen":
        def category(v):
            return labels.word(labels.HEALTH_CATEGORIES, v, lang)

        out["change"] = frame["health_category_prev"].map(category) + " → " + frame["health_category"].map(category)
        out["health_total"] = frame["health_total"].round(1)
    elif kind == "no_rat":
        out["years_without_rat"] = frame["years_without_rat"].round(1)
        out["rat_grade"] = frame["rat_grade"].fillna("–")
    else:
        out["missing_since_label"] = frame["missing_since"].map(lambda v: fmt_period(_as_date(v), lang))
        out["last_received_label"] = frame["last_received"].map(lambda v: fmt_period(_as_date(v), lang))
    return out


def _as_date(value):
    if missing(value):
        return None
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def _alert_table(kind: str, rows: pd.DataFrame, columns: list[dict], lang: str):
    """The first rows of one alert list as a plain table; the name links to the cooperative's profile."""
    shown = [c for c in columns if c["field"] not in ("nik", "type_label")]
    def cls(c):  # numbers right-aligned; the kabupaten column only on wider screens
        return " ".join(filter(None, ["text-end" if c.get("type") else "",
                                      "d-none d-md-table-cell" if c["field"] == "regency" else ""])) or None

    head = html.Thead(html.Tr([html.Th(c["headerName"], className=cls(c)) for c in shown]))
    body = []
    for row in rows.itertuples(index=False):
        cells = []
        for c in shown:
            value = getattr(row, c["field"])
            if c["field"] == "name":
                cells.append(html.Td(dcc.Link(value, href=f"/koperasi/{row.nik}", className="coop-link")))
            else:
                text = fmt_number(value, 1, lang) if isinstance(value, float) else value
                cells.append(html.Td(text, className=cls(c)))
        body.append(html.Tr(cells, **{"data-nik": row.nik}))
    return dbc.Table([head, html.Tbody(body)], size="sm", hover=True, responsive=True, className="mb-1 small",
                     id=f"ov-alerts-{kind}-top")


def alerts(engine, f: filters.Filters, lang: str, snap: date | None, simulated: bool, params: dict):
    """Three alert tabs, each with its count and first rows; "see all" (`?peringatan=<kind>`) shows the whole
    list as a grid (sortable, filterable, exportable)."""
    header = dbc.CardHeader(t("ov.alerts", lang))
    if snap is None:
        return dbc.Card([header, dbc.CardBody(html.P(t("ov.no_snapshots", lang), className="mb-0 text-muted"))],
                        className="h-100")
    view = scope.cooperatives(f.regency)  # cooperative lists: logged-in readers, an officer's own kabupaten
    if not view.allowed:
        return dbc.Card([header, dbc.CardBody(scope.notice(view, lang, "ov-alerts-hidden", "/" + f.query(**params)))],
                        className="h-100", id="alerts")
    lists = read_overview.alerts(engine, snap, view.regency, f.type, f.scope)
    expanded = params.get(EXPANDED)
    tabs = []
    for kind in ALERTS:
        frame = lists[kind]
        label, help_key = ALERT_LABELS[kind]
        help_text = t_marked(help_key, lang, n=read_overview.STOPPED_MONTHS)
        columns = _alert_columns(kind, lang)
        if frame.empty:
            content = html.P(t("ov.alert.none", lang), className="text-muted small my-2")
        elif kind == expanded:
            content = html.Div([
                components.grid(f"ov-alerts-{kind}", _alert_frame(kind, frame, lang), columns, lang, height=520,
                                simulated=simulated),
                dcc.Link(t("ov.alert.top", lang, n=ALERT_ROWS), href="/" + f.query(**{**params, EXPANDED: None}),
                         className="small", id=f"ov-alerts-{kind}-less"),
            ])
        else:
            content = html.Div([
                _alert_table(kind, _alert_frame(kind, frame.head(ALERT_ROWS), lang), columns, lang),
                dcc.Link(t("ov.alert.all", lang, n=fmt_int(len(frame), lang)),
                         href="/" + f.query(**{**params, EXPANDED: kind}) + "#alerts", className="small",
                         id=f"ov-alerts-{kind}-all") if len(frame) > ALERT_ROWS else None,
            ])
        tabs.append(dbc.Tab(
            html.Div([html.Div(help_text, className="small text-muted my-2"), content], className="pt-1"),
            label=f"{t_marked(label, lang)} ({fmt_int(len(frame), lang)})", tab_id=kind,
            id=f"ov-alert-tab-{kind}", label_class_name="small px-2",
        ))
    return dbc.Card([header, dbc.CardBody([
        scope.scoped_note(view, f.regency, lang, "ov-alerts-scoped"),
        dbc.Tabs(tabs, id="ov-alert-tabs", active_tab=expanded or ALERTS[0]),
        html.Div(t("ov.alerts_note", lang, period=fmt_period(snap, lang)), className="small text-muted mt-1"),
    ])], className="h-100", id="alerts")

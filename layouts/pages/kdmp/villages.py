"""The KDMP page's village lists (logged-in readers; a kabupaten officer sees only their own kabupaten): the stuck
ones (no NIB 90 days after SK AHU, no land), those whose data is stale, or every village, each with its milestone,
how long it has been there, how fresh its row is and its mentor — the stored state of kdmp_villages."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import components, labels, scope
from layouts.i18n import N_, fmt_int, fmt_period, t, t_marked
from layouts.pages.kdmp.view import LIST, LISTS, STAGE, View
from warehouse import read_kdmp

LIST_LABELS = {"tertahan": N_("kdmp.list.tertahan"), "usang": N_("kdmp.list.usang"), "semua": N_("kdmp.list.semua")}
ISO_DATE = {"function": "params.value ? params.value : '–'"}


def _num(lang: str, digits: int = 0) -> dict:
    locale = "en-US" if lang == "en" else "id-ID"
    return {"function": f"params.value == null ? '–' : Number(params.value).toLocaleString('{locale}', "
                        f"{{minimumFractionDigits: {digits}, maximumFractionDigits: {digits}}})"}


def _chosen(frame: pd.DataFrame, v: View) -> pd.DataFrame:
    if v.village:
        return frame.loc[frame["village_code"] == v.village]
    if v.village_list == "tertahan":
        frame = frame.loc[frame["stuck_nib"].astype(bool) | frame["no_land"].astype(bool)]
    elif v.village_list == "usang":
        frame = frame.loc[frame["stale"].astype(bool)]
    if v.stage:
        frame = frame.loc[frame["stage"] == v.stage]
    return frame


def _rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    def dates(col):
        return [d.isoformat() if d is not None and not pd.isna(d) else None for d in frame[col]]

    def outlets(text):
        if not isinstance(text, str) or not text:
            return "–"
        return ", ".join(labels.word(labels.KDMP_OUTLETS, o, lang) for o in text.split(";"))

    yes, no = t("fig.yes", lang), t("fig.no", lang)
    return pd.DataFrame({
        "village_name": frame["village_name"], "nik": frame["nik"], "village_code": frame["village_code"],
        "regency": frame["regency"], "village_type": frame["village_type"].map(
            lambda x: labels.word(labels.VILLAGE_TYPES, x, lang)),
        "stage": frame["stage"].map(lambda x: labels.word(labels.KDMP_STAGES, x, lang)),
        "stage_since": dates("stage_since"), "days_in_stage": frame["days_in_stage"],
        "stuck_nib": frame["stuck_nib"].map(lambda x: yes if x else no),
        "no_land": frame["no_land"].map(lambda x: yes if x else no),
        "ahu_on": dates("ahu_on"), "nib_on": dates("nib_on"), "land_ready_on": dates("land_ready_on"),
        "construction_pct": frame["construction_pct"], "outlets": frame["outlets"].map(outlets),
        "financing_scheme": frame["financing_scheme"].map(lambda x: labels.word(labels.FINANCING_SCHEMES, x, lang)),
        "as_of": dates("as_of"), "days_since_update": frame["days_since_update"],
        "business_assistant": frame["business_assistant"].fillna("–"), "mentoring_hours": frame["mentoring_hours"],
        "last_mentored_on": dates("last_mentored_on"),
    })


def _columns(lang: str) -> list[dict]:
    num = {"type": "numericColumn", "filter": "agNumberColumnFilter", "valueFormatter": _num(lang), "width": 110}
    date = {"width": 120, "valueFormatter": ISO_DATE}
    cols = [
        {"field": "village_name", "headerName": t("kdmp.col.village", lang), "minWidth": 160, "pinned": "left",
         "cellRenderer": "RankingsCoopLink", "filter": "agTextColumnFilter",
         "cellRendererParams": {"prefix": dash.get_relative_path("/koperasi/")}},
        {"field": "village_code", "headerName": t("kdmp.col.code", lang), "width": 120},
        {"field": "regency", "headerName": t("digital.col.regency", lang), "width": 140},
        {"field": "village_type", "headerName": t("kdmp.col.type", lang), "width": 100},
        components.figure_column("kdmp_stage", "stage", lang, width=150, headerName=t("kdmp.col.stage", lang)),
        {"field": "stage_since", "headerName": t("kdmp.col.since", lang), **date},
        components.figure_column("kdmp_days_in_stage", "days_in_stage", lang, **num),
        components.figure_column("kdmp_stuck_nib_flag", "stuck_nib", lang, width=110),
        components.figure_column("kdmp_no_land_flag", "no_land", lang, width=110),
        {"field": "ahu_on", "headerName": t("kdmp.col.ahu", lang), **date},
        {"field": "nib_on", "headerName": t("kdmp.col.nib", lang), **date},
        {"field": "land_ready_on", "headerName": t("kdmp.col.land", lang), **date},
        {"field": "construction_pct", "headerName": t("kdmp.col.construction", lang), **num},
        {"field": "outlets", "headerName": t("kdmp.col.outlets", lang), "minWidth": 180},
        {"field": "financing_scheme", "headerName": t("kdmp.col.scheme", lang), "width": 150},
        {"field": "as_of", "headerName": t("kdmp.col.as_of", lang), **date},
        components.figure_column("kdmp_days_since_update", "days_since_update", lang, **num),
        {"field": "business_assistant", "headerName": t("kdmp.col.mentor", lang), "width": 140},
        components.figure_column("kdmp_village_mentoring_hours", "mentoring_hours", lang, **num),
        {"field": "last_mentored_on", "headerName": t("kdmp.col.last_mentored", lang), **date},
        {"field": "nik", "headerName": "NIK", "width": 150, "hide": True},
    ]
    for col in cols:
        col.update(wrapHeaderText=True, autoHeaderHeight=True)
    return cols


def _switch(v: View, lang: str):
    links = [dcc.Link(t_marked(LIST_LABELS[k], lang), href="/kopdes-merah-putih" + v.query(
        **{LIST: None if k == LISTS[0] else k}, desa=None), id=f"kdmp-list-{k}",
        className="btn btn-sm " + ("btn-primary" if k == v.village_list and not v.village else "btn-outline-primary"))
        for k in LISTS]
    return html.Div(links, className="d-flex flex-wrap gap-1 mb-2", id="kdmp-list-switch")


def section(engine, v: View, lang: str, simulated: bool, path: str):
    f = v.filters
    view = scope.cooperatives(f.regency)
    header = t("kdmp.villages", lang, period=fmt_period(f.period, lang))
    if not view.allowed:
        body = [scope.notice(view, lang, "kdmp-villages-hidden", path + v.query())]
    else:
        frame = read_kdmp.villages(engine, f.period, view.regency)
        chosen = _chosen(frame, v)
        stage_note = (t("kdmp.list.stage", lang, stage=t_marked(labels.KDMP_STAGES[v.stage], lang)) if v.stage
                      else "")
        body = [
            _switch(v, lang),
            scope.scoped_note(view, f.regency, lang, "kdmp-villages-scoped"),
            html.P(t("kdmp.list.count", lang, n=fmt_int(len(chosen), lang)) + stage_note,
                   className="small text-muted mb-1", id="kdmp-villages-count"),
            components.grid("kdmp-village-grid", _rows(chosen, lang), _columns(lang), lang, height=520, page_size=50,
                            simulated=simulated),
            html.P(t("kdmp.list.note", lang), className="small text-muted mt-2 mb-0"),
        ]
    body.append(components.definitions(["kdmp_stage", "kdmp_days_in_stage", "kdmp_stuck_nib_flag",
                                        "kdmp_no_land_flag", "kdmp_days_since_update",
                                        "kdmp_village_mentoring_hours"], lang, element_id="kdmp-village-definitions"))
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="shadow-sm mb-3", id="kdmp-villages")


__all__ = ["section", "STAGE"]

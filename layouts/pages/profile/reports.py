"""The profile's lineage: every revision of every report, with the ingest run and source row it came from."""
from __future__ import annotations

import pandas as pd
from dash import html

from layouts import components, labels
from layouts.i18n import N_, fmt_datetime, fmt_int, missing, t, t_marked
from layouts.pages.profile.parts import card
from warehouse import read_profile

REPORT_AMOUNT_HEADERS = {"members": N_("pf.col.members"), "total_assets": N_("pf.col.total_assets"),
                         "equity": N_("pf.col.equity"), "loans_outstanding": N_("pf.col.loans_outstanding"),
                         "loans_at_risk": N_("pf.col.loans_at_risk"), "revenue": N_("pf.col.revenue"),
                         "shu_after_tax": N_("pf.col.shu_after_tax")}


def reports_card(reports: pd.DataFrame, lang: str, simulated: bool):
    title = t("pf.reports", lang)
    frame = reports.assign(
        period=reports["period_end"].astype(str).str[:7],
        current=reports["is_current"].map(lambda v: t("pf.yes", lang) if v else t("pf.no", lang)),
        source_label=reports["source"].map(lambda s: labels.word(labels.SOURCES, s, lang)),
        run_started=reports["run_started_at"].map(lambda v: fmt_datetime(v, lang) if not missing(v) else "–"),
        received=reports["received_at"].map(lambda v: fmt_datetime(v, lang) if not missing(v) else "–"),
        submitted=reports["submitted_on"].astype("string").fillna("–"),
    )

    def col(field, header, **extra):
        return {"field": field, "headerName": header, **extra}

    def amount(field):
        return col(field, t_marked(REPORT_AMOUNT_HEADERS[field], lang), width=150, type="numericColumn",
                   filter="agNumberColumnFilter",
                   valueFormatter={"function": f"rankingsNumber(params.value, 0, '{lang}')"})

    columns = [
        col("period", t("pf.col.period", lang), width=110, sort="desc", pinned="left"),
        col("revision", t("pf.col.revision", lang), width=95, type="numericColumn"),
        col("current", t("pf.col.current", lang), width=100),
        # Amounts this cooperative never reports (loans of a consumer cooperative) are left out.
        *(amount(a) for a in read_profile.REPORT_AMOUNTS if reports[a].notna().any()),
        col("source_label", t("pf.col.source", lang), width=200),
        col("ingest_run_id", t("pf.col.run", lang), width=120, type="numericColumn"),
        col("run_target", t("pf.col.run_target", lang), minWidth=260, flex=1),
        col("source_row", t("pf.col.source_row", lang), width=90, type="numericColumn"),
        col("run_started", t("pf.col.run_started", lang), width=200),
        col("submitted", t("pf.col.submitted_on", lang), width=120),
        col("received", t("pf.col.received_at", lang), width=200),
    ]
    fields = [c["field"] for c in columns]
    n_periods = reports["period_end"].nunique()
    body = [
        html.P([t("pf.reports_note", lang), " ",
                html.Span(t("pf.reports_count", lang, n=fmt_int(len(reports), lang), periods=fmt_int(n_periods, lang)),
                          id="profile-reports-count", className="fw-semibold")], className="small text-muted"),
        components.grid("profile-reports-grid", frame[fields], columns, lang, height=460, simulated=simulated),
    ]
    return card(title, body, "profile-reports", class_name="mb-3")

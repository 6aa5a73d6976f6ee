"""The profile's RAT history: each fiscal year's annual members' meeting as judged (or, before that, as reported)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from layouts import components
from layouts.i18n import fmt_date, fmt_int, fmt_rupiah, missing, t
from warehouse import read_profile


def _yes_no(value, lang: str) -> str:
    if missing(value):
        return "–"
    return t("pf.yes", lang) if bool(value) else t("pf.no", lang)


def rat_history(data: read_profile.Profile, lang: str):
    def rupiah(v):
        if missing(v):
            return "–"
        return "−" + fmt_rupiah(-v, lang) if v < 0 else fmt_rupiah(v, lang)

    if data.rat.empty:
        if data.meetings.empty:
            return html.P(t("pf.no_rat", lang), className="mb-0")
        head = (t("pf.col.fiscal_year", lang), t("pf.col.held_on", lang), t("pf.col.shu_total", lang),
                t("pf.col.shu_to_members", lang), t("pf.col.audited", lang), t("pf.col.statements", lang))
        body = [html.Tr([html.Td(int(r.fiscal_year)), html.Td(fmt_date(r.held_on, lang)), html.Td(rupiah(r.shu_total)),
                         html.Td(rupiah(r.shu_to_members)), html.Td(_yes_no(r.audited, lang)),
                         html.Td(_yes_no(r.statements_published, lang))]) for r in data.meetings.itertuples()]
        note = html.P(t("pf.rat_raw", lang), className="small text-muted")
    else:
        head = (t("pf.col.fiscal_year", lang), t("pf.col.held_on", lang), t("pf.col.on_time", lang),
                t("pf.col.grade", lang), t("pf.col.shu_total", lang), t("pf.col.shu_to_members", lang),
                t("pf.col.disclosed", lang), t("pf.col.audit_required", lang), t("pf.col.audited", lang))
        body = []
        for r in data.rat.itertuples():
            if not r.held:
                on_time = t("pf.not_held", lang)
            elif r.held_on_time:
                on_time = t("pf.yes", lang)
            elif not missing(r.days_late):
                on_time = t("pf.late_days", lang, days=fmt_int(r.days_late, lang))
            else:
                on_time = t("pf.no", lang)
            body.append(html.Tr([
                html.Td(int(r.fiscal_year)), html.Td(fmt_date(r.held_on, lang) if not missing(r.held_on) else "–"),
                html.Td(on_time, className="" if r.held_on_time else "text-danger"),
                html.Td(r.grade or "–", className="fw-semibold"), html.Td(rupiah(r.shu_total)),
                html.Td(rupiah(r.shu_to_members)), html.Td(_yes_no(r.shu_disclosed, lang)),
                html.Td(_yes_no(r.audit_required, lang)),
                html.Td(_yes_no(r.audited, lang),
                        className="text-danger" if bool(r.audit_missing) and not missing(r.audit_missing) else ""),
            ]))
        note = None
    table = dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
                      size="sm", hover=True, responsive=True, className="profile-table mb-0", id="profile-rat")
    defined = (None if data.rat.empty else
               components.definitions(["rat_held", "rat_held_on_time", "rat_days_late", "rat_grade", "shu_disclosed",
                                       "audit_required", "audit_missing"], lang))
    return [note, table, defined]

"""Notifikasi / Notifications: the alerts raised for the reader — a kabupaten officer's kabupaten, everyone else's
province — newest first, without the rules they switched off on their account page; one rule at a time with
`?aturan=<rule>`. The same alerts the daily digest sends (layouts/digest.py)."""
from __future__ import annotations

import json

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import access, components, context, notices
from layouts.i18n import N_, fmt_date, fmt_datetime, fmt_int, t
from warehouse import alerts, queries

PAGE = {"path": "/notifikasi", **components.page_names(N_("page.notifications")), "order": 57,
        "access": "official", "nav": False,  # (the bell beside the user menu links it, with the count)
        "cache": False}  # (the reader's own rules and kabupaten: never a cached answer)
RULE_PARAM = "aturan"


def _reader():
    """(kabupaten or None, rules switched off, e-mail, digest on) of the reader."""
    user = access.current_user()
    if user is None:
        return None, (), None, False
    return user.regency_code, tuple(user.info.muted_rules), user.info.email, user.info.digest


def _links(counts: dict, chosen: str | None, lang: str):
    items = [dbc.NavItem(dbc.NavLink(t("nt.all", lang, n=fmt_int(sum(counts.values()), lang)), href="/notifikasi",
                                     active=chosen is None, id="nt-rule-all"))]
    for rule in notices.RULES:
        items.append(dbc.NavItem(dbc.NavLink(f"{notices.rule_label(rule, lang)} ({fmt_int(counts.get(rule, 0), lang)})",
                                             href=f"/notifikasi?{RULE_PARAM}={rule}", active=chosen == rule,
                                             id=f"nt-rule-{rule}")))
    return dbc.Nav(items, pills=True, className="mb-3 small flex-wrap")


def _once_each(keys: list, make) -> list:
    """`make(key)` for every distinct key, spread over the rows (a province's 4,000 alerts share a few hundred dates,
    five rules and few distinct details: formatting each once is what keeps the page fast)."""
    done: dict = {}
    return [done[k] if k in done else done.setdefault(k, make(k)) for k in keys]


def _frame(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    details = [(r, json.dumps(d or {}, sort_keys=True, default=str)) for r, d in zip(rows["rule"], rows["detail"])]
    return pd.DataFrame({
        "raised": _once_each(list(rows["created_at"]), lambda v: fmt_datetime(v, lang)),
        "rule": _once_each(list(rows["rule"]), lambda r: notices.rule_label(r, lang)),
        "name": [n if isinstance(n, str) and n else s for n, s in zip(rows["name"], rows["subject"])],
        "subject": rows["subject"].astype(str),
        "href": [notices.subject_path(k, s, r) for k, s, r in zip(rows["subject_kind"], rows["subject"],
                                                                  rows["regency_code"])],
        "regency": rows["regency"].fillna(rows["regency_code"]),
        "what": _once_each(details, lambda key: notices.detail_text(key[0], json.loads(key[1]), lang)),
        "event_date": _once_each(list(rows["event_date"]), lambda v: fmt_date(pd.Timestamp(v).date(), lang)),
    })


@queries.cached
def _alerts(engine, regency: str | None, muted: tuple[str, ...], chosen: str | None, lang: str):
    """(counts per rule, the grid's rows) a reader with this kabupaten, these rules off and this choice sees, in
    this language: the same for every such reader until the next refresh (cached on the data version)."""
    return alerts.counts(engine, regency, muted), _frame(alerts.listing(engine, regency, muted, chosen, limit=5000),
                                                         lang)


def layout(**query):
    lang = context.lang()
    regency, muted, email, digest_on = _reader()
    engine = context.engine()
    chosen = query.get(RULE_PARAM) if query.get(RULE_PARAM) in notices.RULES else None
    names = queries.regencies(engine).set_index("code")["name"].to_dict()
    area = names.get(regency, regency) if regency else t("digest.province", lang)
    counts, rows = _alerts(engine, regency, tuple(muted), chosen, lang)
    parts = [components.page_header(t("page.notifications", lang), t("nt.subtitle", lang, area=area))]
    if access.installed():
        if email and digest_on:
            note = t("nt.digest.on", lang, email=email)
        elif email:
            note = t("nt.digest.off", lang, email=email)
        else:
            note = t("nt.digest.none", lang)
        parts.append(html.P([note, " ", dcc.Link(t("nt.settings", lang), href="/admin#adm-alerts")],
                            className="small", id="nt-digest"))
    if muted:
        parts.append(html.P(t("nt.muted", lang, rules=", ".join(notices.rule_label(r, lang) for r in muted)),
                            className="small text-muted", id="nt-muted"))
    parts.append(_links(counts, chosen, lang))
    if chosen:
        parts.append(html.P(notices.rule_description(chosen, lang), className="small text-muted",
                            id="nt-rule-description"))
    if rows.empty:
        parts.append(dbc.Alert(t("nt.none", lang), color="light", id="nt-none"))
        return html.Div(parts, className="notifications-page")
    columns = [{"field": "raised", "headerName": t("nt.col.raised", lang), "width": 235},
               {"field": "rule", "headerName": t("nt.col.rule", lang), "width": 220},
               {"field": "name", "headerName": t("nt.col.subject", lang), "flex": 2, "minWidth": 200,
                "cellRenderer": "RankingsCoopLink"},
               {"field": "regency", "headerName": t("nt.col.regency", lang), "width": 150},
               {"field": "what", "headerName": t("nt.col.what", lang), "flex": 3, "minWidth": 260,
                "wrapText": True, "autoHeight": True},
               {"field": "event_date", "headerName": t("nt.col.date", lang), "width": 160},
               {"field": "subject", "headerName": t("nt.col.code", lang), "width": 150}]
    simulated = queries.status(engine).is_demo
    parts += [html.P(t("nt.count", lang, n=fmt_int(len(rows), lang)), className="small mb-1", id="nt-count"),
              components.grid("nt-grid", rows, columns, lang, height=560, simulated=simulated)]
    return html.Div(parts, className="notifications-page")


def register_callbacks(app) -> None:
    """The page has no callbacks of its own (its grid's CSV button is the shared one)."""


__all__ = ["PAGE", "layout", "register_callbacks"]


"""The profile's digital history: every stage the cooperative was recorded at, with date, platform and app members."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from layouts import labels
from layouts.i18n import fmt_date, fmt_int, t


def stage_history(digital: pd.DataFrame, lang: str):
    if digital.empty:
        return html.P(t("pf.no_digital", lang), className="mb-0 small text-muted", id="profile-digital")
    head = (t("pf.col.stage", lang), t("pf.col.stage_date", lang), t("pf.col.platform", lang),
            t("pf.col.members_on_app", lang))
    body = []
    for r in digital.itertuples():
        stage = labels.stage(r.stage, lang)
        if not r.is_current:
            stage = html.Span([stage, " ", dbc.Badge(t("pf.superseded", lang), color="light", text_color="dark")])
        body.append(html.Tr([html.Td(stage), html.Td(fmt_date(r.stage_date, lang)), html.Td(r.platform),
                             html.Td(fmt_int(r.members_on_app, lang), className="text-end")],
                            className="" if r.is_current else "text-muted"))
    return dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
                     size="sm", responsive=True, className="profile-table mb-0", id="profile-digital")

"""Profil koperasi / Cooperative profile (`/koperasi/<nik>`): one cooperative, its health and where it comes from.

Registry facts (facts.py), current health with its aspects (health.py), score history (history.py), key ratios
against the peer group (peers.py), RAT and digital history (rat.py, stages.py), and every report revision with the
ingest run it came from (reports.py: the lineage of each figure); methods.py reads the health methods, parts.py
holds what the cards share."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import components, context, labels, scope
from layouts.i18n import N_, t
from layouts.pages.profile import methods
from layouts.pages.profile.facts import facts
from layouts.pages.profile.health import health_card
from layouts.pages.profile.history import history_row
from layouts.pages.profile.methods import category_bands  # noqa: F401  (see below)
from layouts.pages.profile.parts import card, snapshot_badge
from layouts.pages.profile.parts import snapshot_basis as _snapshot_basis  # noqa: F401  (see below)
from layouts.pages.profile.peers import peers_card
from layouts.pages.profile.rat import rat_history
from layouts.pages.profile.reports import reports_card
from layouts.pages.profile.stages import stage_history
from warehouse import queries, read_profile

# `category_bands` and `_snapshot_basis` are not used here: tests/layouts/test_profile.py reaches them through the page,
# as it did before the page became a package.

PAGE = {"path_template": "/koperasi/<nik>", **components.page_names(N_("page.profile")), "order": 80,
        "nav": False, "access": "official"}


def layout(nik: str | None = None, **_query):
    lang = context.lang()
    engine = context.engine()
    nik = (nik or "").strip()
    if not read_profile.valid_nik(nik):
        return _not_found(t("pf.invalid_nik", lang, nik=nik[:40]), lang)
    data = read_profile.profile(engine, nik)
    if data is None:
        return _not_found(t("pf.not_found", lang, nik=nik), lang)
    view = scope.cooperatives(data.registry.get("regency_code"))
    if not view.allowed:
        if view.reason == scope.OUTSIDE:
            # a kabupaten officer and another kabupaten's cooperative: answered exactly as a NIK that does not
            # exist, so an officer cannot learn which NIKs exist elsewhere
            return _not_found(t("pf.not_found", lang, nik=nik), lang)
        return _outside(view, lang)
    simulated = queries.status(engine).is_demo
    reg = data.registry
    snap = None if data.snapshots.empty else data.snapshots.iloc[-1]
    main = methods.main_framework(data.scores, snap)
    latest = methods.latest(data.scores, main, snap)
    header = html.Div(
        [
            html.H1([reg["name"], " ", snapshot_badge(snap, latest, lang, id="profile-category",
                                                      style={"fontSize": ".55em", "verticalAlign": "middle"})],
                    className="h3 mb-1", id="profile-name"),
            html.P([f"NIK {reg['nik']} · {reg.get('regency_name') or reg['regency_code']} · "
                    f"{labels.word(labels.COOP_TYPES, reg['type'], lang)}", " · ",
                    dcc.Link(t("pf.back", lang), href=dash.get_relative_path("/peringkat")
                             + f"?tampilan=koperasi&kab={reg['regency_code']}")],
                   className="text-muted mb-3"),
        ],
        className="mt-3",
    )
    return html.Div(
        [
            header,
            dbc.Row([
                dbc.Col(card(t("pf.registry", lang), facts(reg, lang, snap), "profile-registry"), lg=4,
                        className="mb-3"),
                dbc.Col(health_card(data, snap, main, latest, lang), lg=8, className="mb-3"),
            ], className="g-3"),
            history_row(data.scores, main, lang),
            peers_card(data, snap, lang),
            dbc.Row([
                dbc.Col(card(t("pf.rat", lang), rat_history(data, lang), "profile-rat-card"), xl=7, className="mb-3"),
                dbc.Col(card(t("pf.digital", lang), stage_history(data.digital, lang), "profile-digital-card"), xl=5,
                        className="mb-3"),
            ], className="g-3"),
            reports_card(data.reports, lang, simulated),
        ],
        className="profile",
    )


def _outside(view: scope.CoopView, lang: str):
    return html.Div(
        [
            components.page_header(t("auth.forbidden.title", lang)),
            dbc.Alert([html.P(t("auth.login_required.text", lang), className="mb-2"),
                       dcc.Link(t("pf.back", lang), href=dash.get_relative_path("/peringkat") + "?tampilan=koperasi",
                                id="profile-back")],
                      color="warning", id="auth-denied"),
        ]
    )


def _not_found(message: str, lang: str):
    return html.Div(
        [
            components.page_header(t("pf.not_found.title", lang)),
            dbc.Alert([html.P(message, className="mb-2"),
                       dcc.Link(t("pf.back", lang), href=dash.get_relative_path("/peringkat") + "?tampilan=koperasi",
                                id="profile-back")],
                      color="warning", id="profile-not-found"),
        ]
    )


def register_callbacks(app) -> None:
    """The profile has no callbacks of its own: it is rendered from the URL; the grid export is shared."""


__all__ = ["PAGE", "layout", "register_callbacks"]

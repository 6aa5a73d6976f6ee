"""Which cooperatives a page may list for the current reader (the server-side half of the access rules).

Kabupaten-level aggregates (roll-ups, map colours, heatmap, kabupaten ranking, overview cards) are for everyone.
Cooperative-level pieces (lists, grids, profiles) need `auth.can("view_cooperatives")`, and a kabupaten officer
(an official or analyst with a regency_code) only ever gets their own kabupaten's cooperatives: a request naming
another kabupaten lists nothing of it. Without access control installed (ACCESS_CONTROL=off) everything is shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from layouts import auth
from layouts.i18n import t

LOGIN = "login"  # why a list is not shown: the reader is not logged in
OUTSIDE = "outside"  # a kabupaten officer asked for another kabupaten


@dataclass(frozen=True)
class CoopView:
    """`allowed`: may the page list cooperatives at all; `regency`: the kabupaten to list (None = every one);
    `reason`: LOGIN or OUTSIDE when not allowed; `scope`: the officer's kabupaten (None = province-wide)."""

    allowed: bool
    regency: str | None
    reason: str | None = None
    scope: str | None = None


def cooperatives(requested: str | None) -> CoopView:
    """The cooperative-level view for the kabupaten the page's filter asks for (None = the province)."""
    if not auth.can("view_cooperatives"):
        return CoopView(False, None, LOGIN)
    scope = auth.current_scope()
    if scope and requested and requested != scope:
        return CoopView(False, None, OUTSIDE, scope)
    return CoopView(True, scope or requested, None, scope)


def province_wide() -> bool:
    """Is the reader not limited to one kabupaten (things without a kabupaten, e.g. rejected rows whose NIK is not
    in the registry, are for province-wide readers only)?"""
    return auth.current_scope() is None


def regency_name(code: str | None) -> str:
    """The kabupaten's name for a message (the code when it is unknown)."""
    from layouts import context
    from warehouse import queries

    if not code:
        return ""
    names = queries.regencies(context.engine()).set_index("code")["name"]
    return str(names.get(code, code))


def notice(view: CoopView, lang: str, element_id: str, next_path: str = "/"):
    """The short line a page shows instead of a cooperative list the reader may not see."""
    if view.reason == LOGIN:
        body = [t("access.coops_login", lang), " ",
                html.A(t("auth.login", lang), href="/login?" + urlencode({"next": next_path}), className="alert-link",
                       id=f"{element_id}-login")]
    else:
        body = [t("access.coops_outside", lang, regency=regency_name(view.scope))]
    return dbc.Alert(body, color="secondary", className="small py-2 mb-0 access-notice", id=element_id)


def scoped_note(view: CoopView, requested: str | None, lang: str, element_id: str):
    """For a kabupaten officer looking at the whole province: a line saying the list holds only their kabupaten
    (None for everyone else)."""
    if not view.allowed or not view.scope or requested:
        return None
    return html.Div(t("access.list_scoped", lang, regency=regency_name(view.scope)), className="small text-muted",
                    id=element_id)

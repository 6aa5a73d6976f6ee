"""What a page shows instead of a cooperative list the reader may not see (the rule itself, `cooperatives()`, is
the access policy's: layouts/access/policy.py; pages read it here beside the notices).

Kabupaten-level aggregates (roll-ups, map colours, heatmap, kabupaten ranking, overview cards) are for everyone.
Cooperative-level pieces (lists, grids, profiles) need the `view_cooperatives` action, and a kabupaten officer only
ever gets their own kabupaten's cooperatives: a request naming another kabupaten lists nothing of it.
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from layouts.access.page_guard import login_href
from layouts.access.policy import LOGIN, OUTSIDE, CoopView, cooperatives, province_wide  # noqa: F401 (for pages)
from layouts.i18n import t


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
                html.A(t("auth.login", lang), href=login_href(next_path), className="alert-link",
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

"""Page layouts on the server: a registered page renders only for a role its PAGE["access"] allows; anyone else gets
a login prompt (not logged in) or a not-allowed panel instead."""
from __future__ import annotations

import functools
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import html

from layouts import context, labels
from layouts.access.policy import current_role, current_user, installed, may_open, page_role, short_name
from layouts.i18n import t

_GUARDED = "pantau_guarded"  # the attribute of a layout function already wrapped


def login_href(next_path: str) -> str:
    return "/login?" + urlencode({"next": next_path})


def denied_panel(page: str, lang: str, next_path: str = "/"):
    """What a reader sees instead of page `page` they may not open: a login prompt, or 'not allowed'."""
    if current_user() is None:
        body = [html.H2(t("auth.login_required.title", lang), className="h5"),
                html.P(t("auth.login_required.text", lang), className="mb-3"),
                dbc.Button(t("auth.login", lang), href=login_href(next_path), external_link=True, color="primary",
                           id="auth-login-link")]
        return dbc.Alert(body, color="info", className="mt-3", id="auth-denied")
    body = [html.H2(t("auth.forbidden.title", lang), className="h5"),
            html.P(t("auth.forbidden.text", lang, role=labels.word(labels.ROLES, current_role(), lang),
                     need=labels.word(labels.ROLES, page_role(page), lang)), className="mb-0")]
    return dbc.Alert(body, color="warning", className="mt-3", id="auth-denied")


def guard_page(module_name: str, layout_fn):
    """A layout function that renders the page only for a role that may open it, else `denied_panel`."""
    if getattr(layout_fn, _GUARDED, False):
        return layout_fn
    page = short_name(module_name)

    @functools.wraps(layout_fn)
    def guarded(**query):
        # The page registry is global to the process: an app without access control (a test's plain app) is open.
        if not installed() or may_open(page):
            return layout_fn(**query)
        path = dash.page_registry.get(module_name, {}).get("path", "/")
        shown = {k: v for k, v in query.items() if isinstance(v, str)}
        return denied_panel(page, context.lang(), path + ("?" + urlencode(shown) if shown else ""))

    setattr(guarded, _GUARDED, True)
    return guarded


def guard_registered_pages() -> None:
    """Wrap every registered page's layout with `guard_page` (idempotent)."""
    for module_name, page in dash.page_registry.items():
        if callable(page.get("layout")):
            page["layout"] = guard_page(module_name, page["layout"])

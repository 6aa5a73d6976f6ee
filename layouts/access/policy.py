"""The access policy: roles, actions, the weakest role that may open each page, and what a kabupaten officer sees.

Roles, weakest first: public (not logged in), then the roles a user can have (`warehouse.users.ROLES`): official
(every page, read-only), analyst (+ bulk export and API tokens), admin (+ users). Each page declares the weakest
role that may open it on its own registration (`PAGE["access"]` in layouts/pages/*.py, read back from
`dash.page_registry`). An official or analyst with a `regency_code` is a kabupaten officer: cooperative-level
answers hold only that kabupaten's cooperatives; province aggregates stay visible. Without access control installed
on the app of the request (ACCESS_CONTROL=off, or outside a request) everything is allowed.
"""
from __future__ import annotations

from dataclasses import dataclass

import dash
import flask
import flask_login

from warehouse import users

EXTENSION = "pantau_access"  # the key in server.extensions once access control is installed
ROLE_RANK = {role: rank for rank, role in enumerate(("public", *users.ROLES))}
# The weakest role that may do each thing; the comment says where it is checked.
ACTIONS = {
    "view_cooperatives": "official",  # cooperative lists, grids and profiles: cooperatives() below
    "export": "analyst",  # /api/v1 data with a logged-in session, e.g. the export page's downloads: guards.py
    "api": "analyst",  # /api/v1 with a bearer token (guards.py); creating tokens (pages/admin.py)
    "manage_users": "admin",  # everyone's tokens, the users and the audit log (pages/admin.py)
}
DEFAULT_PAGE_ROLE = "official"  # a page that declares no PAGE["access"] stays closed to the public
# Datasets of /api/v1 that are aggregates (or descriptions), so a kabupaten officer sees the whole province.
UNSCOPED_API = {"datasets", "dictionary", "regency_indicators", "kdmp_indicators"}
LOGIN = "login"  # why a cooperative list is not shown: the reader is not logged in
OUTSIDE = "outside"  # ... a kabupaten officer asked for another kabupaten


# ---------------------------------------------------------------------------------------------- the reader
def installed() -> bool:
    """Is access control installed on the app of this request?"""
    return flask.has_request_context() and EXTENSION in flask.current_app.extensions


def current_user():
    """The logged-in user of this request (`login.SessionUser`), or None."""
    if not flask.has_request_context() or not hasattr(flask.current_app, "login_manager"):
        return None  # outside a request, or access control not installed on this app: nobody is logged in
    user = flask_login.current_user
    return user if getattr(user, "is_authenticated", False) else None


def current_role() -> str:
    """public, official, analyst or admin."""
    user = current_user()
    return user.role if user is not None else "public"


def current_scope() -> str | None:
    """The kabupaten code a kabupaten officer is limited to; None = the whole province."""
    user = current_user()
    return user.regency_code if user is not None else None


def role_at_least(role: str, minimum: str) -> bool:
    return ROLE_RANK.get(role, 0) >= ROLE_RANK[minimum]


def can(action: str) -> bool:
    """May the current reader do `action` (a key of ACTIONS)?"""
    if not installed():
        return True
    return role_at_least(current_role(), ACTIONS[action])


# ------------------------------------------------------------------------------------------------- pages
def short_name(module_name: str) -> str:
    """"layouts.pages.rankings" → "rankings", the name pages and callbacks are known by here."""
    return module_name.rsplit(".", 1)[-1]


def page_roles() -> dict[str, str]:
    """Every registered page (short module name) → the weakest role that may open it, from its registration."""
    return {short_name(name): page.get("access", DEFAULT_PAGE_ROLE) for name, page in dash.page_registry.items()}


def policy_fingerprint() -> str:
    """The rules in force now (every page's role and every action's), as text: cached answers are keyed on it, so
    a rule changed at run time never serves what the old rule allowed."""
    return repr((sorted(page_roles().items()), sorted(ACTIONS.items())))


def page_role(page: str) -> str:
    """The weakest role that may open page `page` (e.g. "rankings"); an unknown page needs DEFAULT_PAGE_ROLE."""
    return page_roles().get(page, DEFAULT_PAGE_ROLE)


def may_open(page: str) -> bool:
    """May the current reader open page `page` (e.g. "rankings")?"""
    return role_at_least(current_role(), page_role(page))


# ------------------------------------------------------------------------------------------- cooperatives
@dataclass(frozen=True)
class CoopView:
    """`allowed`: may the page list cooperatives at all; `regency`: the kabupaten to list (None = every one);
    `reason`: LOGIN or OUTSIDE when not allowed; `scope`: the officer's kabupaten (None = province-wide)."""

    allowed: bool
    regency: str | None
    reason: str | None = None
    scope: str | None = None


def cooperatives(requested: str | None) -> CoopView:
    """The cooperative-level view for the kabupaten a page's filter asks for (None = the province): nothing without
    `view_cooperatives`; a kabupaten officer only ever their own kabupaten (another one lists nothing)."""
    if not can("view_cooperatives"):
        return CoopView(False, None, LOGIN)
    scope = current_scope()
    if scope and requested and requested != scope:
        return CoopView(False, None, OUTSIDE, scope)
    return CoopView(True, scope or requested, None, scope)


def province_wide() -> bool:
    """Is the reader not limited to one kabupaten (things without a kabupaten, e.g. rejected rows whose NIK is not
    in the registry, are for province-wide readers only)?"""
    return current_scope() is None

"""The one access check of every JSON/CSV answer and every Dash callback, run before the view.

What each answer needs is declared where it is defined: a route of layouts/api.py is marked `for_page(page)` (the
page's own rule, e.g. the rankings' rows) or `for_api` (the /api/v1 data: a logged-in `export` or a bearer
token's `api`, narrowed to a kabupaten officer's kabupaten and written to the audit log); a Dash callback belongs
to the page that registered it (`callbacks_of_page`, around each page's `register_callbacks`). Refused: 401 when
nobody is logged in, else 403. Page layouts themselves are guarded by page_guard.py.
"""
from __future__ import annotations

import contextlib

import flask
from werkzeug.datastructures import MultiDict

from layouts import context
from layouts.access.hardening import API_PREFIX, error_response, is_dash_callback
from layouts.access.login import client_ip
from layouts.access.policy import UNSCOPED_API, can, current_scope, current_user, may_open, short_name
from warehouse import audit

CALLBACK_PAGES = "PANTAU_CALLBACK_PAGES"  # server.config: callback output → the page that registered it
_RULE = "pantau_access"  # the attribute a marked view function carries


# ------------------------------------------------------------------------------------------- declarations
def for_page(page: str):
    """Mark a view as part of page `page` (e.g. "rankings"): it answers only those who may open that page."""

    def mark(view):
        setattr(view, _RULE, ("page", page))
        return view

    return mark


def for_api(view):
    """Mark a view as /api/v1 data (see the module docstring)."""
    setattr(view, _RULE, ("api", None))
    return view


@contextlib.contextmanager
def callbacks_of_page(app, module_name: str):
    """The callbacks registered inside this block are page `module_name`'s: `with guards.callbacks_of_page(app,
    module.__name__): module.register_callbacks(app)` (app.callback_map's keys before and after)."""
    before = set(app.callback_map)
    yield
    pages = app.server.config.setdefault(CALLBACK_PAGES, {})
    for key in set(app.callback_map) - before:
        pages[key] = short_name(module_name)


# ------------------------------------------------------------------------------------------------ the check
def _refusal(allowed: bool):
    if allowed:
        return None
    return error_response(403 if current_user() is not None else 401)


def _callback_page():
    """The page a Dash callback request belongs to (None: shared by every page), or a 400 answer."""
    body = flask.request.get_json(silent=True)
    if not isinstance(body, dict):
        return None, error_response(400)
    return flask.current_app.config.get(CALLBACK_PAGES, {}).get(str(body.get("output"))), None


def _api_answer():
    """/api/v1: `export` for a logged-in reader, `api` for a bearer token; a kabupaten officer's answers hold only
    their kabupaten's cooperatives (the `kab` parameter is set for them; asking for another kabupaten is 403)."""
    user = current_user()
    if user is None:
        return error_response(401)
    action = "api" if user.token_id is not None else "export"
    if not can(action):
        return error_response(403)
    request = flask.request
    dataset = request.path[len(API_PREFIX) + 1:].split(".", 1)[0]
    scope = current_scope()
    refused = False
    if scope and dataset not in UNSCOPED_API:
        asked = request.args.getlist("kab")
        refused = any(value != scope for value in asked)
        if not asked:
            args = MultiDict(request.args)
            args["kab"] = scope
            request.args = args  # werkzeug caches .args on the request; the API reads this copy
    detail = {"path": request.path, "query": request.query_string.decode("utf-8", "replace")[:500]}
    if user.token_id is not None:
        detail["token_id"] = user.token_id
    if refused:
        detail["refused"] = "outside the user's kabupaten"
    audit.audit(context.engine(), action, user.username, detail, client_ip())
    return error_response(403) if refused else None


def record_export(detail: dict) -> None:
    """An export seen or taken on a page (the export page's preview, a grid's CSV button) in the audit log, as the
    API's downloads are: who, from where, what."""
    user = current_user()
    audit.audit(context.engine(), "export", user.username if user else None, detail, client_ip())


def check():
    """Before every request: the rule of the view (or of the Dash callback) it reaches, if it has one."""
    if is_dash_callback():
        if flask.request.method != "POST":
            return None
        page, bad = _callback_page()
        return bad or (None if page is None else _refusal(may_open(page)))
    view = flask.current_app.view_functions.get(flask.request.endpoint or "")
    kind, page = getattr(view, _RULE, (None, None))
    if kind == "page":
        return _refusal(may_open(page))
    if kind == "api":
        return _api_answer()
    return None


def install(server: flask.Flask) -> None:
    server.before_request(check)

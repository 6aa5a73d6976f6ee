"""Access control and hardening of the web app: who may see which cooperative's figures.

Roles, weakest first: public (not logged in: overview, map, digital target and methodology at kabupaten level),
official (everything, read-only), analyst (+ bulk export and API tokens), admin (+ users and the ingest trigger).
An official or analyst with a `regency_code` is a kabupaten officer: cooperative-level answers hold only that
kabupaten's cooperatives (`current_scope()`); province aggregates stay visible.

`install(app)` puts everything on a Dash app's Flask server:
- Flask-Login with users from the warehouse (`warehouse.users`); the session cookie is Flask's, signed with
  SECRET_KEY; HttpOnly, SameSite=Lax, Secure in production; the session id carries a fingerprint of the password
  hash, so a password change ends the other sessions, and a disabled user's session ends at the next request;
- `/login` and `/logout` as plain Flask routes with a small Bootstrap form, rate-limited (per account: lock-out
  after `users.MAX_FAILURES` failures; per address: `users.IP_MAX_FAILURES` failures in a window → 429);
- CSRF: every state-changing request is checked. Plain form posts need the session's synchroniser token (a random
  value kept in the signed session, sent as the `csrf_token` field or `X-CSRFToken` header), else 400. Dash's
  own JSON posts to `/_dash-update-component` cannot carry a form token, so they must come from this origin
  (`Origin`, or `Referer` when a browser sends no Origin) with a JSON body, else 403 — together with the
  SameSite=Lax cookie a cross-site page can neither send the session along nor read the answer;
- bearer tokens (`Authorization: Bearer pk_…`) for `/api/v1/*` only, via Flask-Login's request_loader;
- authorisation on the server: every page layout is wrapped (`guard_page`), every Dash callback is mapped to the
  page that registered it and refused (403) for a role that may not see that page, `/api/v1` needs `can("api")`
  and is narrowed to the officer's kabupaten;
- security headers (CSP with hashes of Dash's inline scripts — no 'unsafe-inline' or 'unsafe-eval' for scripts —,
  frame-ancestors 'none' + X-Frame-Options DENY, nosniff, Referrer-Policy same-origin), no-store caching of
  logged-in answers, generic error pages without a stack trace (JSON under /api/), and the audit log of logins,
  logouts and API use.
"""
from __future__ import annotations

import contextlib
import functools
import hmac
import json
import logging
import secrets
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import dash
import dash_bootstrap_components as dbc
import flask
import flask_login
from dash import html
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from layouts import context
from layouts.i18n import fmt_datetime, t
from warehouse import users

log = logging.getLogger("pantau.auth")

ROLE_RANK = {"public": 0, "official": 1, "analyst": 2, "admin": 3}
# The weakest role that may do each thing.
ACTIONS = {
    "view_cooperatives": "official",
    "export": "analyst",
    "api": "analyst",
    "manage_users": "admin",
    "trigger_ingest": "admin",
}
# The weakest role that may open each page (module name in layouts/pages). A page missing here needs "official".
PAGE_ACCESS = {
    "overview": "public",
    "map": "public",
    "digital": "public",
    "methodology": "public",
    "rankings": "official",
    "profile": "official",
    "data_quality": "official",
    "export": "analyst",
    "admin": "analyst",
}
DEFAULT_PAGE_ROLE = "official"
# Datasets of /api/v1 that are aggregates (or descriptions), so a kabupaten officer sees the whole province.
UNSCOPED_API = {"datasets", "dictionary", "regency_indicators"}
API_PREFIX = "/api/v1"
# What anyone may read without logging in: the indicator registry (definitions, no data).
PUBLIC_API = {API_PREFIX + "/indicators.json"}
DASH_CALLBACK_PATH = "_dash-update-component"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRFToken"
SESSION_HOURS = 10  # a working day; then log in again
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_EXT = "pantau_auth"


# ------------------------------------------------------------------------------------------------- the user
class SessionUser(flask_login.UserMixin):
    """The logged-in user of this request (from the session cookie or an API token)."""

    def __init__(self, info: users.UserInfo, token_id: int | None = None):
        self.info = info
        self.token_id = token_id

    def get_id(self) -> str:
        return f"{self.info.id}.{self.info.secret_stamp}"

    @property
    def is_active(self) -> bool:
        return self.info.active

    @property
    def username(self) -> str:
        return self.info.username

    @property
    def role(self) -> str:
        return self.info.role

    @property
    def regency_code(self) -> str | None:
        return self.info.regency_code


def installed() -> bool:
    """Is access control installed on the app of this request?"""
    return flask.has_request_context() and _EXT in flask.current_app.extensions


def current_user() -> SessionUser | None:
    if not flask.has_request_context() or not hasattr(flask.current_app, "login_manager"):
        return None  # outside a request, or auth not installed on this app: nobody is logged in
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
    """May the current reader do `action` (view_cooperatives, export, api, manage_users, trigger_ingest)? Without
    access control installed on this app (ACCESS_CONTROL=off, or outside a request) everything is allowed."""
    if not installed():
        return True
    return role_at_least(current_role(), ACTIONS[action])


def may_open(page: str) -> bool:
    """May the current reader open page module `page` (e.g. "rankings")?"""
    return role_at_least(current_role(), PAGE_ACCESS.get(page, DEFAULT_PAGE_ROLE))


def in_scope(regency_code: str | None) -> bool:
    """May the reader see a cooperative of this kabupaten (False for a kabupaten officer's other kabupaten)?"""
    scope = current_scope()
    return scope is None or regency_code == scope


def scoped_regency(requested: str | None) -> str | None:
    """The kabupaten a cooperative-level view must use: the officer's own, whatever was asked; else the request."""
    return current_scope() or requested


def client_ip() -> str | None:
    """The reader's address (behind a reverse proxy, wrap the server in werkzeug's ProxyFix so this is right)."""
    return flask.request.remote_addr if flask.has_request_context() else None


def audit(action: str, detail=None) -> None:
    """An audit row for the current reader (e.g. `audit("export", {"dataset": ...})` from an export view)."""
    user = current_user()
    users.audit(context.engine(), action, user.username if user else None, detail, client_ip())


# ----------------------------------------------------------------------------------------------------- CSRF
def csrf_token() -> str:
    """This session's CSRF token (created on first use); put it in every form as the `csrf_token` field."""
    token = flask.session.get("_csrf")
    if not token:
        token = flask.session["_csrf"] = secrets.token_urlsafe(32)
    return token


def _csrf_valid() -> bool:
    expected = flask.session.get("_csrf")
    sent = flask.request.form.get(CSRF_FIELD) or flask.request.headers.get(CSRF_HEADER) or ""
    return bool(expected) and hmac.compare_digest(str(expected), str(sent))


def _same_origin() -> bool:
    """The request came from a page of this site (Origin, else Referer, equals our own scheme://host)."""
    own = flask.request.host_url.rstrip("/")
    origin = flask.request.headers.get("Origin")
    if origin:
        return origin.rstrip("/") == own
    referer = flask.request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == own
    return False


# ------------------------------------------------------------------------------------------- page guarding
def _short(module_name: str) -> str:
    return module_name.rsplit(".", 1)[-1]


def _login_href(next_path: str) -> str:
    return "/login?" + urlencode({"next": next_path})


def denied_panel(page: str, lang: str, next_path: str = "/"):
    """What a reader sees instead of a page they may not open: a login prompt, or 'not allowed'."""
    if current_user() is None:
        body = [html.H2(t("auth.login_required.title", lang), className="h5"),
                html.P(t("auth.login_required.text", lang), className="mb-3"),
                dbc.Button(t("auth.login", lang), href=_login_href(next_path), external_link=True, color="primary",
                           id="auth-login-link")]
        return dbc.Alert(body, color="info", className="mt-3", id="auth-denied")
    need = PAGE_ACCESS.get(page, DEFAULT_PAGE_ROLE)
    body = [html.H2(t("auth.forbidden.title", lang), className="h5"),
            html.P(t("auth.forbidden.text", lang, role=t(f"auth.role.{current_role()}", lang),
                     need=t(f"auth.role.{need}", lang)), className="mb-0")]
    return dbc.Alert(body, color="warning", className="mt-3", id="auth-denied")


def guard_page(module_name: str, layout_fn):
    """A layout function that renders the page only for a role that may open it, else `denied_panel`."""
    page = _short(module_name)
    if getattr(layout_fn, "_pantau_guarded", False):
        return layout_fn

    @functools.wraps(layout_fn)
    def guarded(**query):
        # The page registry is global to the process: an app without install() (a test's plain app) is not guarded.
        if not installed() or may_open(page):
            return layout_fn(**query)
        registered = dash.page_registry.get(module_name, {})
        path = registered.get("path", "/")
        shown = {k: v for k, v in query.items() if isinstance(v, str)}
        return denied_panel(page, context.lang(), path + ("?" + urlencode(shown) if shown else ""))

    guarded._pantau_guarded = True
    return guarded


def guard_registered_pages() -> None:
    """Wrap every registered page's layout with `guard_page` (idempotent)."""
    for module_name, page in dash.page_registry.items():
        if callable(page.get("layout")):
            page["layout"] = guard_page(module_name, page["layout"])


@contextlib.contextmanager
def page_callbacks(app, module_name: str):
    """Record the callbacks a page module registers inside this block as that page's: a Dash request for one of
    them is refused when the reader may not open the page. create_app: `with auth.page_callbacks(app, m.__name__):
    m.register_callbacks(app)`. (install() maps them itself when this was not used.)"""
    before = set(app.callback_map)
    yield
    mapping = app.server.config.setdefault("PANTAU_CALLBACK_PAGES", {})
    for key in set(app.callback_map) - before:
        mapping[key] = _short(module_name)


def _map_page_callbacks(app) -> dict[str, str]:
    """Which page registered each callback: each page module registers its callbacks once more on a scratch Dash
    app; the callback keys depend only on the outputs and inputs, so they are the real app's keys."""
    import importlib

    mapping: dict[str, str] = {}
    previous = dash._get_app.APP  # creating a Dash app makes it "the" app; put the real one back
    try:
        for module_name in list(dash.page_registry):
            module = importlib.import_module(module_name)
            if not hasattr(module, "register_callbacks"):
                continue
            scratch = dash.Dash(f"pantau_scratch_{_short(module.__name__)}", use_pages=False,
                                suppress_callback_exceptions=True)
            module.register_callbacks(scratch)
            for key in scratch.callback_map:
                if key in app.callback_map:
                    mapping[key] = _short(module.__name__)
    finally:
        dash._get_app.APP = previous
    return mapping


# --------------------------------------------------------------------------------------------- HTML pages
_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · {{ app_title }}</title>
<link rel="stylesheet" href="{{ css }}"><link rel="stylesheet" href="{{ style }}"></head>
<body class="bg-light">
<nav class="navbar navbar-dark bg-primary mb-4"><div class="container-fluid">
<a class="navbar-brand fw-bold" href="/">{{ app_title }}</a>
<a class="btn btn-outline-light btn-sm" href="/lang/{{ other_lang }}" id="lang-switch">{{ switch }}</a></div></nav>
<main class="container" style="max-width: 28rem">{{ body }}</main></body></html>"""

_LOGIN = """<div class="card shadow-sm"><div class="card-body">
<h1 class="h4 mb-3">{{ heading }}</h1>
{% if message %}<div class="alert alert-{{ tone }} py-2" role="alert" id="login-message">{{ message }}</div>{% endif %}
<form method="post" action="/login" id="login-form" autocomplete="on">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="next" value="{{ next }}">
<div class="mb-3"><label class="form-label" for="username">{{ user_label }}</label>
<input class="form-control" id="username" name="username" value="{{ username }}" autocomplete="username" required autofocus></div>
<div class="mb-3"><label class="form-label" for="password">{{ password_label }}</label>
<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required></div>
<button class="btn btn-primary w-100" type="submit" id="login-submit">{{ submit }}</button>
</form></div></div>
<p class="small text-muted mt-3">{{ note }}</p>"""

_LOGOUT = """<div class="card shadow-sm"><div class="card-body">
<h1 class="h4 mb-3">{{ heading }}</h1><p>{{ text }}</p>
<form method="post" action="/logout" id="logout-form"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<button class="btn btn-primary" type="submit" id="logout-submit">{{ submit }}</button>
<a class="btn btn-link" href="/">{{ cancel }}</a></form></div></div>"""

_ERROR = """<div class="card shadow-sm"><div class="card-body">
<h1 class="h4 mb-3" id="error-title">{{ heading }}</h1><p id="error-text">{{ text }}</p>
<a class="btn btn-primary" href="/">{{ home }}</a></div></div>"""


def _render(title: str, body_template: str, status: int = 200, **values) -> flask.Response:
    lang = context.lang()
    body = flask.render_template_string(body_template, lang=lang, **values)
    page = flask.render_template_string(
        _PAGE, lang=lang, title=title, app_title=t("app.title", lang), body=Markup(body),
        css=_asset("00-bootstrap-5.3.8.min.css"), style=_asset("style.css"),
        other_lang="en" if lang == "id" else "id", switch=t("lang.switch", lang))
    response = flask.make_response(page, status)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response


def _asset(name: str) -> str:
    prefix = flask.current_app.config.get("PANTAU_ASSETS_URL", "/assets/")
    return prefix + name


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no '//' or backslash tricks); else the overview."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def _login_page(message: str | None = None, tone: str = "danger", status: int = 200, username: str = "",
                next_path: str = "/") -> flask.Response:
    lang = context.lang()
    return _render(t("auth.login", lang), _LOGIN, status, heading=t("auth.login.heading", lang), message=message,
                   tone=tone, csrf=csrf_token(), next=_safe_next(next_path), user_label=t("auth.username", lang),
                   password_label=t("auth.password", lang), submit=t("auth.login", lang), username=username,
                   note=t("auth.login.note", lang))


ERROR_KEYS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "bad_request",
              429: "too_many", 500: "server"}


def error_response(status: int) -> flask.Response:
    """A generic error answer: JSON under /api/, else a small page; never a stack trace or exception text."""
    key = ERROR_KEYS.get(status, "server" if status >= 500 else "bad_request")
    if flask.request.path.startswith("/api/") or flask.request.path.endswith(DASH_CALLBACK_PATH):
        payload = {"error": t(f"auth.error.{key}.title", "en"), "pesan": t(f"auth.error.{key}.title", "id"),
                   "status": status}
        response = flask.Response(json.dumps(payload, ensure_ascii=False), status=status, mimetype="application/json")
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="pantau-koperasi"'
        return response
    lang = context.lang()
    return _render(t(f"auth.error.{key}.title", lang), _ERROR, status, heading=t(f"auth.error.{key}.title", lang),
                   text=t(f"auth.error.{key}.text", lang), home=t("auth.error.home", lang))


# ------------------------------------------------------------------------------------------ security headers
def content_security_policy(app) -> str:
    """Scripts only from this site plus the exact inline scripts Dash writes (their SHA-256 hashes: the renderer
    start-up and the clientside callbacks); styles may be inline (Plotly, AG Grid and React set them); nothing
    from other sites: the dashboard works offline."""
    inline = len(app._inline_scripts)  # noqa: SLF001 - Dash keeps its inline scripts here
    cache = app.server.extensions[_EXT]
    if cache.get("csp_for") != inline:
        hashes = " ".join(app.csp_hashes())
        cache["csp"] = "; ".join([
            "default-src 'self'",
            f"script-src 'self' {hashes}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ])
        cache["csp_for"] = inline
    return cache["csp"]


def _security_headers(app, response: flask.Response) -> flask.Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(app))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if context.settings().ENVIRONMENT == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if current_user() is not None and not flask.request.path.startswith("/assets/") \
            and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"  # figures a logged-in reader saw stay out of shared caches
    return response


# ---------------------------------------------------------------------------------------------- the hooks
def _is_dash_callback() -> bool:
    return flask.request.path.endswith("/" + DASH_CALLBACK_PATH)


def _check_csrf():
    """Refuse a state-changing request that may come from another site (see the module docstring)."""
    if flask.request.method in SAFE_METHODS:
        return None
    if _is_dash_callback():
        if not _same_origin() or not flask.request.is_json:
            return error_response(403)
        return None
    if flask.request.path.startswith(API_PREFIX + "/") and flask.request.headers.get("Authorization"):
        return None  # a bearer token is not sent by browsers on their own: no CSRF
    if not _csrf_valid():
        return error_response(400)
    return None


def _check_dash_callback(app):
    """A Dash callback of a page the reader may not open is refused (layouts are guarded; this stops a crafted
    request to the callback endpoint)."""
    if not _is_dash_callback() or flask.request.method != "POST":
        return None
    body = flask.request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_response(400)
    page = _callback_pages(app).get(str(body.get("output")))
    if page is not None and not may_open(page):
        return error_response(403 if current_user() is not None else 401)
    return None


def _callback_pages(app) -> dict[str, str]:
    config = app.server.config
    if "PANTAU_CALLBACK_PAGES" not in config:
        config["PANTAU_CALLBACK_PAGES"] = _map_page_callbacks(app)
    return config["PANTAU_CALLBACK_PAGES"]


def _check_api():
    """/api/v1: analysts and admins only (session or bearer token); a kabupaten officer's answers hold only their
    kabupaten's cooperatives (the `kab` parameter is set for them; asking for another kabupaten is 403)."""
    path = flask.request.path
    if not (path == API_PREFIX or path.startswith(API_PREFIX + "/")) or path in PUBLIC_API:
        return None
    if current_user() is None:
        return error_response(401)
    if not can("api"):
        return error_response(403)
    user = current_user()
    dataset = path[len(API_PREFIX) + 1:].split(".", 1)[0]
    scope = current_scope()
    refused = False
    if scope and dataset not in UNSCOPED_API:
        asked = flask.request.args.getlist("kab")
        refused = any(value != scope for value in asked)
        if not asked:
            args = MultiDict(flask.request.args)
            args["kab"] = scope
            flask.request.args = args  # werkzeug caches .args on the request; the API reads this copy
    detail = {"path": path, "query": flask.request.query_string.decode("utf-8", "replace")[:500]}
    if user.token_id is not None:
        detail["token_id"] = user.token_id
    if refused:
        detail["refused"] = "outside the user's kabupaten"
    users.audit(context.engine(), "api" if user.token_id is not None else "export", user.username, detail,
                client_ip())
    return error_response(403) if refused else None


def _load_session_user(user_id: str) -> SessionUser | None:
    try:
        raw_id, stamp = user_id.split(".", 1)
        info = users.get_user(context.engine(), user_id=int(raw_id))
    except (ValueError, TypeError):
        return None
    if info is None or not info.active or not hmac.compare_digest(info.secret_stamp, stamp):
        return None
    return SessionUser(info)


def _load_token_user(request) -> SessionUser | None:
    """Bearer tokens count only on the API (never for pages: a leaked script token cannot open the dashboard)."""
    path = request.path
    if not (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    found = users.user_for_token(context.engine(), token.strip())
    if found is None:
        return None
    info, token_id = found
    return SessionUser(info, token_id)


# -------------------------------------------------------------------------------------------- login/logout
def _login_view():
    lang = context.lang()
    next_path = _safe_next(flask.request.values.get("next"))
    if flask.request.method == "GET":
        if current_user() is not None:
            return flask.redirect(next_path)
        return _login_page(next_path=next_path)
    engine = context.engine()
    ip = client_ip()
    username = (flask.request.form.get("username") or "").strip()[:60]
    password = flask.request.form.get("password") or ""
    if ip and users.recent_failures_from(engine, ip) >= users.IP_MAX_FAILURES:
        return _login_page(t("auth.login.too_many", lang), status=429, username=username, next_path=next_path)
    result = users.authenticate(engine, username, password, ip)
    if result.ok:
        flask.session.clear()  # nothing from before the login survives into the logged-in session
        flask.session.permanent = True
        flask_login.login_user(SessionUser(result.user))
        return flask.redirect(next_path)
    if result.reason == "locked":
        message = t("auth.login.locked", lang, until=fmt_datetime(result.locked_until, lang))
    else:
        message = t("auth.login.failed", lang)
    # 200 with the form again (a 401 would need a WWW-Authenticate challenge, which a form login does not have)
    return _login_page(message, username=username, next_path=next_path)


def _logout_view():
    lang = context.lang()
    if flask.request.method == "GET":
        if current_user() is None:
            return flask.redirect("/")
        return _render(t("auth.logout", lang), _LOGOUT, heading=t("auth.logout", lang),
                       text=t("auth.logout.confirm", lang, user=current_user().username), csrf=csrf_token(),
                       submit=t("auth.logout", lang), cancel=t("auth.cancel", lang))
    user = current_user()
    if user is not None:
        users.audit(context.engine(), "logout", user.username, None, client_ip())
    flask_login.logout_user()
    flask.session.clear()
    return flask.redirect("/")


# ------------------------------------------------------------------------------------------------ install
def install(app) -> None:
    """Register login, authorisation, CSRF, headers, error pages and token auth on `app` (a Dash app) — after
    every page and callback is registered (the end of `create_app`)."""
    server = app.server
    if _EXT in server.extensions:
        return
    server.extensions[_EXT] = {}
    settings = server.config["PANTAU_SETTINGS"]
    production = settings.ENVIRONMENT == "production"
    server.secret_key = settings.SECRET_KEY
    server.config.update(
        SESSION_COOKIE_NAME="pantau_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=production,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        PANTAU_ASSETS_URL=app.config.requests_pathname_prefix + app.config.assets_url_path.strip("/") + "/",
        PROPAGATE_EXCEPTIONS=False,  # an exception becomes the generic 500 page, also under a test client
    )

    manager = flask_login.LoginManager()
    manager.session_protection = "basic"  # "strong" would log out phones whose address changes
    manager.user_loader(_load_session_user)
    manager.request_loader(_load_token_user)
    manager.init_app(server)

    server.add_url_rule("/login", "pantau_login", _login_view, methods=["GET", "POST"])
    server.add_url_rule("/logout", "pantau_logout", _logout_view, methods=["GET", "POST"])

    @server.before_request
    def _pantau_guard():
        return _check_csrf() or _check_api() or _check_dash_callback(app)

    @server.after_request
    def _pantau_headers(response):
        return _security_headers(app, response)

    @server.errorhandler(HTTPException)
    def _pantau_http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        return error_response(exc.code)

    @server.errorhandler(Exception)
    def _pantau_server_error(exc: Exception):
        if isinstance(exc, HTTPException):
            return _pantau_http_error(exc)
        from dash.exceptions import PreventUpdate

        if isinstance(exc, PreventUpdate):  # Dash's "no change" signal, not an error
            return "", 204
        log.exception("unhandled error on %s %s", flask.request.method, flask.request.path)
        return error_response(500)

    guard_registered_pages()
    _callback_pages(app)


# ---------------------------------------------------------------------------------------------- nav bar item
def user_menu(lang: str):
    """For the navigation bar: a login link, or the user's name and role with a logout button (a POST form with
    the CSRF token)."""
    user = current_user()
    if user is None:
        return html.A(t("auth.login", lang), href=_login_href("/"), id="auth-login",
                      className="btn btn-light btn-sm ms-lg-3")
    label = user.username + " · " + t(f"auth.role.{user.role}", lang)
    if user.regency_code:
        label += f" ({user.regency_code})"
    return html.Form(
        [html.Span(label, className="text-light small me-2", id="auth-user"),
         # (Dash has no html.Input: the submit button itself carries the CSRF token as its name/value pair.)
         html.Button(t("auth.logout", lang), type="submit", name=CSRF_FIELD, value=csrf_token(),
                     className="btn btn-outline-light btn-sm", id="auth-logout")],
        action="/logout", method="POST", className="d-flex align-items-center ms-lg-3", id="auth-menu")


def visible_in_nav(module_name: str) -> bool:
    """Show a page in the menu only to those who may open it (the server refuses the others anyway)."""
    return may_open(_short(module_name))

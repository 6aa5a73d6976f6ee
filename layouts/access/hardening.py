"""Hardening of every answer, in one place: the security headers and Content-Security-Policy, the check that a
state-changing request comes from this site, and generic error pages without a stack trace.

- State-changing requests: plain form posts (/login, /logout) need the session's CSRF token (Flask-WTF's
  CSRFProtect: the `csrf_token` field or the X-CSRFToken header), else 400. Dash's own JSON posts to
  `/_dash-update-component` cannot carry a form token, so they must come from this origin (`Origin`, or `Referer`
  when a browser sends no Origin) with a JSON body, else 403: with the SameSite=Lax cookie a cross-site page can
  neither send the session along nor read the answer. A bearer-token request to /api/v1 is not sent by a browser
  on its own, so it needs neither.
- Headers: a CSP with the hashes of Dash's inline scripts (no 'unsafe-inline' or 'unsafe-eval' for scripts),
  frame-ancestors 'none' + X-Frame-Options DENY, nosniff, Referrer-Policy same-origin, HSTS in production, and
  no-store for what a logged-in reader saw.
- Errors: JSON under /api/ and for Dash callbacks, else a small page (templates/error.html).
"""
from __future__ import annotations

import functools
import json
import logging
import time
from urllib.parse import urlsplit

import dash
import flask
from dash.exceptions import DependencyException, PreventUpdate
from flask_wtf.csrf import CSRFProtect
from plotly.utils import PlotlyJSONEncoder
from werkzeug.exceptions import HTTPException

from layouts import context
from layouts.access import templates
from layouts.access.policy import current_user
from layouts.i18n import N_, t, t_marked
from warehouse import db

log = logging.getLogger("pantau.access")

API_PREFIX = "/api/v1"
DASH_CALLBACK_PATH = "_dash-update-component"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
ERROR_KEYS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "bad_request",
              413: "too_large", 429: "too_many", 500: "server"}
ERROR_TEXTS = {  # kind: (title, text)
    "bad_request": (N_("auth.error.bad_request.title"), N_("auth.error.bad_request.text")),
    "unauthorized": (N_("auth.error.unauthorized.title"), N_("auth.error.unauthorized.text")),
    "forbidden": (N_("auth.error.forbidden.title"), N_("auth.error.forbidden.text")),
    "not_found": (N_("auth.error.not_found.title"), N_("auth.error.not_found.text")),
    "too_many": (N_("auth.error.too_many.title"), N_("auth.error.too_many.text")),
    "too_large": (N_("auth.error.too_large.title"), N_("auth.error.too_large.text")),
    "server": (N_("auth.error.server.title"), N_("auth.error.server.text")),
}


def is_dash_callback() -> bool:
    return flask.request.path.endswith("/" + DASH_CALLBACK_PATH)


# ------------------------------------------------------------------------------------------------ errors
def error_response(status: int) -> flask.Response:
    """A generic error answer: JSON under /api/ and for callbacks, else a small page; never an exception's text."""
    title, text = ERROR_TEXTS[ERROR_KEYS.get(status, "server" if status >= 500 else "bad_request")]
    if flask.request.path.startswith("/api/") or is_dash_callback():
        payload = {"error": t_marked(title, "en"), "pesan": t_marked(title, "id"), "status": status}
        response = flask.Response(json.dumps(payload, ensure_ascii=False), status=status, mimetype="application/json")
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="pantau-koperasi"'
        return response
    lang = context.lang()
    return templates.render("error.html", t_marked(title, lang), status, text=t_marked(text, lang))


def _http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    if exc.response is not None:
        return exc.response  # an answer made for this refusal, e.g. the login form saying "too many attempts"
    return error_response(exc.code)


def _server_error(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    if isinstance(exc, PreventUpdate):  # Dash's "no change" signal, not an error
        return "", 204
    log.exception("unhandled error on %s %s", flask.request.method, flask.request.path)
    return error_response(500)


# ------------------------------------------------------------------------------------ database unavailable
OUTAGE_LOG_SECONDS = 60  # one log line per outage, not one traceback per request
_outage_logged = [0.0]


def database_unavailable(exc: Exception):
    """The warehouse cannot be reached (PostgreSQL down or restarting, a pool that cannot connect, SQLite locked
    past its busy timeout): 503 with Retry-After and a translated "try again shortly" — a page, JSON under /api/ and
    for callbacks, and for Dash pages' router callback the same message as the page's content (a browser shows no
    callback error). Any other database error stays a 500. The pool recovers on its own (pre-ping, and SQLAlchemy
    drops a connection that broke), so the same process serves normally again once the database is back."""
    if isinstance(exc, HTTPException):  # a 500 from outside the view, e.g. an after_request reading the session
        cause = getattr(exc, "original_exception", None)
        if not db.is_unavailable(cause):
            return _http_error(exc)
        exc = cause
    if not db.is_unavailable(exc):
        return _server_error(exc)
    if time.monotonic() - _outage_logged[0] > OUTAGE_LOG_SECONDS:
        _outage_logged[0] = time.monotonic()
        log.warning("database unavailable (%s on %s %s); answering 503 until it is back",
                    type(getattr(exc, "orig", None) or exc).__name__, flask.request.method, flask.request.path)
    manager = getattr(flask.current_app, "login_manager", None)
    if manager is not None:  # nobody is logged in for the rest of this request: the page, the navigation and the
        flask.g._login_user = manager.anonymous_user()  # headers would each look the session up in the database
    lang = context.lang()
    title, text = t("error.db_unavailable.title", lang), t("error.db_unavailable.text", lang)
    body = flask.request.get_json(silent=True) if is_dash_callback() else None
    outputs = body.get("outputs") if isinstance(body, dict) else None
    if isinstance(outputs, list) and {"id": "_pages_content", "property": "children"} in outputs:
        panel = dash.html.Div([dash.html.H1(title, className="h4"), dash.html.P(text)],
                              className="alert alert-warning mt-3", id="db-unavailable", role="alert")
        payload = {"multi": True, "response": {"_pages_content": {"children": panel}}}
        response = flask.Response(json.dumps(payload, cls=PlotlyJSONEncoder), mimetype="application/json")
    elif flask.request.path.startswith("/api/") or is_dash_callback():
        payload = {"error": t("error.db_unavailable.title", "en"), "pesan": t("error.db_unavailable.title", "id"),
                   "detail": text, "status": 503}
        response = flask.Response(json.dumps(payload, ensure_ascii=False), status=503, mimetype="application/json")
    else:
        response = templates.render("unavailable.html", title, 503, text=text, retry=flask.request.full_path)
    response.headers["Retry-After"] = "30"
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------- origin/CSRF
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


UPLOAD_PATH = "/kirim/unggah"  # Kirim Laporan's files: their own limit (layouts/pages/upload.py)


def upload_limit(settings) -> int:
    """The largest body of a Kirim Laporan post: every file at its limit, plus the multipart framing."""
    return int(settings.UPLOAD_MAX_MB * 1_000_000 * settings.UPLOAD_MAX_FILES) + 1_000_000


def limit_body():
    """A body over MAX_REQUEST_MB (a Kirim Laporan post: over its files' limits) is refused before anything reads it
    (413), with or without a session; a body that declares no length is cut at the same size while it is read
    (Werkzeug's limited stream, MAX_CONTENT_LENGTH)."""
    limit = flask.current_app.config.get("MAX_CONTENT_LENGTH")
    if flask.request.path == UPLOAD_PATH and flask.request.method == "POST":
        limit = upload_limit(context.settings())
        flask.request.max_content_length = limit  # (Flask 3.1: this request's own limit)
        flask.request.max_form_memory_size = limit
    length = flask.request.content_length
    if limit is not None and length is not None and length > limit:
        return error_response(413)
    return None


def check_origin():
    """Refuse a state-changing request that may come from another site (see the module docstring)."""
    request = flask.request
    if request.method in SAFE_METHODS:
        return None
    if is_dash_callback():
        return None if _same_origin() and request.is_json else error_response(403)
    if request.path.startswith(API_PREFIX + "/") and request.headers.get("Authorization"):
        return None
    if request.endpoint in flask.current_app.config.get("PANTAU_CSRF_EXEMPT", ()):
        return None  # a route whose URL carries its own signed authority (the digest's unsubscribe link)
    flask.current_app.extensions["csrf"].protect()  # raises CSRFError (400) without the session's token
    return None


# ------------------------------------------------------------------------------------------------ headers
@functools.lru_cache(maxsize=8)
def _policy(script_hashes: tuple[str, ...]) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {' '.join(script_hashes)}",
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


def content_security_policy(app) -> str:
    """Scripts only from this site plus the exact inline scripts Dash writes (the renderer start-up and the
    clientside callbacks, hashed by Dash's public `csp_hashes()`, asked each time so a callback registered late is
    covered too); styles may be inline (Plotly, AG Grid and React set them); nothing from other sites: the
    dashboard works offline."""
    return _policy(tuple(app.csp_hashes()))


def security_headers(app, response: flask.Response) -> flask.Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(app))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if context.settings().ENVIRONMENT == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # (Cache-Control first: an answer that set its own, e.g. the outage page, needs no look-up of the session)
    if "Cache-Control" not in headers and not flask.request.path.startswith("/assets/") \
            and current_user() is not None:
        headers["Cache-Control"] = "no-store"  # figures a logged-in reader saw stay out of shared caches
    return response


# ------------------------------------------------------------------------------------------------ install
def install(app) -> None:
    """CSRFProtect, the origin check, the headers and the error pages on `app.server` (a Dash app's)."""
    server = app.server
    server.config.update(
        # CSRFProtect checks only when check_origin asks it: Dash's callback posts have their own rule above.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # a form stays valid as long as the session (SESSION_HOURS), as before
        PROPAGATE_EXCEPTIONS=False,  # an exception becomes the generic 500 page, also under a test client
        MAX_CONTENT_LENGTH=int(server.config["PANTAU_SETTINGS"].MAX_REQUEST_MB * 1024 * 1024),
    )
    CSRFProtect(server)
    server.before_request(limit_body)  # first: a too-large body is not even looked at
    server.before_request(check_origin)
    server.after_request(functools.partial(security_headers, app))
    server.register_error_handler(HTTPException, _http_error)
    server.register_error_handler(Exception, _server_error)
    # a script path under /_dash-component-suites/ that no installed component serves: not found, not a crash
    server.register_error_handler(DependencyException, lambda _exc: error_response(404))
    # the database's errors (only "unavailable" ones become 503, the others stay 500); 500: an after_request's
    for error in (*db.DATABASE_ERRORS, 500):
        server.register_error_handler(error, database_unavailable)

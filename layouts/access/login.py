"""Logging in and out: Flask-Login with the warehouse's users, the /login and /logout pages, and Flask-Limiter's
per-address limit on failed logins.

- The session cookie is Flask's, signed with SECRET_KEY; HttpOnly, SameSite=Lax, Secure in production. It carries
  only the secret of a server-side session (`warehouse/sessions.py`): logout, a password change, disabling the user
  and "log out everywhere" end the session row, so every copy of the cookie stops working at once; a session also
  ends after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after the login.
- Bearer tokens (`Authorization: Bearer pk_…`) count on /api/v1 only (Flask-Login's request_loader): a leaked
  script token cannot open the dashboard.
- Failed logins: the account lock-out is the warehouse's (`users.MAX_FAILURES` wrong passwords lock it
  `users.LOCK_MINUTES`); per address, `users.IP_MAX_FAILURES` failures within `users.IP_WINDOW_MINUTES` are
  refused with 429 (Flask-Limiter, a moving window; in this process's memory, or in Redis when CACHE_URL is a
  redis:// URL so every worker counts together).
"""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import flask
import flask_login
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from layouts import context
from layouts.access import templates
from layouts.access.hardening import API_PREFIX
from layouts.access.policy import current_user
from layouts.i18n import t
from warehouse import audit, sessions, tokens, users


class SessionUser(flask_login.UserMixin):
    """The logged-in user of this request (from the session cookie or an API token)."""

    def __init__(self, info: users.UserInfo, token_id: int | None = None, session_secret: str | None = None):
        self.info = info
        self.token_id = token_id
        self.session_secret = session_secret

    def get_id(self) -> str | None:
        return self.session_secret  # what Flask-Login keeps in the cookie: the server-side session's secret

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


def client_ip() -> str | None:
    """The reader's address (behind a reverse proxy, wrap the server in werkzeug's ProxyFix so this is right)."""
    return flask.request.remote_addr if flask.has_request_context() else None


def _load_session_user(secret: str) -> SessionUser | None:
    settings = flask.current_app.config["PANTAU_SETTINGS"]
    row = sessions.check_session(context.engine(), secret, settings.SESSION_IDLE_MINUTES, settings.SESSION_MAX_HOURS)
    if row is None:
        flask.session.clear()  # an ended session: the cookie is dropped, not renewed
        return None
    return SessionUser(users.UserInfo.from_row(row), session_secret=secret)


def _load_token_user(request) -> SessionUser | None:
    path = request.path
    if not (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    found = tokens.user_for_token(context.engine(), token.strip())
    if found is None:
        return None
    info, token_id = found
    return SessionUser(info, token_id)


# ------------------------------------------------------------------------------------------ the two pages
def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no '//' or backslash tricks, no control characters such as a
    CR/LF that would split the Location header); else the overview."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ord(c) < 32 or ord(c) == 127 for c in target) or len(target) > 2000:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def _login_page(message: str | None = None, status: int = 200, username: str = "",
                next_path: str = "/") -> flask.Response:
    return templates.render("login.html", t("auth.login", context.lang()), status, message=message, tone="danger",
                            username=username, next=safe_next(next_path))


def _login_view():
    lang = context.lang()
    next_path = safe_next(flask.request.values.get("next"))
    if flask.request.method == "GET":
        if current_user() is not None:
            return flask.redirect(next_path)
        return _login_page(next_path=next_path)
    username = (flask.request.form.get("username") or "").strip()[:60]
    result = users.authenticate(context.engine(), username, flask.request.form.get("password") or "", client_ip())
    if result.ok:
        flask.session.clear()  # nothing from before the login survives into the logged-in session
        flask.session.permanent = True
        secret = sessions.open_session(context.engine(), result.user.id, client_ip())
        flask_login.login_user(SessionUser(result.user, session_secret=secret))
        return flask.redirect(next_path)
    flask.g.pantau_login_failed = True  # counts against this address (see _failed_login)
    # One message for a wrong name, a wrong password and a locked account: the page never tells which names exist.
    message = t("auth.login.failed", lang)
    # 200 with the form again (a 401 would need a WWW-Authenticate challenge, which a form login does not have)
    return _login_page(message, username=username, next_path=next_path)


def _logout_view():
    user = current_user()
    if flask.request.method == "GET":
        if user is None:
            return flask.redirect("/")
        return templates.render("logout.html", t("auth.logout", context.lang()), user=user.username)
    if user is not None:
        everywhere = flask.request.form.get("everywhere") == "1"
        if everywhere:
            sessions.log_out_everywhere(context.engine(), user.username, ip=client_ip())
        elif user.session_secret:
            sessions.end_session(context.engine(), user.session_secret)
        audit.audit(context.engine(), "logout", user.username, {"everywhere": True} if everywhere else None,
                    client_ip())
    flask_login.logout_user()
    flask.session.clear()
    return flask.redirect("/")


# ------------------------------------------------------------------------------------- the address limit
def _failed_login_limit() -> str:
    # read at each request, so the limit is the warehouse's current setting
    return f"{users.IP_MAX_FAILURES} per {users.IP_WINDOW_MINUTES} minutes"


def _failed_login(_response) -> bool:
    """Only a failed login counts against the address (a success, a GET or a refused form does not)."""
    return bool(flask.g.get("pantau_login_failed"))


def _too_many(_limit) -> flask.Response:
    """The login form again, saying why (the address's limit is reached; the password was not checked)."""
    form = flask.request.form
    return _login_page(t("auth.login.too_many", context.lang()), status=429,
                       username=(form.get("username") or "").strip()[:60], next_path=form.get("next"))


def limiter_storage(cache_url: str) -> str:
    """Where Flask-Limiter counts: Redis when the app's shared cache is Redis (every worker together), else memory."""
    return cache_url if cache_url.startswith(("redis://", "rediss://")) else "memory://"


# ------------------------------------------------------------------------------------------------ install
def install(server: flask.Flask) -> None:
    """Session cookie settings, Flask-Login, the address limit and the /login and /logout routes on `server`."""
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
        # the cookie may live as long as the longest session; the server decides when the session has ended
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.SESSION_MAX_HOURS),
    )
    manager = flask_login.LoginManager()
    manager.session_protection = "basic"  # "strong" would log out phones whose address changes
    manager.user_loader(_load_session_user)
    manager.request_loader(_load_token_user)
    manager.init_app(server)

    limiter = Limiter(get_remote_address, app=server, storage_uri=limiter_storage(settings.CACHE_URL),
                      strategy="moving-window", key_prefix="pantau-login")
    login_view = limiter.limit(_failed_login_limit, methods=["POST"], deduct_when=_failed_login,
                               on_breach=_too_many)(_login_view)
    server.add_url_rule("/login", "pantau_login", login_view, methods=["GET", "POST"])
    server.add_url_rule("/logout", "pantau_logout", _logout_view, methods=["GET", "POST"])

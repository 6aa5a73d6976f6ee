"""Access control of the web app: the names pages use, and `install(app)`, which puts it on a Dash app when
ACCESS_CONTROL=on.

    policy.py      roles, actions, who may open which page (PAGE["access"]), what a kabupaten officer sees
    login.py       Flask-Login, /login and /logout, Flask-Limiter's per-address limit on failed logins
    hardening.py   security headers and CSP, CSRF (Flask-WTF) and the callback origin check, generic error pages
    guards.py      the one check of every JSON/CSV route and Dash callback
    page_guard.py  page layouts rendered only for the roles that may open them
    templates.py   renders layouts/templates (login, logout, error pages)
"""
from __future__ import annotations

from layouts.access import guards, hardening, login, page_guard, templates
from layouts.access.guards import callbacks_of_page, record_export
from layouts.access.login import client_ip
from layouts.access.page_guard import denied_panel
from layouts.access.policy import (
    ACTIONS,
    EXTENSION,
    UNSCOPED_API,
    can,
    current_role,
    current_scope,
    current_user,
    installed,
    may_open,
    page_role,
    policy_fingerprint,
)

__all__ = ["ACTIONS", "UNSCOPED_API", "callbacks_of_page", "can", "client_ip", "current_role", "current_scope",
           "current_user", "denied_panel", "install", "installed", "may_open", "page_role", "policy_fingerprint", "record_export"]


def install(app) -> None:
    """Login, the origin/CSRF check, the access checks, headers and error pages on `app` (a Dash app), after every
    page and callback is registered (the end of `create_app`). A second call changes nothing."""
    server = app.server
    if EXTENSION in server.extensions:
        return
    server.extensions[EXTENSION] = True
    # Dash's public config: the plain pages (templates.py) load Bootstrap from the same assets folder.
    server.config["PANTAU_ASSETS_URL"] = (app.config.requests_pathname_prefix
                                          + app.config.assets_url_path.strip("/") + "/")
    templates.install(server)
    hardening.install(app)  # its origin/CSRF check runs first, before any other check or the login limit
    guards.install(server)
    login.install(server)
    page_guard.guard_registered_pages()

"""What a page or callback needs from the running app: the warehouse engine, the language, the settings."""
from __future__ import annotations

import flask

from layouts.i18n import LANG_COOKIE, LANGUAGES
from warehouse import queries
from warehouse.db import engine_for


def settings():
    return flask.current_app.config["PANTAU_SETTINGS"]


def engine():
    return engine_for(settings().database_url)


def lang() -> str:
    """The reader's language: the switch's cookie, else the configured default."""
    chosen = flask.request.cookies.get(LANG_COOKIE) if flask.has_request_context() else None
    return chosen if chosen in LANGUAGES else settings().LANGUAGE


def install(server: flask.Flask) -> None:
    """Each request reads the warehouse's data version once, however many cached reads its page makes."""

    @server.before_request
    def _open_version_memo():
        flask.g.pantau_version_memo = queries.open_version_memo()

    @server.teardown_request
    def _close_version_memo(_exc):
        token = flask.g.pop("pantau_version_memo", None)
        if token is not None:
            queries.close_version_memo(token)

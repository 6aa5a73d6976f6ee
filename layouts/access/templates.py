"""The few plain HTML pages outside Dash (login, logout, errors): Flask renders the Jinja templates of
layouts/templates in the reader's language, with the texts of the message catalogue (`t` in the templates)."""
from __future__ import annotations

from pathlib import Path

import flask

from layouts import context
from layouts.i18n import template_t

FOLDER = Path(__file__).resolve().parents[1] / "templates"


def install(server: flask.Flask) -> None:
    """Make layouts/templates visible to `flask.render_template` (a blueprint with no routes brings its folder)."""
    if "pantau_templates" not in server.blueprints:  # (the start-up gate installs it whatever ACCESS_CONTROL is)
        server.register_blueprint(flask.Blueprint("pantau_templates", __name__, template_folder=str(FOLDER)))


def render(template: str, title: str, status: int = 200, **values) -> flask.Response:
    """`template` (e.g. "login.html") in the site's frame, as an HTML answer with `status`."""
    lang = context.lang()
    prefix = flask.current_app.config.get("PANTAU_ASSETS_URL", "/assets/")
    page = flask.render_template(
        template, lang=lang, other_lang="en" if lang == "id" else "id", title=title,
        t=template_t(lang), asset=lambda name: prefix + name, **values)
    response = flask.make_response(page, status)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response

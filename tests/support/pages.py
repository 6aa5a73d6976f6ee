"""Pages rendered in-process: the real app built on a warehouse, and a page's layout() called inside a request of it
(the reader's language from the switch's cookie), as Dash pages' router does."""
from __future__ import annotations

import importlib

from layouts.i18n import LANG_COOKIE


def make_app(url: str, settings_for, **settings):
    """The real Dash app on the warehouse at `url` (settings from the `settings_for` fixture)."""
    from app import create_app

    return create_app(settings_for(url, **settings))


def render(app, page: str, path: str, lang: str = "id", **query):
    """`layouts.pages.<page>.layout(**query)` inside a request for `path` with the language cookie `lang`."""
    module = importlib.import_module(f"layouts.pages.{page}")
    with app.server.test_request_context(path, headers={"Cookie": f"{LANG_COOKIE}={lang}"}):
        return module.layout(**query)

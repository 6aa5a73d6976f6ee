"""Metodologi / Methodology: generated from the norm files (formula, bands, weights, source, confidence)."""
from __future__ import annotations

import functools

from dash import dcc, html

from indicators import methodology
from layouts import components, context
from layouts.i18n import t

PAGE = {"path": "/metodologi", "name": "page.methodology", "order": 90, "title": "Metodologi"}


@functools.lru_cache(maxsize=2)
def _markdown(lang: str) -> str:
    # The norm files change only with a deployment, so the rendered text is cached per language.
    return methodology.render_markdown(lang=lang)


def layout(**_query):
    lang = context.lang()
    return html.Div(
        [
            components.page_header(t("page.methodology", lang), t("methodology.subtitle", lang)),
            html.Div(dcc.Markdown(_markdown(lang), className="methodology"), className="bg-white p-3 border rounded"),
        ]
    )


def register_callbacks(app) -> None:
    """The methodology page is static text; it has no callbacks."""

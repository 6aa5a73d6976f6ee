"""Metodologi / Methodology: every published figure from the indicator registry, then the norm-file methods."""
from __future__ import annotations

import functools

from dash import dcc, html

from indicators import methodology, wording
from layouts import components, context
from layouts.i18n import N_, fmt_int, t

PAGE = {"path": "/metodologi", **components.page_names(N_("page.methodology")), "order": 90,
        "access": "public"}
API_REGISTRY = "/api/v1/indicators.json"


def anchor(indicator_id: str) -> str:
    """The element id of an indicator's entry: what `components.definitions` links to (/metodologi#ind-<id>)."""
    return f"ind-{indicator_id}"


@functools.lru_cache(maxsize=2)
def _markdown(lang: str) -> str:
    # The norm files change only with a deployment, so the rendered text is cached per language.
    return methodology.render_markdown(lang=lang, for_page=True)


def _uncertain_badge(text: str):
    return html.Span(text, className="badge text-bg-warning methodology-uncertain")


def _meta(label: str, value, class_name: str = ""):
    return html.Div([html.Span(label + ": ", className="methodology-key"), value],
                    className=f"methodology-meta-item {class_name}".strip())


def _indicator(rec: dict, lang: str):
    """One registry entry: name, id and mark; formula; unit, direction, population, source, API columns."""
    head = [html.Span(rec["label"], className="fw-semibold me-2"), html.Code(rec["id"], className="me-2")]
    if rec["uncertain"]:
        head.append(_uncertain_badge(rec["confidence_text"]))
    meta = [
        _meta(t("mt.unit", lang), rec["unit_text"]),
        _meta(t("mt.direction", lang), rec["direction_text"]),
        _meta(t("mt.population", lang), html.A(rec["population_label"], href=f"#pop-{rec['population']}",
                                               title=rec["population_description"])),
    ]
    if rec["percentile"]:
        meta.append(_meta(t("mt.percentile", lang),
                          html.A(html.Code(rec["percentile"]), href=f"#{anchor(rec['percentile'])}")))
    if rec["percentile_of"]:
        meta.append(_meta(t("mt.percentile_of", lang),
                          html.A(html.Code(rec["percentile_of"]), href=f"#{anchor(rec['percentile_of'])}")))
    published = ([html.Code(p, className="me-2") for p in rec["published"]] if rec["published"]
                 else html.Span(t("mt.not_published", lang), className="fst-italic"))
    meta.append(_meta(t("mt.published", lang), html.Span(published)))
    if rec["used_by"]:
        meta.append(_meta(t("mt.used_by", lang),
                          "; ".join(f"{u['method_title']}: {u['label']}" for u in rec["used_by"])))
    if rec["defined_by"]:
        meta.append(_meta(t("mt.defined_by", lang), "; ".join(rec["defined_by"])))
    meta.append(_meta(t("mt.source", lang), rec["source"]))
    left = [html.Div(head, className="methodology-ind-head")]
    if rec["description"]:
        left.append(html.Div(rec["description"], className="small text-muted"))
    right = [
        html.Div([html.Span(t("mt.formula", lang) + ": ", className="methodology-key"),
                  html.Span(rec["formula"], className="methodology-formula")], className="methodology-formula-line"),
        html.Div(meta, className="methodology-meta small"),
    ]
    # Name beside the definition on a wide screen, above it on a phone.
    return html.Div(html.Div([html.Div(left, className="col-lg-4"), html.Div(right, className="col-lg-8")],
                             className="row g-1"),
                    id=anchor(rec["id"]), className="methodology-ind",
                    **{"data-indicator": rec["id"], "data-confidence": rec["confidence"]})


def _population_block(sub: dict, lang: str):
    return html.Section(
        [
            html.H4([t("mt.over", lang, population=sub["label"]), " ",
                     html.Small(t("mt.count", lang, n=fmt_int(len(sub["indicators"]), lang)),
                                className="text-muted fw-normal")],
                    className="h6 mt-3 mb-1"),
            html.P(sub["description"], className="small text-muted mb-1"),
            html.Div([_indicator(rec, lang) for rec in sub["indicators"]], className="methodology-list"),
        ],
        className="methodology-population",
    )


@functools.lru_cache(maxsize=2)
def _registry_section(lang: str):
    # The registry changes only with a deployment: the component tree is built once per language.
    groups = wording.indicator_groups(lang)
    populations = wording.registry_populations(lang)
    contents = html.Nav(
        [html.Span(t("mt.contents", lang) + ": ", className="fw-semibold"),
         html.A(t("mt.populations", lang), href="#populasi"), " · ",
         *[part for g in groups for part in (html.A(g["title"], href=f"#level-{g['level']}"), " · ")],
         html.A(t("mt.methods", lang), href="#metode"), " · ",
         html.A(t("mt.api", lang), href=API_REGISTRY, target="_blank")],
        className="small mb-3 methodology-contents",
    )
    population_list = html.Dl(
        [part for p in populations for part in (
            html.Dt(p["label"], id=f"pop-{p['key']}", className="col-md-3"),
            html.Dd(p["description"], className="col-md-9 small"))],
        className="row mb-0 methodology-populations", id="methodology-populations",
    )
    levels = [
        html.Section(
            [html.H3(g["title"], className="h5 mt-4 mb-1", id=f"level-{g['level']}"),
             html.P(g["intro"], className="small text-muted mb-2"),
             *[_population_block(sub, lang) for sub in g["populations"]]],
            className="methodology-level",
        )
        for g in groups
    ]
    return html.Div(
        [
            contents,
            html.Section([html.H2(t("mt.populations", lang), className="h4", id="populasi"),
                          html.P(t("mt.populations_intro", lang), className="small"), population_list],
                         className="bg-white p-3 border rounded mb-3"),
            html.Section([html.H2(t("mt.indicators", lang), className="h4", id="indikator"),
                          html.P(t("mt.indicators_intro", lang), className="small"), *levels],
                         className="bg-white p-3 border rounded mb-3", id="methodology-indicators"),
        ]
    )


def layout(**_query):
    lang = context.lang()
    return html.Div(
        [
            components.page_header(t("page.methodology", lang), t("mt.subtitle", lang)),
            _registry_section(lang),
            html.Section(
                [html.H2(t("mt.methods", lang), className="h4", id="metode"),
                 html.P(t("mt.methods_intro", lang), className="small text-muted"),
                 dcc.Markdown(_markdown(lang), className="methodology")],
                className="bg-white p-3 border rounded",
            ),
        ],
        className="methodology-page",
    )


def register_callbacks(app) -> None:
    """The page is static; scrolling to the entry a link names (#ind-<id>) is done by assets/methodology.js."""


__all__ = ["PAGE", "layout", "register_callbacks", "anchor"]

"""The line every page shows under its filters: which cooperatives its figures are over (the population, `cakupan`),
how many the other population adds (national primaries the ministry supervises, open-loop ones OJK supervises), and
the link that switches. Every number is a stored figure of the roll-ups; nothing is subtracted here."""
from __future__ import annotations

from dash import dcc, html

from layouts import components, filters
from layouts.i18n import t
from warehouse import queries

OTHER = {"daerah": "semua", "semua": "daerah"}


def note(engine, f: filters.Filters, lang: str, path: str, keep: dict | None = None,
         element_id: str = "population-note"):
    """'Cakupan: …' with the registered cooperatives of the shown population, the ministry's and OJK's counts (from
    the "semua" row) and a link to the other population (keeping the page's own parameters `keep`); None when the
    period has no roll-ups."""
    if f.period is None:
        return None
    shown = queries.area_row(engine, f.period, f.regency, f.type, f.scope) or {}
    everyone = queries.area_row(engine, f.period, f.regency, f.type, "semua") or {}
    if not everyone:
        return None
    here = components.area_scope(f.period, f.regency, f.type, f.scope)
    there = components.area_scope(f.period, f.regency, f.type, "semua")
    parts = {
        "n": components.figure("cooperatives", shown.get("cooperatives"), lang, here, className="fw-semibold",
                               element_id=f"{element_id}-count"),
        "ministry": components.figure("supervised_ministry", everyone.get("supervised_ministry"), lang, there,
                                      className="fw-semibold", element_id=f"{element_id}-ministry"),
        "ojk": components.figure("supervised_ojk", everyone.get("supervised_ojk"), lang, there,
                                 className="fw-semibold", element_id=f"{element_id}-ojk"),
    }
    text = t("population.daerah", lang) if f.scope == "daerah" else t("population.semua", lang)
    switch_to = OTHER[f.scope]
    link = dcc.Link(_switch_text(switch_to, lang),
                    href=path + f.query(**{**(keep or {}), filters.SCOPE: None if switch_to == "daerah" else switch_to}),
                    id=f"{element_id}-switch", className="ms-2")
    return html.Div([html.Span(t("population.label", lang) + " ", className="fw-semibold"),
                     *components.sentence(text, **parts), link],
                    className="alert alert-light small py-1 px-2 mb-2 border population-note", id=element_id,
                    **{"data-population": f.scope})


def _switch_text(target: str, lang: str) -> str:
    return t("population.switch.semua", lang) if target == "semua" else t("population.switch.daerah", lang)


def kdmp_note(lang: str, element_id: str = "population-note"):
    """The KDMP page's population: every KDMP is a village cooperative its kabupaten/kota office supervises, so the
    page has one population and no switch; the line says so instead of offering a choice that changes nothing."""
    return html.Div([html.Span(t("population.label", lang) + " ", className="fw-semibold"), t("population.kdmp", lang)],
                    className="alert alert-light small py-1 px-2 mb-2 border population-note", id=element_id,
                    **{"data-population": "kdmp"})

"""Metodologi rendered in-process: every registry indicator has its entry (anchor #ind-<id>, label, formula,
population, API columns) in both languages, uncertain ones are marked, the populations are explained once, every
footnote link of the other pages resolves to an entry, and the norm sections link their registry ids."""
from __future__ import annotations

import pytest

from indicators import registry, wording
from tests.support.components import find, text_of, walk
from tests.support.pages import render

MARK = {"id": "⚠ belum terkonfirmasi", "en": "⚠ not yet confirmed"}


def methodology(app, lang: str):
    return render(app, "methodology", "/metodologi", lang=lang)


def entries(page) -> dict:
    """Element id → component, for every indicator entry of the page."""
    return {c.id: c for c in walk(page) if isinstance(getattr(c, "id", None), str) and c.id.startswith("ind-")}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_registry_indicator_has_its_anchor_formula_and_population(page_app, lang):
    """One entry per registry indicator (id ind-<id>) with its label, id, formula sentence, population label and
    API columns in the reader's language; nothing else carries an ind- id."""
    reg = registry.load()
    page = methodology(page_app, lang)
    found = entries(page)
    assert set(found) == {f"ind-{i}" for i in reg.indicators}
    for ind in reg.indicators.values():
        text = text_of(found[f"ind-{ind.id}"])
        assert ind.label(lang) in text and ind.id in text
        assert wording.formula_text(ind, lang) in text
        assert reg.population_label(ind.population, lang) in text
        for column in ind.published:
            assert column in text
    # spot checks of the language: the registry's own words, and the page's
    roa = text_of(found["ind-roa"])
    words = ("SHU setelah pajak", "Rumus") if lang == "id" else ("SHU after tax", "Formula")
    assert all(w in roa for w in words)
    assert ("lebih tinggi lebih baik" if lang == "id" else "higher is better") in roa
    assert ("Indikator yang dipublikasikan" if lang == "id" else "Published indicators") in text_of(page)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_uncertain_indicators_are_marked_and_only_they(page_app, lang):
    """An entry carries "⚠ belum terkonfirmasi" / "⚠ not yet confirmed" exactly when the registry says uncertain
    (monitored and health_total are; roa is not)."""
    reg = registry.load()
    found = entries(methodology(page_app, lang))
    for ind in reg.indicators.values():
        assert (MARK[lang] in text_of(found[f"ind-{ind.id}"])) == (ind.confidence == "uncertain"), ind.id
    assert MARK[lang] in text_of(found["ind-monitored"]) and MARK[lang] in text_of(found["ind-health_total"])
    assert MARK[lang] not in text_of(found["ind-roa"])


def test_populations_are_explained_once_at_the_top(page_app):
    """Each registry population has one entry (id pop-<key>) with its description, above the indicator list; each
    indicator links its population there."""
    reg = registry.load()
    page = methodology(page_app, "id")
    ids = [c.id for c in walk(page) if isinstance(getattr(c, "id", None), str)]
    for key in reg.populations:
        assert ids.count(f"pop-{key}") == 1
    assert max(ids.index(f"pop-{k}") for k in reg.populations) < ids.index("methodology-indicators")
    explained = text_of(find(page, "methodology-populations"))
    for key in reg.populations:
        assert reg.population_description(key, "id") in explained
    assert "12 akhir bulan" in reg.population_description("monitored", "id")
    roa_links = {c.href for c in walk(find(page, "ind-roa")) if getattr(c, "href", None)}
    assert "#pop-cooperative" in roa_links and "#ind-pct_roa" in roa_links


def test_footnote_links_of_other_pages_resolve_to_existing_anchors(page_app, province_url):
    """Every link a definitions footnote makes (here the profile's, and one for every registry id) points at an
    entry that exists on the page."""
    from layouts import components
    from layouts.pages import profile
    from tests.support.sql import first_monitored_nik

    anchors = set(entries(methodology(page_app, "id")))
    nik = first_monitored_nik(province_url)
    with page_app.server.test_request_context("/"):
        page = profile.layout(nik=nik)
        every = components.definitions(list(registry.load().indicators), "id")
    hrefs = [c.href for tree in (page, every) for c in walk(tree)
             if isinstance(getattr(c, "href", None), str) and c.href.startswith("/metodologi#")]
    assert len(hrefs) > len(registry.load().indicators)  # the profile's footnotes and the full list
    for href in hrefs:
        assert href.split("#", 1)[1] in anchors, href


def test_norm_sections_link_the_registry_ids_they_name(page_app):
    """Below the registry list the norm-file methods are kept; a component that names a registry indicator links
    its id to that entry (#ind-<id>), and the source grades ([S], [C]) are plain text, not links."""
    page = methodology(page_app, "en")
    markdown = next(c for c in walk(page) if type(c).__name__ == "Markdown").children
    assert "[`roa`](#ind-roa)" in markdown and "[`npl_ratio`](#ind-npl_ratio)" in markdown
    assert "Cash ratio" in markdown and "not yet confirmed" in markdown
    assert "\\[S\\]" in markdown and " [S]" not in markdown

"""Metodologi: every registry indicator has its entry (anchor #ind-<id>, label, formula, population, API columns) in
both languages, uncertain ones are marked, the populations are explained once, the norm sections link their
registry ids, and a footnote link from another page opens the page scrolled to an existing entry."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from indicators import registry, wording
from layouts.i18n import LANG_COOKIE
from tests.support.browser import console_errors, in_english, open_page
from tests.support.components import find, text_of, walk

MARK = {"id": "⚠ belum terkonfirmasi", "en": "⚠ not yet confirmed"}




def render(app, lang: str):
    from layouts.pages import methodology

    with app.server.test_request_context("/metodologi", headers={"Cookie": f"{LANG_COOKIE}={lang}"}):
        return methodology.layout()


def entries(page) -> dict:
    """Element id → component, for every indicator entry of the page."""
    return {c.id: c for c in walk(page) if isinstance(getattr(c, "id", None), str) and c.id.startswith("ind-")}


@pytest.fixture
def app(province_url, settings_for):
    from app import create_app

    return create_app(settings_for(province_url))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_registry_indicator_has_its_anchor_formula_and_population(app, lang):
    """One entry per registry indicator (id ind-<id>) with its label, id, formula sentence, population label and
    API columns in the reader's language; nothing else carries an ind- id."""
    reg = registry.load()
    page = render(app, lang)
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
def test_uncertain_indicators_are_marked_and_only_they(app, lang):
    """An entry carries "⚠ belum terkonfirmasi" / "⚠ not yet confirmed" exactly when the registry says uncertain
    (monitored and health_total are; roa is not)."""
    reg = registry.load()
    found = entries(render(app, lang))
    for ind in reg.indicators.values():
        assert (MARK[lang] in text_of(found[f"ind-{ind.id}"])) == (ind.confidence == "uncertain"), ind.id
    assert MARK[lang] in text_of(found["ind-monitored"]) and MARK[lang] in text_of(found["ind-health_total"])
    assert MARK[lang] not in text_of(found["ind-roa"])


def test_populations_are_explained_once_at_the_top(app):
    """Each registry population has one entry (id pop-<key>) with its description, above the indicator list; each
    indicator links its population there."""
    reg = registry.load()
    page = render(app, "id")
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


def test_footnote_links_of_other_pages_resolve_to_existing_anchors(app, province_url):
    """Every link a definitions footnote makes (here the profile's, and one for every registry id) points at an
    entry that exists on the page."""
    from layouts import components
    from layouts.pages import profile
    from warehouse.db import engine_for
    from warehouse.models import CooperativeSnapshot
    from sqlalchemy import select

    anchors = set(entries(render(app, "id")))
    with engine_for(province_url).connect() as conn:
        nik = conn.execute(select(CooperativeSnapshot.nik).where(CooperativeSnapshot.monitored.is_(True))
                           .order_by(CooperativeSnapshot.nik).limit(1)).scalar_one()
    with app.server.test_request_context("/"):
        page = profile.layout(nik=nik)
        every = components.definitions(list(registry.load().indicators), "id")
    hrefs = [c.href for tree in (page, every) for c in walk(tree)
             if isinstance(getattr(c, "href", None), str) and c.href.startswith("/metodologi#")]
    assert len(hrefs) > len(registry.load().indicators)  # the profile's footnotes and the full list
    for href in hrefs:
        assert href.split("#", 1)[1] in anchors, href


def test_norm_sections_link_the_registry_ids_they_name(app):
    """Below the registry list the norm-file methods are kept; a component that names a registry indicator links
    its id to that entry (#ind-<id>), and the source grades ([S], [C]) are plain text, not links."""
    page = render(app, "en")
    markdown = next(c for c in walk(page) if type(c).__name__ == "Markdown").children
    assert "[`roa`](#ind-roa)" in markdown and "[`npl_ratio`](#ind-npl_ratio)" in markdown
    assert "Cash ratio" in markdown and "not yet confirmed" in markdown
    assert "\\[S\\]" in markdown and " [S]" not in markdown


# --------------------------------------------------------------------------------------------- in the browser
def _in_view(browser, element_id: str) -> bool:
    return browser.execute_script(
        "const e = document.getElementById(arguments[0]); if (!e) return false;"
        "const r = e.getBoundingClientRect(); return r.top > -5 && r.top < 120 &&"
        " e.classList.contains('methodology-target');", element_id)


@pytest.mark.browser
def test_a_footnote_link_opens_the_methodology_at_its_entry(province_app, province_url, browser):
    """Clicking a definition in the profile's footnote opens /metodologi#ind-<id> scrolled to that entry; opening
    the page with a hash does the same (English, an uncertain entry marked); an entry's population link scrolls to
    the population's explanation."""
    from sqlalchemy import select

    from warehouse.db import engine_for
    from warehouse.models import CooperativeSnapshot

    with engine_for(province_url).connect() as conn:
        nik = conn.execute(select(CooperativeSnapshot.nik).where(CooperativeSnapshot.monitored.is_(True))
                           .order_by(CooperativeSnapshot.nik).limit(1)).scalar_one()
    browser.get(province_app + "/")
    browser.delete_all_cookies()
    browser.get_log("browser")
    open_page(browser, f"{province_app}/koperasi/{nik}", ready_css="#profile-peers-definitions")
    link = browser.find_element(By.CSS_SELECTOR, "#profile-peers-definitions a[href='/metodologi#ind-current_ratio']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", link)
    link.click()
    WebDriverWait(browser, 20).until(lambda d: d.current_url.endswith("/metodologi#ind-current_ratio"))
    WebDriverWait(browser, 20).until(lambda d: _in_view(d, "ind-current_ratio"))
    assert browser.execute_script("return window.scrollY") > 1000
    assert "Rasio lancar" in browser.find_element(By.ID, "ind-current_ratio").text
    assert not console_errors(browser)

    with in_english(browser):
        browser.get(province_app + "/")  # from /metodologi#… a new hash alone would not load the page again
        open_page(browser, f"{province_app}/metodologi#ind-monitored", ready_css="#ind-monitored")
        WebDriverWait(browser, 20).until(lambda d: _in_view(d, "ind-monitored"))
        entry = browser.find_element(By.ID, "ind-monitored").text
        assert "Monitored" in entry and MARK["en"] in entry
        # an entry's population links to its explanation at the top of the page
        browser.find_element(By.CSS_SELECTOR, "#ind-monitored a[href='#pop-cooperative']").click()
        WebDriverWait(browser, 20).until(lambda d: _in_view(d, "pop-cooperative"))
        assert browser.find_element(By.ID, "pop-cooperative").text == "One cooperative"
        assert not console_errors(browser)

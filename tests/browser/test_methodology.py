"""Metodologi in headless Chromium: the norm files' tables drawn with uncertain bands marked, and a footnote link
from another page opens the page scrolled to its entry (a hash opens it the same way, an entry's population link
scrolls to the population)."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.browser import console_errors, in_english, open_page
from tests.support.sql import first_monitored_nik

pytestmark = pytest.mark.browser

NOT_CONFIRMED = "⚠ not yet confirmed"


def test_methodology_page_shows_the_norm_files_with_uncertain_bands_marked(running_app, browser):
    open_page(browser, running_app + "/metodologi", ready_css=".methodology table")
    text = browser.find_element(By.CSS_SELECTOR, ".methodology").text
    assert "Metode 2016 (7 aspek, skor 0–100)" in text
    assert "belum terkonfirmasi" in text
    assert len(browser.find_elements(By.CSS_SELECTOR, ".methodology table")) > 10


def _in_view(browser, element_id: str) -> bool:
    return browser.execute_script(
        "const e = document.getElementById(arguments[0]); if (!e) return false;"
        "const r = e.getBoundingClientRect(); return r.top > -5 && r.top < 120 &&"
        " e.classList.contains('methodology-target');", element_id)


def test_a_footnote_link_opens_the_methodology_at_its_entry(province_app, province_url, browser):
    """Clicking a definition in the profile's footnote opens /metodologi#ind-<id> scrolled to that entry; opening
    the page with a hash does the same (English, an uncertain entry marked); an entry's population link scrolls to
    the population's explanation."""
    nik = first_monitored_nik(province_url)
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
        assert "Monitored" in entry and NOT_CONFIRMED in entry
        # an entry's population links to its explanation at the top of the page
        browser.find_element(By.CSS_SELECTOR, "#ind-monitored a[href='#pop-cooperative']").click()
        WebDriverWait(browser, 20).until(lambda d: _in_view(d, "pop-cooperative"))
        assert browser.find_element(By.ID, "pop-cooperative").text == "One cooperative"
        assert not console_errors(browser)

"""Profil koperasi in headless Chromium on the small province: the charts drawn, the RAT table and every report in
the grid, in both languages; an unknown NIK's page and its way back to the Rankings."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from layouts.i18n import fmt_number
from tests.support.browser import console_errors, grid_values, in_english, open_page
from tests.support.cooperative import profile_facts

pytestmark = pytest.mark.browser


def test_profile_in_the_browser_in_both_languages(province_app, province_url, browser):
    want = profile_facts(province_url)
    browser.get(province_app + "/")
    browser.delete_all_cookies()
    browser.get_log("browser")  # drop what earlier pages (of other servers) logged
    open_page(browser, f"{province_app}/koperasi/{want['nik']}", ready_css="#profile-reports-grid .ag-row")
    assert want["name"] in browser.find_element(By.ID, "profile-name").text
    assert browser.find_element(By.ID, "profile-score").text == fmt_number(want["total"], 1, "id")
    assert browser.find_elements(By.CSS_SELECTOR, "#profile-aspects .main-svg .bars path")
    assert browser.find_elements(By.CSS_SELECTOR, "#profile-history-chart .main-svg .scatterlayer path")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#profile-rat tbody tr")) == want["rat"]
    shown = grid_values(browser, "profile-reports-grid", "run_target")
    assert len(shown) == want["reports"] and want["target"] in shown
    assert want["target"] in browser.find_element(By.ID, "profile-score-source").text
    assert not console_errors(browser)

    with in_english(browser):
        open_page(browser, f"{province_app}/koperasi/{want['nik']}", ready_css="#profile-reports-grid .ag-row")
        assert "Registry" in browser.find_element(By.ID, "profile-registry").text
        assert browser.find_element(By.ID, "profile-score").text == fmt_number(want["total"], 1, "en")
        open_page(browser, f"{province_app}/koperasi/0000000000001", ready_css="#profile-not-found")
        assert "There is no cooperative" in browser.find_element(By.ID, "profile-not-found").text
        browser.find_element(By.ID, "profile-back").click()
        WebDriverWait(browser, 20).until(lambda d: "/peringkat" in d.current_url)
        assert not console_errors(browser)

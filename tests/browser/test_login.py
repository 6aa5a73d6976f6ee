"""Logging in in headless Chromium with access control on: a guarded page asks to log in, the login form leads on
to the account page, an analyst creates an API token there, and nothing breaks the Content-Security-Policy."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from layouts import access
from tests.support.auth import PASSWORD, cheap_hashes  # noqa: F401 - the fixture, used through pytestmark
from tests.support.auth import audit_actions as actions
from tests.support.browser import console_errors, open_page
from tests.support.server import app_served
from warehouse import tokens, users

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("cheap_hashes")]


def test_browser_login_guarded_pages_and_token_page_under_csp(db_url, engine, settings_for, browser):
    users.add_user(engine, "ana", PASSWORD, "analyst")
    with app_served(settings_for(db_url), access.install) as (base, _app):
        browser.delete_all_cookies()
        browser.get_log("browser")  # drop what earlier tests left
        open_page(browser, f"{base}/peringkat", ready_css="#auth-denied")
        assert "Perlu masuk" in browser.find_element(By.ID, "auth-denied").text
        assert "/login?next=%2Fperingkat" in browser.find_element(By.ID, "auth-login-link").get_attribute("href")
        browser.get(f"{base}/login?next=/admin")
        browser.find_element(By.ID, "username").send_keys("ana")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.ID, "login-submit").click()
        WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "adm-you")))
        assert "ana" in browser.find_element(By.ID, "adm-you").text
        assert not browser.find_elements(By.ID, "adm-audit")  # the audit log is for admins
        browser.find_element(By.ID, "adm-token-name").send_keys("laptop script")
        create = browser.find_element(By.ID, "adm-token-create")  # (below the e-mail and alerts card, the fold)
        browser.execute_script("arguments[0].click()", create)
        shown = WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "adm-new-token"))).text
        assert tokens.user_for_token(engine, shown)[0].username == "ana"
        assert browser.find_element(By.ID, "adm-token-list").text.count("laptop script") == 1
        open_page(browser, f"{base}/peringkat")
        assert not browser.find_elements(By.ID, "auth-denied")
        errors = console_errors(browser)
        assert errors == [], errors
    assert "token_created" in actions(engine)

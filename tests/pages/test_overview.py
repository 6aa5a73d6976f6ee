"""Overview page in headless Chromium on the small province: cards equal the roll-up sums, trend arrows point the
right way, the health distribution and alert lists equal the snapshots, the kabupaten filter changes the cards."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import text

from layouts.i18n import fmt_int, fmt_pct, fmt_rupiah
from tests.support.browser import console_errors, in_english, open_page
from warehouse.db import engine_for

pytestmark = pytest.mark.browser


def rollup(engine, period, regency=None) -> dict:
    """My own sums of the roll-ups of one period (whole province or one kabupaten)."""
    sql = "SELECT indicator, SUM(value) FROM regency_indicators WHERE period_end = :p"
    params = {"p": period}
    if regency:
        sql += " AND regency_code = :r"
        params["r"] = regency
    with engine.connect() as conn:
        return {k: float(v or 0) for k, v in conn.execute(text(sql + " GROUP BY indicator"), params)}


def latest_period(engine) -> date:
    with engine.connect() as conn:
        value = conn.execute(text("SELECT MAX(period_end) FROM regency_indicators")).scalar()
    return pd.Timestamp(value).date()


def year_earlier(period: date) -> date:
    return (pd.Timestamp(period) - pd.offsets.MonthEnd(12)).date()


def card_value(browser, card_id: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, f"#{card_id} .card-value").text.strip()


def card_trend(browser, card_id: str) -> str:
    classes = browser.find_element(By.CSS_SELECTOR, f"#{card_id} .trend").get_attribute("class")
    return next(c for c in ("trend-up", "trend-down", "trend-same", "trend-none") if c in classes)


def test_cards_show_the_rollup_sums_with_trend_arrows_and_follow_the_kabupaten_filter(province_url, province_app,
                                                                                     browser):
    engine = engine_for(province_url)
    period = latest_period(engine)
    now, before = rollup(engine, period), rollup(engine, year_earlier(period))
    browser.get(province_app + "/")
    browser.get_log("browser")
    open_page(browser, province_app + "/", ready_css="#card-members")
    assert card_value(browser, "card-members") == fmt_int(now["members"])
    assert card_value(browser, "card-assets") == fmt_rupiah(now["total_assets"])
    assert card_value(browser, "card-digital") == fmt_int(now["go_digital"])
    assert card_value(browser, "card-sehat") == fmt_pct(now["sehat"] / now["scored"])
    assert card_value(browser, "card-rat") == fmt_pct(now["rat_compliant"] / now["active"])
    assert card_value(browser, "card-reporting") == fmt_pct(now["received"] / now["expected"])
    with engine.connect() as conn:
        coops = conn.execute(text("SELECT COUNT(*) FROM cooperatives")).scalar()
    assert card_value(browser, "card-cooperatives") == fmt_int(coops)
    # Indonesian digit grouping: a number above 999 carries a dot, never a comma
    assert "," not in card_value(browser, "card-members")
    for card_id, key, scale in (("card-members", "members", None), ("card-sehat", "sehat", "scored"),
                                ("card-reporting", "received", "expected")):
        a = now[key] / now[scale] if scale else now[key]
        b = before[key] / before[scale] if scale else before[key]
        expected = "trend-same" if round((a - b) * (100 if scale else 1), 1) == 0 else (
            "trend-up" if a > b else "trend-down")
        assert card_trend(browser, card_id) == expected, card_id
    progress = browser.find_element(By.CSS_SELECTOR, "#card-digital-progress .progress-bar")
    assert float(progress.get_attribute("aria-valuenow")) == pytest.approx(now["go_digital"] / 1000 * 100, abs=0.01)
    assert not console_errors(browser)

    kupang = rollup(engine, period, "5371")
    open_page(browser, province_app + "/?kab=5371", ready_css="#card-members")
    assert card_value(browser, "card-members") == fmt_int(kupang["members"])
    assert card_value(browser, "card-members") != fmt_int(now["members"])
    assert card_value(browser, "card-reporting") == fmt_pct(kupang["received"] / kupang["expected"])
    assert "Kota Kupang" in browser.find_element(By.CSS_SELECTOR, ".overview h1 + p").text
    assert not console_errors(browser)


def test_health_distribution_and_alerts_equal_the_snapshots_and_link_to_profiles(province_url, province_app,
                                                                                 browser):
    engine = engine_for(province_url)
    with engine.connect() as conn:
        snap = conn.execute(text("SELECT MAX(period_end) FROM cooperative_snapshots")).scalar()
        counts = dict(conn.execute(text(
            "SELECT health_category, COUNT(*) FROM cooperative_snapshots WHERE period_end = :p "
            "AND health_category IS NOT NULL GROUP BY health_category"), {"p": snap}).all())
        no_rat = {r[0] for r in conn.execute(text(
            "SELECT nik FROM cooperative_snapshots WHERE period_end = :p AND years_without_rat >= 2"), {"p": snap})}
        fallen = {r[0] for r in conn.execute(text(
            "SELECT nik FROM cooperative_snapshots WHERE period_end = :p AND health_category IN "
            "('dalam_pengawasan', 'dalam_pengawasan_khusus') AND health_category_prev IN ('sehat', 'cukup_sehat')"),
            {"p": snap})}
        months = [r[0] for r in conn.execute(text(
            "SELECT DISTINCT period_end FROM reporting_status WHERE period_end <= :p ORDER BY period_end DESC "
            "LIMIT 3"), {"p": snap})]
        stopped = {r[0] for r in conn.execute(text(
            "SELECT nik FROM reporting_status WHERE status = 'missing' AND period_end IN (:a, :b, :c) "
            "GROUP BY nik HAVING COUNT(*) = 3"), dict(zip("abc", months)))}
    assert sum(counts.values()) > 0
    open_page(browser, province_app + "/", ready_css="#ov-health-table")
    for category in ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus"):
        cell = browser.find_element(By.CSS_SELECTOR, f"#ov-cat-{category} td[data-count]")
        assert int(cell.get_attribute("data-count")) == counts.get(category, 0), category
    bars = browser.execute_script(
        "return document.querySelector('#ov-health-dist .js-plotly-plot').data.map(t => [t.meta, t.x[0]])")
    assert {meta: x for meta, x in bars} == {c: counts.get(c, 0) for c in
                                             ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus")}

    tabs = browser.find_elements(By.CSS_SELECTOR, "#ov-alert-tabs a.nav-link")
    labels = [tab.text for tab in tabs]
    assert labels == [f"Turun ke pengawasan ({fmt_int(len(fallen))})", f"≥ 2 th tanpa RAT ({fmt_int(len(no_rat))})",
                      f"Berhenti melapor ({fmt_int(len(stopped))})"]
    # the no-RAT tab: its first rows are cooperatives of the list, each linking to its profile
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", tabs[1])
    rows = browser.find_elements(By.CSS_SELECTOR, "#ov-alerts-no_rat-top tbody tr")
    assert len(rows) == min(10, len(no_rat))
    for row in rows:
        nik = row.get_attribute("data-nik")
        assert nik in no_rat
        assert row.find_element(By.CSS_SELECTOR, "a.coop-link").get_attribute("href").endswith(f"/koperasi/{nik}")
    if len(no_rat) > 10:  # "see all" shows the whole list in a grid
        see_all = browser.find_element(By.ID, "ov-alerts-no_rat-all")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", see_all)
        WebDriverWait(browser, 20).until(lambda d: "peringatan=no_rat" in d.current_url)
        open_page(browser, browser.current_url, ready_css="#ov-alerts-no_rat .ag-row")
        assert "peringatan=no_rat" in browser.current_url
        shown = browser.execute_script(
            "const api = dash_ag_grid.getApi('ov-alerts-no_rat'); const out = [];"
            "api.forEachNode(n => out.push(n.data.nik)); return out;")
        assert set(shown) == no_rat
    assert not console_errors(browser)


def test_the_page_speaks_english_with_the_language_cookie(province_app, browser):
    with in_english(browser, province_app):
        open_page(browser, province_app + "/", ready_css="#card-members")
        page = browser.find_element(By.CSS_SELECTOR, ".overview").text.lower()  # card titles are upper-cased
        assert "healthy cooperatives" in page and "reporting rate" in page and "alerts" in page
        assert "koperasi sehat" not in page and "peringatan" not in page
        assert not console_errors(browser)

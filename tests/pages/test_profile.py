"""Profil koperasi: a cooperative's registry facts, latest score, aspects, RAT and report history (with the ingest run
each row came from) as the page shows them, against the warehouse read directly; unknown and invalid NIKs."""
from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from layouts.i18n import fmt_int, fmt_number
from tests.support.browser import console_errors, in_english, open_page
from warehouse.db import engine_for
from warehouse.models import Cooperative, FinancialReport, IngestRun, RatStatus, Score
from tests.support.components import find


def text_of(component) -> str:
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    children = getattr(component, "children", None)
    parts = children if isinstance(children, (list, tuple)) else [children]
    return " ".join(text_of(c) for c in parts if c is not None)


def facts(url: str, framework: str = "ksp2016") -> dict:
    """A cooperative scored with `framework` that has RAT rows, with what the page should show for it."""
    with engine_for(url).connect() as conn:
        rat_counts = dict(conn.execute(select(RatStatus.nik, func.count()).group_by(RatStatus.nik)).all())
        scored = conn.execute(
            select(Score.nik).where(Score.framework == framework, Score.components.is_not(None)).distinct()
            .order_by(Score.nik)).scalars().all()
        nik = next(n for n in scored if rat_counts.get(n))
        name = conn.execute(select(Cooperative.name).where(Cooperative.nik == nik)).scalar_one()
        total, components = conn.execute(
            select(Score.total, Score.components)
            .where(Score.nik == nik, Score.framework == framework, Score.total.is_not(None))
            .order_by(Score.period_end.desc()).limit(1)).one()
        reports = conn.execute(select(func.count()).select_from(FinancialReport)
                               .where(FinancialReport.nik == nik)).scalar_one()
        latest_target = conn.execute(
            select(IngestRun.target).join(FinancialReport, FinancialReport.ingest_run_id == IngestRun.id)
            .where(FinancialReport.nik == nik, FinancialReport.is_current.is_(True))
            .order_by(FinancialReport.period_end.desc()).limit(1)).scalar_one()
    return {"nik": nik, "name": name, "total": total, "rat": rat_counts[nik], "reports": reports,
            "target": latest_target, "components": json.loads(components or "{}")}


# --------------------------------------------------------------------------------------------- without a browser
def test_profile_layout_shows_the_warehouse_figures(province_url, settings_for):
    from app import create_app
    from layouts.pages import profile

    want = facts(province_url)
    app = create_app(settings_for(province_url))
    with app.server.test_request_context(f"/koperasi/{want['nik']}"):
        page = profile.layout(nik=want["nik"])
    assert want["name"] in text_of(find(page, "profile-name"))
    assert text_of(find(page, "profile-score")) == fmt_number(want["total"], 1, "id")
    maxima, points = find(page, "profile-aspects").figure["data"]
    # permodalan 15, kualitas aktiva produktif 25, manajemen 15, efisiensi 10, likuiditas 15, kemandirian 10,
    # jatidiri 10 — drawn bottom-up
    assert maxima["x"] == [10.0, 10.0, 15.0, 10.0, 15.0, 25.0, 15.0]
    assert points["x"] == [want["components"].get(k) for k in (
        "jatidiri", "kemandirian_pertumbuhan", "likuiditas", "efisiensi", "manajemen", "kualitas_aktiva_produktif",
        "permodalan")]
    assert len(find(page, "profile-rat").children[1].children) == want["rat"]
    grid = find(page, "profile-reports-grid")
    assert len(grid.rowData) == want["reports"]
    assert want["target"] in {r["run_target"] for r in grid.rowData}
    assert fmt_int(want["reports"], "id") in text_of(find(page, "profile-reports-count"))
    assert want["target"] in text_of(find(page, "profile-score-source"))


def test_unknown_and_invalid_nik_show_a_not_found_page(province_url, settings_for):
    from app import create_app
    from layouts.pages import profile

    app = create_app(settings_for(province_url))
    with app.server.test_request_context("/koperasi/999"):
        unknown = profile.layout(nik="9999999999999")
        invalid = profile.layout(nik="53' OR 1=1 --")
    assert "9999999999999" in text_of(find(unknown, "profile-not-found"))
    assert find(unknown, "profile-back").href.endswith("/peringkat?tampilan=koperasi")
    assert "hanya terdiri dari angka" in text_of(find(invalid, "profile-not-found"))


def test_a_general_cooperative_is_scored_with_the_finance_aspects(province_url, settings_for):
    from app import create_app
    from layouts.pages import profile

    want = facts(province_url, "finance")
    app = create_app(settings_for(province_url))
    with app.server.test_request_context("/"):
        page = profile.layout(nik=want["nik"])
    assert text_of(find(page, "profile-score")) == fmt_number(want["total"], 1, "id")
    bars = find(page, "profile-aspects").figure["data"]
    assert bars[0]["x"] == [20.0, 30.0, 25.0, 25.0]  # growth, profitability, solvency, liquidity maxima
    assert find(page, "profile-pearls") is None


# --------------------------------------------------------------------------------------------- in the browser
@pytest.mark.browser
def test_profile_in_the_browser_in_both_languages(province_app, province_url, browser):
    want = facts(province_url)
    browser.get(province_app + "/")
    browser.delete_all_cookies()
    browser.get_log("browser")  # drop what earlier pages (of other servers) logged
    open_page(browser, f"{province_app}/koperasi/{want['nik']}", ready_css="#profile-reports-grid .ag-row")
    assert want["name"] in browser.find_element(By.ID, "profile-name").text
    assert browser.find_element(By.ID, "profile-score").text == fmt_number(want["total"], 1, "id")
    assert browser.find_elements(By.CSS_SELECTOR, "#profile-aspects .main-svg .bars path")
    assert browser.find_elements(By.CSS_SELECTOR, "#profile-history-chart .main-svg .scatterlayer path")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#profile-rat tbody tr")) == want["rat"]
    shown = browser.execute_script(
        "const api = dash_ag_grid.getApi('profile-reports-grid'); const rows = [];"
        "api.forEachNode(n => rows.push(n.data.run_target)); return rows;")
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

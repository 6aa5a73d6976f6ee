"""Overview page in headless Chromium on the small province: every card, trend and health count is the stored figure
of its area, type and month-end (the province row "53", a kabupaten's row, a type's row), the trend lines show the
stored twelve-month change and how many cooperatives it compares, the alert lists equal the snapshots, and the page
speaks English."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import text

from layouts.i18n import fmt_figure, fmt_int, fmt_period
from tests.support.browser import console_errors, in_english, open_page
from warehouse.db import engine_for

pytestmark = pytest.mark.browser

CATEGORIES = ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus")


def stored(engine, period: date, regency: str = "53", kind: str = "") -> dict:
    """The one stored row of regency_indicators for an area, type and month-end, read with my own SQL."""
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM regency_indicators WHERE regency_code = :r AND type = :t "
                                "AND period_end = :p"), {"r": regency, "t": kind, "p": period}).mappings().first()
    return dict(row) if row else {}


def latest_period(engine) -> date:
    with engine.connect() as conn:
        value = conn.execute(text("SELECT MAX(period_end) FROM regency_indicators")).scalar()
    return pd.Timestamp(value).date()


def first_period(engine) -> date:
    with engine.connect() as conn:
        value = conn.execute(text("SELECT MIN(period_end) FROM regency_indicators")).scalar()
    return pd.Timestamp(value).date()


def year_earlier(period: date) -> date:
    return (pd.Timestamp(period) - pd.offsets.MonthEnd(12)).date()


def shown_figures(browser, css: str = ".overview") -> list[dict]:
    """Every figure span inside `css`: indicator, value, scope and the text the reader sees."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0] + ' [data-indicator]')).map(e => ({"
        "indicator: e.dataset.indicator, value: e.dataset.value, scope: e.dataset.scope, "
        "text: e.textContent.trim(), card: (e.closest('.card') || {}).id || ''}))", css)


def figure_in(browser, card_id: str, indicator: str, within: str = "") -> dict:
    element = browser.find_element(By.CSS_SELECTOR, f"#{card_id} {within} [data-indicator='{indicator}']")
    return {"value": element.get_attribute("data-value"), "text": element.text.strip(),
            "scope": element.get_attribute("data-scope")}


def _headline(browser, card_id: str) -> dict:
    element = browser.find_element(By.CSS_SELECTOR, f"#{card_id} .card-value [data-indicator]")
    return {"indicator": element.get_attribute("data-indicator"), "value": element.get_attribute("data-value"),
            "text": element.text.strip()}


def as_number(value: str) -> float | None:
    return float(value) if value != "" else None


def assert_every_figure_is_stored(engine, browser) -> int:
    """Each figure span's data-value is the stored value of its indicator in the row its data-scope names."""
    rows: dict = {}
    figures = shown_figures(browser)
    for fig in figures:
        table, code, month, kind = fig["scope"].split("|")
        assert table == "regency_indicators", fig
        period = (pd.Timestamp(month + "-01") + pd.offsets.MonthEnd(0)).date()
        row = rows.setdefault(fig["scope"], stored(engine, period, code, kind))
        expected = row.get(fig["indicator"])
        if expected is None:
            assert fig["value"] == "" and fig["text"] == "–", fig
        else:
            assert as_number(fig["value"]) == pytest.approx(float(expected), rel=1e-9), fig
    return len(figures)


CARDS = {"card-cooperatives": "cooperatives", "card-members": "members", "card-assets": "total_assets",
         "card-digital": "go_digital", "card-sehat": "pct_sehat", "card-rat": "pct_rat_compliant",
         "card-reporting": "reporting_rate", "card-health-score": "avg_health_score"}


def test_cards_equal_the_stored_province_kabupaten_and_type_rows(province_url, province_app, browser):
    engine = engine_for(province_url)
    period = latest_period(engine)
    month = period.strftime("%Y-%m")
    province = stored(engine, period)
    browser.get(province_app + "/")
    browser.get_log("browser")
    open_page(browser, province_app + "/", ready_css="#card-members")
    for card_id, indicator in CARDS.items():
        shown = _headline(browser, card_id)
        assert shown["indicator"] == indicator
        assert as_number(shown["value"]) == pytest.approx(province[indicator]), card_id
    # written the Indonesian way, from the stored value (not recomputed from counts)
    assert _headline(browser, "card-members")["text"] == fmt_int(province["members"])
    assert "," not in _headline(browser, "card-members")["text"]  # 18.442, never 18,442
    assert _headline(browser, "card-sehat")["text"] == f"{province['pct_sehat']:.1f} %".replace(".", ",")
    # the population is said once above the cards, with the stored counts of the same row; the sums name it
    population = browser.find_element(By.ID, "ov-population").text
    assert (f"{fmt_int(province['monitored_cooperatives'])} koperasi dalam pemantauan (laporan terakhir dalam "
            f"12 bulan)") in population
    assert f"{fmt_int(province['reporting_cooperatives'])} koperasi melapor bulan ini" in population
    assert as_number(figure_in(browser, "ov-population", "reporting_cooperatives")["value"]) == \
        province["reporting_cooperatives"]
    for card_id in ("card-members", "card-assets"):
        assert as_number(figure_in(browser, card_id, "monitored_cooperatives")["value"]) == \
            province["monitored_cooperatives"]
        assert f"dari {fmt_int(province['monitored_cooperatives'])} koperasi dalam pemantauan" in \
            browser.find_element(By.ID, card_id).text
    rat_text = browser.find_element(By.ID, "card-rat").text
    assert (f"{fmt_int(province['rat_compliant'])} dari {fmt_int(province['rat_expected'])} koperasi wajib RAT, "
            f"tahun buku {period.year - 1}") in rat_text
    progress = browser.find_element(By.CSS_SELECTOR, "#card-digital-progress .progress-bar")
    assert float(progress.get_attribute("aria-valuenow")) == pytest.approx(province["pct_digital_target"])
    assert as_number(figure_in(browser, "card-digital", "digital_target")["value"]) == province["digital_target"]
    scopes = {f["scope"] for f in shown_figures(browser, "#ov-cards")}
    assert scopes == {f"regency_indicators|53|{month}|"}
    assert assert_every_figure_is_stored(engine, browser) > 40
    footnote = browser.find_element(By.ID, "ov-cards-definitions")
    assert footnote.find_element(By.CSS_SELECTOR, "a[href='/metodologi#ind-matched_cooperatives']")
    assert not console_errors(browser)

    kupang = stored(engine, period, "5371")
    open_page(browser, province_app + "/?kab=5371", ready_css="#card-members")
    for card_id, indicator in CARDS.items():
        assert as_number(_headline(browser, card_id)["value"]) == pytest.approx(kupang[indicator]), card_id
    assert kupang["members"] != province["members"]
    assert "Kota Kupang" in browser.find_element(By.CSS_SELECTOR, ".overview h1 + p").text
    assert {f["scope"] for f in shown_figures(browser, "#ov-cards")} == {f"regency_indicators|5371|{month}|"}
    assert_every_figure_is_stored(engine, browser)

    # a type: that type's own stored row, the share of its active cooperatives instead of the province target
    savings = stored(engine, period, "53", "simpan_pinjam")
    open_page(browser, province_app + "/?jenis=simpan_pinjam", ready_css="#card-members")
    for card_id, indicator in CARDS.items():
        assert as_number(_headline(browser, card_id)["value"]) == pytest.approx(savings[indicator]), card_id
    assert savings["cooperatives"] < province["cooperatives"]
    assert as_number(figure_in(browser, "card-digital", "pct_go_digital")["value"]) == \
        pytest.approx(savings["pct_go_digital"])
    assert not browser.find_elements(By.ID, "card-digital-progress")
    assert not browser.find_elements(By.ID, "ov-type-note")  # no "snapshot / all types" fallback any more
    assert {f["scope"] for f in shown_figures(browser, "#ov-cards")} == {
        f"regency_indicators|53|{month}|simpan_pinjam"}
    assert_every_figure_is_stored(engine, browser)
    assert not console_errors(browser)


def test_trend_lines_show_the_stored_change_and_the_cooperatives_it_compares(province_url, province_app, browser):
    engine = engine_for(province_url)
    period = latest_period(engine)
    row = stored(engine, period)
    before = fmt_period(year_earlier(period))
    open_page(browser, province_app + "/", ready_css="#card-members")
    for card_id, change, base in (("card-members", "members_change", "matched_cooperatives"),
                                  ("card-assets", "total_assets_change", "matched_cooperatives"),
                                  ("card-sehat", "pct_sehat_change", "scored_both"),
                                  ("card-health-score", "avg_health_score_change", "scored_both"),
                                  ("card-digital", "go_digital_change", None),
                                  ("card-rat", "pct_rat_compliant_change", None),
                                  ("card-reporting", "reporting_rate_change", None)):
        value = row[change]
        shown = figure_in(browser, card_id, change, ".trend")
        assert as_number(shown["value"]) == pytest.approx(value), card_id
        trend = browser.find_element(By.CSS_SELECTOR, f"#{card_id} .trend")
        classes = trend.get_attribute("class").split()
        if value > 0:  # every card's figure is better higher: up is green
            assert "trend-up" in classes and "text-success" in classes and shown["text"].startswith("+"), card_id
        elif value < 0:
            assert "trend-down" in classes and "text-danger" in classes and shown["text"][0] in "−-", card_id
        line = trend.find_element(By.XPATH, "..").text
        assert f"vs {before}" in line, card_id
        if base:
            assert as_number(figure_in(browser, card_id, base, ".small")["value"]) == row[base], card_id
            words = ("koperasi yang ada di kedua periode" if base == "matched_cooperatives"
                     else "koperasi dinilai di kedua periode")
            assert f"{fmt_int(row[base])} {words}" in line, card_id
    # units: a percent change, percentage points, a count
    members = figure_in(browser, "card-members", "members_change", ".trend")["text"]
    assert members.lstrip("+") == fmt_figure(row["members_change"], "percent")
    assert figure_in(browser, "card-sehat", "pct_sehat_change", ".trend")["text"].endswith(" poin")
    assert figure_in(browser, "card-digital", "go_digital_change", ".trend")["text"].lstrip("+−±") == \
        fmt_int(abs(row["go_digital_change"]))

    # the first month has nothing twelve months earlier: no change stored, the cards say so
    first = first_period(engine)
    assert stored(engine, first)["members_change"] is None
    open_page(browser, province_app + f"/?periode={first:%Y-%m}", ready_css="#card-members")
    for card_id in ("card-members", "card-assets", "card-sehat", "card-reporting"):
        trend = browser.find_element(By.CSS_SELECTOR, f"#{card_id} .trend")
        assert "trend-none" in trend.get_attribute("class") and trend.text == "belum ada pembanding", card_id
    assert_every_figure_is_stored(engine, browser)
    assert not console_errors(browser)


def test_health_distribution_shows_the_stored_counts_of_both_periods_and_agrees_with_the_sehat_card(
        province_url, province_app, browser):
    engine = engine_for(province_url)
    period = latest_period(engine)
    now, prev = stored(engine, period), stored(engine, year_earlier(period))
    open_page(browser, province_app + "/", ready_css="#ov-health-table")
    for category in (*CATEGORIES, "scored"):
        cells = browser.find_elements(By.CSS_SELECTOR, f"#ov-cat-{category} td [data-indicator='{category}']")
        assert [as_number(c.get_attribute("data-value")) for c in cells] == [now[category], prev[category]], category
        assert [c.get_attribute("data-scope").split("|")[2] for c in cells] == [
            f"{period:%Y-%m}", f"{year_earlier(period):%Y-%m}"]
    assert browser.find_element(By.CSS_SELECTOR, "#ov-cat-scored").text.split() == [
        "Dinilai", fmt_int(now["scored"]), fmt_int(prev["scored"])]
    assert "periodenya sendiri" in browser.find_element(By.ID, "ov-health-table").find_element(
        By.XPATH, "following-sibling::div").text
    bars = browser.execute_script(
        "return document.querySelector('#ov-health-dist .js-plotly-plot').data.map(t => [t.meta, t.x])")
    assert {meta: x for meta, x in bars} == {c: [now[c], prev[c]] for c in CATEGORIES}
    # the "Koperasi sehat" card and the distribution count the same cooperatives of the same period
    assert as_number(figure_in(browser, "card-sehat", "sehat")["value"]) == now["sehat"]
    assert as_number(figure_in(browser, "card-sehat", "scored")["value"]) == now["scored"]
    assert now["pct_sehat"] == pytest.approx(now["sehat"] / now["scored"] * 100)
    assert not console_errors(browser)


def test_alerts_equal_the_snapshot_lists_and_link_to_profiles(province_url, province_app, browser):
    engine = engine_for(province_url)
    with engine.connect() as conn:
        snap = conn.execute(text("SELECT MAX(period_end) FROM cooperative_snapshots")).scalar()
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
    open_page(browser, province_app + "/", ready_css="#ov-alert-tabs")
    tabs = browser.find_elements(By.CSS_SELECTOR, "#ov-alert-tabs a.nav-link")
    assert [tab.text for tab in tabs] == [
        f"Turun ke pengawasan ({fmt_int(len(fallen))})", f"≥ 2 th tanpa RAT ({fmt_int(len(no_rat))})",
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
        shown = browser.execute_script(
            "const api = dash_ag_grid.getApi('ov-alerts-no_rat'); const out = [];"
            "api.forEachNode(n => out.push(n.data.nik)); return out;")
        assert set(shown) == no_rat
    assert not console_errors(browser)


def test_kabupaten_chart_shows_the_stored_figures_with_the_province_row_as_reference(province_url, province_app,
                                                                                      browser):
    engine = engine_for(province_url)
    period = latest_period(engine)
    open_page(browser, province_app + "/?indikator=reporting_rate", ready_css="#ov-regency-bars .js-plotly-plot")
    chart = browser.execute_script(
        "const g = document.querySelector('#ov-regency-bars .js-plotly-plot');"
        "return {codes: g.data[0].customdata, x: g.data[0].x, line: g.layout.shapes.map(s => s.x0)};")
    bars = {code: x for code, x in zip(chart["codes"], chart["x"]) if x is not None}
    assert bars == pytest.approx({code: stored(engine, period, code)["reporting_rate"] for code in bars})
    assert set(bars) == {"5303", "5310", "5371"}  # the small province's three kabupaten
    assert chart["line"] == [pytest.approx(stored(engine, period)["reporting_rate"])]  # the province row, not a sum
    assert "Tingkat pelaporan" in browser.find_element(By.ID, "ov-regency-definitions").text
    assert not console_errors(browser)


def test_the_page_speaks_english_with_the_language_cookie(province_app, browser):
    with in_english(browser, province_app):
        open_page(browser, province_app + "/", ready_css="#card-members")
        page = browser.find_element(By.CSS_SELECTOR, ".overview").text
        lower = page.lower()  # card titles are upper-cased
        assert "healthy cooperatives" in lower and "reporting rate" in lower and "alerts" in lower
        assert "monitored cooperatives (latest report within 12 months)" in page
        assert "cooperatives present in both periods" in page and "cooperatives scored in both periods" in page
        assert "koperasi sehat" not in lower and "peringatan" not in lower and "dalam pemantauan" not in lower
        members = _headline(browser, "card-members")["text"]
        assert "." not in members and "," in members  # 18,442: English digit grouping
        assert not console_errors(browser)

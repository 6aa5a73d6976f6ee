"""Peringkat / Rankings in headless Chromium on the small province: the cooperative ranking follows the URL (peer
group chosen and changed, kept on reload) and links to profiles; the page in English (headers, number format, header
hover, the pinned province row, a month without snapshots)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from layouts import components
from tests.support.browser import console_errors, in_english, open_page
from tests.support.sql import regional, snapshot_rows
from warehouse.db import engine_for
from warehouse.models import CooperativeSnapshot, RegencyIndicator

pytestmark = pytest.mark.browser


def a_peer_group(url: str, regency: str, kind: str) -> str:
    """The largest peer group among one kabupaten's cooperatives of one type at the latest snapshot."""
    rows = regional(snapshot_rows(url, regency_code=regency, type=kind))
    groups = [r["peer_group"] for r in rows.values() if r["peer_group"]]
    assert groups, "the small province has savings-and-loan cooperatives in Kota Kupang"
    return max(set(groups), key=groups.count)


def grid_rows(driver, grid_id: str) -> list[dict]:
    """The grid's rows as the reader sees them (filtered, sorted), once the rankings' rows have arrived."""
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.getElementById('rankings-rows-loaded').textContent !== ''"))
    return driver.execute_script(
        "const api = dash_ag_grid.getApi(arguments[0]); const rows = [];"
        "api.forEachNodeAfterFilterAndSort(n => rows.push(n.data)); return rows;", grid_id)


def test_cooperative_ranking_in_the_browser_follows_the_url_and_links_to_profiles(province_app, province_url,
                                                                                  browser):
    group = a_peer_group(province_url, "5371", "simpan_pinjam")
    url = f"{province_app}/peringkat?tampilan=koperasi&kab=5371&jenis=simpan_pinjam&kelompok={group}"
    browser.get(province_app + "/")
    browser.delete_all_cookies()
    browser.get_log("browser")  # drop what earlier pages (of other servers) logged
    open_page(browser, url, ready_css="#rankings-coop-grid")
    rows = grid_rows(browser, "rankings-coop-grid")
    expected = regional(snapshot_rows(province_url, regency_code="5371", type="simpan_pinjam", peer_group=group))
    assert sorted(r["nik"] for r in rows) == sorted(expected)
    for row in rows:
        want = expected[row["nik"]]["pct_equity_ratio"]
        assert (row["pct_equity_ratio"] is None) == (want is None)
        if want is not None:
            assert row["pct_equity_ratio"] == pytest.approx(want, abs=0.005)
    # the percentile shows as "P<n>" beside the value
    cells = browser.find_elements(By.CSS_SELECTOR, "#rankings-coop-grid .ag-cell[col-id='pct_health_total']")
    assert cells and all(c.text.startswith("P") or c.text == "–" for c in cells)

    # clear the peer group: the URL loses it, the rows widen to the whole type in the kabupaten
    browser.find_element(By.CSS_SELECTOR, "button.dash-dropdown[id*='kelompok']").click()
    other = [o for o in browser.find_elements(By.CSS_SELECTOR, "[role=option] input")
             if o.get_attribute("value") != group][0].get_attribute("value")
    option = browser.find_element(By.CSS_SELECTOR, f"[role=option] input[value='{other}']").find_element(
        By.XPATH, "./ancestor::label")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", option)
    option.click()
    WebDriverWait(browser, 20).until(lambda d: parse_qs(urlparse(d.current_url).query).get("kelompok") == [other])
    open_page(browser, browser.current_url, ready_css="#rankings-coop-grid")
    after = grid_rows(browser, "rankings-coop-grid")
    expected_other = regional(snapshot_rows(province_url, regency_code="5371", type="simpan_pinjam",
                                                 peer_group=other))
    assert sorted(r["nik"] for r in after) == sorted(expected_other)
    browser.refresh()
    open_page(browser, browser.current_url, ready_css="#rankings-coop-grid")
    assert sorted(r["nik"] for r in grid_rows(browser, "rankings-coop-grid")) == sorted(expected_other)

    # a cooperative's name opens its profile
    link = browser.find_element(By.CSS_SELECTOR, "#rankings-coop-grid a.rankings-link")
    name = link.text
    link.click()
    WebDriverWait(browser, 20).until(lambda d: "/koperasi/" in d.current_url)
    open_page(browser, browser.current_url, ready_css="#profile-name")
    assert name in browser.find_element(By.ID, "profile-name").text
    assert not console_errors(browser)


def test_rankings_page_in_english(province_app, province_url, browser):
    browser.get(province_app + "/")
    browser.get_log("browser")  # drop what earlier pages (of other servers) logged
    with in_english(browser):
        open_page(browser, province_app + "/peringkat", ready_css="#rankings-regency-grid .ag-row")
        headers = browser.find_element(By.CSS_SELECTOR, "#rankings-regency-grid .ag-header").text
        assert "Average health score" in headers and "Rata-rata" not in headers
        assert "Rankings" in browser.find_element(By.TAG_NAME, "h1").text
        # the numbers are formatted the English way (1,234.5) in the English interface
        cells = browser.find_elements(By.CSS_SELECTOR, "#rankings-regency-grid .ag-cell[col-id='members']")
        assert any("," in c.text for c in cells if len(c.text) > 4)
        # a header's hover is the registry definition; the province's own row is pinned below the 22
        title = browser.execute_script(
            "const e = document.querySelector(\"#rankings-regency-grid .ag-header-cell[col-id='pct_sehat']\");"
            "const t = e && (e.getAttribute('title') ? e : e.querySelector('[title]')); return t && t.getAttribute('title');")
        assert title == components.definition_title("pct_sehat", "en")
        pinned = browser.find_element(By.CSS_SELECTOR, "#rankings-regency-grid .ag-floating-bottom").text
        assert "NTT province" in pinned
        # a month without cooperative snapshots: the link keeps it, the notice says which period is shown
        with engine_for(province_url).connect() as conn:
            snaps = set(conn.execute(select(CooperativeSnapshot.period_end).distinct()).scalars())
            months = set(conn.execute(select(RegencyIndicator.period_end).distinct()).scalars())
        asked = max(months - snaps).strftime("%Y-%m")
        open_page(browser, f"{province_app}/peringkat?tampilan=koperasi&periode={asked}", ready_css="#rankings-count")
        grid_rows(browser, "rankings-coop-grid")
        assert "is not one of them" in browser.find_element(By.ID, "rankings-period-notice").text
        assert f"periode={asked}" in browser.current_url
        assert not console_errors(browser)

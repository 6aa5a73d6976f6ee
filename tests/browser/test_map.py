"""Peta / Map in headless Chromium on the small province: the choropleth of 22 kabupaten with the stored values, a
real hover and the ranking order; the indicator switch (values and URL) and a click that drills down; a drill-down
link with its cooperatives and figures; without a usable boundary file, points and the reason."""
from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, or_, select

from tests.support.boundaries import CODES, SHARED_GEOJSON, shared_frame, write_geojson
from tests.support.browser import choose_option, console_errors, open_page
from tests.support.figures import expected_ranks, id_number
from tests.support.sql import area_row, kabupaten_values, latest_period
from warehouse.db import engine_for
from warehouse.models import CooperativeSnapshot

pytestmark = pytest.mark.browser

FIGURE_JS = "return document.querySelector('#map-graph .js-plotly-plot').data.map(t => ({type: t.type, name: t.name, " \
            "locations: t.locations || null, z: t.z || null, customdata: t.customdata, " \
            "marker_color: (t.marker && t.marker.color) || null}))"


@contextlib.contextmanager
def map_app(url: str, settings_for, boundaries_path: Path):
    from tests.support.server import serve_app

    with serve_app(settings_for(url, BOUNDARIES_PATH=boundaries_path)) as base:
        yield base


def wait_for_map(browser, timeout: float = 30) -> None:
    """Until MapLibre has loaded its style and drawn the sources (nothing comes from the internet)."""
    WebDriverWait(browser, timeout).until(lambda d: d.execute_script(
        "const gd = document.querySelector('#map-graph .js-plotly-plot');"
        "const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;"
        "return Boolean(sub && sub.map && sub.map.loaded() && sub.map.areTilesLoaded()) && "
        "gd.dataset.pantauFitted !== undefined;"))
    time.sleep(0.3)


def rendered_areas(browser) -> int:
    """How many kabupaten MapLibre actually filled on the canvas (plotly tags each drawn feature with its centroid)."""
    return browser.execute_script(
        "const map = document.querySelector('#map-graph .js-plotly-plot')._fullLayout.map._subplot.map;"
        "const fills = map.queryRenderedFeatures().filter(f => f.layer.id.endsWith('-fill'));"
        "return new Set(fills.map(f => JSON.stringify(f.properties.ct))).size;")


def hover_at(browser, lon: float, lat: float) -> str:
    """Move the mouse over a point of the map and return the hover label's text."""
    x, y = browser.execute_script(
        "const gd = document.querySelector('#map-graph .js-plotly-plot');"
        "const p = gd._fullLayout.map._subplot.map.project([arguments[0], arguments[1]]);"
        "const box = gd.querySelector('.maplibregl-canvas').getBoundingClientRect();"
        "return [p.x - box.width / 2, p.y - box.height / 2];", lon, lat)
    canvas = browser.find_element(By.CSS_SELECTOR, "#map-graph .maplibregl-canvas")
    ActionChains(browser).move_to_element_with_offset(canvas, int(x), int(y)).perform()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return document.querySelector('#map-graph .hoverlayer').textContent.length > 0"))
    return browser.execute_script("return document.querySelector('#map-graph .hoverlayer').textContent")


def test_the_map_draws_22_kabupaten_with_warehouse_values_hover_and_ranks(province_url, settings_for, browser):
    with map_app(province_url, settings_for, SHARED_GEOJSON) as base:
        browser.get(base + "/")
        browser.get_log("browser")
        open_page(browser, base + "/peta?indikator=members_per_1000", ready_css="#map-graph .js-plotly-plot")
        wait_for_map(browser)
        traces = browser.execute_script(FIGURE_JS)
        period, values = kabupaten_values(province_url, "members_per_1000")
        ranks = expected_ranks(values)
        assert {t["type"] for t in traces} == {"choroplethmap"}
        drawn = [code for t in traces if t["name"] in ("values", "no-data") for code in t["locations"]]
        assert sorted(drawn) == sorted(CODES)  # all 22, the ones without a value in grey
        main = next(t for t in traces if t["name"] == "values")
        with_value = {c for c, v in values.items() if v is not None and not pd.isna(v)}
        assert set(main["locations"]) == with_value and len(with_value) >= 3
        for code, z, custom in zip(main["locations"], main["z"], main["customdata"]):
            assert z == pytest.approx(values[code], rel=1e-9)  # the stored value itself
            assert custom[2] == f"peringkat {ranks[code]} dari {len(ranks)}"
            assert custom[1] == id_number(values[code])
        assert rendered_areas(browser) == 22  # MapLibre filled every kabupaten, offline
        # a real hover over Manggarai (its label point lies on land inside it)
        text = hover_at(browser, 120.44273, -8.5414)
        assert "Kabupaten Manggarai" in text and id_number(values['5310']) in text
        assert f"peringkat {ranks['5310']} dari {len(ranks)}" in text
        assert "[members_per_1000]" in text and "Populasi" in text  # the registry definition
        attribution = browser.find_element(By.ID, "map-attribution").text
        assert "cahyadsn/wilayah_boundaries (MIT)" in attribution and "Badan Informasi Geospasial" in attribution
        ranking = browser.find_elements(By.CSS_SELECTOR, "#map-ranking tbody tr")
        assert len(ranking) == 22
        best = max(with_value, key=lambda c: values[c])
        assert ranking[0].get_attribute("id") == f"map-rank-{best}"
        assert not browser.find_elements(By.ID, "map-fallback")
        assert not console_errors(browser)


def text_of(browser, element_id: str) -> str:
    """An element's text read in one step (the page re-renders from the URL, so a held element can go stale)."""
    return browser.execute_script("const e = document.getElementById(arguments[0]); return e ? e.innerText : '';",
                                  element_id)


def test_the_indicator_switch_changes_the_values_and_the_url_and_a_click_drills_down(province_url, settings_for,
                                                                                     browser):
    with map_app(province_url, settings_for, SHARED_GEOJSON) as base:
        open_page(browser, base + "/peta", ready_css="#map-graph .js-plotly-plot")
        wait_for_map(browser)
        assert "Go Digital di antara koperasi aktif" in text_of(browser, "map-title")
        browser.get_log("browser")
        choose_option(browser, "button.dash-dropdown[id*='indikator']", "Anggota per 1.000 penduduk")
        WebDriverWait(browser, 15).until(lambda d: "indikator=members_per_1000" in d.current_url)
        WebDriverWait(browser, 15).until(lambda d: "Anggota per 1.000 penduduk" in text_of(d, "map-title"))
        wait_for_map(browser)
        main = next(t for t in browser.execute_script(FIGURE_JS) if t["name"] == "values")
        _, values = kabupaten_values(province_url, "members_per_1000")
        assert dict(zip(main["locations"], main["z"])) == pytest.approx(
            {c: v for c, v in values.items() if v is not None and not pd.isna(v)}, abs=1e-3)
        # a click on Timor Tengah Utara (its label point) opens its drill-down and puts it in the URL; the map is
        # scrolled wholly into view first (the pointer's origin is the centre of the element's visible part)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})",
                               browser.find_element(By.CSS_SELECTOR, "#map-graph .maplibregl-canvas"))
        x, y = browser.execute_script(
            "const gd = document.querySelector('#map-graph .js-plotly-plot');"
            "const p = gd._fullLayout.map._subplot.map.project([124.61502, -9.34012]);"
            "const box = gd.querySelector('.maplibregl-canvas').getBoundingClientRect();"
            "return [p.x - box.width / 2, p.y - box.height / 2];")
        canvas = browser.find_element(By.CSS_SELECTOR, "#map-graph .maplibregl-canvas")
        ActionChains(browser).move_to_element_with_offset(canvas, int(x), int(y)).pause(0.5).click().perform()
        WebDriverWait(browser, 15).until(lambda d: "kab=5303" in d.current_url)
        assert "indikator=members_per_1000" in browser.current_url  # the view is kept
        WebDriverWait(browser, 15).until(lambda d: "Kabupaten Timor Tengah Utara" in text_of(d, "map-drill"))
        assert not console_errors(browser)


def snapshot_count(url: str, code: str) -> tuple[object, int]:
    """The latest snapshots of the kabupaten in the population the page shows by default (the ministry's and OJK's
    cooperatives left out)."""
    engine = engine_for(url)
    s = CooperativeSnapshot
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(s.period_end))).scalar()
        n = conn.execute(select(func.count()).select_from(s).where(
            s.period_end == latest, s.regency_code == code,
            or_(s.supervisor.is_(None), s.supervisor.notin_(["kementerian", "ojk"])))).scalar()
    return latest, n


def test_a_drill_down_link_lists_the_kabupaten_cooperatives_and_its_figures(province_url, settings_for, browser):
    latest, count = snapshot_count(province_url, "5371")
    if latest is None:
        pytest.skip("the warehouse has no cooperative snapshots yet")
    with map_app(province_url, settings_for, SHARED_GEOJSON) as base:
        open_page(browser, base + "/peta?kab=5371&indikator=pct_go_digital", ready_css="#map-drill")
        WebDriverWait(browser, 20).until(lambda d: d.execute_script(
            "const api = window.dash_ag_grid && dash_ag_grid.getApi && dash_ag_grid.getApi('map-coop-grid');"
            "return api ? api.getDisplayedRowCount() : -1;") >= 0)
        rows = browser.execute_script("return dash_ag_grid.getApi('map-coop-grid').getDisplayedRowCount()")
        assert count > 0 and rows == count
        assert browser.find_element(By.ID, "map-coop-count").text == f"{count} koperasi"
        links = browser.find_elements(By.CSS_SELECTOR, "#map-coop-grid a[href^='/koperasi/']")
        assert links and re.fullmatch(r".*/koperasi/[0-9]+", links[0].get_attribute("href"))
        assert browser.find_element(By.ID, "map-drill-rankings").get_attribute("href").endswith("/peringkat?kab=5371")
        _, digital = kabupaten_values(province_url, "pct_go_digital")
        figure_row = browser.find_element(By.ID, "map-fig-pct_go_digital").text
        assert f"{id_number(digital['5371'])} %" in figure_row
        province = area_row(province_url, latest_period(province_url))
        assert f"{id_number(province['pct_go_digital'])} %" in figure_row
        # the kabupaten is outlined on the map
        traces = browser.execute_script(FIGURE_JS)
        assert next(t for t in traces if t["name"] == "selected")["locations"] == ["5371"]
        assert not console_errors(browser)


def test_without_a_usable_boundary_file_the_page_shows_points_and_says_why(province_url, settings_for, browser,
                                                                           tmp_path):
    url = province_url
    missing = tmp_path / "nowhere" / "ntt.geojson"
    with map_app(url, settings_for, missing) as base:
        open_page(browser, base + "/peta", ready_css="#map-fallback")
        WebDriverWait(browser, 15).until(lambda d: str(missing) in text_of(d, "map-fallback"))
        alert = text_of(browser, "map-fallback")
        assert str(missing) in alert and "python app.py boundaries fetch" in alert
        traces = browser.execute_script(FIGURE_JS)
        assert [t["type"] for t in traces] == ["scattermap"]
        _, values = kabupaten_values(url, "pct_go_digital")
        custom = {c[3]: c for c in traces[0]["customdata"]}
        assert sorted(custom) == sorted(CODES)
        assert custom["5371"][1] == f"{id_number(values['5371'])} %"
        assert "ibu kota" in text_of(browser, "map-attribution")
        assert not console_errors(browser)
    bad = write_geojson(tmp_path / "bad.geojson", shared_frame().iloc[:21])
    with map_app(url, settings_for, bad) as base:
        open_page(browser, base + "/peta", ready_css="#map-fallback")
        WebDriverWait(browser, 15).until(lambda d: str(bad) in text_of(d, "map-fallback"))
        alert = text_of(browser, "map-fallback")
        assert "21 features, expected 22; missing code(s) 5371" in alert and str(bad) in alert
        assert [t["type"] for t in browser.execute_script(FIGURE_JS)] == ["scattermap"]
        assert not console_errors(browser)

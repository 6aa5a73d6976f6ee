"""Peta / Map: boundary loading, validation, orientation and the geoBoundaries name join (unit), the fetch and check
commands against a loopback server, the page's figures against the stored roll-ups (values, ranks, the province's
own row), and the page in headless Chromium (choropleth of 22 kabupaten, indicator switch, hover, drill-down by URL
and by click, point-map fallback with its reason)."""
from __future__ import annotations

import contextlib
import http.server
import json
import re
import threading
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from indicators import registry
from ingest import boundaries as boundary_source
from layouts import components
from warehouse import boundaries
from tests.conftest import SHARED_DIR
from tests.support.browser import console_errors, open_page
from tests.support.components import find
from warehouse.db import engine_for
from warehouse.models import CooperativeSnapshot, RegencyIndicator

SHARED_GEOJSON = SHARED_DIR / "data" / "ntt_regencies.geojson"
CODES = tuple(boundaries.read_regencies()["code"])


def shared_frame() -> gpd.GeoDataFrame:
    return gpd.read_file(SHARED_GEOJSON)


def write_geojson(path: Path, frame: gpd.GeoDataFrame) -> Path:
    path.write_text(frame.to_json(drop_id=True), encoding="utf-8")
    return path


def ring_is_clockwise(ring: list) -> bool:
    """Shoelace sign on raw GeoJSON coordinates (lon, lat): negative area = clockwise."""
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))
    return area < 0


def exterior_rings(geojson: dict):
    for feature in geojson["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            yield feature["properties"]["code"], polygon[0]


# ------------------------------------------------------------------------------------------------ load / validate

def test_the_shared_file_loads_as_22_valid_features_with_their_attribution(tmp_path):
    loaded = boundaries.load(SHARED_GEOJSON, CODES)
    assert sorted(f["properties"]["code"] for f in loaded.geojson["features"]) == sorted(CODES)
    assert loaded.source == boundaries.WILAYAH_BOUNDARIES
    assert loaded.box[0] == pytest.approx(118.93, abs=0.01) and loaded.box[3] == pytest.approx(-7.78, abs=0.01)
    assert all(ring_is_clockwise(ring) for _, ring in exterior_rings(loaded.geojson))


def test_counter_clockwise_rings_are_turned_clockwise_on_load(tmp_path):
    frame = shared_frame()
    frame["geometry"] = shapely.orient_polygons(frame.geometry.to_numpy(), exterior_cw=False)
    path = write_geojson(tmp_path / "ccw.geojson", frame[["code", "name", "geometry"]])
    raw = json.loads(path.read_text())
    assert not any(ring_is_clockwise(ring) for _, ring in exterior_rings(raw))  # RFC 7946 orientation in the file
    loaded = boundaries.load(path, CODES)
    rings = list(exterior_rings(loaded.geojson))
    assert len(rings) == 640 and all(ring_is_clockwise(ring) for _, ring in rings)
    assert loaded.source is None  # no known source: the page names the file


def _bowtie_for_kota_kupang(frame):
    bowtie = shapely.Polygon([(123.55, -10.25), (123.65, -10.15), (123.65, -10.25), (123.55, -10.15)])
    frame.loc[frame["code"] == "5371", "geometry"] = bowtie
    return frame


@pytest.mark.parametrize("damage, reason", [
    (lambda f: f.loc[f["code"] != "5321"], "21 features, expected 22; missing code(s) 5321"),
    (lambda f: f.assign(code=f["code"].replace({"5321": "5320"})), "code(s) appear more than once: 5320"),
    (lambda f: f.drop(columns="code"), "features have no `code` property"),
    (_bowtie_for_kota_kupang, "invalid geometry for code(s) 5371 (Self-intersection"),
    (lambda f: f.set_geometry(f.geometry.translate(xoff=-20)), "coordinates lie outside NTT"),
])
def test_a_bad_file_is_refused_with_a_reason_naming_the_problem(tmp_path, damage, reason):
    path = write_geojson(tmp_path / "bad.geojson", damage(shared_frame()))
    with pytest.raises(boundaries.BoundaryError) as err:
        boundaries.load(path, CODES)
    assert reason in str(err.value)


def test_a_missing_or_unreadable_file_is_a_boundary_error(tmp_path):
    with pytest.raises(boundaries.BoundaryError, match="no boundary file at"):
        boundaries.load(tmp_path / "absent.geojson", CODES)
    (tmp_path / "broken.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(boundaries.BoundaryError, match="not readable GeoJSON"):
        boundaries.load(tmp_path / "broken.geojson", CODES)


def test_the_cache_notices_a_replaced_file(tmp_path):
    path = write_geojson(tmp_path / "b.geojson", shared_frame())
    assert len(boundaries.load(path, CODES).codes) == 22
    first = boundaries.load(path, CODES)
    assert boundaries.load(path, CODES) is first  # cached
    time.sleep(0.01)
    write_geojson(path, shared_frame().iloc[:21])
    with pytest.raises(boundaries.BoundaryError, match="21 features"):
        boundaries.load(path, CODES)


# ------------------------------------------------------------------------------------------------ name join

@pytest.mark.parametrize("name, key", [
    ("Kabupaten Kupang", "kupang"), ("Kota Kupang", "kota kupang"), ("KAB. SABU RAIJUA", "sabu raijua"),
    ("Kupang (Kota)", "kota kupang"), ("Kab Rote-Ndao", "rote ndao"), ("  Timor  Tengah Selatan ", "timor tengah selatan"),
    ("Sawu Raijua", "sabu raijua"),
])
def test_names_are_normalised_for_the_join(name, key):
    assert boundary_source.normalise(name) == key


def geoboundaries_like(city_named_like_kabupaten: bool = True) -> gpd.GeoDataFrame:
    """The shared shapes as geoBoundaries delivers ADM2: `shapeName` (no Kabupaten prefix, the city sometimes just
    "Kupang"), no codes, counter-clockwise rings, plus same-named units elsewhere in Indonesia."""
    frame = shared_frame()
    names = frame["short_name"].where(frame["code"] != "5371", "Kupang" if city_named_like_kabupaten else "Kota Kupang")
    names = names.replace({"Sabu Raijua": "Sawu Raijua", "Rote Ndao": "Rote-Ndao"})
    ntt = gpd.GeoDataFrame({"shapeName": names, "shapeISO": "", "shapeGroup": "IDN", "shapeType": "ADM2",
                            "_code": frame["code"]},
                           geometry=shapely.orient_polygons(frame.geometry.to_numpy(), exterior_cw=False), crs=4326)
    elsewhere = ntt.iloc[[3, 6]].copy()  # a "Belu" and a "Sikka" in Java
    elsewhere["geometry"] = elsewhere.geometry.translate(xoff=-14)
    elsewhere["_code"] = "x"
    return pd.concat([elsewhere, ntt], ignore_index=True)


def test_the_name_join_gives_every_kabupaten_its_own_shape():
    source = geoboundaries_like()
    joined = boundary_source.join_codes(source.drop(columns="_code"), boundaries.read_regencies())
    assert sorted(joined["code"]) == sorted(CODES)
    truth = source.loc[source["_code"] != "x"].set_index("_code").geometry
    for row in joined.itertuples():  # the same polygon as the one the shared file gives that code
        assert row.geometry.equals(truth[row.code]), row.code
    assert joined.loc[joined["code"] == "5371", "source_name"].item() == "Kupang"
    assert joined.loc[joined["code"] == "5320", "source_name"].item() == "Sawu Raijua"


def test_the_name_join_names_every_kabupaten_it_could_not_match():
    source = geoboundaries_like().drop(columns="_code")
    source["shapeName"] = source["shapeName"].replace({"Malaka": "Malakka", "Lembata": "Lomblen"})
    with pytest.raises(boundaries.BoundaryError) as err:
        boundary_source.join_codes(source, boundaries.read_regencies())
    message = str(err.value)
    assert message.startswith("2 of 22 kabupaten/kota not found by name: 5313 Kabupaten Lembata; 5321 Kabupaten Malaka")
    assert "Lomblen" in message and "Malakka" in message


# ------------------------------------------------------------------------------------------------ fetch / check

@contextlib.contextmanager
def loopback_geoboundaries(payload: bytes):
    """A stand-in for www.geoboundaries.org: /api/ answers the metadata, /adm2.geojson the file."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            port = self.server.server_address[1]
            if self.path.startswith("/api/"):
                body = json.dumps({"boundaryISO": "IDN", "boundaryType": "ADM2", "boundarySource": "BPS, OCHA ROAP",
                                   "boundaryLicense": "Creative Commons Attribution 3.0 Intergovernmental "
                                                      "Organisations (CC BY 3.0 IGO)",
                                   "gjDownloadURL": f"http://127.0.0.1:{port}/adm2.geojson"}).encode()
            elif self.path == "/adm2.geojson":
                body = payload
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/"
    finally:
        server.shutdown()


def test_fetch_downloads_joins_orients_and_writes_a_file_that_check_accepts(tmp_path):
    payload = geoboundaries_like().drop(columns="_code").to_json(drop_id=True).encode()
    out = tmp_path / "boundaries" / "ntt.geojson"
    runner = CliRunner()
    with loopback_geoboundaries(payload) as api:
        result = runner.invoke(boundary_source.cli, ["fetch", "--out", str(out), "--api-url", api])
    assert result.exit_code == 0, result.output
    assert f"wrote 22 kabupaten/kota to {out}" in result.output
    written = json.loads(out.read_text())
    assert written["pantau_source"] == "geoboundaries" and "CC BY 3.0 IGO" in written["attribution"]
    assert sorted(f["properties"]["code"] for f in written["features"]) == sorted(CODES)
    assert all(ring_is_clockwise(ring) for _, ring in exterior_rings(written))  # the download was counter-clockwise
    frame = gpd.read_file(out)
    assert frame.is_valid.all() and frame.crs.to_epsg() == 4326
    kota = frame.loc[frame["code"] == "5371"].geometry.item()
    assert kota.contains(shapely.Point(123.59108, -10.20586))  # Kota Kupang's label point, not the kabupaten's
    checked = runner.invoke(boundary_source.cli, ["check", "--path", str(out)])
    assert checked.exit_code == 0 and "OK, 22 kabupaten/kota" in checked.output
    assert "exterior rings clockwise: True" in checked.output


def test_fetch_with_unmatched_names_writes_nothing_and_says_which(tmp_path):
    source = geoboundaries_like().drop(columns="_code")
    source["shapeName"] = source["shapeName"].replace({"Malaka": "Malakka"})
    out = tmp_path / "ntt.geojson"
    with loopback_geoboundaries(source.to_json(drop_id=True).encode()) as api:
        result = CliRunner().invoke(boundary_source.cli, ["fetch", "--out", str(out), "--api-url", api])
    assert result.exit_code == 1
    assert "1 of 22 kabupaten/kota not found by name: 5321 Kabupaten Malaka" in result.output
    assert not out.exists()


def test_fetch_without_internet_fails_in_one_line_with_exit_code_1(tmp_path):
    out = tmp_path / "ntt.geojson"
    result = CliRunner().invoke(boundary_source.cli, ["fetch", "--out", str(out), "--api-url", "http://127.0.0.1:9/api/"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("boundaries fetch: cannot download from 127.0.0.1")
    assert "nothing written" in lines[0] and not out.exists()


def test_check_refuses_a_file_with_21_features(tmp_path):
    path = write_geojson(tmp_path / "b.geojson", shared_frame().iloc[:21])
    result = CliRunner().invoke(boundary_source.cli, ["check", "--path", str(path)])
    assert result.exit_code == 1 and "NOT usable: 21 features, expected 22; missing code(s) 5371" in result.output


# ------------------------------------------------------------------------------------------------ the page

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


def latest_period(url: str):
    """The newest month-end with a province row: the period the page opens on."""
    ri = RegencyIndicator
    with engine_for(url).connect() as conn:
        return conn.execute(select(func.max(ri.period_end)).where(ri.regency_code == "53", ri.type == "")).scalar()


def warehouse_values(url: str, indicator: str) -> tuple[object, dict[str, float]]:
    """{kabupaten code: stored value} of one area figure at the latest period, all cooperative types."""
    ri = RegencyIndicator
    period = latest_period(url)
    with engine_for(url).connect() as conn:
        rows = conn.execute(select(ri.regency_code, ri.__table__.c[indicator]).where(
            ri.period_end == period, ri.type == "", ri.regency_code != "53")).all()
    return period, {code: value for code, value in rows}


def province_row(url: str) -> dict:
    """The stored province row ("53") of the latest period, all cooperative types."""
    ri = RegencyIndicator
    period = latest_period(url)
    with engine_for(url).connect() as conn:
        return dict(conn.execute(select(ri.__table__).where(
            ri.period_end == period, ri.type == "", ri.regency_code == "53")).mappings().one())


def expected_ranks(values: dict[str, float]) -> dict[str, int]:
    """Rank 1 = highest (every indicator of the switch is "higher is better" in the registry)."""
    series = pd.Series(values, dtype=float)
    return series.rank(ascending=False, method="min").dropna().astype(int).to_dict()


def id_number(value: float, digits: int = 1) -> str:
    """A number written the Indonesian way: 1.234,5."""
    return f"{value:,.{digits}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def figure_spans(component) -> list[dict]:
    """Every `components.figure` span in a rendered tree: indicator, value, scope and the text shown."""
    found = []

    def walk(node):
        if node is None or isinstance(node, (str, int, float)):
            return
        props = node.to_plotly_json()["props"]
        if "data-indicator" in props:
            found.append({"indicator": props["data-indicator"], "value": props["data-value"],
                          "scope": props["data-scope"], "text": props["children"], "title": props.get("title")})
        children = props.get("children")
        for child in children if isinstance(children, (list, tuple)) else [children]:
            walk(child)

    walk(component)
    return found


def render_map(url: str, settings_for, **query):
    from app import create_app
    from layouts.pages import map as map_page

    app = create_app(settings_for(url, BOUNDARIES_PATH=SHARED_GEOJSON))
    with app.server.test_request_context("/peta"):
        return map_page.layout(**query)


# ------------------------------------------------------------------------------------------------ the page's figures

def test_ranks_follow_the_registry_direction():
    from layouts.pages.map import ranking as map_page

    values = pd.Series([4.0, 1.0, None, 1.0, 9.0])
    assert registry.load().get("npl_ratio_pooled").direction == "lower"
    assert map_page.ranks(values, "npl_ratio_pooled").tolist()[:2] == [3.0, 1.0]  # lowest NPL is best
    assert pd.isna(map_page.ranks(values, "npl_ratio_pooled")[2])
    assert map_page.ranks(values, "pct_go_digital").tolist() == pytest.approx([2.0, 3.0, float("nan"), 3.0, 1.0],
                                                                           nan_ok=True)
    assert map_page.ranks(values, "cooperatives").isna().all()  # no direction, no rank


def test_each_indicator_names_the_stored_count_it_is_taken_over():
    from layouts.pages.map import ranking as map_page

    assert {key: map_page.population_count(key) for key in map_page.INDICATORS} == {
        "pct_go_digital": "active", "go_digital": "active", "avg_health_score": "scored", "pct_sehat": "scored",
        "pct_rat_compliant": "rat_expected", "reporting_rate": "expected",
        "members_per_1000": "monitored_cooperatives", "total_assets": "monitored_cooperatives"}


def test_the_ranking_table_shows_the_stored_values_ranked_best_first(province_url, settings_for):
    page = render_map(province_url, settings_for, indikator="avg_health_score")
    period, values = warehouse_values(province_url, "avg_health_score")
    ranks = expected_ranks(values)
    assert len(ranks) >= 3
    table = find(page, "map-ranking")
    spans = figure_spans(table)
    assert len(spans) == 22
    month = period.strftime("%Y-%m")
    for span in spans:
        code = span["scope"].split("|")[1]
        assert span["indicator"] == "avg_health_score" and span["scope"] == f"regency_indicators|{code}|{month}|"
        stored = values[code]
        assert (span["value"] == "") == (stored is None or pd.isna(stored))
        if span["value"]:
            assert float(span["value"]) == pytest.approx(stored)
            assert span["text"] == id_number(stored)
        assert span["title"] == components.definition_title("avg_health_score", "id")
    rows = table.children[1].children
    shown = {row.id.removeprefix("map-rank-"): row.children[0].children for row in rows}
    assert {code: rank for code, rank in shown.items() if rank != "–"} == ranks
    order = [row.children[0].children for row in rows]
    assert order[:len(ranks)] == sorted(ranks.values()) and set(order[len(ranks):]) <= {"–"}  # best first
    # the population the average is taken over, with the province's stored count
    population = figure_spans(find(page, "map-population"))
    assert [(p["indicator"], float(p["value"])) for p in population] == [
        ("scored", pytest.approx(province_row(province_url)["scored"]))]
    assert "Rata-rata skor kesehatan" in str(find(page, "map-definitions").to_plotly_json())


def test_the_drill_down_compares_the_kabupaten_with_the_stored_province_row(province_url, settings_for):
    from layouts.pages.map import drill as map_page

    page = render_map(province_url, settings_for, kab="5371", indikator="pct_go_digital")
    period = latest_period(province_url)
    month = period.strftime("%Y-%m")
    province = province_row(province_url)
    for key in (*map_page.POPULATION_COUNTS, *map_page.INDICATORS):
        row = find(page, f"map-fig-{key}")
        assert row is not None, key
        here, whole = figure_spans(row)
        _, values = warehouse_values(province_url, key)
        assert here["scope"] == f"regency_indicators|5371|{month}|" and whole["scope"] == f"regency_indicators|53|{month}|"
        assert float(here["value"]) == pytest.approx(float(values["5371"]))
        # the province's own stored row (for a share the pooled value, not a sum or mean of kabupaten values)
        assert float(whole["value"]) == pytest.approx(float(province[key]))
        assert here["text"] == components.figure(key, values["5371"], "id", "x").children
    assert "Koperasi dalam pemantauan" in str(find(page, "map-fig-monitored_cooperatives").children[0].children)
    _, digital = warehouse_values(province_url, "pct_go_digital")
    ranks = expected_ranks(digital)
    assert find(page, "map-fig-pct_go_digital").children[3].children == f"{ranks['5371']}/{len(ranks)}"
    assert find(page, "map-fig-cooperatives").children[3].children == ""  # a count is not ranked
    definitions = str(find(page, "map-drill-definitions").to_plotly_json())
    assert "/metodologi#ind-monitored_cooperatives" in definitions and "/metodologi#ind-total_assets" in definitions


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


@pytest.mark.browser
def test_the_map_draws_22_kabupaten_with_warehouse_values_hover_and_ranks(province_url, settings_for, browser):
    with map_app(province_url, settings_for, SHARED_GEOJSON) as base:
        browser.get(base + "/")
        browser.get_log("browser")
        open_page(browser, base + "/peta?indikator=members_per_1000", ready_css="#map-graph .js-plotly-plot")
        wait_for_map(browser)
        traces = browser.execute_script(FIGURE_JS)
        period, values = warehouse_values(province_url, "members_per_1000")
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


def choose_indicator(browser, label: str) -> None:
    """Open the indicator drop-down (Dash 4: a button with a list box) and pick the option with `label`."""
    button = browser.find_element(By.CSS_SELECTOR, "button.dash-dropdown[id*='indikator']")
    button.click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[role='option']"))
    option = next(o for o in browser.find_elements(By.CSS_SELECTOR, "[role='option']") if o.text.strip() == label)
    option.click()


@pytest.mark.browser
def test_the_indicator_switch_changes_the_values_and_the_url_and_a_click_drills_down(province_urls, settings_for,
                                                                                     browser):
    province_url = province_urls["sqlite"]  # browser behaviour; the values are compared on both backends above
    with map_app(province_url, settings_for, SHARED_GEOJSON) as base:
        open_page(browser, base + "/peta", ready_css="#map-graph .js-plotly-plot")
        wait_for_map(browser)
        assert "Go Digital di antara koperasi aktif" in text_of(browser, "map-title")
        browser.get_log("browser")
        choose_indicator(browser, "Anggota per 1.000 penduduk")
        WebDriverWait(browser, 15).until(lambda d: "indikator=members_per_1000" in d.current_url)
        WebDriverWait(browser, 15).until(lambda d: "Anggota per 1.000 penduduk" in text_of(d, "map-title"))
        wait_for_map(browser)
        main = next(t for t in browser.execute_script(FIGURE_JS) if t["name"] == "values")
        _, values = warehouse_values(province_url, "members_per_1000")
        assert dict(zip(main["locations"], main["z"])) == pytest.approx(
            {c: v for c, v in values.items() if v is not None and not pd.isna(v)}, abs=1e-3)
        # a click on Timor Tengah Utara (its label point) opens its drill-down and puts it in the URL
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
    engine = engine_for(url)
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(CooperativeSnapshot.period_end))).scalar()
        n = conn.execute(select(func.count()).select_from(CooperativeSnapshot).where(
            CooperativeSnapshot.period_end == latest, CooperativeSnapshot.regency_code == code)).scalar()
    return latest, n


@pytest.mark.browser
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
        _, digital = warehouse_values(province_url, "pct_go_digital")
        figure_row = browser.find_element(By.ID, "map-fig-pct_go_digital").text
        assert f"{id_number(digital['5371'])} %" in figure_row
        assert f"{id_number(province_row(province_url)['pct_go_digital'])} %" in figure_row
        # the kabupaten is outlined on the map
        traces = browser.execute_script(FIGURE_JS)
        assert next(t for t in traces if t["name"] == "selected")["locations"] == ["5371"]
        assert not console_errors(browser)


@pytest.mark.browser
def test_without_a_usable_boundary_file_the_page_shows_points_and_says_why(province_urls, settings_for, browser,
                                                                           tmp_path):
    url = province_urls["sqlite"]
    missing = tmp_path / "nowhere" / "ntt.geojson"
    with map_app(url, settings_for, missing) as base:
        open_page(browser, base + "/peta", ready_css="#map-fallback")
        WebDriverWait(browser, 15).until(lambda d: str(missing) in text_of(d, "map-fallback"))
        alert = text_of(browser, "map-fallback")
        assert str(missing) in alert and "python app.py boundaries fetch" in alert
        traces = browser.execute_script(FIGURE_JS)
        assert [t["type"] for t in traces] == ["scattermap"]
        _, values = warehouse_values(url, "pct_go_digital")
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

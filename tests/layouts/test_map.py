"""Peta / Map rendered in-process on the small province: ranks follow the registry's direction, each indicator names
the stored count it is taken over, the ranking table shows the stored values ranked best first, and the drill-down
compares a kabupaten with the province's own stored row."""
from __future__ import annotations

import pandas as pd
import pytest

from indicators import registry
from layouts import components
from tests.support.boundaries import SHARED_GEOJSON
from tests.support.components import figures as figure_spans, find
from tests.support.figures import expected_ranks, id_number
from tests.support.pages import make_app, render
from tests.support.sql import area_row, kabupaten_values, latest_period


def render_map(url: str, settings_for, **query):
    app = make_app(url, settings_for, BOUNDARIES_PATH=SHARED_GEOJSON)
    return render(app, "map", "/peta", **query)


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
        "pct_go_digital": "active", "go_digital": "active", "pct_digital_active": "go_digital",
        "avg_health_score": "scored", "pct_sehat": "scored",
        "pct_rat_compliant": "rat_expected", "reporting_rate": "expected",
        "members_per_1000": "monitored_cooperatives", "total_assets": "monitored_cooperatives"}


def test_the_ranking_table_shows_the_stored_values_ranked_best_first(province_url, settings_for):
    page = render_map(province_url, settings_for, indikator="avg_health_score")
    period, values = kabupaten_values(province_url, "avg_health_score")
    ranks = expected_ranks(values)
    assert len(ranks) >= 3
    table = find(page, "map-ranking")
    spans = figure_spans(table)
    assert len(spans) == 22
    month = period.strftime("%Y-%m")
    for span in spans:
        code = span["scope"].split("|")[1]
        assert span["indicator"] == "avg_health_score" and span["scope"] == f"regency_indicators|{code}|{month}||daerah"
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
        ("scored", pytest.approx(area_row(province_url, period)["scored"]))]
    assert "Rata-rata skor kesehatan" in str(find(page, "map-definitions").to_plotly_json())


def test_the_drill_down_compares_the_kabupaten_with_the_stored_province_row(province_url, settings_for):
    from layouts.pages.map import drill as map_page

    page = render_map(province_url, settings_for, kab="5371", indikator="pct_go_digital")
    period = latest_period(province_url)
    month = period.strftime("%Y-%m")
    province = area_row(province_url, period)
    for key in (*map_page.POPULATION_COUNTS, *map_page.INDICATORS):
        row = find(page, f"map-fig-{key}")
        assert row is not None, key
        here, whole = figure_spans(row)
        _, values = kabupaten_values(province_url, key)
        assert (here["scope"] == f"regency_indicators|5371|{month}||daerah"
                and whole["scope"] == f"regency_indicators|53|{month}||daerah")
        assert float(here["value"]) == pytest.approx(float(values["5371"]))
        # the province's own stored row (for a share the pooled value, not a sum or mean of kabupaten values)
        assert float(whole["value"]) == pytest.approx(float(province[key]))
        assert here["text"] == components.figure(key, values["5371"], "id", "x").children
    assert "Koperasi dalam pemantauan" in str(find(page, "map-fig-monitored_cooperatives").children[0].children)
    _, digital = kabupaten_values(province_url, "pct_go_digital")
    ranks = expected_ranks(digital)
    assert find(page, "map-fig-pct_go_digital").children[3].children == f"{ranks['5371']}/{len(ranks)}"
    assert find(page, "map-fig-cooperatives").children[3].children == ""  # a count is not ranked
    definitions = str(find(page, "map-drill-definitions").to_plotly_json())
    assert "/metodologi#ind-monitored_cooperatives" in definitions and "/metodologi#ind-total_assets" in definitions

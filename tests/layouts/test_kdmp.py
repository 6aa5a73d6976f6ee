"""Kopdes Merah Putih rendered in-process on the small province (SQLite and PostgreSQL): every figure is the stored
KDMP roll-up of the area and period it names, the village lists are the stored village rows, the URL filters work
(period, kabupaten, list, milestone, map indicator) and a value the page does not know is named, not obeyed; every
page says which population it shows."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from layouts.i18n import fmt_int
from tests.support.components import figures, find, text_of, walk
from tests.support.pages import render
from tests.support.sql import area_row, latest_period, read_frame


def kdmp_page(app, lang: str = "id", **query):
    return render(app, "kdmp", "/kopdes-merah-putih", lang, **query)


def stored(url: str, code: str, month: str) -> dict:
    end = (pd.Timestamp(month + "-01") + pd.offsets.MonthEnd(0)).date()
    frame = read_frame(url, "SELECT * FROM kdmp_indicators WHERE regency_code = :c AND period_end = :p", c=code, p=end)
    assert len(frame) == 1, (code, month)
    return frame.iloc[0].to_dict()


def same(shown: str, value) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return shown == ""
    return float(shown) == pytest.approx(float(value))


@pytest.mark.parametrize("query", [{}, {"kab": "5310"}, {"periode": "2025-12"}, {"kab": "5371", "periode": "2026-06"}])
def test_every_figure_is_the_stored_kdmp_roll_up_of_its_area_and_period(page_app, province_url, query):
    page = kdmp_page(page_app, **query)
    shown = [f for f in figures(page) if f["scope"].startswith("kdmp_indicators|")]
    assert {f["indicator"] for f in shown} >= {"kdmp_villages", "kdmp_legal", "kdmp_nib", "pct_kdmp_land",
                                               "kdmp_operating", "kdmp_first_rat", "kdmp_plafond", "kdmp_stale"}
    areas = set()
    for fig in shown:
        _, code, month = fig["scope"].split("|")
        areas.add(code)
        assert same(fig["value"], stored(province_url, code, month)[fig["indicator"]]), fig
    assert areas == {query.get("kab", "53")}
    if "periode" in query:
        assert {f["scope"].split("|")[2] for f in shown} == {query["periode"]}


def test_the_kabupaten_grid_holds_the_stored_rows_and_the_province_row_below(page_app, province_url):
    page = kdmp_page(page_app)
    grid = find(page, "kdmp-regency-grid")
    month = max(read_frame(province_url, "SELECT period_end FROM kdmp_indicators")["period_end"].astype(str))[:7]
    rows = {r["regency_code"]: r for r in grid.rowData}
    assert len(rows) == 22
    for code in ("5303", "5310", "5371", "5301"):
        want = stored(province_url, code, month)
        for column in ("kdmp_villages", "kdmp_nib", "kdmp_land", "kdmp_stuck_nib"):
            assert rows[code][column] == want[column], (code, column)
    province = grid.dashGridOptions["pinnedBottomRowData"][0]
    assert province["kdmp_villages"] == stored(province_url, "53", month)["kdmp_villages"] == 36
    assert rows["5301"]["kdmp_villages"] == 0  # a kabupaten of the province without KDMP in the small province


def test_the_village_lists_are_the_stored_village_rows(page_app, province_url):
    period = read_frame(province_url, "SELECT MAX(period_end) AS p FROM kdmp_villages")["p"].iloc[0]
    every = read_frame(province_url, "SELECT * FROM kdmp_villages WHERE period_end = :p", p=period)
    stuck = every.loc[every["stuck_nib"].astype(bool) | every["no_land"].astype(bool)]
    page = kdmp_page(page_app)  # the default list: the stuck ones
    assert {r["village_code"] for r in find(page, "kdmp-village-grid").rowData} == set(stuck["village_code"])
    assert fmt_int(len(stuck)) in text_of(find(page, "kdmp-villages-count"))
    page = kdmp_page(page_app, daftar="semua", kab="5371")
    rows = find(page, "kdmp-village-grid").rowData
    assert {r["village_code"] for r in rows} == set(every.loc[every["regency_code"] == "5371", "village_code"])
    assert all(r["village_type"] == "Kelurahan" for r in rows)  # Kota Kupang has kelurahan only
    one = every.iloc[0]
    row = next(r for r in rows if r["village_code"] == one["village_code"]) if one["regency_code"] == "5371" else None
    if row is not None:
        assert row["days_since_update"] == one["days_since_update"] and row["business_assistant"] == (
            one["business_assistant"] or "–")
    staged = kdmp_page(page_app, daftar="semua", tahap="badan_hukum")
    assert {r["village_code"] for r in find(staged, "kdmp-village-grid").rowData} == set(
        every.loc[every["stage"] == "badan_hukum", "village_code"])


def test_a_village_from_the_url_is_listed_alone(page_app, province_url):
    code = read_frame(province_url, "SELECT MIN(village_code) AS c FROM kdmp_villages")["c"].iloc[0]
    rows = find(kdmp_page(page_app, desa=code), "kdmp-village-grid").rowData
    assert [r["village_code"] for r in rows] == [code]


def test_values_the_page_does_not_know_are_named_and_the_defaults_shown(page_app):
    page = kdmp_page(page_app, indikator="bogus", daftar="x", tahap="y", desa="12ab", periode="1999-01")
    assert find(page, "kdmp-headline") is not None
    notice = text_of(find(page, "kdmp-ignored"))
    for name in ("indikator", "daftar", "tahap", "desa", "periode"):
        assert name in notice, name


def test_the_page_speaks_english_on_the_switch(page_app):
    page = kdmp_page(page_app, "en")
    text = text_of(page)
    assert "Milestones: from the village meeting to the first RAT" in text and "Tahapan" not in text
    assert "KDMP recorded" in text


PAGES = [("overview", "/", {}), ("map", "/peta", {}), ("rankings", "/peringkat", {}),
         ("digital", "/target-digital", {}), ("data_quality", "/pelaporan", {"tab": "laju"})]


@pytest.mark.parametrize("module,path,extra", PAGES, ids=[p for _, p, _ in PAGES])
def test_every_page_says_which_population_it_shows_and_links_the_other(page_app, province_url, module, path, extra):
    period = latest_period(province_url)
    for population in ("daerah", "semua"):
        query = {**extra, **({"cakupan": "semua"} if population == "semua" else {})}
        page = render(page_app, module, path, **query)
        note = find(page, "population-note")
        assert note is not None and note.to_plotly_json()["props"]["data-population"] == population
        spans = {f["indicator"]: f for f in figures(note)}
        assert spans["cooperatives"]["scope"].endswith(f"|{population}")
        assert float(spans["cooperatives"]["value"]) == area_row(province_url, period, scope=population)["cooperatives"]
        # the ministry's and OJK's counts come from the "semua" row: the small province has one national primary
        assert float(spans["supervised_ministry"]["value"]) == 1 and float(spans["supervised_ojk"]["value"]) == 0
        href = find(page, "population-note-switch").href
        asked = parse_qs(urlsplit(href).query)
        assert asked.get("cakupan") == (["semua"] if population == "daerah" else None)
        for key, value in extra.items():
            assert asked[key] == [value]  # the page's own parameters are kept
    regional = area_row(province_url, period)["cooperatives"]
    assert area_row(province_url, period, scope="semua")["cooperatives"] == regional + 1


def test_the_filters_offer_the_population_everywhere_but_on_the_kdmp_page(page_app):
    for module, path, extra in PAGES:
        ids = [getattr(n, "id", None) for n in walk(render(page_app, module, path, **extra))]
        assert {"type": "filter", "name": "cakupan"} in ids, module
    ids = [getattr(n, "id", None) for n in walk(kdmp_page(page_app))]
    assert {"type": "filter", "name": "cakupan"} not in ids  # every KDMP is a kabupaten's: one population


@pytest.mark.parametrize("lang, words", [("id", "diawasi dinas koperasi kabupaten/kota"),
                                          ("en", "supervised by the kabupaten/kota office")])
def test_the_kdmp_page_says_its_one_population_instead_of_offering_a_switch(page_app, lang, words):
    note = find(kdmp_page(page_app, lang), "population-note")
    assert note.to_plotly_json()["props"]["data-population"] == "kdmp"
    assert words in text_of(note)
    assert find(kdmp_page(page_app, lang), "population-note-switch") is None

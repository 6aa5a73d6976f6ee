"""Ringkasan / Overview rendered in-process on the small province: every card, trend and health count is the stored
figure of its area, type and month-end (the province row "53", a kabupaten's row, a type's row), the trend lines show
the stored twelve-month change and how many cooperatives it compares, the alert lists equal the snapshots, the
kabupaten chart the stored rows with the province's as reference, and the page speaks English."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from dash import html
from sqlalchemy import text

from layouts.i18n import fmt_figure, fmt_int, fmt_period
from tests.support.components import figures, find, parent, text_of, walk, with_class
from tests.support.pages import render
from tests.support.sql import area_row, first_period, latest_period, latest_snapshot, snapshot_niks
from warehouse.db import engine_for

CATEGORIES = ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus")
CARDS = {"card-cooperatives": "cooperatives", "card-members": "members", "card-assets": "total_assets",
         "card-digital": "go_digital", "card-sehat": "pct_sehat", "card-rat": "pct_rat_compliant",
         "card-reporting": "reporting_rate", "card-health-score": "avg_health_score"}


def overview(app, lang: str = "id", **query):
    return render(app, "overview", "/", lang=lang, **query)


def year_earlier(period: date) -> date:
    return (pd.Timestamp(period) - pd.offsets.MonthEnd(12)).date()


def as_number(value: str) -> float | None:
    return float(value) if value != "" else None


def headline(page, card_id: str) -> dict:
    """The figure a card shows large: indicator, value and text."""
    (value,) = with_class(find(page, card_id), "card-value")
    return figures(value)[0]


def figure_in(page, element_id: str, indicator: str, within: str | None = None) -> dict:
    """The first figure of `indicator` inside the element (inside its parts of class `within`, when given)."""
    element = find(page, element_id)
    parts = with_class(element, within) if within else [element]
    return next(f for part in parts for f in figures(part) if f["indicator"] == indicator)


def trend_of(page, card_id: str):
    """A card's trend (the change, or "no comparison yet") and the line it stands in."""
    card = find(page, card_id)
    (trend,) = with_class(card, "trend")
    return trend, parent(card, trend)


def assert_every_figure_is_stored(url: str, page) -> int:
    """Each figure span's data-value is the stored value of its indicator in the row its data-scope names."""
    rows: dict = {}
    shown = figures(page)
    for fig in shown:
        table, code, month, kind, population = fig["scope"].split("|")
        assert table == "regency_indicators", fig
        period = (pd.Timestamp(month + "-01") + pd.offsets.MonthEnd(0)).date()
        row = rows.setdefault(fig["scope"], area_row(url, period, code, kind, must_exist=False, scope=population))
        expected = row.get(fig["indicator"])
        if expected is None:
            assert fig["value"] == "" and fig["text"] == "–", fig
        else:
            assert as_number(fig["value"]) == pytest.approx(float(expected), rel=1e-9), fig
    return len(shown)


def test_cards_equal_the_stored_province_kabupaten_and_type_rows(page_app, province_url):
    period = latest_period(province_url)
    month = period.strftime("%Y-%m")
    province = area_row(province_url, period)
    page = overview(page_app)
    for card_id, indicator in CARDS.items():
        shown = headline(page, card_id)
        assert shown["indicator"] == indicator
        assert as_number(shown["value"]) == pytest.approx(province[indicator]), card_id
    # written the Indonesian way, from the stored value (not recomputed from counts)
    assert headline(page, "card-members")["text"] == fmt_int(province["members"])
    assert "," not in headline(page, "card-members")["text"]  # 18.442, never 18,442
    assert headline(page, "card-sehat")["text"] == f"{province['pct_sehat']:.1f} %".replace(".", ",")
    # the population is said once above the cards, with the stored counts of the same row; the sums name it
    population = text_of(find(page, "ov-population"), "")
    assert (f"{fmt_int(province['monitored_cooperatives'])} koperasi dalam pemantauan (laporan terakhir dalam "
            f"12 bulan)") in population
    assert f"{fmt_int(province['reporting_cooperatives'])} koperasi melapor bulan ini" in population
    assert as_number(figure_in(page, "ov-population", "reporting_cooperatives")["value"]) == \
        province["reporting_cooperatives"]
    for card_id in ("card-members", "card-assets"):
        assert as_number(figure_in(page, card_id, "monitored_cooperatives")["value"]) == \
            province["monitored_cooperatives"]
        assert f"dari {fmt_int(province['monitored_cooperatives'])} koperasi dalam pemantauan" in \
            text_of(find(page, card_id), "")
    rat_text = text_of(find(page, "card-rat"), "")
    assert (f"{fmt_int(province['rat_compliant'])} dari {fmt_int(province['rat_expected'])} koperasi wajib RAT, "
            f"tahun buku {period.year - 1}") in rat_text
    assert find(page, "card-digital-progress").value == pytest.approx(province["pct_digital_target"])
    assert as_number(figure_in(page, "card-digital", "digital_target")["value"]) == province["digital_target"]
    assert {f["scope"] for f in figures(find(page, "ov-cards"))} == {f"regency_indicators|53|{month}||daerah"}
    assert assert_every_figure_is_stored(province_url, page) > 40
    footnote = find(page, "ov-cards-definitions")
    assert "/metodologi#ind-matched_cooperatives" in {getattr(c, "href", None) for c in walk(footnote)}

    kupang = area_row(province_url, period, "5371")
    page = overview(page_app, kab="5371")
    for card_id, indicator in CARDS.items():
        assert as_number(headline(page, card_id)["value"]) == pytest.approx(kupang[indicator]), card_id
    assert kupang["members"] != province["members"]
    subtitle = next(node for node in walk(page) if isinstance(node, html.P))  # the page header's line under h1
    assert "Kota Kupang" in text_of(subtitle)
    assert {f["scope"] for f in figures(find(page, "ov-cards"))} == {f"regency_indicators|5371|{month}||daerah"}
    assert_every_figure_is_stored(province_url, page)

    # a type: that type's own stored row, the share of its active cooperatives instead of the province target
    savings = area_row(province_url, period, "53", "simpan_pinjam")
    page = overview(page_app, jenis="simpan_pinjam")
    for card_id, indicator in CARDS.items():
        assert as_number(headline(page, card_id)["value"]) == pytest.approx(savings[indicator]), card_id
    assert savings["cooperatives"] < province["cooperatives"]
    assert as_number(figure_in(page, "card-digital", "pct_go_digital")["value"]) == \
        pytest.approx(savings["pct_go_digital"])
    assert find(page, "card-digital-progress") is None
    assert find(page, "ov-type-note") is None  # no "snapshot / all types" fallback any more
    assert {f["scope"] for f in figures(find(page, "ov-cards"))} == {
        f"regency_indicators|53|{month}|simpan_pinjam|daerah"}
    assert_every_figure_is_stored(province_url, page)


def test_trend_lines_show_the_stored_change_and_the_cooperatives_it_compares(page_app, province_url):
    period = latest_period(province_url)
    row = area_row(province_url, period)
    before = fmt_period(year_earlier(period))
    page = overview(page_app)
    for card_id, change, base in (("card-members", "members_change", "matched_cooperatives"),
                                  ("card-assets", "total_assets_change", "matched_cooperatives"),
                                  ("card-sehat", "pct_sehat_change", "scored_both"),
                                  ("card-health-score", "avg_health_score_change", "scored_both"),
                                  ("card-digital", "go_digital_change", None),
                                  ("card-rat", "pct_rat_compliant_change", None),
                                  ("card-reporting", "reporting_rate_change", None)):
        value = row[change]
        shown = figure_in(page, card_id, change, "trend")
        assert as_number(shown["value"]) == pytest.approx(value), card_id
        trend, line = trend_of(page, card_id)
        classes = trend.className.split()
        if value > 0:  # every card's figure is better higher: up is green
            assert "trend-up" in classes and "text-success" in classes and shown["text"].startswith("+"), card_id
        elif value < 0:
            assert "trend-down" in classes and "text-danger" in classes and shown["text"][0] in "−-", card_id
        line = text_of(line, "")
        assert f"vs {before}" in line, card_id
        if base:
            assert as_number(figure_in(page, card_id, base, "small")["value"]) == row[base], card_id
            words = ("koperasi yang ada di kedua periode" if base == "matched_cooperatives"
                     else "koperasi dinilai di kedua periode")
            assert f"{fmt_int(row[base])} {words}" in line, card_id
    # units: a percent change, percentage points, a count
    members = figure_in(page, "card-members", "members_change", "trend")["text"]
    assert members.lstrip("+") == fmt_figure(row["members_change"], "percent")
    assert figure_in(page, "card-sehat", "pct_sehat_change", "trend")["text"].endswith(" poin")
    assert figure_in(page, "card-digital", "go_digital_change", "trend")["text"].lstrip("+−±") == \
        fmt_int(abs(row["go_digital_change"]))

    # the first month has nothing twelve months earlier: no change stored, the cards say so
    first = first_period(province_url)
    assert area_row(province_url, first)["members_change"] is None
    page = overview(page_app, periode=f"{first:%Y-%m}")
    for card_id in ("card-members", "card-assets", "card-sehat", "card-reporting"):
        trend, _line = trend_of(page, card_id)
        assert "trend-none" in trend.className.split() and text_of(trend) == "belum ada pembanding", card_id
    assert_every_figure_is_stored(province_url, page)


def test_health_distribution_shows_the_stored_counts_of_both_periods_and_agrees_with_the_sehat_card(
        page_app, province_url):
    period = latest_period(province_url)
    now, prev = area_row(province_url, period), area_row(province_url, year_earlier(period))
    page = overview(page_app)
    for category in (*CATEGORIES, "scored"):
        cells = [f for f in figures(find(page, f"ov-cat-{category}")) if f["indicator"] == category]
        assert [as_number(c["value"]) for c in cells] == [now[category], prev[category]], category
        assert [c["scope"].split("|")[2] for c in cells] == [f"{period:%Y-%m}", f"{year_earlier(period):%Y-%m}"]
    assert text_of(find(page, "ov-cat-scored")).split() == ["Dinilai", fmt_int(now["scored"]), fmt_int(prev["scored"])]
    table = find(page, "ov-health-table")
    around = parent(page, table).children
    assert "periodenya sendiri" in text_of(around[around.index(table) + 1])
    bars = find(page, "ov-health-dist").figure["data"]
    assert {trace["meta"]: trace["x"] for trace in bars} == {c: [now[c], prev[c]] for c in CATEGORIES}
    # the "Koperasi sehat" card and the distribution count the same cooperatives of the same period
    assert as_number(figure_in(page, "card-sehat", "sehat")["value"]) == now["sehat"]
    assert as_number(figure_in(page, "card-sehat", "scored")["value"]) == now["scored"]
    assert now["pct_sehat"] == pytest.approx(now["sehat"] / now["scored"] * 100)


def stopped_reporting(url: str, snapshot: date) -> set[str]:
    """Cooperatives whose reports are missing for the three latest reporting periods up to the snapshot."""
    with engine_for(url).connect() as conn:
        months = [r[0] for r in conn.execute(text(
            "SELECT DISTINCT period_end FROM reporting_status WHERE period_end <= :p ORDER BY period_end DESC "
            "LIMIT 3"), {"p": snapshot})]
        return {r[0] for r in conn.execute(text(
            "SELECT nik FROM reporting_status WHERE status = 'missing' AND period_end IN (:a, :b, :c) "
            "GROUP BY nik HAVING COUNT(*) = 3"), dict(zip("abc", months)))}


def test_alerts_equal_the_snapshot_lists_and_link_to_profiles(page_app, province_url):
    no_rat = snapshot_niks(province_url, "years_without_rat >= 2")
    fallen = snapshot_niks(province_url, "health_category IN ('dalam_pengawasan', 'dalam_pengawasan_khusus') AND "
                                         "health_category_prev IN ('sehat', 'cukup_sehat')")
    stopped = stopped_reporting(province_url, latest_snapshot(province_url))
    page = overview(page_app)
    assert [tab.label for tab in find(page, "ov-alert-tabs").children] == [
        f"Turun ke pengawasan ({fmt_int(len(fallen))})", f"≥ 2 th tanpa RAT ({fmt_int(len(no_rat))})",
        f"Berhenti melapor ({fmt_int(len(stopped))})"]
    # the no-RAT tab: its first rows are cooperatives of the list, each linking to its profile
    _head, body = find(page, "ov-alerts-no_rat-top").children
    assert len(body.children) == min(10, len(no_rat))
    for row in body.children:
        nik = getattr(row, "data-nik")
        assert nik in no_rat
        (link,) = with_class(row, "coop-link")
        assert link.href == f"/koperasi/{nik}"
    if len(no_rat) > 10:  # "see all" shows the whole list in a grid
        assert "peringatan=no_rat" in find(page, "ov-alerts-no_rat-all").href
        grid = find(overview(page_app, peringatan="no_rat"), "ov-alerts-no_rat")
        assert {r["nik"] for r in grid.rowData} == no_rat


def test_kabupaten_chart_shows_the_stored_figures_with_the_province_row_as_reference(page_app, province_url):
    period = latest_period(province_url)
    page = overview(page_app, indikator="reporting_rate")
    chart = find(page, "ov-regency-bars").figure
    bars = {code: x for code, x in zip(chart["data"][0]["customdata"], chart["data"][0]["x"]) if x is not None}
    assert bars == pytest.approx({code: area_row(province_url, period, code)["reporting_rate"] for code in bars})
    assert set(bars) == {"5303", "5310", "5371"}  # the small province's three kabupaten
    line = [shape["x0"] for shape in chart["layout"]["shapes"]]
    assert line == [pytest.approx(area_row(province_url, period)["reporting_rate"])]  # the province row, not a sum
    assert "Tingkat pelaporan" in text_of(find(page, "ov-regency-definitions"))


def test_the_page_speaks_english_with_the_language_cookie(page_app):
    page = overview(page_app, lang="en")
    shown = text_of(page)
    lower = shown.lower()
    assert "healthy cooperatives" in lower and "reporting rate" in lower and "alerts" in lower
    assert "monitored cooperatives (latest report within 12 months)" in shown
    assert "cooperatives present in both periods" in shown and "cooperatives scored in both periods" in shown
    assert "koperasi sehat" not in lower and "peringatan" not in lower and "dalam pemantauan" not in lower
    members = headline(page, "card-members")["text"]
    assert "." not in members and "," in members  # 18,442: English digit grouping

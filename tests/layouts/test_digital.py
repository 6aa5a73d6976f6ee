"""Target Digital rendered in-process on the small province: every figure it shows is the stored roll-up of the area
and period it says (the province row, never a sum of kabupaten), the projection is the stored one at that period, the
funnel the stored counts of active cooperatives, the stuck list the snapshot's; the projection sentence."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from indicators import digital as digital_indicators
from layouts.i18n import fmt_int, fmt_period
from tests.support.components import figures as figure_spans, find, text_of
from tests.support.pages import render
from tests.support.sql import area_row, latest_period, latest_snapshot, snapshot_niks

NORMS = digital_indicators.load_norms()
STAGES = list(NORMS["stages"]["order"])
PROGRESS = ("go_digital", "digital_target", "pct_digital_target", "digital_remaining", "active")


def _text(component) -> str:
    return text_of(component, "")


def _layout(app, **query):
    return render(app, "digital", "/target-digital", **query)


def _same(shown: str, stored) -> bool:
    """A figure span's data-value against the stored value ('' = missing)."""
    if stored is None or pd.isna(stored):
        return shown == ""
    if isinstance(stored, (date, pd.Timestamp)) or (isinstance(stored, str) and "-" in stored):
        return shown == str(stored)[:10]
    return float(shown) == pytest.approx(float(stored))


def _scope(period: date, regency: str | None = None) -> str:
    return f"regency_indicators|{regency or '53'}|{period.strftime('%Y-%m')}||daerah"


VIEWS = [(None, None), ("5310", None), (None, "2023-12"), ("5371", "2023-12"), ("5303", "2025-06")]


@pytest.mark.parametrize(("regency", "month"), VIEWS)
def test_every_figure_on_the_page_is_the_stored_value_of_its_area_and_period(page_app, province_url, regency,
                                                                             month):
    query = {k: v for k, v in (("kab", regency), ("periode", month)) if v}
    period = (pd.Timestamp(month + "-01") + pd.offsets.MonthEnd(0)).date() if month else latest_period(province_url)
    page = _layout(page_app, **query)
    figures = figure_spans(page)
    shown = {f["indicator"] for f in figures}
    assert set(PROGRESS) <= shown and {f"stage_{s}" for s in STAGES} <= shown and "digital_pace" in shown
    rows: dict[str, dict] = {}
    for fig in figures:
        _, code, ym, kind, population = fig["scope"].split("|")
        assert kind == ""
        end = (pd.Timestamp(ym + "-01") + pd.offsets.MonthEnd(0)).date()
        row = rows.setdefault(fig["scope"], area_row(province_url, end, code, scope=population))
        assert _same(fig["value"], row[fig["indicator"]]), fig
    # the progress card speaks of the chosen area and period
    progress = figure_spans(find(page, "digital-progress"))
    assert {f["scope"] for f in progress} == {_scope(period, regency)}
    row = area_row(province_url, period, regency or "53")
    assert _text(find(page, "digital-progress-count")) == fmt_int(row["go_digital"])
    assert fmt_int(row["digital_target"]) in _text(find(page, "digital-progress-target"))
    assert fmt_period(period) in _text(find(page, "digital-progress"))


def test_the_province_count_is_the_province_row_and_the_grid_the_kabupaten_rows(page_app, province_url):
    period = latest_period(province_url)
    page = _layout(page_app)
    province = area_row(province_url, period)
    count = find(page, "digital-progress-count").to_plotly_json()["props"]
    assert count["data-value"] == repr(float(province["go_digital"])) and province["go_digital"] > 0
    assert province["digital_target"] == NORMS["target"]["province"]

    by_code = {r["regency_code"]: r for r in find(page, "digital-regency-grid").rowData}
    assert set(by_code) == {"5371", "5310", "5303"}
    for code, shown in by_code.items():
        row = area_row(province_url, period, code)
        assert shown["target"] == row["digital_target"] and shown["go_digital"] == row["go_digital"]
        assert shown["pct"] == pytest.approx(row["pct_digital_target"])
        assert shown["remaining"] == row["digital_remaining"] and shown["active"] == row["active"]
    bars = find(page, "digital-regency-bars").figure["data"][0]
    names = {r["name"]: r["regency_code"] for r in by_code.values()}
    assert len(bars["x"]) == 3
    for (name, *_), pct in zip(bars["customdata"], bars["x"]):
        assert pct == pytest.approx(area_row(province_url, period, names[name])["pct_digital_target"])
    headers = {c.get("field"): c for c in find(page, "digital-regency-grid").columnDefs}
    assert "[pct_digital_target]" in headers["pct"]["headerTooltip"]


def test_the_projection_shown_for_a_kabupaten_at_an_earlier_period_is_the_stored_one(page_app, province_url):
    period = date(2024, 6, 30)
    row = area_row(province_url, period, "5371")
    page = _layout(page_app, kab="5371", periode="2024-06")
    pace = find(page, "digital-projection-pace")
    assert pace is not None and pace.to_plotly_json()["props"]["data-scope"] == _scope(period, "5371")
    assert _same(pace.to_plotly_json()["props"]["data-value"], row["digital_pace"])
    latest = area_row(province_url, latest_period(province_url), "5371")
    assert latest["digital_pace"] != row["digital_pace"]  # an earlier period really shows a different projection
    date_span = find(page, "digital-projection-date")
    if pd.isna(row["digital_reached_on"]):
        assert date_span is None
    else:
        assert date_span.to_plotly_json()["props"]["data-value"] == str(row["digital_reached_on"])[:10]
    trend = find(page, "digital-trend").figure
    target_line = [tr for tr in trend["data"] if tr["name"] == "Target"][0]
    assert set(target_line["y"]) == {row["digital_target"]}
    actual = trend["data"][0]
    assert actual["x"][-1] == period.isoformat() and actual["y"][-1] == row["go_digital"]


@pytest.mark.parametrize("regency", [None, "5310"])
def test_the_funnel_is_the_stored_counts_of_active_cooperatives_at_the_period(page_app, province_url, regency):
    period = date(2025, 3, 31)
    row = area_row(province_url, period, regency or "53")
    page = _layout(page_app, periode="2025-03", **({"kab": regency} if regency else {}))
    funnel = find(page, "digital-funnel").figure["data"][0]
    assert funnel["type"] == "funnel"
    assert list(funnel["x"]) == [int(row[f"funnel_{s}"]) for s in STAGES]
    assert list(funnel["customdata"]) == [int(row[f"stage_{s}"]) for s in STAGES]
    assert funnel["x"][0] > 0 and "percentInitial" not in funnel["texttemplate"]
    exact = {f["indicator"]: f for f in figure_spans(find(page, "digital-funnel-exact"))}
    for stage in STAGES:
        assert float(exact[f"stage_{stage}"]["value"]) == row[f"stage_{stage}"]
        assert exact[f"stage_{stage}"]["scope"] == _scope(period, regency)


def test_the_stuck_list_is_the_snapshots_and_its_count_the_stored_figure(page_app, province_url):
    snap = latest_snapshot(province_url)
    page = _layout(page_app)
    expected = snapshot_niks(province_url, "stuck_in_migration = :t", snap, t=True)
    assert expected, "the small province has cooperatives stuck in migration"
    stuck = find(page, "digital-stuck-grid")
    assert {r["nik"] for r in stuck.rowData} == expected
    assert all(r["name"].endswith(f"(/koperasi/{r['nik']})") for r in stuck.rowData)
    count = find(page, "digital-stuck-count").to_plotly_json()["props"]
    assert float(count["data-value"]) == area_row(province_url, snap)["stuck_cooperatives"] == len(expected)


def test_the_definitions_say_go_digital_counts_active_cooperatives(page_app):
    page = _layout(page_app)
    definition = _text(find(page, "digital-definition"))
    for stage in NORMS["go_digital"]["stages"]:
        assert NORMS["stages"]["labels_id"][stage] in definition
    assert "koperasi aktif" in definition and "koperasi aktif" in _text(find(page, "digital-population"))
    links = [c.href for c in find(page, "digital-progress-definitions").children if hasattr(c, "href")]
    assert "/metodologi#ind-go_digital" in links and "/metodologi#ind-digital_reached_on" in links


def test_projection_sentence_writes_the_stored_date_and_pace_as_figures():
    from layouts.pages.digital import projection_text

    where = "regency_indicators|53|2026-09||daerah"
    soon = projection_text({"target": 1000, "current": 934, "pace_per_month": 7.58, "reached_on": "2027-07-31"},
                           "id", where)
    assert _text(soon) == ("Proyeksi: target tercapai sekitar akhir Juli 2027 dengan laju 12 bulan terakhir "
                           "(7,6 koperasi per bulan).")
    assert [f["value"] for f in figure_spans(soon)] == ["2027-07-31", "7.58"]
    stalled = projection_text({"target": 1000, "current": 934, "pace_per_month": -1.5, "reached_on": None}, "en",
                              where)
    assert _text(stalled) == ("Projection: at the pace of the last 12 months (−1.5 cooperatives a month) the target "
                              "will not be reached.")
    assert "belum ada cukup riwayat" in _text(projection_text({"pace_per_month": None, "reached_on": None}, "id"))
    assert "Desember 2023" in _text(projection_text({"reached_on": "2023-12-31", "already_reached": True}, "id"))

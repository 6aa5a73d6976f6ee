"""Pelaporan / Reporting & data quality rendered in-process: the heatmap cells are the stored rates and counts of 22
kabupaten (per type too), the summary is the stored province row, a chosen kabupaten gets its own line; the import
grid's CSV carries the DATA SIMULASI label on demo data only."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from ingest.pipeline import ingest_file
from tests.ingest.conftest import REGISTRY_CSV, write
from tests.support.components import find
from tests.support.pages import make_app, render
from tests.support.reporting import assert_heatmap_is, stored_rates
from tests.support.sql import area_row, latest_period
from warehouse import db
from warehouse.db import engine_for


def _layout(app, **query):
    return render(app, "data_quality", "/pelaporan", **query)


@pytest.mark.parametrize(("kind", "measure"), [("", "reporting_rate"), ("simpan_pinjam", "on_time_rate"),
                                               ("konsumen", "reporting_rate")])
def test_heatmap_cells_are_the_stored_rates_and_counts_also_per_type(page_app, province_url, kind, measure):
    query = {"ukuran": measure, **({"jenis": kind} if kind else {})}
    heat = find(_layout(page_app, **query), "rep-heatmap").figure["data"][0]
    assert heat["meta"]["measure"] == measure
    stored = stored_rates(province_url, measure, kind)
    assert_heatmap_is(heat["meta"]["codes"], heat["z"], stored)
    assert stored.loc[["5371", "5310", "5303"]].notna().any().any()
    counts = {c: stored_rates(province_url, c, kind) for c in ("expected", "received", "received_on_time")}
    for code, row in zip(heat["meta"]["codes"], heat["customdata"]):
        for j, cell in enumerate(row):
            for i, name in enumerate(counts):
                assert cell[i] == pytest.approx(counts[name].loc[code].iloc[j])
    # worst first: sorted by the stored rate of the latest month (no reports expected first)
    latest = [r[-1] for r in heat["z"]]
    known = [v for v in latest if v is not None]
    assert known == sorted(known) and latest[:len(latest) - len(known)] == [None] * (len(latest) - len(known))
    assert f"[{measure}]" in heat["hovertemplate"]


def test_a_type_filter_shows_that_types_stored_rates_not_all_types(page_app, province_url):
    all_types = find(_layout(page_app), "rep-heatmap").figure["data"][0]["z"]
    savings = find(_layout(page_app, jenis="simpan_pinjam"), "rep-heatmap").figure["data"][0]["z"]
    assert all_types != savings
    assert not stored_rates(province_url, "reporting_rate", "simpan_pinjam").equals(
        stored_rates(province_url, "reporting_rate"))


@pytest.mark.parametrize("kind", ["", "produsen"])
def test_the_summary_is_the_stored_province_row_as_figures(page_app, province_url, kind):
    from layouts.i18n import fmt_figure

    row = area_row(province_url, latest_period(province_url), kind=kind)
    page = _layout(page_app, **({"jenis": kind} if kind else {}))
    month = pd.Timestamp(row["period_end"]).strftime("%Y-%m")
    rate = find(page, "rep-summary-rate").to_plotly_json()["props"]
    assert rate["data-scope"] == f"regency_indicators|53|{month}|{kind}|daerah"
    assert float(rate["data-value"]) == pytest.approx(row["reporting_rate"])
    assert rate["children"] == fmt_figure(row["reporting_rate"], "percent", "id")
    on_time = find(page, "rep-summary-on-time").to_plotly_json()["props"]
    assert float(on_time["data-value"]) == pytest.approx(row["on_time_rate"])
    assert row["expected"] > 0


def test_a_chosen_kabupaten_gets_its_own_summary_line(page_app, province_url):
    page = _layout(page_app, kab="5310")
    assert find(page, "rep-summary-rate") is not None
    rate = find(page, "rep-summary-rate-5310").to_plotly_json()["props"]
    assert rate["data-scope"].startswith("regency_indicators|5310|")
    with engine_for(province_url).connect() as conn:
        stored = conn.execute(text(
            "SELECT reporting_rate FROM regency_indicators WHERE regency_code = '5310' AND type = '' AND scope = 'daerah' "
            "AND period_end = "
            "(SELECT MAX(period_end) FROM regency_indicators)")).scalar()
    assert float(rate["data-value"]) == pytest.approx(stored)


def test_grid_exports_of_demo_data_carry_the_label(engine, db_url, settings_for, tmp_path):
    ingest_file(engine, write(tmp_path / "koperasi.csv", REGISTRY_CSV))
    app = make_app(db_url, settings_for)
    plain = find(_layout(app, tab="impor"), "dq-runs-grid")
    assert "prependContent" not in plain.csvExportParams  # real data carries no label (AG Grid adds the BOM)
    with engine.begin() as conn:
        db.set_meta(conn, "simulated", "true")
        db.bump_data_version(conn)
    grid = find(_layout(app, tab="impor"), "dq-runs-grid")
    assert grid.csvExportParams["prependContent"].startswith("DATA SIMULASI — Data ini disimulasikan")
    assert grid.rowData[0]["target"] == "koperasi.csv" and grid.rowData[0]["rows_loaded"] == 3

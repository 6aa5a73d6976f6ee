"""A big first load into PostgreSQL is validated slice by slice and sent while it is checked (ingest.loader.
load_streamed): the slices give exactly the reasons, good rows and warnings of validating the whole file (duplicates
across slices too), the stored rows are those the whole-file load stores, a failure half-way leaves nothing and the
table's keys and column defaults as they were, and a file whose periods are held already is compared, not streamed.
The thresholds are made small here so that a few hundred rows exercise every slice boundary."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select, text

import ingest.loader
import ingest.pipeline
import ingest.validate
from ingest.pipeline import ingest_file
from ingest.readers import read_file
from ingest.validate import ValidationInSlices, validate
from tests.ingest.conftest import REPORT_HEADER, write
from warehouse import bulk, db
from warehouse.models import FinancialReport, Rejection

NIKS = ["5371000000001", "5371000000002", "5307000000003"]


def report_rows() -> list[str]:
    """A history of three cooperatives × 36 months with every kind of fault spread over the file: bad cells, an
    unknown NIK, balance-sheet warnings, an identical and a conflicting duplicate far from their first copies."""
    rows = []
    for nik in NIKS:
        for month in pd.date_range("2021-01-31", periods=36, freq="ME"):
            base = 1_000_000_000 + month.month * 1_000_000
            rows.append(f"{nik},{month:%Y-%m-%d},month,{1200 + month.month},{base},{base * 0.4:.0f},60000000,"
                        f"{base * 0.5:.0f},300000000,{base * 0.5:.0f},600000000,50000000,10000000,5000000,2000000")
    def with_cell(row: str, column: int, value: str) -> str:
        cells = row.split(",")
        cells[column] = value
        return ",".join(cells)

    rows[5] = with_cell(rows[5], 4, "satu miliar")  # total_assets
    rows[17] = with_cell(rows[17], 1, "2022-06-31")  # period_end
    rows[40] = with_cell(rows[40], 0, "5371999999999")  # not in the registry
    rows[63] = with_cell(rows[63], 6, "-5")  # cash_and_bank
    rows[70] = with_cell(rows[70], 9, "1")  # equity far from assets − liabilities: loaded with a warning
    rows.append(rows[2])  # an identical copy of row 4 at the end of the file (row 110)
    rows.append(with_cell(rows[30], 3, "9999"))  # a conflicting copy of row 32 (row 111)
    return rows


@pytest.fixture
def small_thresholds(monkeypatch):
    """Streaming from 50 rows, slices of 16 rows after a first one of 5; keys dropped from 1 row on."""
    monkeypatch.setattr(ingest.pipeline, "BIG_LOAD", 50)
    monkeypatch.setattr(ingest.pipeline, "STREAM_ROWS", 16)
    monkeypatch.setattr(ingest.validate, "FIRST_SLICE", 5)
    monkeypatch.setattr(bulk, "BIG_LOAD", 1)
    streamed = []
    real = ingest.pipeline.load_streamed

    def spy(*args, **kwargs):
        streamed.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest.pipeline, "load_streamed", spy)
    return streamed


def test_slices_give_the_reasons_the_whole_file_gets(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.validate, "FIRST_SLICE", 5)
    path = write(tmp_path / "laporan_keuangan_x.csv", "\n".join([REPORT_HEADER, *report_rows()]) + "\n")
    table = read_file(path)[0]
    whole = validate(table, known_niks=set(NIKS))
    sliced = ValidationInSlices(table, 16, known_niks=set(NIKS))
    pieces = list(sliced)
    assert [len(p.good) + len(p.rejected) for p in pieces][:3] == [5, 16, 16]  # (a small first slice)
    assert sliced.rows_read == whole.rows_read == len(table.frame)
    assert sliced.rejected == whole.rejected
    assert {r["row"] for r in whole.rejected} == {7, 19, 42, 65, 32, 110, 111}  # (the faults above, file rows)
    conflict = next(r for r in whole.rejected if r["row"] == 111)["reasons"]
    assert [x["code"] for x in conflict] == ["conflict"] and conflict[0]["params"]["rows"] == "32, 111"
    pd.testing.assert_frame_equal(pd.concat([p.good for p in pieces], ignore_index=True), whole.good)
    assert sliced.warnings == whole.warnings and "rows 72" in sliced.warnings[0]


def stored(engine) -> tuple[list, list]:
    """The stored reports and rejections, without what differs between two runs (ids, run ids, times)."""
    columns = [c for c in FinancialReport.__table__.columns if c.name not in ("id", "ingest_run_id", "received_at")]
    with engine.connect() as conn:
        reports = conn.execute(select(*columns).order_by(FinancialReport.nik, FinancialReport.period_end)).all()
        rejections = conn.execute(select(Rejection.row_number, Rejection.nik, Rejection.reasons, Rejection.raw)
                                  .order_by(Rejection.row_number)).all()
    return reports, rejections


def table_definition(engine):
    """financial_reports' constraints, indexes and column defaults as PostgreSQL holds them."""
    with engine.connect() as conn:
        return [conn.execute(text(sql)).all() for sql in (
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = "
            "'financial_reports'::regclass ORDER BY conname",
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'financial_reports' ORDER BY indexname",
            "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a JOIN pg_attrdef d ON "
            "d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = 'financial_reports'::regclass "
            "ORDER BY a.attname")]


def test_a_big_first_load_is_streamed_and_stores_what_the_whole_load_stores(engine, loaded_registry, tmp_path,
                                                                          small_thresholds, monkeypatch):
    path = write(tmp_path / "laporan_keuangan_x.csv", "\n".join([REPORT_HEADER, *report_rows()]) + "\n")
    before = table_definition(engine) if engine.dialect.name == "postgresql" else None
    result = ingest_file(engine, path, refresh=False)
    assert result.ok and (result.counts.read, result.counts.loaded, result.counts.rejected) == (110, 103, 7)
    assert small_thresholds == ([True] if engine.dialect.name == "postgresql" else [])  # (PostgreSQL only)
    assert any("rows 72" in w for w in result.warnings)
    if before is not None:
        assert table_definition(engine) == before  # keys, indexes and the columns' own defaults are back
    streamed = stored(engine)
    assert len(streamed[0]) == 103 and len(streamed[1]) == 7
    with engine.connect() as conn:  # the run's stamps, sent as the columns' defaults, are the run's
        stamps = conn.execute(select(FinancialReport.ingest_run_id, FinancialReport.source, FinancialReport.revision,
                                     FinancialReport.is_current, FinancialReport.received_at,
                                     FinancialReport.submitted_on).distinct()).all()
    assert len(stamps) == 1 and stamps[0][:4] == (result.run_id, "cli", 1, True)
    assert stamps[0][4] is not None and stamps[0][5] is not None
    # The same file loaded whole into an empty warehouse stores the same rows and reasons.
    with engine.begin() as conn:
        conn.execute(Rejection.__table__.delete())
        conn.execute(FinancialReport.__table__.delete())
    monkeypatch.setattr(ingest.pipeline, "BIG_LOAD", 10**9)
    whole = ingest_file(engine, path, refresh=False)
    assert whole.ok and whole.counts == result.counts and whole.warnings == result.warnings
    assert stored(engine) == streamed


def test_a_resent_file_is_compared_not_streamed(engine, loaded_registry, tmp_path, small_thresholds):
    path = write(tmp_path / "laporan_keuangan_x.csv", "\n".join([REPORT_HEADER, *report_rows()]) + "\n")
    assert ingest_file(engine, path, refresh=False).ok
    again = ingest_file(engine, path, refresh=False)
    assert again.ok and (again.counts.loaded, again.counts.unchanged, again.counts.rejected) == (0, 103, 7)
    assert len(small_thresholds) == (1 if engine.dialect.name == "postgresql" else 0)  # (the first load only)


def test_a_failure_half_way_through_the_stream_leaves_nothing(engine, loaded_registry, tmp_path, small_thresholds,
                                                              monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL streams a load")
    path = write(tmp_path / "laporan_keuangan_x.csv", "\n".join([REPORT_HEADER, *report_rows()]) + "\n")
    before = table_definition(engine)
    with engine.connect() as conn:
        version = db.data_version(conn)
    calls = []
    real = ingest.loader._incoming

    def breaks_on_the_third_slice(dataset, good):
        calls.append(len(good))
        if len(calls) == 3:  # (two slices sent to the server already)
            raise RuntimeError("the disk went away")
        return real(dataset, good)

    monkeypatch.setattr(ingest.loader, "_incoming", breaks_on_the_third_slice)
    result = ingest_file(engine, path, refresh=False)
    assert result.status == "failed" and small_thresholds == [True] and len(calls) == 3
    assert stored(engine) == ([], [])
    assert table_definition(engine) == before
    with engine.connect() as conn:
        assert db.data_version(conn) == version
    monkeypatch.setattr(ingest.loader, "_incoming", real)  # the file loads once the fault is gone
    assert ingest_file(engine, path, refresh=False).counts.loaded == 103


def test_a_frame_arrow_cannot_write_is_loaded_whole(engine, loaded_registry, tmp_path, small_thresholds,
                                                    monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL streams a load")
    path = write(tmp_path / "laporan_keuangan_x.csv", "\n".join([REPORT_HEADER, *report_rows()]) + "\n")
    real = bulk._arrow_csv
    sent = []

    def refuses_the_second(table, frame, columns):
        sent.append(len(frame))
        if len(sent) == 2:
            raise TypeError("an object Arrow cannot type")
        return real(table, frame, columns)

    monkeypatch.setattr(bulk, "_arrow_csv", refuses_the_second)
    result = ingest_file(engine, path, refresh=False)
    assert result.ok and result.counts.loaded == 103 and small_thresholds == [True]
    assert len(stored(engine)[0]) == 103  # (the first slice, sent before, was rolled back with the savepoint)

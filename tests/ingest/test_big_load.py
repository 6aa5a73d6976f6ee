"""A big load checks its foreign keys once after the COPY (warehouse.bulk.keys_built_once): the keys are
the same afterwards, a failed run leaves them as they were, and a row that breaks one still fails the load."""
import sqlite3

import pandas as pd
import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from ingest.pipeline import ingest_file, start_run
from tests.ingest.conftest import GOOD_ROW_1, GOOD_ROW_2, REPORT_HEADER, write
from warehouse import bulk
from warehouse.models import FinancialReport


def foreign_keys(engine):
    """financial_reports' constraints and indexes, as PostgreSQL defines them (None on SQLite)."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        return (conn.execute(text("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                                  "WHERE conrelid = 'financial_reports'::regclass ORDER BY conname")).all(),
                conn.execute(text("SELECT indexname, indexdef FROM pg_indexes "
                                  "WHERE tablename = 'financial_reports' ORDER BY indexname")).all())


@pytest.fixture
def every_load_is_big(monkeypatch):
    """Every load counts as big (and the table as empty); yields what each load's key check did (dropped or not)."""
    from contextlib import contextmanager

    import ingest.loader

    monkeypatch.setattr(bulk, "BIG_LOAD", 1)
    monkeypatch.setattr(bulk, "rows_held", lambda conn, table: 0)
    seen = []
    real = bulk.keys_built_once

    @contextmanager
    def recorded(conn, table, rows):
        with real(conn, table, rows) as dropped:
            seen.append(dropped)
            yield dropped

    monkeypatch.setattr(ingest.loader, "keys_built_once", recorded)
    return seen


def test_a_big_load_keeps_the_foreign_keys_and_its_revisions(engine, loaded_registry, tmp_path, every_load_is_big):
    keys = foreign_keys(engine)
    # two foreign keys, the primary key and the unique revision key; their two indexes and two others
    assert keys is None or (len(keys[0]), len(keys[1])) == (4, 4)
    first = write(tmp_path / "laporan_keuangan_a.csv", "\n".join([REPORT_HEADER, GOOD_ROW_1, GOOD_ROW_2]) + "\n")
    result = ingest_file(engine, first, refresh=False)
    assert result.ok and result.counts.loaded == 2
    assert every_load_is_big == [engine.dialect.name == "postgresql"]  # (the keys were dropped and added back)
    assert foreign_keys(engine) == keys
    changed = write(tmp_path / "laporan_keuangan_b.csv",
                    "\n".join([REPORT_HEADER, GOOD_ROW_1.replace("1200", "1300"), GOOD_ROW_2]) + "\n")
    again = ingest_file(engine, changed, refresh=False)
    assert again.ok and (again.counts.revised, again.counts.unchanged) == (1, 1)
    assert foreign_keys(engine) == keys
    with engine.connect() as conn:
        rows = conn.execute(select(FinancialReport.nik, FinancialReport.revision, FinancialReport.is_current,
                                   FinancialReport.members).order_by(FinancialReport.id)).all()
    assert rows == [("5371000000001", 1, False, 1200), ("5371000000002", 1, True, 300),
                    ("5371000000001", 2, True, 1300)]


def test_a_failed_big_load_leaves_the_keys_and_nothing_loaded(engine, loaded_registry, tmp_path, every_load_is_big):
    keys = foreign_keys(engine)
    path = write(tmp_path / "laporan_keuangan_a.csv", "\n".join([REPORT_HEADER, GOOD_ROW_1, GOOD_ROW_2]) + "\n")
    result = ingest_file(engine, path, fail_after="laporan_keuangan", refresh=False)
    assert result.status == "failed"
    assert every_load_is_big == [engine.dialect.name == "postgresql"]
    assert foreign_keys(engine) == keys
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(FinancialReport)).scalar() == 0


@pytest.mark.parametrize("second", ["9999999999999", "5371000000001"])  # an unknown NIK; the same key twice
def test_a_row_breaking_a_key_fails_the_big_load(engine, loaded_registry, every_load_is_big, second):
    if engine.dialect.name != "postgresql":
        pytest.skip("the keys are checked once only on PostgreSQL")
    keys = foreign_keys(engine)
    table = FinancialReport.__table__
    frame = pd.DataFrame({"nik": ["5371000000001", second], "period_end": pd.to_datetime(["2024-06-30"] * 2),
                          "period_type": "month", "revision": 1, "is_current": True, "source": "test",
                          "received_at": pd.Timestamp("2024-07-01", tz="UTC"), "row_hash": 1})
    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            run = conn.execute(text("INSERT INTO ingest_runs (source, target, started_at, status, rows_read, "
                                    "rows_loaded, rows_revised, rows_unchanged, rows_rejected) VALUES ('test', 't', "
                                    "now(), 'running', 0, 0, 0, 0, 0) RETURNING id")).scalar()
            with bulk.keys_built_once(conn, table, len(frame)) as dropped:
                assert dropped
                bulk.bulk_insert(conn, table, frame.assign(ingest_run_id=run))
    assert foreign_keys(engine) == keys
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(FinancialReport)).scalar() == 0


def test_a_row_the_server_refuses_mid_copy_fails_the_load_and_the_connection_lives_on(engine, loaded_registry,
                                                                                        monkeypatch):
    """The COPY is sent in batches from psycopg's writer thread while the next batch is formatted: a row the server
    refuses in a later batch raises in the caller, nothing is loaded, and the pooled connection serves the next
    statement."""
    monkeypatch.setattr(bulk, "COPY_ROWS", 2)  # five batches of two rows
    table = FinancialReport.__table__
    niks = ["5371000000001"] * 10
    niks[7] = None  # a NULL where the table refuses one, in the fourth batch
    frame = pd.DataFrame({"nik": niks, "period_end": pd.date_range("2020-01-31", periods=10, freq="ME"),
                          "period_type": "month", "revision": 1, "is_current": True, "source": "test",
                          "received_at": pd.Timestamp("2024-07-01", tz="UTC"), "row_hash": 1})
    # (the driver's own error: bulk_insert writes through the raw connection)
    run = start_run(engine, "test", "mid-copy")
    with pytest.raises((IntegrityError, sqlite3.IntegrityError, psycopg.errors.NotNullViolation)):
        with engine.begin() as conn:
            bulk.bulk_insert(conn, table, frame.assign(ingest_run_id=run))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(FinancialReport)).scalar() == 0
    with engine.begin() as conn:  # the same rows without the bad one load
        assert bulk.bulk_insert(conn, table, frame.drop(index=7).assign(ingest_run_id=run)) == 9
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(FinancialReport)).scalar() == 9

"""bulk.bulk_update (SQLite and PostgreSQL): the matched rows get the frame's values and the constants, the others
stay. bulk.copy_out (PostgreSQL): a query's rows read through COPY and Arrow's CSV reader are the rows a cursor reads —
NULL apart from '', text with commas, quotes and line breaks, NUMERIC as float64, dates, no rows at all; and the
refresh's report reader gives the same frame either way."""
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from ingest.pipeline import start_run
from warehouse import refresh
from warehouse.bulk import bulk_insert, bulk_update, copy_out
from warehouse.models import Cooperative


@pytest.fixture
def pg(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("COPY … TO STDOUT is PostgreSQL's")
    return engine


def test_copy_out_reads_what_a_cursor_reads(pg):
    query = text("SELECT * FROM (VALUES "
                 "(CAST(:a AS text), CAST(1.25 AS numeric(20, 2)), DATE '2024-06-30'), "
                 "('', NULL, NULL), "
                 "(NULL, CAST(-3 AS numeric(20, 2)), DATE '2020-01-31'), "
                 "(CAST(:b AS text), CAST(12345678901.99 AS numeric(20, 2)), DATE '2026-12-01')"
                 ") AS t (label, amount, day)").bindparams(a='Koperasi "Maju", Kupang', b="baris\nkedua; 'kutip'")
    with pg.connect() as conn:
        frame = copy_out(conn, query, ["label", "amount", "day"], {"amount"}, {"day"})
        rows = conn.execute(query).all()
    labels = frame["label"].tolist()
    assert labels[:2] + labels[3:] == ['Koperasi "Maju", Kupang', "", "baris\nkedua; 'kutip'"] and pd.isna(labels[2])
    assert [r[0] for r in rows] == labels[:2] + [None] + labels[3:]  # (NULL stays apart from '')
    assert frame["amount"].dtype == np.float64
    np.testing.assert_array_equal(frame["amount"].to_numpy(), [1.25, np.nan, -3.0, 12345678901.99])
    assert frame["day"].tolist()[0] == pd.Timestamp("2024-06-30") and pd.isna(frame["day"][1])
    with pg.connect() as conn:
        empty = copy_out(conn, text("SELECT 1.0 AS amount, DATE '2024-01-01' AS day, 'x' AS label WHERE false"),
                         ["amount", "day", "label"], {"amount"}, {"day"})
    assert len(empty) == 0 and list(empty.columns) == ["amount", "day", "label"]
    assert empty["amount"].dtype == np.float64


def test_the_report_reader_gives_the_same_frame_through_copy_and_a_cursor(province_postgresql, monkeypatch):
    from warehouse.db import engine_for

    engine = engine_for(province_postgresql)
    with engine.connect() as conn:
        through_copy = refresh.read_reports(conn)
        kabupaten = refresh.read_reports(conn, regencies=["5371"])
        monkeypatch.setattr(refresh, "copy_out", lambda conn, stmt, columns, numbers, dates:
                            refresh._read_cursor(conn, stmt, columns, numbers))
        through_cursor = refresh.read_reports(conn)
        kabupaten_cursor = refresh.read_reports(conn, regencies=["5371"])
    assert len(through_copy) > 1000 and 0 < len(kabupaten) < len(through_copy)
    pd.testing.assert_frame_equal(through_copy, through_cursor, check_dtype=False)
    pd.testing.assert_frame_equal(kabupaten, kabupaten_cursor, check_dtype=False)


def test_bulk_update_sets_the_matched_rows_only(engine):
    table = Cooperative.__table__
    niks = [f"5371{i:09d}" for i in range(5)]
    run = start_run(engine, "test", "bulk_update")
    with engine.begin() as conn:
        bulk_insert(conn, table, pd.DataFrame({
            "nik": niks, "name": [f"Koperasi {i}" for i in range(5)], "regency_code": "5371", "type": "konsumen",
            "group": "KSU", "status": "active", "contact_name": "lama", "contact_phone": "0000-1", "source": "test",
            "ingest_run_id": run, "row_hash": 0}))
        written = bulk_update(conn, table, pd.DataFrame({"nik": niks[1:3], "contact_name": ["Ibu Maria", None],
                                                         "contact_phone": ["0000-2", "0000-3"]}),
                              ["nik"], ["contact_name", "contact_phone"], {"status": "inactive"})
        twice = bulk_update(conn, table, pd.DataFrame({"nik": [niks[4]], "contact_name": ["Bapak Yohanes"],
                                                       "contact_phone": [None]}), ["nik"], ["contact_name",
                                                                                            "contact_phone"])
        empty = bulk_update(conn, table, pd.DataFrame(columns=["nik", "contact_name"]), ["nik"], ["contact_name"])
    assert (written, twice, empty) == (2, 1, 0)
    with engine.connect() as conn:
        rows = {r.nik: (r.contact_name, r.contact_phone, r.status) for r in conn.execute(
            table.select().where(table.c.nik.in_(niks)))}
    assert rows == {niks[0]: ("lama", "0000-1", "active"), niks[1]: ("Ibu Maria", "0000-2", "inactive"),
                    niks[2]: (None, "0000-3", "inactive"), niks[3]: ("lama", "0000-1", "active"),
                    niks[4]: ("Bapak Yohanes", None, "active")}

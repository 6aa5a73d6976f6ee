"""bulk.bulk_update (SQLite and PostgreSQL): the matched rows get the frame's values and the constants, the others
stay. bulk.copy_out (PostgreSQL): a query's rows read through COPY and Arrow's CSV reader are the rows a cursor reads —
NULL apart from '', text with commas, quotes and line breaks, NUMERIC as float64, dates, no rows at all; and the
refresh's report reader gives the same frame either way."""
from decimal import Decimal

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


def test_whole_numbers_are_written_as_arrow_writes_the_floats():
    """bulk._arrow_csv writes a float column of whole numbers as int64 (faster): the numbers are those Arrow writes
    for the floats themselves; a column with a fraction or a value beyond 2**53 stays float, written as before."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from sqlalchemy import Column, MetaData, Numeric, Table

    from warehouse.bulk import _arrow_csv

    frame = pd.DataFrame({
        "whole": [1500.0, np.nan, -3.0, 0.0, 12345678901234.0],
        "cents": [1500.5, 2.25, np.nan, -0.01, 7.0],
        "huge": [1e20, 1.0, 2.0, 3.0, 4.0],
    })
    table = Table("t", MetaData(), *(Column(c, Numeric(20, 2)) for c in frame.columns))
    written = b"".join(bytes(b) for b in _arrow_csv(table, frame, list(frame.columns)))
    sink = pa.BufferOutputStream()
    pacsv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), sink, pacsv.WriteOptions(include_header=False))
    floats = sink.getvalue().to_pybytes()

    def cells(text: bytes) -> list[list]:
        return [[None if c == "" else Decimal(c) for c in line.split(",")] for line in text.decode().splitlines()]

    assert cells(written) == cells(floats)  # the same numbers for the server to parse
    assert written.split(b"\n")[4] == b"12345678901234,7,4"  # (in digits: Arrow wrote the float as 1.2345678901234e+13)
    assert [line.split(b",")[1:] for line in written.split(b"\n")] == [
        line.split(b",")[1:] for line in floats.split(b"\n")]  # (the other columns: as before, to the byte)


def column_default(conn, table: str, column: str):
    return conn.execute(text(
        "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid "
        "AND d.adnum = a.attnum WHERE a.attrelid = CAST(:t AS regclass) AND a.attname = :c"),
        {"t": table, "c": column}).scalar()


def test_column_defaults_fill_a_copy_and_give_the_columns_their_own_back(pg):
    """bulk.column_defaults: rows COPYed without the columns get the values; afterwards each column has its own
    default again (one had none, one has a server default); an empty column is not sent and stays NULL."""
    from warehouse.bulk import column_defaults, copy_stream

    with pg.begin() as conn:
        conn.execute(text("CREATE TABLE bulk_defaults (id serial PRIMARY KEY, label text, "
                          "stamp timestamptz, kind text DEFAULT 'x', note text DEFAULT 'y')"))
    try:
        from sqlalchemy import MetaData, Table

        table = Table("bulk_defaults", MetaData(), autoload_with=pg)
        moment = pd.Timestamp("2026-12-07 08:30:00.123456", tz="UTC").to_pydatetime()
        with pg.begin() as conn:
            before = {c: column_default(conn, "bulk_defaults", c) for c in ("stamp", "kind")}
            with column_defaults(conn, table, {"stamp": moment, "kind": "it's"}):
                with copy_stream(conn, table, ["label"]) as write:
                    write(pd.DataFrame({"label": ["a", "b"]}))
            after = {c: column_default(conn, "bulk_defaults", c) for c in ("stamp", "kind")}
            bulk_insert(conn, table, pd.DataFrame({"label": ["c"], "note": [None], "kind": ["z"]}))
            rows = conn.execute(text("SELECT label, stamp, kind, note FROM bulk_defaults ORDER BY id")).all()
        assert before == after == {"stamp": None, "kind": "'x'::text"}
        assert rows[:2] == [("a", moment, "it's", "y"), ("b", moment, "it's", "y")]
        assert rows[2] == ("c", None, "z", None)  # (the empty note was sent as NULL: its default does not apply)
    finally:
        with pg.begin() as conn:
            conn.execute(text("DROP TABLE bulk_defaults"))

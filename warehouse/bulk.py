"""Bulk writes to the warehouse: COPY on PostgreSQL, one executemany of plain tuples on SQLite; nothing row by row
through the ORM. The loader (ingest) and the score refresh both write through here."""
from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import Numeric, Table, text
from sqlalchemy.engine import Connection

CHUNK = 900  # bound parameters per IN (...) list, well under every backend's limit


def bulk_insert(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Insert a frame fast: COPY on PostgreSQL, one executemany of plain tuples on SQLite."""
    if frame.empty:
        return 0
    columns = [c.name for c in table.columns if c.name in frame.columns]
    if conn.dialect.name == "postgresql":
        _copy_postgresql(conn, table, frame[columns], columns)
        return len(frame)
    rows = _sqlite_rows(table, frame, columns)  # an iterator: each tuple is built as SQLite asks for it
    raw = conn.connection.driver_connection
    placeholders = ", ".join("?" for _ in columns)
    cursor = raw.cursor()
    cursor.executemany(f"INSERT INTO {table.name} ({', '.join(quote_name(c) for c in columns)}) VALUES ({placeholders})",
                       rows)
    cursor.close()
    return len(frame)


COPY_ROWS = 65_536  # rows formatted and sent at a time: the server parses one batch while the next is written


def _copy_postgresql(conn: Connection, table: Table, frame: pd.DataFrame, columns: list[str]) -> None:
    """COPY … FROM STDIN (CSV) with the text written by Arrow's CSV writer (C++, column by column), an order of
    magnitude faster than DataFrame.to_csv, which formats every cell through Python. A NULL is an unquoted empty
    field and text is always quoted, so '' and NULL stay apart. A column Arrow cannot type (mixed Python objects)
    falls back to pandas' writer. A column that is empty in every row and has no server default is not sent: the
    table fills it with NULL itself."""
    columns = [c for c in columns if table.c[c].server_default is not None or frame[c].notna().any()] or columns
    try:
        batches = _arrow_csv(table, frame, columns)
    except (pa.ArrowException, TypeError, ValueError):
        with _copy(conn, table, columns, "FORMAT csv, NULL '\\N'") as copy:
            copy.write(_pandas_csv(table, frame[columns]))
        return
    with _copy(conn, table, columns, "FORMAT csv") as copy:
        for batch in batches:
            copy.write(batch)


@contextmanager
def _copy(conn: Connection, table: Table, columns: list[str], fmt: str):
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        # psycopg's queued writer sends the batches from a thread of its own: while the server parses one batch, this
        # thread formats the next (Arrow's writer releases the GIL), instead of each waiting on the other.
        statement = f"COPY {table.name} ({', '.join(quote_name(c) for c in columns)}) FROM STDIN WITH ({fmt})"
        with cur.copy(statement, writer=QueuedLibpqWriter(cur)) as copy:
            yield copy


@contextmanager
def copy_stream(conn: Connection, table: Table, columns: list[str]) -> Iterator:
    """One COPY into `table` (PostgreSQL) left open for frames that come one after another: yields write(frame),
    which formats the frame's `columns` with Arrow and queues them; the server parses what was sent while the
    caller prepares the next frame. Raises UnformattableFrame for a frame Arrow cannot type (nothing of it sent);
    any exception inside the block aborts the COPY."""
    with _copy(conn, table, columns, "FORMAT csv") as copy:
        def write(frame: pd.DataFrame) -> None:
            try:
                batches = _arrow_csv(table, frame, columns)
            except (pa.ArrowException, TypeError, ValueError) as exc:
                raise UnformattableFrame(f"{table.name}: a frame Arrow cannot write as CSV ({exc})") from exc
            for batch in batches:
                copy.write(batch)
        yield write


@contextmanager
def column_defaults(conn: Connection, table: Table, values: dict) -> Iterator[None]:
    """PostgreSQL: while the block lasts, these columns default to these values (ALTER TABLE … SET DEFAULT, in the
    caller's transaction), so a COPY that leaves them out stores them in every row without sending or parsing them
    once per row (the run's id, its time stamp, revision 1: a sixth of a monthly history's bytes, and a time stamp
    is the dearest value to parse). Their own defaults are back when the block ends; a failure rolls both back
    with the transaction. Takes the table's exclusive lock: only for a load that holds it already (keys_built_once)."""
    from psycopg import sql

    raw = conn.connection.driver_connection
    own = dict(conn.execute(text(
        "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d "
        "ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = CAST(:t AS regclass) "
        "AND a.attname = ANY(:names)"), {"t": table.name, "names": list(values)}).all())
    conn.execute(text(f"ALTER TABLE {table.name} " + ", ".join(
        f"ALTER COLUMN {quote_name(c)} SET DEFAULT {sql.Literal(v).as_string(raw)}" for c, v in values.items())))
    yield
    conn.execute(text(f"ALTER TABLE {table.name} " + ", ".join(
        f"ALTER COLUMN {quote_name(c)} " + ("DROP DEFAULT" if own.get(c) is None else f"SET DEFAULT {own[c]}")
        for c in values)))


class UnformattableFrame(Exception):
    """copy_stream was given a frame Arrow cannot type (mixed Python objects in a column); the COPY is aborted."""


def _arrow_csv(table: Table, frame: pd.DataFrame, columns: list[str]) -> Iterator[memoryview]:
    """The frame as CSV text in batches of COPY_ROWS rows (every column converted first, so a column Arrow refuses
    raises before anything is sent)."""
    arrays = []
    for name in columns:
        values, type_name = frame[name], str(table.c[name].type)
        if pd.api.types.is_datetime64_any_dtype(values):
            if type_name == "DATE":  # (the calendar date as written, in the values' own time zone)
                local = values.dt.tz_localize(None) if values.dt.tz is not None else values
                array = pa.array(local.to_numpy(dtype="datetime64[D]"), type=pa.date32(),
                                 mask=local.isna().to_numpy())
            else:
                array = pa.array(values.dt.as_unit("us"), from_pandas=True)
        elif type_name in ("INTEGER", "BIGINT") and pd.api.types.is_float_dtype(values):
            array = pa.array(values, from_pandas=True).cast(pa.int64())  # (refuses a fraction, as Int64 did)
        elif isinstance(table.c[name].type, Numeric) and (whole := _whole_numbers(values)) is not None:
            array = whole
        else:
            array = pa.array(values, from_pandas=True)
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        arrays.append(array)
    data = pa.Table.from_arrays(arrays, names=columns)
    options = pacsv.WriteOptions(include_header=False)

    def batches() -> Iterator[memoryview]:
        for start in range(0, data.num_rows, COPY_ROWS):
            sink = pa.BufferOutputStream()
            pacsv.write_csv(data.slice(start, COPY_ROWS), sink, options)
            yield memoryview(sink.getvalue())

    return batches()


def _whole_numbers(values: pd.Series) -> pa.Array | None:
    """A float column whose values are all whole numbers (rupiah amounts, counts) within 2**53 as int64, else None.
    The same numbers reach the server (Arrow writes a whole float as "1500", a large one as "1.2345678901234e+13",
    the integer as "12345678901234"); writing integers is ~2.5 times faster (0.39 → 0.15 s for 38 columns of 65 k
    amounts)."""
    if not pd.api.types.is_float_dtype(values) or isinstance(values.dtype, pd.ArrowDtype):
        return None
    x = values.to_numpy(dtype="float64", na_value=np.nan)
    empty = np.isnan(x)
    filled = np.where(empty, 0.0, x)
    if not (np.abs(filled) < 2.0 ** 53).all() or not (filled == np.trunc(filled)).all():
        return None
    return pa.array(filled.astype(np.int64), mask=empty if empty.any() else None)


def _pandas_csv(table: Table, frame: pd.DataFrame) -> str:
    """The frame as CSV text through DataFrame.to_csv (NULL written as \\N)."""
    out = frame.copy()
    for col in table.columns:
        if col.name not in out:
            continue
        values = out[col.name]
        if pd.api.types.is_datetime64_any_dtype(values) and str(col.type) == "DATE":
            out[col.name] = values.dt.strftime("%Y-%m-%d")
        elif str(col.type) in ("INTEGER", "BIGINT") and pd.api.types.is_float_dtype(values):
            out[col.name] = values.astype("Int64")
    buf = io.StringIO()
    out.to_csv(buf, header=False, index=False, na_rep="\\N")
    return buf.getvalue()


def copy_out(conn: Connection, statement, columns: list[str], numbers: set[str],
             dates: set[str] = frozenset()) -> pd.DataFrame:
    """A query's rows read through COPY … TO STDOUT (CSV) and parsed by Arrow's CSV reader (PostgreSQL): the
    `numbers` as float64, the `dates` as datetime64, the rest as text (objects) — no Python object per value on the
    way, as a cursor's rows would make (a NUMERIC becomes a Decimal, then a float). In the caller's transaction.
    `statement`: a SQLAlchemy statement with its values bound (they are written into the SQL as literals)."""
    sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    buffer = io.BytesIO()
    with conn.connection.driver_connection.cursor() as cur:
        with cur.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
            for block in copy:
                buffer.write(block)
    if not buffer.getbuffer().nbytes:  # (no rows: Arrow refuses an empty CSV)
        return pd.DataFrame({name: np.array([], dtype="float64" if name in numbers else "datetime64[s]"
                                            if name in dates else object) for name in columns}, columns=columns)
    types = {name: pa.float64() if name in numbers else pa.date32() if name in dates else pa.string()
             for name in columns}
    table = pacsv.read_csv(
        pa.py_buffer(buffer.getbuffer()), read_options=pacsv.ReadOptions(column_names=columns),
        # (PostgreSQL writes NULL as an unquoted empty field and '' as "")
        convert_options=pacsv.ConvertOptions(column_types=types, null_values=[""], strings_can_be_null=True,
                                             quoted_strings_can_be_null=False))
    frame = {}
    for name in columns:
        values = table.column(name)
        if name in numbers:
            frame[name] = values.to_numpy().astype("float64", copy=False)  # (NULL → NaN)
        elif name in dates:
            frame[name] = pd.to_datetime(values.cast(pa.timestamp("s")).to_numpy(zero_copy_only=False))
        else:
            frame[name] = np.array(values.to_pylist(), dtype=object)
    return pd.DataFrame(frame, columns=columns)


def bulk_update(conn: Connection, table: Table, frame: pd.DataFrame, keys: list[str], columns: list[str],
                constants: dict | None = None) -> int:
    """Set `columns` (and the `constants`) of the rows of `table` matched on `keys` to the frame's values, as one
    statement: on PostgreSQL the frame is COPYed into a temporary table and joined in one UPDATE … FROM (an
    executemany of 114 k single-row UPDATEs took 7.6 s at national scale); on SQLite one executemany. Returns the
    frame's rows."""
    from sqlalchemy import Column, MetaData, bindparam, update

    if frame.empty:
        return 0
    constants = constants or {}
    if conn.dialect.name != "postgresql":
        values = frame[[*keys, *columns]].astype(object)
        values = values.where(values.notna(), None)
        stmt = (update(table).where(*(table.c[k] == bindparam(f"b_{k}") for k in keys))
                .values({c: bindparam(f"b_{c}") for c in columns} | constants))
        conn.execute(stmt, [{f"b_{k}": v for k, v in r.items()} for r in values.to_dict("records")])
        return len(frame)
    name = f"bulk_update_{table.name}"
    temp = Table(name, MetaData(), *(Column(c, table.c[c].type) for c in [*keys, *columns]), prefixes=["TEMPORARY"])
    conn.execute(text(f"DROP TABLE IF EXISTS {quote_name(name)}"))
    temp.create(conn)
    bulk_insert(conn, temp, frame)
    assignments = [f"{quote_name(c)} = t.{quote_name(c)}" for c in columns]
    assignments += [f"{quote_name(c)} = :c_{c}" for c in constants]
    conn.execute(text(f"UPDATE {table.name} AS s SET {', '.join(assignments)} FROM {quote_name(name)} AS t WHERE "
                      + " AND ".join(f"s.{quote_name(k)} = t.{quote_name(k)}" for k in keys)),
                 {f"c_{c}": v for c, v in constants.items()})
    conn.execute(text(f"DROP TABLE {quote_name(name)}"))
    return len(frame)


BIG_LOAD = 50_000  # rows: from here a load builds the table's keys and indexes once (keys_built_once)


@contextmanager
def keys_built_once(conn: Connection, table: Table, rows: int) -> Iterator[bool]:
    """Around a big COPY on PostgreSQL: the table's foreign keys, unique constraints and secondary indexes are
    dropped, then built again as they were (the primary key stays). Adding a foreign key back checks every row in
    one set-based pass (a join) instead of one look-up per row and key in the referenced table, a third of the
    COPY's server time for 258 k reports with two keys; an index built from the sorted rows costs less than
    inserting each row into it. Inside the caller's transaction, so a failure leaves everything as it was; building
    them again fails, and the load with it, if any row breaks a key or a unique constraint.

    Only when `rows` is at least BIG_LOAD and not less than half the rows the table holds already (building reads
    them all). While the transaction lasts, the table and the ones its keys point to are locked against readers
    too. Yields whether anything was dropped."""
    if conn.dialect.name != "postgresql" or rows < BIG_LOAD or rows_held(conn, table) > 2 * rows:
        yield False
        return
    # Unique constraints first (what a foreign key of another table may need), then plain indexes, then the keys.
    constraints = conn.execute(text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) "
        "AND contype IN ('u', 'f') ORDER BY contype DESC, conname"), {"t": table.name}).all()
    indexes = conn.execute(text(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = CAST(:t AS regclass) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname"),
        {"t": table.name}).all()
    if constraints:
        conn.execute(text(f"ALTER TABLE {table.name} "
                          + ", ".join(f"DROP CONSTRAINT {quote_name(name)}" for name, _ in constraints)))
    for name, _ in indexes:
        conn.execute(text(f"DROP INDEX {quote_name(name)}"))
    yield bool(constraints or indexes)
    unique = [(n, d) for n, d in constraints if not d.startswith("FOREIGN KEY")]
    foreign = [(n, d) for n, d in constraints if d.startswith("FOREIGN KEY")]
    for group in (unique, foreign):
        if group:
            conn.execute(text(f"ALTER TABLE {table.name} "
                              + ", ".join(f"ADD CONSTRAINT {quote_name(n)} {d}" for n, d in group)))
        if group is unique:
            for _, definition in indexes:
                conn.execute(text(definition))


def rows_held(conn: Connection, table: Table) -> float:
    """The planner's estimate of a PostgreSQL table's rows (its size at 200 bytes a row before any ANALYZE)."""
    held = conn.execute(text("SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples "
                             "ELSE pg_relation_size(c.oid) / 200 END FROM pg_class c "
                             "WHERE c.oid = CAST(:t AS regclass)"), {"t": table.name}).scalar()
    return float(held or 0)


def quote_name(name: str) -> str:
    return f'"{name}"'


def _sqlite_rows(table: Table, frame: pd.DataFrame, names: list[str] | None = None) -> Iterator[tuple]:
    """Values as SQLAlchemy's SQLite dialect stores them (ISO text dates, 0/1 booleans, None for empty)."""
    n = len(frame)
    columns = []
    for name in names if names is not None else frame.columns:
        values = frame[name]
        type_name = str(table.c[name].type)
        if n > 1 and _constant(values):  # run id, source, received_at, revision 1 …: convert once
            columns.append(itertools.repeat(next(_sqlite_rows(table, frame[[name]].iloc[:1]))[0], n))
            continue
        if pd.api.types.is_datetime64_any_dtype(values):
            if values.dt.tz is not None:
                values = values.dt.tz_convert("UTC").dt.tz_localize(None)
            unit = "D" if type_name == "DATE" else "us"
            text = np.datetime_as_string(values.to_numpy(dtype="datetime64[us]"), unit=unit).astype(object)
            if unit == "us":
                text = np.char.replace(text.astype(str), "T", " ").astype(object)
            text[values.isna().to_numpy()] = None
            columns.append(text.tolist())
        elif str(values.dtype) == "boolean" or pd.api.types.is_bool_dtype(values) or (
                type_name in ("INTEGER", "BIGINT") and pd.api.types.is_float_dtype(values)):
            ints = values.astype("Int64")
            columns.append(ints.astype(object).where(ints.notna(), None).tolist())
        elif pd.api.types.is_float_dtype(values):
            columns.append(values.to_numpy(dtype="float64").tolist())  # SQLite stores a NaN as NULL
        elif pd.api.types.is_integer_dtype(values):
            columns.append(values.to_numpy().tolist())
        else:
            array = values.to_numpy(dtype=object, na_value=None) if hasattr(values.array, "to_numpy") else \
                values.astype(object).where(values.notna(), None).to_numpy()
            columns.append(array.tolist())
    return zip(*columns)


def _constant(values: pd.Series) -> bool:
    first = values.iloc[0]
    if pd.isna(first):
        return bool(values.isna().all())
    # (a nullable column's comparison is NA where a value is missing, and .all() skips NA: ["x", NA] is not constant)
    return bool(values.notna().all() and (values == first).all())

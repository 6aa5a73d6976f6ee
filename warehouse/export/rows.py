"""The rows of a selection: `build` (the one door every front end goes through), then counted, paged or streamed
in chunks as typed Arrow tables, and the export page's preview of the file's first rows."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
from sqlalchemy import Engine, func, select

from warehouse.export.catalogue import DATASETS, Dataset
from warehouse.export.params import Selection
from warehouse.export.serialise import csv_table, to_arrow
from warehouse.export.statements import STATEMENTS
from warehouse.queries import cached, status

CHUNK_ROWS = 20000


@dataclass
class Export:
    """The rows of one selection: counted, paged or streamed in chunks, always in the same order. Values come as
    Arrow tables with one type per dictionary kind (text, int64, float64, bool; dates as ISO text, times as ISO
    text in WITA), the same on SQLite and PostgreSQL."""

    selection: Selection
    engine: Engine
    statement: object = None  # the SQLAlchemy select of the rows
    data_version: int = 0
    simulated: bool = False
    rows_read: int = 0  # rows streamed so far (the CLI reports it)
    spec: Dataset = field(init=False)

    def __post_init__(self):
        self.spec = DATASETS[self.selection.dataset]

    @property
    def columns(self) -> list[str]:
        return self.spec.columns

    def count(self) -> int:
        return row_count(self.engine, self.selection)

    def tables(self, size: int = CHUNK_ROWS, limit: int | None = None, offset: int = 0) -> Iterator[pa.Table]:
        """Every row (or `limit` rows from `offset`), `size` at a time: a large panel never sits in memory whole.
        Streams from the database (a server-side cursor on PostgreSQL) and converts column by column."""
        stmt = self.statement
        if limit is not None or offset:
            stmt = stmt.limit(limit).offset(offset)
        empty = True
        with self.engine.connect() as conn:
            for rows in _fetch(conn, stmt, size):
                self.rows_read += len(rows)
                yield to_arrow(rows, self.spec)
                empty = False
            if empty:
                yield to_arrow([], self.spec)

    def frame(self, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """Rows `offset`…`offset + limit` as a DataFrame (the preview, tests)."""
        table = pa.concat_tables(list(self.tables(limit=limit, offset=offset)))
        return table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)

    def records(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Rows as JSON-ready dicts (missing values as None)."""
        return [row for table in self.tables(limit=limit, offset=offset) for row in table.to_pylist()]


def _fetch(conn, stmt, size: int) -> Iterator[list]:
    """Rows `size` at a time. SQLite: the driver's own rows (dates stay ISO text; no per-value processing, a third
    of the time); PostgreSQL: a server-side cursor, so a large panel never sits in memory whole."""
    if conn.dialect.name == "sqlite":
        cursor = conn.execute(stmt).cursor  # the default strategy buffers nothing: the cursor is ours to read
        while rows := cursor.fetchmany(size):
            yield rows
        return
    yield from conn.execution_options(yield_per=size).execute(stmt).partitions()


def build(selection: Selection, engine: Engine) -> Export:
    """The rows of `selection`. Every front end (export page, API, CLI) goes through here, so the per-kabupaten
    scoping of the coming access control is enforced in this one place (narrow `selection` before the SQL)."""
    info = status(engine)
    statement = STATEMENTS[selection.dataset](selection)
    return Export(selection, engine, statement, info.data_version, info.is_demo)


@cached
def row_count(engine: Engine, selection: Selection) -> int:
    """How many rows the selection has (the page shows it; the JSON answer's `total`)."""
    stmt = STATEMENTS[selection.dataset](selection).order_by(None)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


@cached
def preview(engine: Engine, selection: Selection, rows: int = 200) -> list[list[str]]:
    """The first rows of a selection as the CSV's cells (the export page shows the file as it will be)."""
    export = build(selection, engine)
    out = []
    for table in export.tables(limit=rows):
        for row in csv_table(table, export.spec).to_pylist():
            out.append(["" if v is None else ("true" if v is True else "false" if v is False else str(v))
                        for v in row.values()])
    return out

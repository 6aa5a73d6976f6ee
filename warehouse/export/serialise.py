"""Rows as files: database rows into typed Arrow tables (one type per dictionary kind, the same on SQLite and
PostgreSQL), then the CSV bytes (byte-order mark, DATA SIMULASI line, spreadsheet formula guard) and the JSON
document or envelope that the API, the CLI and the export page's preview all share."""
from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from indicators import vocabulary
from warehouse.export.catalogue import Dataset, Field
from warehouse.export.params import Paging

if TYPE_CHECKING:
    from warehouse.export.rows import Export

# A text cell a spreadsheet would run as a formula (OWASP CSV injection) gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ARROW = {"text": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
          "date": pa.string(), "datetime": pa.string()}


def to_arrow(rows: list, spec: Dataset) -> pa.Table:
    """Database rows as one typed Arrow table (the same types whatever the backend)."""
    columns = list(zip(*rows)) if rows else [()] * len(spec.fields)
    arrays = [_arrow_column(list(values), f, spec) for values, f in zip(columns, spec.fields)]
    return pa.table(arrays, schema=pa.schema([(f.name, _ARROW[f.kind]) for f in spec.fields]))


def _arrow_column(values: list, f: Field, spec: Dataset) -> pa.Array:
    kind = f.kind
    if not values:
        return pa.array([], _ARROW[kind])
    if f.name == "reasons" and spec.name == "rejections":
        return pa.array([_reasons_text(v) for v in values], pa.string())
    if kind == "datetime":
        return _wita_text(pa.array(values, from_pandas=True))
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed Python types: go through text or float
        array = pa.array([None if _missing(v) else (str(v) if kind in ("text", "date") else float(v))
                          for v in values], from_pandas=True)
    if pa.types.is_null(array.type):
        return pa.nulls(len(values), _ARROW[kind])
    if kind == "integer" and pa.types.is_floating(array.type):
        whole = pc.all(pc.equal(array, pc.floor(array))).as_py()
        return array.cast(pa.int64()) if whole in (True, None) else array
    if kind in ("date", "text") and not pa.types.is_string(array.type):
        return array.cast(pa.string())
    return array.cast(_ARROW[kind])


def _wita_text(array: pa.Array) -> pa.Array:
    """Moments (SQLite: naive UTC text; PostgreSQL: aware datetimes) as ISO text in WITA (UTC+8, no summer time):
    2026-11-23T23:11:49+08:00."""
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), pa.string())
    if pa.types.is_string(array.type):
        array = array.cast(pa.timestamp("us"))
    elif array.type.tz is not None:
        array = array.cast(pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
    local = pc.add(array, pa.scalar(timedelta(hours=8), pa.duration("us"))).cast(pa.timestamp("s"), safe=False)
    text = pc.replace_substring(local.cast(pa.string()), " ", "T")
    return pc.binary_join_element_wise(text, pa.scalar("+08:00"), "")


def _missing(value) -> bool:
    return value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value)


def _reasons_text(raw) -> str | None:
    if _missing(raw):
        return None
    try:
        reasons = json.loads(raw)
    except (TypeError, ValueError):
        return str(raw)
    return "; ".join(f"{r.get('column')}={r.get('value')!s}: {r.get('rule')}" if r.get("column")
                     else str(r.get("rule")) for r in reasons)


def safe_cell(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


_FORMULA_RE = "^[=+\\-@\t\r]"


def csv_table(table: pa.Table, spec: Dataset) -> pa.Table:
    """A table as CSV cells: text that starts like a formula gets a leading apostrophe (OWASP CSV injection);
    whole-valued number columns print as integers (Rupiah amounts read 280352766, not 2.8e+08)."""
    arrays = []
    for f, array in zip(spec.fields, table.columns):
        if f.kind == "text" and len(array):
            risky = pc.fill_null(pc.match_substring_regex(array, _FORMULA_RE), False)
            if pc.any(risky).as_py():
                array = pc.if_else(risky, pc.binary_join_element_wise("'", array, ""), array)
        elif f.kind == "number" and len(array) and array.null_count < len(array):
            whole = pc.all(pc.equal(array, pc.floor(array))).as_py()
            biggest = pc.max(pc.abs(array)).as_py()
            if whole and biggest < 1e15:
                array = array.cast(pa.int64())
        arrays.append(array)
    return pa.table(arrays, names=spec.columns)


def csv_chunks(export: Export, preamble: str | None = None, paging: Paging | None = None) -> Iterator[bytes]:
    """The CSV bytes of an export, streamed: UTF-8 byte-order mark (Excel then reads Indonesian text right), the
    `preamble` line when given (DATA SIMULASI on demo data), the header of canonical column names, the rows.
    Comma-separated, text quoted, dot decimals, ISO dates, times in WITA, empty = missing."""
    head = "\ufeff" + (preamble.rstrip("\n") + "\n" if preamble else "")
    yield head.encode("utf-8") + (",".join(f'"{c}"' for c in export.columns) + "\n").encode("utf-8")
    options = pacsv.WriteOptions(include_header=False)
    paging = paging or Paging()
    for table in export.tables(limit=paging.limit, offset=paging.offset):
        if table.num_rows:
            sink = io.BytesIO()
            pacsv.write_csv(csv_table(table, export.spec), sink, options)
            yield sink.getvalue()


def preamble(export: Export) -> str | None:
    """The line above the CSV header on demo data (the API and `python app.py export` write the same bytes)."""
    return f"{vocabulary.SIMULATED_BADGE} — {vocabulary.SIMULATED_NOTE['id']}" if export.simulated else None


def envelope(export: Export, rows: list[dict], total: int, next_url: str | None) -> dict:
    """The JSON answer: the rows with what they are (dataset, filters, paging, data version, simulated?)."""
    return {"dataset": export.selection.dataset, "filters": export.selection.params(), "count": len(rows),
            "total": total, "rows": rows, "simulated": export.simulated, "data_version": export.data_version,
            "next": next_url}


def json_chunks(export: Export) -> Iterator[bytes]:
    """Every row as one JSON document (the envelope, `next` null), streamed row chunk by row chunk."""
    total = export.count()
    before, after = json.dumps(envelope(export, [], total, None), ensure_ascii=False).split('"rows": []', 1)
    before = before.replace('"count": 0,', f'"count": {total},', 1)
    yield (before + '"rows": [').encode("utf-8")
    first = True
    for table in export.tables():
        rows = table.to_pylist()
        if rows:
            yield (("" if first else ",") + ",".join(json.dumps(r, ensure_ascii=False) for r in rows)).encode("utf-8")
            first = False
    yield ("]" + after).encode("utf-8")


def write_file(export: Export, path, fmt: str = "csv", preamble: str | None = None) -> int:
    """Write the whole export to `path` (the CLI): CSV byte for byte what `/api/v1/<dataset>.csv` answers, or the
    JSON document with every row. Returns the number of rows written."""
    blocks = csv_chunks(export, preamble) if fmt == "csv" else json_chunks(export)
    with open(path, "wb") as out:
        for block in blocks:
            out.write(block)
    return export.rows_read

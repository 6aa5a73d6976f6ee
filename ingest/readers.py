"""Read spreadsheet files (XLSX workbooks, CSV) into raw tables with canonical headers and file row numbers."""
from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from settings import Settings
from warehouse.contract import ALL_DATASETS, DATASETS, IGNORED_COLUMNS, Dataset, header_map, normalise_header

MAX_HEADER_SEARCH = 10


class StructuralError(Exception):
    """The file (or response) cannot be read as the contract says: it is rejected whole. `code` and `params` name
    the problem for a reader in another language (layouts/rules.py translates them; the text stays English)."""

    def __init__(self, message: str, code: str = "unreadable", **params):
        super().__init__(message)
        self.code = code
        self.params = {k: (v if isinstance(v, (int, float, str)) or v is None else str(v)) for k, v in params.items()}


@dataclass
class RawTable:
    """One dataset's rows as text, canonical headers, with the row number a person sees in the file."""

    dataset: Dataset
    frame: pd.DataFrame  # all str (NaN where empty), canonical column names
    row_numbers: pd.Series  # 1-based row number in the file/sheet (header = row 1 normally)
    origin: str  # "file.xlsx, sheet rat" / "file.csv"
    number_dialect: str = "plain"  # "id": 1.234.567,89; "plain": 1234567.89
    notes: list[str] = field(default_factory=list)
    # (index, column, value, rule[, code, params]): reasons found while reading, as validation's own
    problems: list[tuple] = field(default_factory=list)


def dataset_for_filename(name: str) -> Dataset | None:
    stem = name.lower()
    for candidate in sorted(ALL_DATASETS, key=len, reverse=True):
        if stem.startswith(candidate) or (candidate == "registry_export" and stem.startswith("registry")):
            return ALL_DATASETS[candidate]
    return None


@dataclass(frozen=True)
class Limits:
    """How large a file the ingest reads (settings INBOX_MAX_BYTES, INBOX_MAX_ROWS); checked before parsing."""

    max_bytes: int = Settings.model_fields["INBOX_MAX_BYTES"].default  # (the settings' defaults, not copies)
    max_rows: int = Settings.model_fields["INBOX_MAX_ROWS"].default
    max_workbook_rows: int = Settings.model_fields["INBOX_MAX_WORKBOOK_ROWS"].default
    expansion: int = 10  # an XLSX's sheets may unpack to this many times max_bytes (a zip bomb may not)
    names: tuple[str, str, str] = ("INBOX_MAX_BYTES", "INBOX_MAX_ROWS", "INBOX_MAX_WORKBOOK_ROWS")  # their settings

    @classmethod
    def of(cls, settings) -> "Limits":
        return cls(settings.INBOX_MAX_BYTES, settings.INBOX_MAX_ROWS, settings.INBOX_MAX_WORKBOOK_ROWS)

    @classmethod
    def of_uploads(cls, settings) -> "Limits":
        """A browser upload's limits (UPLOAD_MAX_MB, UPLOAD_MAX_ROWS for a CSV file and for a workbook)."""
        rows = settings.UPLOAD_MAX_ROWS
        return cls(int(settings.UPLOAD_MAX_MB * 1_000_000), rows, min(rows, settings.INBOX_MAX_WORKBOOK_ROWS),
                   names=("UPLOAD_MAX_MB", "UPLOAD_MAX_ROWS", "UPLOAD_MAX_ROWS"))


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def check_limits(path: Path, limits: Limits) -> None:
    """Refuse a file that is too large before any parsing: its bytes, and its rows counted cheaply (newlines of a
    CSV; an XLSX's <dimension>, else its <row> tags streamed from the zip, never loading the workbook)."""
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise StructuralError(f"{path.name}: the file is {_mb(size)}, more than the limit of {_mb(limits.max_bytes)} "
                              f"({limits.names[0]}); split it into smaller files", "too_large", file=path.name,
                              size=_mb(size), limit=_mb(limits.max_bytes))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        most, setting = limits.max_workbook_rows, limits.names[2]
        rows = _workbook_rows(path, limits, most)
    elif suffix in (".csv", ".txt"):
        most, setting = limits.max_rows, limits.names[1]
        with open(path, "rb") as fh:
            rows = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    else:
        return
    if rows > most + MAX_HEADER_SEARCH:
        raise StructuralError(f"{path.name}: the file holds more than {most:,} rows, the limit ({setting}); split it "
                              "into smaller files" + (" or send CSV" if suffix in (".xlsx", ".xlsm") else ""),
                              "too_many_rows", file=path.name, limit=most)


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")


def _row_tags(data: bytes) -> int:
    """<row …> tags (also with a namespace prefix, <x:row …>) in a piece of sheet XML."""
    return data.count(b"<row ") + data.count(b"<row>") + data.count(b":row ") + data.count(b":row>")


def _workbook_rows(path: Path, limits: Limits, most: int) -> int:
    import zipfile

    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise StructuralError(f"{path.name}: unreadable XLSX workbook ({exc})", "unreadable_xlsx",
                              file=path.name) from None
    with book:
        members = book.infolist()
        unpacked = sum(m.file_size for m in members)
        if unpacked > limits.max_bytes * limits.expansion:
            raise StructuralError(
                f"{path.name}: the workbook unpacks to {_mb(unpacked)}, more than the limit of "
                f"{_mb(limits.max_bytes * limits.expansion)} ({limits.expansion} × {limits.names[0]}); split it into "
                "smaller files", "too_large_unpacked", file=path.name, size=_mb(unpacked),
                limit=_mb(limits.max_bytes * limits.expansion))
        total = 0
        for member in members:
            if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
                continue
            with book.open(member) as sheet:
                head = sheet.read(4096)
                found = _DIMENSION.search(head)
                if found and found.group(1) and int(found.group(1)) > most + MAX_HEADER_SEARCH:
                    return total + int(found.group(1))  # (the sheet says so itself: no need to count)
                # Count the <row> tags as the sheet streams by (a tag cut between two chunks is seen whole: the
                # last 16 bytes are carried over).
                chunk, tail = head, b""
                while chunk:
                    data = tail + chunk
                    total += _row_tags(data) - _row_tags(tail)
                    if total > most + MAX_HEADER_SEARCH:
                        return total
                    tail = data[-16:]
                    chunk = sheet.read(1 << 20)
        return total


def read_file(path: Path, dataset_hint: str | None = None) -> list[RawTable]:
    """Read a workbook or a CSV file; raise StructuralError naming the file and the problem."""
    path = Path(path)
    if not path.exists():
        raise StructuralError(f"{path.name}: file not found", "not_found", file=path.name)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path)
    if suffix in (".csv", ".txt"):
        dataset = ALL_DATASETS.get(dataset_hint) if dataset_hint else dataset_for_filename(path.name)
        if dataset is None:
            raise StructuralError(
                f"{path.name}: the file name must start with koperasi, laporan_keuangan, rat, digital, kdmp or "
                "pendampingan (e.g. laporan_keuangan_2024-06_5371.csv)", "file_name", file=path.name
            )
        return [_read_csv(path, dataset)]
    raise StructuralError(f"{path.name}: unsupported file type {suffix or '(none)'}; send .xlsx or .csv",
                          "file_type", file=path.name, suffix=suffix or "(none)")


def _read_csv(path: Path, dataset: Dataset) -> RawTable:
    raw = path.read_bytes()
    if not raw[:65536].strip() and not raw.strip():  # (the whole-file check only for a blank beginning)
        raise StructuralError(f"{path.name}: the file is empty", "empty", file=path.name)
    if b"\x00" in raw[:4096]:
        raise StructuralError(f"{path.name}: not a text CSV file (binary content); save it as CSV UTF-8", "binary",
                              file=path.name)
    top = raw[:65536].split(b"\n")[:MAX_HEADER_SEARCH]  # (not the whole file: a split would copy it)
    sep = ";" if sum(line.count(b";") for line in top) > sum(line.count(b",") for line in top) else ","
    dialect = "id" if sep == ";" else "plain"
    width = max(line.count(sep.encode()) for line in top) + 1  # a title line above the header is narrower
    # The C parser reads the bytes itself: no decoded copy of the whole file. UTF-8 (with or without a
    # byte-order mark) first; a file Excel saved as "CSV" on Windows is cp1252.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            body, header, columns = _parse_csv(raw, path.name, dataset, sep, dialect, encoding, width)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise StructuralError(f"{path.name}: the text is neither UTF-8 nor Windows-1252; save it as CSV UTF-8",
                              "encoding", file=path.name)
    # Cells to the right of the header's last column: empty ones are the trailing separators spreadsheets write;
    # a value there usually means an unquoted separator inside a value shifted the row, so the row is refused.
    extra = body.iloc[:, columns:]
    overflow = extra.notna().any(axis=1) if extra.shape[1] else None
    problems = []
    if overflow is not None and overflow.any():
        shown = extra[overflow].astype("string").apply(lambda r: f"{sep} ".join(r.dropna()), axis=1)
        problems = [(i, "(extra cells)", shown[i],
                     f"more cells than the {columns} columns of the header; a value containing '{sep}' must be "
                     "in double quotes", "extra_cells", {"columns": columns, "sep": sep}) for i in shown.index]
    return _table(body[header.keep], header, dataset, path.name, dialect, overflow, problems)


SLACK = 16  # cells a data row may carry beyond the header's columns before the file is refused whole


def _parse_csv(raw: bytes, name: str, dataset: Dataset, sep: str, dialect: str, encoding: str,
               width: int) -> tuple[pd.DataFrame, "Header", int]:
    """The body below the header (Arrow's reader for a big, regular file; else pandas' C parser), and the header's
    column count."""
    header = None
    columns = 0
    try:
        head = pd.read_csv(io.BytesIO(raw), sep=sep, header=None, names=range(width), dtype=str,
                           keep_default_na=False, skip_blank_lines=False, nrows=MAX_HEADER_SEARCH, engine="c",
                           encoding=encoding)
        header = _locate_header(head, dataset, name)
        cells = [str(c).strip() for c in head.iloc[header.row]]
        columns = max(j for j, c in enumerate(cells) if c) + 1
        numeric = {j for j, col in zip(header.keep, header.columns)
                   if dataset.column(col).kind in ("amount", "number", "int")}
        body = None
        if dialect == "plain" and encoding == "utf-8-sig" and len(raw) >= ARROW_BYTES:
            body = _arrow_body(raw, header.row + 1, columns, numeric)
        if body is None:
            # The body is read again with the C parser converting the number columns (fast for clean files);
            # a column holding any non-number stays text and is parsed cell by cell in validation.
            options = {"thousands": ".", "decimal": ","} if dialect == "id" else {}
            body = pd.read_csv(io.BytesIO(raw), sep=sep, header=None, names=range(columns + SLACK),
                               skiprows=header.row + 1, keep_default_na=False, na_values=[""],
                               skip_blank_lines=False, engine="c",
                               dtype={j: str for j in range(columns) if j not in numeric}, encoding=encoding,
                               **options)
    except pd.errors.EmptyDataError:  # (before ValueError, its base class)
        if header is None:
            raise StructuralError(f"{name}: the file is empty", "empty", file=name) from None
        body = pd.DataFrame(columns=range(columns))  # a header and no rows: nothing to load, nothing wrong
    except (pd.errors.ParserError, ValueError) as exc:
        if isinstance(exc, UnicodeDecodeError):
            raise
        text, code, params = _parser_message(str(exc), columns, sep)
        raise StructuralError(f"{name}: {text}", code, file=name, **params) from None
    return body, header, columns


ARROW_BYTES = 1_000_000  # a comma CSV file from this size is read by Arrow's reader first (_arrow_body)


def _arrow_body(raw: bytes, skip: int, columns: int, numeric: set[int]) -> pd.DataFrame | None:
    """The rows below the header as the C parser reads them, with Arrow's multi-threaded reader (a 258 k-row
    monthly history: 0.4 s instead of 0.75 s): every cell as text, empty → NaN, then each number column converted
    as a whole (to int64, else float64; a column with any non-number stays text, as with the C parser). None when
    the file is not regular enough for it (a row with another number of cells than the first, fewer cells than the
    header's `columns`, text that is not UTF-8): the C parser reads it then and names the problem. (A blank line is
    a row of empty cells, as the C parser reads it: dropped later with its row number counted.)"""
    names = [f"f{j}" for j in range(columns + SLACK)]  # (Arrow names the cells of the first row f0, f1, …)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(raw),
            read_options=pacsv.ReadOptions(skip_rows=skip, autogenerate_column_names=True, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=",", newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, null_values=[""],
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    width = table.num_columns
    if width < columns or width > len(names):
        return None
    names = table.column_names

    def converted(j: int) -> pd.Series:
        column = table.column(names[j])
        if j in numeric:
            for kind in (pa.int64(), pa.float64()):
                try:
                    column = pc.cast(column, kind)
                    break
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    continue
        return column.to_pandas()

    # (Arrow's casts release the GIL: the columns are converted two at a time)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return pd.DataFrame(dict(zip(range(width), pool.map(converted, range(width)))), columns=range(width))


def _parser_message(text: str, columns: int, sep: str) -> tuple[str, str, dict]:
    """The C parser's complaint in words a kabupaten officer can act on, with the file's row number: (text, code,
    params)."""
    quote = re.search(r"EOF inside string starting at row (\d+)", text)
    if quote:
        row = int(quote.group(1)) + 1
        return f'a double quote (") opened in row {row} is never closed', "open_quote", {"row": row}
    fields = re.search(r"Expected \d+ fields in line (\d+), saw (\d+)", text)
    if fields:
        return (f"row {fields.group(1)} has {fields.group(2)} cells, far more than the {columns} columns of the "
                f"header; a value containing '{sep}' must be in double quotes", "too_many_cells",
                {"row": int(fields.group(1)), "cells": int(fields.group(2)), "columns": columns, "sep": sep})
    return f"unreadable CSV ({text.strip()})", "unreadable_csv", {"detail": text.strip()[:200]}


def _read_workbook(path: Path) -> list[RawTable]:
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise StructuralError(f"{path.name}: unreadable XLSX workbook ({type(exc).__name__}: {exc})",
                              "unreadable_xlsx", file=path.name) from None
    tables = []
    for sheet_name, frame in sheets.items():
        dataset = DATASETS.get(normalise_header(sheet_name))
        if dataset is None:
            continue  # instructions and other sheets are not data
        origin = f"{path.name}, sheet {sheet_name}"
        frame = frame.where(frame.notna(), "").astype(str)
        header = _locate_header(frame.head(MAX_HEADER_SEARCH), dataset, origin)
        tables.append(_table(frame.iloc[header.row + 1:, header.keep], header, dataset, origin, "plain"))
    if not tables:
        raise StructuralError(
            f"{path.name}: no sheet named koperasi, laporan_keuangan, rat, digital, kdmp or pendampingan "
            f"(sheets found: {', '.join(map(str, sheets)) or 'none'})", "no_sheet", file=path.name,
            sheets=", ".join(map(str, sheets)) or "–"
        )
    return tables


@dataclass
class Header:
    row: int  # 0-based row of the header in the file/sheet
    columns: list[str]  # canonical names of the kept columns
    keep: list[int]  # their positions
    notes: list[str]


def _locate_header(head: pd.DataFrame, dataset: Dataset, origin: str) -> Header:
    """Find the header row (the first of the top rows holding every required column) and map its names."""
    mapping = header_map(dataset)
    required = set(dataset.required)
    rows = head.astype(str).values.tolist()
    header_at = None
    for i, row in enumerate(rows):
        if required <= {mapping.get(normalise_header(cell)) for cell in row if str(cell).strip()}:
            header_at = i
            break
    if header_at is None:
        first = next((r for r in rows if any(str(c).strip() for c in r)), [])
        found = {mapping.get(normalise_header(c)) for c in first if str(c).strip()}
        missing = [c for c in dataset.required if c not in found]
        found_text = ", ".join(str(c).strip() for c in first if str(c).strip())
        raise StructuralError(
            f"{origin}: missing required column(s) {', '.join(missing)} in the header row "
            f"(found: {found_text or 'nothing'})", "missing_columns", file=origin, columns=", ".join(missing),
            found=found_text[:300] or "–"
        )
    notes = []
    if header_at > 0:
        notes.append(f"{origin}: header found on row {header_at + 1}; the {header_at} row(s) above it were skipped")
    columns, keep, unknown, seen = [], [], [], set()
    for j, cell in enumerate(rows[header_at]):
        name = mapping.get(normalise_header(cell))
        if name is None:
            if str(cell).strip() and normalise_header(cell) not in IGNORED_COLUMNS:
                unknown.append(str(cell).strip())
            continue
        if name in seen:
            raise StructuralError(f"{origin}: column {name} appears twice in the header row", "duplicate_column",
                                  file=origin, column=name)
        seen.add(name)
        columns.append(name)
        keep.append(j)
    if unknown:
        notes.append(f"{origin}: unknown column(s) ignored: {', '.join(unknown)}")
    return Header(header_at, columns, keep, notes)


def _table(body: pd.DataFrame, header: Header, dataset: Dataset, origin: str, dialect: str,
           overflow: pd.Series | None = None, problems: list | None = None) -> RawTable:
    """The data rows below the header: canonical names, stripped text, blank rows dropped, file row numbers kept.

    `overflow` marks rows with values beyond the header (never dropped as blank); `problems` are reasons found
    while reading, indexed like `body`."""
    # (a sheet's rows keep their labels below the header: numbered from 0 here, as row_numbers and problems are)
    frame = body.set_axis(header.columns, axis=1).reset_index(drop=True)  # (copy-on-write: no copy of the body)
    for name in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[name]):
            values = frame[name].astype("str").str.strip()
            frame[name] = values.mask(values.isin(["", "nan", "None", "NaN"]))
    first = header.row + 2  # 1-based row number of the first data row
    row_numbers = pd.Series(range(first, first + len(frame)), dtype="int64")
    blank = frame.isna().all(axis=1).to_numpy()
    if overflow is not None:
        blank = blank & ~overflow.to_numpy()
    if blank.any():
        position = np.cumsum(~blank) - 1  # old index → new index once the blank rows are gone
        problems = [(int(position[i]), *rest) for i, *rest in problems or []]
        frame = frame[~blank].reset_index(drop=True)
        row_numbers = row_numbers[~blank].reset_index(drop=True)
    return RawTable(dataset, frame, row_numbers, origin, dialect, list(header.notes), list(problems or []))


def table_from_records(dataset_name: str, records: list[dict], origin: str) -> RawTable:
    """A platform API page's items as a raw table (keys are canonical; values may be typed JSON)."""
    dataset = ALL_DATASETS[dataset_name]
    mapping = header_map(dataset)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=list(dataset.names))
    rename = {c: mapping[normalise_header(c)] for c in frame.columns if normalise_header(c) in mapping}
    frame = frame[list(rename)].rename(columns=rename)
    missing = [c for c in dataset.required if c not in frame.columns]
    if missing and len(frame):
        raise StructuralError(f"{origin}: items lack required field(s) {', '.join(missing)}", "missing_columns",
                              file=origin, columns=", ".join(missing), found="–")
    # JSON numbers stay numbers (validation reads a numeric column as it is); everything else becomes text as a
    # spreadsheet cell would be, column by column rather than value by value (2.8 M values in a first full sync).
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            continue
        text = values.astype("string").str.strip()
        frame[name] = text.astype(object).where(text.notna() & text.ne(""), None)
    return RawTable(dataset, frame.reset_index(drop=True), pd.Series(range(1, len(frame) + 1), dtype="int64"), origin)

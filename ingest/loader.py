"""Bulk loading of validated frames: upserts, revisions for re-sent figures, nothing row-by-row through the ORM."""
from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Table, bindparam, select, text, update
from sqlalchemy.engine import Connection

from ingest.readers import RawTable
from warehouse.bulk import (
    CHUNK,
    bulk_insert,
    column_defaults,
    copy_stream,
    keys_built_once,
    quote_name,
)
from warehouse.contract import Dataset
from warehouse.models import (
    AnnualMeeting,
    Cooperative,
    DigitalStatus,
    FinancialReport,
    KdmpProgress,
    Mentoring,
    Rejection,
)


TABLES = {
    "laporan_keuangan": FinancialReport.__table__,
    "rat": AnnualMeeting.__table__,
    "digital": DigitalStatus.__table__,
    "kdmp": KdmpProgress.__table__,
    "pendampingan": Mentoring.__table__,
}


@dataclass
class Counts:
    read: int = 0
    loaded: int = 0
    revised: int = 0
    unchanged: int = 0
    rejected: int = 0

    def add(self, other: "Counts") -> None:
        for name in ("read", "loaded", "revised", "unchanged", "rejected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


# ---------------------------------------------------------------- hashing ----

def row_hashes(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """A 64-bit fingerprint of each row's figures, stable across runs (same figures → same hash)."""
    normal = pd.DataFrame(index=frame.index)
    for name in columns:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            # The same "YYYY-MM-DD" text as strftime (stored hashes stay valid), an order of magnitude faster.
            days = np.datetime_as_string(values.to_numpy(dtype="datetime64[D]"), unit="D").astype(object)
            days[values.isna().to_numpy()] = ""
            normal[name] = days
        elif pd.api.types.is_bool_dtype(values) or str(values.dtype) == "boolean":
            normal[name] = values.map({True: "1", False: "0"}).fillna("").astype(str)
        elif pd.api.types.is_numeric_dtype(values):
            normal[name] = values.astype("float64").round(2)
        else:
            normal[name] = values.astype("string").fillna("").astype(str)
    hashed = pd.util.hash_pandas_object(normal, index=False).to_numpy()
    return hashed.view(np.int64)



# ----------------------------------------------------------- the loaders ----

def existing_current(conn: Connection, table: Table, key: list[str], niks: list[str],
                     span: tuple | None = None) -> pd.DataFrame:
    """The current revision (id, key, revision, row_hash) of these entities' rows (`niks`: values of the key's
    first column — a NIK, a village code, a mentoring subject), within `span` (min, max of the key's period column)
    when given.

    Read through a plain text query (no per-value type processing): this runs on every load, on every row.
    """
    names = ["id", *key, "revision", "row_hash"]
    select_list = ", ".join(quote_name(n) for n in names)
    where, params = "is_current = :t", {"t": True}
    if span is not None:
        where += f" AND {quote_name(key[1])} BETWEEN :lo AND :hi"
        params.update(lo=span[0], hi=span[1])
    rows: list[tuple] = []
    if len(niks) > CHUNK * 4:  # a province-wide file: one pass over the current rows beats thousands of IN lists
        result = conn.execute(text(f"SELECT {select_list} FROM {table.name} WHERE {where}"), params)
        wanted = set(niks)
        rows = [tuple(r) for r in result.fetchall() if r[1] in wanted]
    else:
        for start in range(0, len(niks), CHUNK):
            part = niks[start:start + CHUNK]
            marks = ", ".join(f":n{i}" for i in range(len(part)))
            result = conn.execute(text(f"SELECT {select_list} FROM {table.name} WHERE {where} "
                                       f"AND {quote_name(key[0])} IN ({marks})"),
                                  {**params, **{f"n{i}": v for i, v in enumerate(part)}})
            rows += [tuple(r) for r in result.fetchall()]
    frame = pd.DataFrame.from_records(rows, columns=names)
    for k in key:
        if str(table.c[k].type) == "DATE":
            frame[k] = pd.to_datetime(frame[k])
        elif str(table.c[k].type) == "INTEGER":
            frame[k] = pd.to_numeric(frame[k]).astype("float64")
    frame["row_hash"] = pd.to_numeric(frame["row_hash"]).astype("int64") if len(frame) else frame["row_hash"].astype("int64")
    return frame


def _span(table: Table, key: list[str], incoming: pd.DataFrame) -> tuple | None:
    """The range of the key's second column (period_end, fiscal_year, stage) in the incoming rows."""
    column = key[1]
    values = incoming[column].dropna()
    if values.empty:
        return None
    if str(table.c[column].type) == "DATE":
        return values.min().date(), values.max().date()
    if str(table.c[column].type) == "INTEGER":
        return int(values.min()), int(values.max())
    return None


def _incoming(dataset: Dataset, good: pd.DataFrame) -> pd.DataFrame:
    """Validated rows as the loader compares and stores them: each with the hash of its figures."""
    figures = [c for c in dataset.names if c not in ("submitted_on",)]
    if "topic" in dataset.key:  # an empty optional key column is stored as '' (one value, comparable on both backends)
        good = good.assign(topic=good["topic"].fillna(""))
    incoming = good.assign(row_hash=row_hashes(good, figures))  # (copy-on-write: no copy of the figures)
    if "fiscal_year" in incoming:
        incoming["fiscal_year"] = incoming["fiscal_year"].astype("float64")
    return incoming


def _stamped(table: Table, rows: pd.DataFrame, run_id: int, source: str, now: datetime) -> pd.DataFrame:
    """Rows to insert (`old_id`, `revision`: the current revision they replace, NaN for a new key) with their
    revision and the run's bookkeeping."""
    rows["revision"] = np.where(rows["old_id"].isna(), 1, rows["revision"].fillna(0) + 1).astype(int)
    rows["is_current"] = True
    rows["source"] = source
    rows["ingest_run_id"] = run_id
    rows["source_row"] = rows["_row"].astype(int)
    rows["received_at"] = pd.Timestamp(now)
    if "submitted_on" in table.c and "submitted_on" in rows:
        rows["submitted_on"] = rows["submitted_on"].fillna(pd.Timestamp(now.date()))
    if "fiscal_year" in rows:
        rows["fiscal_year"] = rows["fiscal_year"].astype(int)
    return rows


def load_revisioned(conn: Connection, dataset: Dataset, good: pd.DataFrame, run_id: int, source: str,
                    now: datetime) -> tuple[Counts, set[str]]:
    """Insert new rows; a row whose figures changed becomes a new current revision; identical rows are skipped."""
    counts = Counts()
    if good.empty:
        return counts, set()
    table = TABLES[dataset.name]
    key = list(dataset.key)
    incoming = _incoming(dataset, good)
    current = existing_current(conn, table, key, sorted(incoming[key[0]].astype(str).unique()),
                               _span(table, key, incoming))
    if current.empty:  # a first load (the bulk case): every row is new, nothing to compare
        merged = incoming.assign(old_id=np.nan, old_hash=np.nan, revision=np.nan)
    else:
        merged = incoming.merge(current.rename(columns={"row_hash": "old_hash", "id": "old_id"}), on=key, how="left")
    is_new = merged["old_id"].isna()
    same = ~is_new & (merged["old_hash"] == merged["row_hash"])
    changed = ~is_new & ~same
    counts.loaded, counts.revised, counts.unchanged = int(is_new.sum()), int(changed.sum()), int(same.sum())
    if changed.any():
        ids = [int(i) for i in merged.loc[changed, "old_id"]]
        for start in range(0, len(ids), CHUNK):
            conn.execute(update(table).where(table.c.id.in_(ids[start:start + CHUNK])).values(is_current=False))
    to_insert = _stamped(table, merged if counts.unchanged == 0 else merged[is_new | changed], run_id, source, now)
    # Inserted in file order: sorting 260 k rows on the key first cost more (0.4 s) than it saved the index,
    # which the 64 MiB page cache holds. A big load builds its keys and indexes once, after the COPY.
    with keys_built_once(conn, table, len(to_insert)):
        bulk_insert(conn, table, to_insert)
    if key[0] != "nik":  # villages and mentoring: no cooperative's scores change (the refresh still runs)
        return counts, set()
    touched = set(to_insert["nik"].astype(str).unique())  # (unique first: iterating 260 k strings is slow)
    return counts, touched


STREAM_ROWS = 65_536  # rows validated and sent at a time by load_streamed


def streams(conn: Connection, table: RawTable, keys: pd.DataFrame) -> bool:
    """Whether a big table (the caller's judgement: BIG_LOAD rows or more, PostgreSQL) may be loaded while it is
    validated (load_streamed): its entities hold no current row in its periods yet (`keys`: every row's typed key
    columns), so every good row is a first revision and nothing stored needs comparing."""
    stored = TABLES[table.dataset.name]
    key = list(table.dataset.key)
    entities = keys[key[0]].dropna()
    if entities.empty:
        return False
    where, params = f"is_current AND {quote_name(key[0])} = ANY(:entities)", {
        "entities": sorted(entities.astype(str).unique())}
    span = _span(stored, key, keys)
    if span is not None:
        where += f" AND {quote_name(key[1])} BETWEEN :lo AND :hi"
        params.update(lo=span[0], hi=span[1])
    # (one look-up that stops at the first row found, not the rows themselves)
    return conn.execute(text(f"SELECT 1 FROM {stored.name} WHERE {where} LIMIT 1"), params).first() is None


def load_streamed(conn: Connection, table: RawTable, slices, run_id: int, source: str,
                  now: datetime) -> tuple[Counts, set[str]]:
    """A big first load (see `streams`) sent while it is validated: each slice's good rows are hashed, stamped and
    queued on one open COPY, so the server parses one slice while the next is checked (on 2 cores the client's
    reading of the rules overlaps the server's writing instead of preceding it). `slices`: the table's
    ValidationInSlices (every rule, with the duplicates of the whole file). The table's keys and indexes are
    built once at the end, as for any big load; a failure anywhere aborts the COPY and the caller's transaction."""
    dataset = table.dataset
    stored = TABLES[dataset.name]
    counts = Counts()
    touched: set[str] = set()
    absent = set(dataset.names) - set(table.frame.columns)  # (columns the file lacks: empty in every row)
    with keys_built_once(conn, stored, len(table.frame)) as locked, ExitStack() as stack:
        write = None
        for piece in slices:
            if piece.good.empty:
                continue
            rows = _incoming(dataset, piece.good).assign(old_id=np.nan, revision=np.nan)
            rows = _stamped(stored, rows, run_id, source, now)
            if write is None:  # the columns sent: every stored column the rows hold but those the file lacks
                columns = [c.name for c in stored.columns if c.name in rows and not (
                    c.name in absent and c.server_default is None and rows[c.name].isna().all())]
                # The run's stamps, one value in every row, are the table's defaults during the COPY instead
                # (when the load holds the table's lock already: its keys were dropped).
                constants = {"revision": 1, "is_current": True, "source": source, "ingest_run_id": run_id,
                             "received_at": now}
                if "submitted_on" in absent:  # (filled with the day it arrived)
                    constants["submitted_on"] = now.date()
                constants = {c: v for c, v in constants.items() if c in columns} if locked else {}
                if constants:
                    stack.enter_context(column_defaults(conn, stored, constants))
                    columns = [c for c in columns if c not in constants]
                write = stack.enter_context(copy_stream(conn, stored, columns))
            write(rows)
            counts.loaded += len(rows)
            if dataset.key[0] == "nik":
                touched |= set(rows["nik"].astype(str).unique())
    return counts, touched


COOP_FIELDS = ["name", "regency_code", "district", "type", "group", "savings_loan_unit", "legal_entity_number",
               "legal_entity_date", "established_year", "status", "open_loop", "latitude", "longitude",
               "membership_area", "programme", "village_code", "contact_name", "contact_phone", "contact_email"]


def load_cooperatives(conn: Connection, dataset: Dataset, good: pd.DataFrame, run_id: int,
                      source: str) -> tuple[Counts, set[str]]:
    """Upsert the registry on NIK: new cooperatives insert, changed ones update, identical ones are left alone."""
    counts = Counts()
    if good.empty:
        return counts, set()
    table = Cooperative.__table__
    incoming = good.copy()
    incoming["row_hash"] = row_hashes(incoming, list(dataset.names))
    niks = sorted(incoming["nik"].astype(str))
    existing = []
    for start in range(0, len(niks), CHUNK):
        existing += conn.execute(select(table.c.nik, table.c.row_hash).where(table.c.nik.in_(niks[start:start + CHUNK]))).all()
    old = pd.Series(dict(existing), dtype="Int64")
    old_hash = pd.Series(old.reindex(incoming["nik"].astype(str).to_numpy()).to_numpy(), index=incoming.index,
                         dtype="Int64")
    is_new = old_hash.isna().to_numpy()
    same = ~is_new & (old_hash.fillna(0).to_numpy(dtype="int64") == incoming["row_hash"].to_numpy())
    changed = ~is_new & ~same
    counts.loaded, counts.revised, counts.unchanged = int(is_new.sum()), int(changed.sum()), int(same.sum())
    incoming["source"] = source
    incoming["ingest_run_id"] = run_id
    if is_new.any():
        bulk_insert(conn, table, incoming[is_new])
    if changed.any():
        rows = _records(incoming[changed], ["nik", *COOP_FIELDS, "source", "ingest_run_id", "row_hash"])
        stmt = (update(table).where(table.c.nik == bindparam("b_nik"))
                .values({c: bindparam(f"b_{c}") for c in [*COOP_FIELDS, "source", "ingest_run_id", "row_hash"]}))
        conn.execute(stmt, [{f"b_{k}": v for k, v in r.items()} for r in rows])
    return counts, set(incoming.loc[is_new | changed, "nik"].astype(str))


def load_registry_export(conn: Connection, good: pd.DataFrame) -> tuple[Counts, set[str]]:
    """Join the national registry's NIK status, grade and last RAT date onto known cooperatives."""
    counts = Counts()
    if good.empty:
        return counts, set()
    table = Cooperative.__table__
    niks = sorted(good["nik"].astype(str))
    rows = []
    for start in range(0, len(niks), CHUNK):
        rows += [tuple(r) for r in conn.execute(
            select(table.c.nik, table.c.certificate_status, table.c.registry_grade, table.c.last_rat_date)
            .where(table.c.nik.in_(niks[start:start + CHUNK])))]
    current = pd.DataFrame.from_records(rows, columns=["nik", "old_cert", "old_grade", "old_last"])
    current["old_last"] = pd.to_datetime(current["old_last"])
    merged = good.assign(nik=good["nik"].astype(str)).merge(current, on="nik", how="left")
    same = (_same(merged["certificate_status"], merged["old_cert"]) & _same(merged["grade"], merged["old_grade"])
            & _same(merged["last_rat_date"], merged["old_last"]))
    counts.unchanged, counts.revised = int(same.sum()), int((~same).sum())
    changed = merged.loc[~same.to_numpy()]
    if not changed.empty:
        updates = [{f"b_{k}": v for k, v in r.items()}
                   for r in _records(changed, ["nik", "certificate_status", "grade", "last_rat_date"])]
        conn.execute(
            update(table).where(table.c.nik == bindparam("b_nik")).values(
                certificate_status=bindparam("b_certificate_status"), registry_grade=bindparam("b_grade"),
                last_rat_date=bindparam("b_last_rat_date")),
            updates,
        )
    return counts, set(changed["nik"])


def _same(new: pd.Series, old: pd.Series) -> pd.Series:
    """Equal, or both empty (element-wise)."""
    return ((new == old).fillna(False).astype(bool) | (new.isna() & old.isna())).reset_index(drop=True)


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    out = frame[columns].astype(object)
    out = out.where(out.notna(), None)
    records = out.to_dict("records")
    for r in records:
        for k, v in r.items():
            if isinstance(v, pd.Timestamp):
                r[k] = v.date()
            elif isinstance(v, np.integer):
                r[k] = int(v)
            elif isinstance(v, np.floating):
                r[k] = float(v)
            elif isinstance(v, np.bool_):
                r[k] = bool(v)
    if "established_year" in columns:
        for r in records:
            if r["established_year"] is not None:
                r["established_year"] = int(r["established_year"])
    return records


def write_rejections(conn: Connection, run_id: int, dataset: str, origin: str, rejected: list[dict],
                     now: datetime) -> int:
    if not rejected:
        return 0
    frame = pd.DataFrame(
        {
            "ingest_run_id": run_id,
            "dataset": dataset,
            "source_file": origin,
            "row_number": [r["row"] for r in rejected],
            "nik": [None if r["nik"] is None else str(r["nik"])[:40] for r in rejected],
            "reasons": [json.dumps(r["reasons"], ensure_ascii=False) for r in rejected],
            "raw": [None if r.get("raw") is None else json.dumps(r["raw"], ensure_ascii=False) for r in rejected],
            "created_at": pd.Timestamp(now),
        }
    )
    frame["row_number"] = frame["row_number"].astype("Int64")
    return bulk_insert(conn, Rejection.__table__, frame)


"""Browser uploads (Kirim Laporan): the files a user sent, kept in the warehouse until the ingest worker
(ingest/uploads.py) loads them through the same pipeline as the inbox, and the answer the page reads back.

The web side only stores (`store`) and reads (`batch_files`, `recent`, `corrections_workbook`); the worker claims a
batch, records each file's phase and result, and finishes it. `WAKE` lets a worker in the same process start at
once instead of at its next poll; workers in other processes (the scheduler's) find the queue on their own.
"""
from __future__ import annotations

import io
import json
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, func, insert, select, update

from warehouse import audit, db
from warehouse.contract import DATASETS, LOAD_ORDER
from warehouse.db import aware_utc
from warehouse.models import IngestRun, Rejection, Upload

WAKE = threading.Event()  # set when a batch is queued: an ingest worker of this process starts at once
SOURCE = "upload"  # the ingest runs' source
NAME_CHARS = 200
# The corrections file's column of reasons (its name in either language is ignored when the file comes back).
REASONS_COLUMNS = {"id": "alasan_karantina", "en": "quarantine_reasons"}


@dataclass(frozen=True)
class Sent:
    """One file as the browser sent it."""

    name: str
    content: bytes
    size: int | None = None  # the file's size when its bytes were not kept (over the limit); else len(content)


def safe_name(name: str) -> str:
    """The file's own name without any folder, control or path characters (it names the run and a temporary file)."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", base).strip(" .") or "berkas"
    if len(base) > NAME_CHARS:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[:NAME_CHARS - len(suffix) - 1] + "." + suffix) if dot and len(suffix) <= 10 else base[:NAME_CHARS]
    return base


def store(engine: Engine, files: list[Sent], username: str, scope: str | None, lang: str, max_bytes: int,
          ip: str | None = None, now: datetime | None = None) -> str:
    """Keep the files of one sending as a queued batch (a file over `max_bytes` is kept without its bytes, refused
    as too large by the worker, so it gets a run and an answer like any other); audited as `upload`. Returns the
    batch id."""
    batch = secrets.token_hex(8)
    now = now or db.utcnow()
    rows = []
    for sent in files:
        size = sent.size if sent.size is not None else len(sent.content)
        too_large = size > max_bytes
        rows.append({"batch": batch, "username": username, "regency_scope": scope, "lang": lang[:2],
                     "filename": safe_name(sent.name), "size": size, "content": None if too_large else sent.content,
                     "refused": "too_large" if too_large else None, "status": "queued", "created_at": now})
    with engine.begin() as conn:
        conn.execute(insert(Upload), rows)
        audit.record(conn, "upload", username, {"batch": batch, "scope": scope,
                                                "files": [{"name": r["filename"], "bytes": r["size"],
                                                           **({"refused": r["refused"]} if r["refused"] else {})}
                                                          for r in rows]}, ip, now)
    WAKE.set()
    return batch


# ------------------------------------------------------------------------------------------------ the worker's side
def claim_batch(engine: Engine, owner: str, now: datetime | None = None) -> list:
    """The files of the oldest queued batch, now `processing` by `owner` ([] when the queue is empty)."""
    now = now or db.utcnow()
    with engine.begin() as conn:
        batch = conn.execute(select(Upload.batch).where(Upload.status == "queued").order_by(Upload.id)
                             .limit(1)).scalar()
        if batch is None:
            return []
        conn.execute(update(Upload).where(Upload.batch == batch, Upload.status == "queued")
                     .values(status="processing", phase="queued", claimed_by=owner[:80], started_at=now))
        return conn.execute(select(Upload.__table__).where(Upload.batch == batch, Upload.claimed_by == owner[:80],
                                                           Upload.status == "processing").order_by(Upload.id)).all()


def set_phase(engine: Engine, ids: list[int], phase: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(Upload).where(Upload.id.in_(ids)).values(phase=phase))


def record_result(engine: Engine, upload_id: int, run_id: int | None, result: dict) -> None:
    """A file's answer, as soon as its run has ended (the batch may still be scoring)."""
    with engine.begin() as conn:
        conn.execute(update(Upload).where(Upload.id == upload_id)
                     .values(ingest_run_id=run_id, result=json.dumps(result, ensure_ascii=False, default=str)))


def finish(engine: Engine, ids: list[int], now: datetime | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(update(Upload).where(Upload.id.in_(ids))
                     .values(status="done", phase=None, finished_at=now or db.utcnow()))


def requeue_orphans(engine: Engine) -> int:
    """Files a killed worker left `processing` (call it holding the upload lock, so no live worker has any): one with
    its answer recorded is done (its load committed; the heal refreshes the scores), the others wait again."""
    with engine.begin() as conn:
        done = conn.execute(update(Upload).where(Upload.status == "processing", Upload.result.is_not(None))
                            .values(status="done", phase=None, finished_at=db.utcnow())).rowcount
        again = conn.execute(update(Upload).where(Upload.status == "processing", Upload.result.is_(None))
                             .values(status="queued", phase=None, claimed_by=None, started_at=None)).rowcount
    return done + again


# -------------------------------------------------------------------------------------------------- the page's side
def batch_files(engine: Engine, batch: str, username: str) -> list[dict]:
    """The files of one of `username`'s batches, in the order sent: id, filename, size, status, phase, result (dict
    or None), ingest_run_id, created_at, started_at, finished_at; and `ahead`, the batches queued before it."""
    with engine.connect() as conn:
        rows = conn.execute(select(Upload.id, Upload.filename, Upload.size, Upload.status, Upload.phase,
                                   Upload.result, Upload.ingest_run_id, Upload.created_at, Upload.started_at,
                                   Upload.finished_at)
                            .where(Upload.batch == batch, Upload.username == username).order_by(Upload.id)).all()
        ahead = 0
        if rows and rows[0].status == "queued":
            ahead = conn.execute(select(func.count(func.distinct(Upload.batch)))
                                 .where(Upload.status.in_(("queued", "processing")), Upload.id < rows[0].id)).scalar()
    return [{"id": r.id, "filename": r.filename, "size": r.size, "status": r.status, "phase": r.phase,
             "result": json.loads(r.result) if r.result else None, "ingest_run_id": r.ingest_run_id,
             "created_at": aware_utc(r.created_at), "started_at": aware_utc(r.started_at),
             "finished_at": aware_utc(r.finished_at), "ahead": int(ahead or 0)} for r in rows]


def recent(engine: Engine, username: str | None, limit: int = 20) -> pd.DataFrame:
    """The newest uploads (of one user, or everyone's for None): id, batch, username, filename, size, status,
    created_at, run status and counts."""
    u, r = Upload, IngestRun
    query = (select(u.id, u.batch, u.username, u.filename, u.size, u.status, u.created_at, r.status.label("run_status"),
                    r.rows_read, r.rows_loaded, r.rows_revised, r.rows_unchanged, r.rows_rejected)
             .outerjoin(r, r.id == u.ingest_run_id).order_by(u.id.desc()).limit(limit))
    if username is not None:
        query = query.where(u.username == username)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["id", "batch", "username", "filename", "size", "status", "created_at",
                                      "run_status", "rows_read", "rows_loaded", "rows_revised", "rows_unchanged",
                                      "rows_rejected"])
    frame["created_at"] = pd.Series([aware_utc(v) for v in frame["created_at"]], index=frame.index, dtype=object)
    return frame


def owned_run(engine: Engine, upload_id: int, username: str) -> int | None:
    """The ingest run of one of `username`'s uploads (None: not theirs, or not loaded yet)."""
    with engine.connect() as conn:
        return conn.execute(select(Upload.ingest_run_id).where(Upload.id == upload_id,
                                                               Upload.username == username)).scalar()


def quarantined(engine: Engine, run_id: int) -> pd.DataFrame:
    """Every row a run quarantined: row_number (None: the whole file), dataset, source_file, reasons (list of
    {column, value, rule[, code, params]}), raw (dict or None), in file order."""
    with engine.connect() as conn:
        rows = conn.execute(select(Rejection.row_number, Rejection.dataset, Rejection.source_file, Rejection.reasons,
                                   Rejection.raw).where(Rejection.ingest_run_id == run_id)
                            .order_by(Rejection.source_file, Rejection.row_number, Rejection.id)).all()
    return pd.DataFrame({"row_number": [r.row_number for r in rows], "dataset": [r.dataset for r in rows],
                         "source_file": [r.source_file for r in rows],
                         "reasons": [json.loads(r.reasons) for r in rows],
                         "raw": [json.loads(r.raw) if r.raw else None for r in rows]},
                        columns=["row_number", "dataset", "source_file", "reasons", "raw"])


def corrections_workbook(rows: pd.DataFrame, reasons_text: list[str], lang: str) -> bytes | None:
    """The quarantined rows of `rows` (as `quarantined` gives them) in the template's layout: one sheet per dataset
    with the template's columns in its order, each row as it was sent, and a last column with its reasons
    (`reasons_text`, one text per row, in the reader's language). Fixed and sent again, the file loads: the reasons
    column is ignored. None when no row can be corrected (only whole-file refusals)."""
    import xlsxwriter

    rows = rows.assign(_why=reasons_text)
    rows = rows.loc[rows["raw"].notna() & rows["dataset"].isin(list(DATASETS))]
    if rows.empty:
        return None
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    why_head = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    text = book.add_format({"num_format": "@"})
    why = book.add_format({"text_wrap": True, "font_color": "#9C0006"})
    reasons_column = REASONS_COLUMNS["en" if lang == "en" else "id"]
    for name in LOAD_ORDER:
        part = rows.loc[rows["dataset"] == name]
        if part.empty:
            continue
        columns = list(DATASETS[name].names)
        sheet = book.add_worksheet(name)
        for j, column in enumerate(columns):
            sheet.write_string(0, j, column, bold)
            sheet.set_column(j, j, max(14, len(column) + 2), text)
        sheet.write_string(0, len(columns), reasons_column, why_head)
        sheet.set_column(len(columns), len(columns), 70, why)
        for i, (raw, reasons) in enumerate(zip(part["raw"], part["_why"]), start=1):
            for j, column in enumerate(columns):
                value = raw.get(column)
                if value is not None:
                    sheet.write_string(i, j, str(value))
            sheet.write_string(i, len(columns), reasons)
        sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()

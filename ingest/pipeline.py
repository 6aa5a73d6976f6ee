"""One ingest run: read → validate → load in one transaction → record the run → refresh the scores of what changed."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import pandas as pd
from sqlalchemy import Engine, select, update
from sqlalchemy.engine import Connection

from warehouse.contract import LOAD_ORDER
from ingest.loader import (
    STREAM_ROWS,
    TABLES,
    Counts,
    load_cooperatives,
    load_registry_export,
    load_revisioned,
    load_streamed,
    streams,
    write_rejections,
)
from ingest.readers import Limits, RawTable, StructuralError, check_limits, read_file
from ingest.validate import ValidationInSlices, clip, validate
from warehouse.bulk import BIG_LOAD, UnformattableFrame
from warehouse import db
from indicators.vocabulary import REGENCY_CODES
from warehouse.models import Cooperative, IngestRun, KdmpProgress, Regency, Rejection

log = logging.getLogger(__name__)
ERROR_CHARS = 2000  # the ingest-runs grid shows a run's error text: bounded, whatever a file holds


def failure_reason(exc: BaseException) -> tuple[str, bool]:
    """(short reason for the run's error text, whether the file should stay for the next run).

    Stored as data in both languages (the grid shows it to every official): the exception's type, never its text,
    which may quote a cell. A lost database or a full disk passes, so the file stays and is tried again; anything
    else (a value the database refuses, a bug) would fail the same way every time, so the file must not stay.
    """
    from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError

    kind = type(getattr(exc, "orig", None) or exc).__name__
    text = str(exc).lower()
    if "no space left" in text or "disk is full" in text or kind == "DiskFull" or getattr(exc, "errno", None) == 28:
        return (f"Disk penuh ({kind}); berkas tetap menunggu untuk dicoba lagi / disk full ({kind}); the file stays "
                "for the next run"), True
    if isinstance(exc, (OperationalError, InterfaceError, DisconnectionError, OSError)):
        return (f"Basis data atau disk tidak tersedia ({kind}); berkas tetap menunggu untuk dicoba lagi / database or "
                f"disk unavailable ({kind}); the file stays for the next run"), True
    if isinstance(exc, DBAPIError):
        return (f"Gagal dimuat: basis data menolak isinya ({kind}); tidak ada baris yang dimuat / load failed: the "
                f"database refused its content ({kind}); no row was loaded"), False
    return (f"Gagal dimuat: kesalahan tak terduga ({kind}); tidak ada baris yang dimuat / load failed: unexpected "
            f"error ({kind}); no row was loaded"), False


def bounded(text: str | None, limit: int = ERROR_CHARS) -> str | None:
    return None if text is None else clip(text, limit)

@dataclass
class RunResult:
    run_id: int
    source: str
    target: str
    status: str  # success, rejected, failed
    counts: Counts = field(default_factory=Counts)
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    changed_niks: set[str] = field(default_factory=set)
    changed_datasets: set[str] = field(default_factory=set)  # datasets the run loaded or revised rows of
    retry: bool = False  # a failure that passes (database lost, disk full): the file stays for the next run
    code: str | None = None  # a file rejected whole: what was wrong, for a reader in another language
    params: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "success"

    @property
    def needs_refresh(self) -> bool:
        """Did the run change anything the materialised figures are made of?"""
        return bool(self.changed_niks or self.changed_datasets)


def start_run(engine: Engine, source: str, target: str, username: str | None = None) -> int:
    with engine.begin() as conn:
        return conn.execute(
            IngestRun.__table__.insert().values(source=source, target=target[:400], started_at=db.utcnow(),
                                                status="running", rows_read=0, rows_loaded=0, rows_revised=0,
                                                rows_unchanged=0, rows_rejected=0, username=username)
        ).inserted_primary_key[0]


def _finish(conn: Connection, run_id: int, status: str, counts: Counts, error: str | None = None,
            version: int | None = None) -> None:
    conn.execute(
        update(IngestRun).where(IngestRun.id == run_id).values(
            finished_at=db.utcnow(), status=status, rows_read=counts.read, rows_loaded=counts.loaded,
            rows_revised=counts.revised, rows_unchanged=counts.unchanged, rows_rejected=counts.rejected,
            error=bounded(error), data_version=version,
        )
    )


def _reject_whole(engine: Engine, run_id: int, dataset: str, origin: str, message: str, code: str | None = None,
                  params: dict | None = None) -> None:
    """A structurally wrong input: one rejection for the whole file, the run marked rejected, nothing loaded."""
    reason = {"column": None, "value": None, "rule": bounded(message)}
    if code is not None:  # (the text and its values stay within the run's error bound together)
        reason.update(rule=bounded(message, ERROR_CHARS - 400), code=code,
                      params={k: clip(v, 100) for k, v in (params or {}).items()})
    with engine.begin() as conn:
        conn.execute(Rejection.__table__.insert().values(
            ingest_run_id=run_id, dataset=dataset[:20], source_file=origin[:400], row_number=None, nik=None,
            reasons=json.dumps([reason], ensure_ascii=False),
            raw=None,
            created_at=db.utcnow()))
        _finish(conn, run_id, "rejected", Counts(), message)


def ingest_tables(engine: Engine, tables: list[RawTable], source: str, target: str, run_id: int | None = None,
                  today: date | None = None, extra_in_transaction: Callable[[Connection], None] | None = None,
                  fail_after: str | None = None, refresh: bool = True, scope: str | None = None,
                  username: str | None = None) -> RunResult:
    """Validate and load raw tables as one run, in one transaction: all of it lands, or none of it.

    `fail_after` names a dataset after whose load an error is raised on purpose (tests of atomicity).
    With `refresh`, the scores of the cooperatives the run changed are recomputed afterwards; a caller that
    loads many files in a row passes False and refreshes once at the end. `scope`: the kabupaten/kota a kabupaten
    officer may send rows of (rows of any other are quarantined with that reason); `username`: who sent it.
    """
    run_id = run_id or start_run(engine, source, target, username)
    result = RunResult(run_id, source, target, "running")
    now = db.utcnow()
    order = {name: i for i, name in enumerate((*LOAD_ORDER, "registry_export"))}
    written: dict[str, int] = {}  # rows inserted or revised per warehouse table (planner statistics, below)
    try:
        with engine.begin() as conn:
            owners = None
            if scope is not None:  # whose cooperative each NIK is: an officer sends only their kabupaten's rows
                pairs = conn.execute(select(Cooperative.nik, Cooperative.regency_code)).all()
                owners = pd.Series({n: r for n, r in pairs}, dtype=object)
                known = set(owners.index)
            else:
                known = {n for (n,) in conn.execute(select(Cooperative.nik))}
            codes = frozenset(c for (c,) in conn.execute(select(Regency.code)))
            # (a warehouse seeded with other kabupaten/kota than NTT's, e.g. the national benchmark's, names them)
            regencies = None if codes <= frozenset(REGENCY_CODES) else codes
            villages = None
            if any(t.dataset.name == "pendampingan" for t in tables):
                villages = {v for (v,) in conn.execute(select(KdmpProgress.village_code).distinct())}
                villages |= {v for t in tables if t.dataset.name == "kdmp"
                             for v in t.frame.get("village_code", pd.Series(dtype=object)).dropna().astype(str)}
            for table in sorted(tables, key=lambda t: order[t.dataset.name]):
                checks = dict(known_niks=known, today=today, regencies=regencies, known_villages=villages,
                              scope=scope, owners=owners)
                name = table.dataset.name
                checked = None
                if name in TABLES and len(table.frame) >= BIG_LOAD and conn.dialect.name == "postgresql":
                    # A big first load is sent while it is validated (ingest.loader.load_streamed).
                    sliced = ValidationInSlices(table, STREAM_ROWS, **checks)
                    if streams(conn, table, sliced.keys):
                        try:
                            with conn.begin_nested():
                                counts, touched = load_streamed(conn, table, sliced, run_id, source, now)
                            checked = sliced
                        except UnformattableFrame:  # (not expected of validated rows: loaded the usual way)
                            log.warning("%s: loaded whole instead of streamed", table.origin, exc_info=True)
                if checked is None:
                    checked = validate(table, **checks)
                    if name == "koperasi":
                        counts, touched = load_cooperatives(conn, table.dataset, checked.good, run_id, source)
                        known |= set(checked.good["nik"].astype(str))
                        if owners is not None and len(checked.good):
                            owners = pd.concat([owners, pd.Series(checked.good["regency_code"].astype(str).to_numpy(),
                                                                  index=checked.good["nik"].astype(str).to_numpy())])
                            owners = owners[~owners.index.duplicated(keep="last")]
                    elif name == "registry_export":
                        counts, touched = load_registry_export(conn, checked.good)
                    else:
                        counts, touched = load_revisioned(conn, table.dataset, checked.good, run_id, source, now)
                result.warnings += checked.warnings
                result.counts.read += checked.rows_read
                result.counts.rejected += len(checked.rejected)
                result.counts.loaded += counts.loaded
                result.counts.revised += counts.revised
                stored = "cooperatives" if name in ("koperasi", "registry_export") else TABLES[name].name
                written[stored] = written.get(stored, 0) + counts.loaded + counts.revised
                result.counts.unchanged += counts.unchanged
                result.changed_niks |= touched
                if counts.loaded or counts.revised:
                    result.changed_datasets.add(name)
                write_rejections(conn, run_id, name, table.origin, checked.rejected, now)
                if fail_after == name:
                    raise RuntimeError(f"injected failure after loading {name}")
            if extra_in_transaction is not None:
                extra_in_transaction(conn)
            changed = result.counts.loaded + result.counts.revised + result.counts.rejected
            version = db.bump_data_version(conn) if changed else db.data_version(conn)
            notes = "\n".join(clip(w, 300) for w in result.warnings) or None
            _finish(conn, run_id, "success", result.counts, notes, version)
        result.status = "success"
        try:  # statistics are an optimisation: a load never fails for want of them
            db.analyze_if_grown(engine, written)
        except Exception:
            log.warning("ANALYZE after ingest run %s failed", run_id, exc_info=True)
    except StructuralError as exc:
        _reject_whole(engine, run_id, tables[0].dataset.name if tables else "?", target, str(exc), exc.code,
                      exc.params)
        result.status, result.message = "rejected", bounded(str(exc))
        result.code, result.params = exc.code, exc.params
        return result
    except Exception as exc:
        return _failed(engine, result, exc)
    if refresh and result.needs_refresh:
        from warehouse.refresh import refresh as refresh_scores

        refresh_scores(engine, result.changed_niks)
    return result


def _failed(engine: Engine, result: RunResult, exc: Exception) -> RunResult:
    """End a run that died on an error other than the contract's: status failed, a short reason, nothing loaded."""
    log.exception("ingest run %s (%s) failed", result.run_id, result.target)
    reason, result.retry = failure_reason(exc)
    with engine.begin() as conn:
        _finish(conn, result.run_id, "failed", Counts(), reason)
    result.status, result.counts, result.changed_niks, result.changed_datasets = "failed", Counts(), set(), set()
    result.message = f"{reason} [{type(exc).__name__}: {clip(str(exc), 300)}]"
    return result


def reject_file(engine: Engine, source: str, name: str, exc: StructuralError, run_id: int | None = None,
                username: str | None = None) -> RunResult:
    """Record a file refused whole before it was read (too large, unreadable) as a rejected run with its reason."""
    run_id = run_id or start_run(engine, source, name, username)
    _reject_whole(engine, run_id, "?", name, str(exc), exc.code, exc.params)
    return RunResult(run_id, source, name, "rejected", message=bounded(str(exc)), code=exc.code, params=exc.params)


def ingest_file(engine: Engine, path: Path, source: str = "cli", today: date | None = None,
                fail_after: str | None = None, refresh: bool = True, limits: Limits | None = None,
                scope: str | None = None, username: str | None = None, target: str | None = None) -> RunResult:
    """Read and load one file as one run; a structurally wrong file is rejected whole with a named reason.
    `target`: the name the run records (default the file's own; an upload's is the name the sender gave it)."""
    path = Path(path)
    target = target or path.name
    run_id = start_run(engine, source, target, username)
    try:
        if limits is not None:  # (the inbox, the registry folder and `ingest file` pass the settings' limits)
            check_limits(path, limits)
        tables = read_file(path)
    except StructuralError as exc:
        return reject_file(engine, source, target, exc, run_id)
    except Exception as exc:  # (a file that vanished, a reader's bug: the run ends, never stays "running")
        return _failed(engine, RunResult(run_id, source, target, "running"), exc)
    return ingest_tables(engine, tables, source, target, run_id=run_id, today=today, fail_after=fail_after,
                         refresh=refresh, scope=scope, username=username)


def summary_line(result: RunResult) -> str:
    c = result.counts
    head = f"{result.target}: {result.status}"
    if result.status != "success":
        return f"{head} — {result.message}"
    return (f"{head} — read {c.read}, loaded {c.loaded}, revised {c.revised}, unchanged {c.unchanged}, "
            f"rejected {c.rejected}")


"""The configured sources (inbox, platform, registry) and how one run of each is carried out."""
from __future__ import annotations

import logging
import shutil
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine

from ingest import locks
from warehouse.contract import LOAD_ORDER
from ingest.pipeline import RunResult, ingest_file
from ingest.platform import PlatformConfig, run_platform
from ingest.readers import Limits, dataset_for_filename
from settings import Settings

log = logging.getLogger(__name__)

SOURCES = ("inbox", "platform", "registry")
FILE_TYPES = (".xlsx", ".xlsm", ".csv", ".txt")


def file_order(path: Path) -> tuple:
    """Workbooks and registry files first, so reports find their cooperatives in the same run."""
    dataset = dataset_for_filename(path.name)
    rank = -1 if path.suffix.lower() in (".xlsx", ".xlsm") else (
        LOAD_ORDER.index(dataset.name) if dataset and dataset.name in LOAD_ORDER else len(LOAD_ORDER))
    return rank, path.name


def pending_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FILE_TYPES), key=file_order)


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}.{datetime.now():%Y%m%d%H%M%S%f}{path.suffix}"
    shutil.move(str(path), target)
    return target


def _note(engine: Engine, run_id: int, note: str) -> None:
    """Add a line to a finished run's error text (what the ingest-runs grid shows)."""
    from sqlalchemy import select, update

    from ingest.pipeline import bounded
    from warehouse.models import IngestRun

    with engine.begin() as conn:
        error = conn.execute(select(IngestRun.error).where(IngestRun.id == run_id)).scalar()
        conn.execute(update(IngestRun).where(IngestRun.id == run_id)
                     .values(error=bounded("\n".join(filter(None, [error, note])))))


def _settle(engine: Engine, path: Path, data_dir: Path, result: RunResult) -> None:
    """Move a file after its run: loaded → processed/; rejected, or failed for good → rejected/ with a reason file;
    failed for a passing reason (database lost, disk full) → it stays for the next run. A move or a reason file that
    cannot be written (a full disk) leaves the file where it is and says so on the run; nothing is lost."""
    if result.status == "failed" and result.retry:
        return
    folder = "processed" if result.status == "success" else "rejected"
    try:
        moved = _move(path, data_dir / folder)
    except OSError as exc:
        log.error("%s: could not move to %s/: %s", path.name, folder, exc)
        _note(engine, result.run_id, f"Berkas tidak dapat dipindahkan ke {folder}/ ({exc.strerror or exc}); tetap di "
                                     f"kotak masuk / the file could not be moved to {folder}/ ({exc.strerror or exc}); "
                                     "it stays in the inbox")
        return
    if folder == "rejected":
        whole = "rejected whole" if result.status == "rejected" else "not loaded"
        try:
            moved.with_name(moved.name + ".reason.txt").write_text(
                f"{path.name} was {whole} (ingest run {result.run_id}):\n{result.message}\n", encoding="utf-8")
        except OSError as exc:
            log.error("%s: could not write its reason file: %s", moved.name, exc)


def process_folder(engine: Engine, data_dir: Path, folder: str, source: str,
                   progress: Callable[[RunResult], None] | None = None,
                   limits: Limits | None = None, refresh: bool = True) -> list[RunResult]:
    """Load every file waiting in DATA_DIR/<folder>/, then move it to processed/ or rejected/ (with a reason file).

    A file that failed to load for good (a value the database refuses, a bug) goes to rejected/ too, so it never
    stalls the inbox; one whose run failed for a passing reason (database lost, disk full) stays for the next run.
    """
    results, changed, needed = [], set(), False
    for path in pending_files(data_dir / folder):
        result = ingest_file(engine, path, source=source, refresh=False, limits=limits)
        changed |= result.changed_niks
        needed |= result.needs_refresh
        _settle(engine, path, data_dir, result)
        results.append(result)
        if progress:
            progress(result)
    if needed and refresh:  # one score refresh for the whole batch, not one per file
        from warehouse.refresh import refresh as refresh_scores

        refresh_scores(engine, changed)
    return results


def run_source(engine: Engine, settings: Settings, source: str,
               progress: Callable[[RunResult], None] | None = None, refresh: bool = True) -> list[RunResult]:
    """One run of a source, under its lock; raises locks.SourceBusy when another run holds it. Without `refresh`
    nothing is scored (the caller scores once after several sources, as the demo build does)."""
    if source == "platform":
        if not settings.PLATFORM_API_URL:
            raise ValueError("PLATFORM_API_URL is not set: the platform source is off")
        return [run_platform(engine, PlatformConfig(settings.PLATFORM_API_URL, settings.PLATFORM_API_TOKEN),
                             refresh=refresh)]
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; known: {', '.join(SOURCES)}")
    with locks.source_lock(engine, source) as held:
        if not held.acquired:
            raise locks.SourceBusy(source)
        results = process_folder(engine, settings.DATA_DIR, source, source, progress, Limits.of(settings), refresh)
        held.success = all(r.status != "failed" for r in results)
    return results

"""The upload worker: loads the files users sent on the Kirim Laporan page through the same pipeline as the inbox.

A batch (the files of one sending) is claimed from the warehouse's `uploads` table, its files loaded in the inbox's
order (workbooks and registry files first, so reports find their cooperatives) under the `upload` source's lock,
each as one ingest run (source `upload`, with the user), a kabupaten officer's limited to their kabupaten; each
file's answer is recorded as soon as its run ends, then one score refresh for the batch (which raises the alerts).
The worker runs as a thread wherever the scheduler runs (`python app.py` with SCHEDULER=embedded, or `python app.py
scheduler`): several processes may run one, the lock keeps batches one at a time.
"""
from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
from pathlib import Path

from sqlalchemy import Engine

from ingest import locks
from ingest.pipeline import RunResult, ingest_file, reject_file
from ingest.readers import Limits, StructuralError, _mb
from ingest.sources import file_order
from settings import Settings
from warehouse import uploads

log = logging.getLogger(__name__)
POLL_SECONDS = 2.0  # how often a worker looks for batches another process queued


def answer(result: RunResult) -> dict:
    """What the page shows of one file's run: status, the whole-file reason (English text, code, params), the
    counts and the notes."""
    c = result.counts
    return {"status": result.status, "message": result.message, "code": result.code, "params": result.params,
            "counts": {"read": c.read, "loaded": c.loaded, "revised": c.revised, "unchanged": c.unchanged,
                       "rejected": c.rejected},
            "notes": result.warnings[:20]}


def process_batch(engine: Engine, settings: Settings, files: list) -> list[RunResult]:
    """Load the claimed files of one batch and refresh the scores once; every file ends with a recorded answer."""
    limits = Limits.of_uploads(settings)
    results, changed, needed = [], set(), False
    ids = [f.id for f in files]
    with tempfile.TemporaryDirectory(prefix="pantau-upload-") as folder:
        for row in sorted(files, key=lambda f: file_order(Path(f.filename))):
            uploads.set_phase(engine, [row.id], "loading")
            if row.refused == "too_large" or row.content is None:
                exc = StructuralError(
                    f"{row.filename}: the file is {_mb(row.size)}, more than the limit of {_mb(limits.max_bytes)} "
                    f"({limits.names[0]}); split it into smaller files", "too_large", file=row.filename,
                    size=_mb(row.size), limit=_mb(limits.max_bytes))
                result = reject_file(engine, uploads.SOURCE, row.filename, exc, username=row.username)
            else:
                # a folder of its own per file: two files of one batch may carry the same name
                path = Path(tempfile.mkdtemp(dir=folder)) / row.filename
                path.write_bytes(bytes(row.content))
                result = ingest_file(engine, path, source=uploads.SOURCE, refresh=False, limits=limits,
                                     scope=row.regency_scope, username=row.username, target=row.filename)
            uploads.record_result(engine, row.id, result.run_id, answer(result))
            results.append(result)
            changed |= result.changed_niks
            needed |= result.needs_refresh
            log.info("upload %s (%s, %s): %s", row.id, row.filename, row.username, result.status)
    if needed:
        from warehouse.refresh import refresh

        uploads.set_phase(engine, ids, "scoring")
        refresh(engine, changed)
    uploads.finish(engine, ids)
    return results


def process_queue(engine: Engine, settings: Settings) -> int:
    """Every queued batch, one after the other, under the `upload` lock; returns how many were loaded (0 when the
    queue is empty or another worker holds the lock)."""
    done = 0
    with locks.source_lock(engine, uploads.SOURCE) as held:
        if not held.acquired:
            return 0
        uploads.requeue_orphans(engine)  # (holding the lock: whatever is still "processing" lost its worker)
        owner = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        while files := uploads.claim_batch(engine, owner):
            try:
                process_batch(engine, settings, files)
            except Exception:  # a batch must not stop the worker; its runs ended as failed or stay for healing
                log.exception("upload batch failed")
                uploads.finish(engine, [f.id for f in files])
            done += 1
        held.success = True
    return done


class Worker(threading.Thread):
    """The upload worker thread: wakes when this process queued a batch (warehouse.uploads.WAKE) or every
    POLL_SECONDS, and loads what is queued."""

    def __init__(self, settings: Settings, poll: float = POLL_SECONDS):
        super().__init__(name="upload-worker", daemon=True)
        self.settings = settings
        self.poll = poll
        self.stopping = threading.Event()

    def run(self) -> None:
        from warehouse.db import engine_for

        engine = engine_for(self.settings.database_url)
        while not self.stopping.is_set():
            uploads.WAKE.wait(self.poll)
            uploads.WAKE.clear()
            if self.stopping.is_set():
                break
            try:
                process_queue(engine, self.settings)
            except Exception:  # (the database away for a moment: try again at the next poll)
                log.exception("upload worker: could not look at the queue")

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        uploads.WAKE.set()
        self.join(timeout)


def start_worker(settings: Settings, poll: float = POLL_SECONDS) -> Worker:
    worker = Worker(settings, poll)
    worker.start()
    return worker

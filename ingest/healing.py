"""Healing after a crash: what a process killed mid-way (kill -9, a power cut, the OOM killer) leaves behind is put
right at the next start (`python app.py`, `python app.py scheduler`, the ingest commands) and before each scheduled
run.

- A source lock whose holder was a process of this machine that no longer exists is released (otherwise it would
  hold for its whole time-to-live, DEFAULT_TTL).
- A run left `running` whose source's lock is free is `interrupted`: every path that records runs (the inbox, the
  registry folder, the platform, `ingest file`) takes its source's lock before the run row exists and releases it
  only after the run is finished, so a free lock means no live process owns the run. A run whose lock a live process
  still holds is left alone.
- Scores older than the warehouse's data version (a refresh killed half-way: its transaction rolled back, the load
  before it had committed) are recomputed by a full refresh.
"""
from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from warehouse import db
from warehouse.models import IngestRun, SourceState

log = logging.getLogger(__name__)

INTERRUPTED = ("interrupted: the process ended during the run (nothing of it was loaded); healed at start-up {when} "
               "/ terputus: proses berhenti saat impor berjalan (tidak ada yang dimuat); dipulihkan saat mulai {when}")


@dataclass
class Healed:
    locks_released: list[str]
    runs_interrupted: list[int]
    refreshed: bool


def pid_alive(pid: int) -> bool:
    """Whether a process of this machine exists (a zombie, killed but not yet reaped, counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def holder_is_dead(owner: str) -> bool:
    """A lock owner token is host:pid:…; only a holder on this machine can be known dead."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname() and pid.isdigit() and not pid_alive(int(pid))


def release_dead_locks(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        held = conn.execute(select(SourceState.source, SourceState.locked_by)
                            .where(SourceState.locked_by.is_not(None))).all()
    released = []
    for source, owner in held:
        if holder_is_dead(owner):
            with engine.begin() as conn:
                done = conn.execute(update(SourceState).where(SourceState.source == source,
                                                              SourceState.locked_by == owner)
                                    .values(locked_by=None, locked_until=None)).rowcount
            if done:
                released.append(source)
                log.warning("released the %s lock of a process that ended (%s)", source, owner)
    return released


def interrupt_dead_runs(engine: Engine) -> list[int]:
    now = db.utcnow()
    with engine.connect() as conn:
        running = conn.execute(select(IngestRun.id, IngestRun.source).where(IngestRun.status == "running")).all()
        locks = {s: (by, db.aware_utc(until)) for s, by, until in conn.execute(
            select(SourceState.source, SourceState.locked_by, SourceState.locked_until))}
    healed = []
    for run_id, source in running:
        owner, until = locks.get(source, (None, None))
        if owner is not None and until is not None and until > now:
            continue  # a live process holds the source: its run is still going
        with engine.begin() as conn:
            done = conn.execute(update(IngestRun).where(IngestRun.id == run_id, IngestRun.status == "running").values(
                status="interrupted", finished_at=now,
                error=INTERRUPTED.format(when=now.strftime("%Y-%m-%d %H:%M:%S UTC")))).rowcount
        if done:
            healed.append(run_id)
    if healed:
        log.warning("ingest run(s) %s were left running by a process that ended: now interrupted",
                    ", ".join(map(str, healed)))
    return healed


def heal(engine: Engine, refresh: bool = True) -> Healed:
    """Release dead processes' locks, mark their runs interrupted, and refresh scores older than the data."""
    from warehouse.refresh import refresh_if_stale

    released = release_dead_locks(engine)
    interrupted = interrupt_dead_runs(engine)
    refreshed = refresh and refresh_if_stale(engine) is not None
    return Healed(released, interrupted, refreshed)

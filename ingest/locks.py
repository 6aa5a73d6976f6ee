"""A lock per source in the warehouse, so two runs of one source never overlap (across processes too)."""
from __future__ import annotations

import contextlib
import logging
import os
import socket
from datetime import timedelta, timezone

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from indicators import vocabulary
from warehouse import db
from warehouse.models import SourceState

log = logging.getLogger(__name__)
DEFAULT_TTL = timedelta(hours=2)  # a crashed holder's lock expires


class SourceBusy(RuntimeError):
    def __init__(self, source: str):
        super().__init__(f"source {source!r} is already being ingested by another run; try again later")
        self.source = source


def ensure_row(engine: Engine, source: str) -> None:
    with engine.connect() as conn:
        if conn.execute(select(SourceState.source).where(SourceState.source == source)).first():
            return
    try:
        with engine.begin() as conn:
            conn.execute(SourceState.__table__.insert().values(source=source))
    except IntegrityError:
        pass  # another process created it first


def acquire(engine: Engine, source: str, owner: str | None = None, ttl: timedelta = DEFAULT_TTL) -> str | None:
    """Take the lock; returns the owner token, or None when another run holds it."""
    ensure_row(engine, source)
    owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(object())}"
    now = db.utcnow()
    with engine.begin() as conn:
        taken = conn.execute(
            update(SourceState)
            .where(SourceState.source == source,
                   or_(SourceState.locked_by.is_(None), SourceState.locked_until < now))
            .values(locked_by=owner, locked_until=now + ttl)
        ).rowcount
    return owner if taken == 1 else None


def due_after(cron: str | None, moment):
    """When a source on `cron` (WITA) is next due after `moment`, in UTC like every stored time (SQLite keeps a
    time without its zone, so a WITA time would read back eight hours off); None without a schedule."""
    if not cron or moment is None:
        return None
    from apscheduler.triggers.cron import CronTrigger

    due = CronTrigger.from_crontab(cron, timezone=vocabulary.WITA_NAME).get_next_fire_time(None, moment)
    return None if due is None else due.astimezone(timezone.utc)


def release(engine: Engine, source: str, owner: str, success: bool | None = None) -> None:
    values = {"locked_by": None, "locked_until": None}
    if success:
        now = values["last_success_at"] = db.utcnow()
        with engine.connect() as conn:
            cron = conn.execute(select(SourceState.schedule).where(SourceState.source == source)).scalar()
        values["due_by"] = due_after(cron, now)
    with engine.begin() as conn:
        conn.execute(update(SourceState).where(SourceState.source == source, SourceState.locked_by == owner)
                     .values(**values))


class Held:
    """What `source_lock` yields: whether the lock was taken, and whether the run succeeded (set by the caller)."""

    def __init__(self, acquired: bool):
        self.acquired = acquired
        self.success = False


@contextlib.contextmanager
def source_lock(engine: Engine, source: str):
    """`with source_lock(engine, "inbox") as held:` — held.acquired is False when another run holds the source."""
    owner = acquire(engine, source)
    held = Held(owner is not None)
    try:
        yield held
    finally:
        if owner is not None:
            try:
                release(engine, source, owner, held.success)
            except Exception:  # (a full disk, a lost database: the lock expires, or is healed once its holder ends)
                log.exception("could not release the %s lock", source)


def set_watermark(conn: Connection, source: str, watermark: str | None) -> None:
    if watermark:
        conn.execute(update(SourceState).where(SourceState.source == source).values(watermark=watermark))

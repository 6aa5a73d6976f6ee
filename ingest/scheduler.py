"""The ingest scheduler (APScheduler): each configured source on its cron schedule, one run at a time."""
from __future__ import annotations

import logging
import tomllib
from datetime import timezone
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from indicators import vocabulary
from ingest import locks
from ingest.healing import heal
from ingest.sources import SOURCES, run_source
from settings import Settings
from warehouse.db import engine_for

log = logging.getLogger(__name__)
TIMEZONE = vocabulary.WITA_NAME


def load_schedule(path: Path) -> dict[str, str]:
    """source → cron expression, from the schedule file; unknown sources or bad cron lines stop start-up."""
    with open(path, "rb") as fh:
        config = tomllib.load(fh)
    schedule = {}
    for source, entry in config.get("sources", {}).items():
        if source not in SOURCES:
            raise ValueError(f"{path}: unknown source [sources.{source}]; known: {', '.join(SOURCES)}")
        try:
            CronTrigger.from_crontab(entry["cron"], timezone=TIMEZONE)
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{path}: [sources.{source}] needs a valid cron line ({exc})") from None
        schedule[source] = entry["cron"]
    return schedule


def run_job(settings: Settings, source: str) -> None:
    if source == "platform" and not settings.PLATFORM_API_URL:
        return
    engine = engine_for(settings.database_url)
    try:
        heal(engine)  # what a killed process left: runs still "running", scores older than the data
        for result in run_source(engine, settings, source):
            log.info("%s run %s: %s %s", source, result.run_id, result.status, result.message)
    except locks.SourceBusy as exc:
        log.info("%s", exc)
    except Exception:  # a scheduler job must not die silently
        log.exception("scheduled run of %s failed", source)


def record_schedule(engine, schedule: dict[str, str]) -> None:
    """Write each source's cron line, and when its next run after the last success is due, into the warehouse
    (what the Pelaporan page shows); a source no longer scheduled loses both."""
    from sqlalchemy import select, update

    from warehouse.models import SourceState

    for source in SOURCES:
        locks.ensure_row(engine, source)
    with engine.begin() as conn:
        last = dict(conn.execute(select(SourceState.source, SourceState.last_success_at)).all())
        for source in SOURCES:
            cron = schedule.get(source)
            moment = last.get(source)
            if moment is not None and moment.tzinfo is None:  # SQLite keeps naive UTC
                moment = moment.replace(tzinfo=timezone.utc)
            conn.execute(update(SourceState).where(SourceState.source == source)
                         .values(schedule=cron, due_by=locks.due_after(cron, moment)))


# Jobs of the layers above ingest that run on the same schedule (id, cron in WITA, function(settings)): app.py adds
# the daily alert digest (layouts/digest.py), which the ingest side may not import.
EXTRA_JOBS: list[tuple[str, str, object]] = []


def build_scheduler(settings: Settings, blocking: bool = False):
    schedule = load_schedule(settings.SCHEDULE_FILE)
    record_schedule(engine_for(settings.database_url), schedule)
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone=TIMEZONE)
    for source, cron in schedule.items():
        scheduler.add_job(run_job, CronTrigger.from_crontab(cron, timezone=TIMEZONE), args=(settings, source),
                          id=f"ingest-{source}", name=f"ingest {source}", max_instances=1, coalesce=True,
                          replace_existing=True, misfire_grace_time=300)
    for job_id, cron, function in EXTRA_JOBS:
        scheduler.add_job(function, CronTrigger.from_crontab(cron, timezone=TIMEZONE), args=(settings,), id=job_id,
                          name=job_id, max_instances=1, coalesce=True, replace_existing=True,
                          misfire_grace_time=3600)
    return scheduler


def start_background(settings: Settings, blocking: bool = False):
    """Everything that works in the background: the upload worker (Kirim Laporan) and the scheduler. With
    `blocking` the scheduler runs in this thread (`python app.py scheduler`); otherwise both run beside the web
    server and the started scheduler is returned."""
    from ingest.uploads import start_worker

    start_worker(settings)
    scheduler = build_scheduler(settings, blocking=blocking)
    scheduler.start()
    return scheduler

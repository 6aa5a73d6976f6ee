"""The ingest scheduler (APScheduler): each configured source on its cron schedule, one run at a time."""
from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from indicators import vocabulary
from ingest import locks
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
        for result in run_source(engine, settings, source):
            log.info("%s run %s: %s %s", source, result.run_id, result.status, result.message)
    except locks.SourceBusy as exc:
        log.info("%s", exc)
    except Exception:  # a scheduler job must not die silently
        log.exception("scheduled run of %s failed", source)


def build_scheduler(settings: Settings, blocking: bool = False):
    schedule = load_schedule(settings.SCHEDULE_FILE)
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone=TIMEZONE)
    for source, cron in schedule.items():
        scheduler.add_job(run_job, CronTrigger.from_crontab(cron, timezone=TIMEZONE), args=(settings, source),
                          id=f"ingest-{source}", name=f"ingest {source}", max_instances=1, coalesce=True,
                          replace_existing=True, misfire_grace_time=300)
    return scheduler

"""Inbox pick-up, the scheduler's configuration and locks, the template, and the ingest command line."""
import os
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select

from indicators import vocabulary
from ingest import locks
from ingest.readers import read_file
from ingest.scheduler import build_scheduler, load_schedule
from ingest.sources import run_source
from ingest.template import write_template
from settings import PROJECT_DIR
from warehouse.models import Cooperative
from tests.ingest.conftest import GOOD_ROW_1, REGISTRY_CSV, REPORT_HEADER, write


def test_inbox_files_move_to_processed_or_rejected_with_a_reason(engine, settings_for, db_url):
    settings = settings_for(db_url)
    inbox = settings.DATA_DIR / "inbox"
    inbox.mkdir(parents=True)
    write(inbox / "laporan_keuangan_2024-06_5371.csv", "\n".join([REPORT_HEADER, GOOD_ROW_1]) + "\n")
    write(inbox / "koperasi_5371.csv", REGISTRY_CSV)  # sorted first: reports find their cooperative
    write(inbox / "rat_2024.csv", "nik,held_on\n5371000000001,2025-03-01\n")  # fiscal_year missing
    results = run_source(engine, settings, "inbox")
    assert [r.target for r in results] == ["koperasi_5371.csv", "laporan_keuangan_2024-06_5371.csv", "rat_2024.csv"]
    assert [r.status for r in results] == ["success", "success", "rejected"]
    assert sorted(p.name for p in (settings.DATA_DIR / "processed").iterdir()) == [
        "koperasi_5371.csv", "laporan_keuangan_2024-06_5371.csv"]
    reason = (settings.DATA_DIR / "rejected" / "rat_2024.csv.reason.txt").read_text(encoding="utf-8")
    assert "rat_2024.csv: missing required column(s) fiscal_year" in reason
    assert not list(inbox.iterdir())
    assert run_source(engine, settings, "inbox") == []


def test_a_source_cannot_run_twice_at_once(engine, settings_for, db_url):
    settings = settings_for(db_url)
    owner = locks.acquire(engine, "inbox")
    assert owner and locks.acquire(engine, "inbox") is None
    with pytest.raises(locks.SourceBusy):
        run_source(engine, settings, "inbox")
    locks.release(engine, "inbox", owner)
    assert run_source(engine, settings, "inbox") == []


def test_the_schedule_file_drives_the_scheduler(tmp_path, settings_for, migrated_urls):
    settings = settings_for(migrated_urls["sqlite"])
    assert load_schedule(settings.SCHEDULE_FILE) == {"inbox": "*/5 * * * *", "platform": "15 * * * *",
                                                     "registry": "30 2 * * *"}
    scheduler = build_scheduler(settings)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    import app  # noqa: F401 - app.py hands the scheduler the daily digest (a job of a layer above ingest)

    assert set(jobs) - {"alerts-digest"} == {"ingest-inbox", "ingest-platform", "ingest-registry"}
    jobs = {job.id: job for job in build_scheduler(settings).get_jobs()}
    assert str(jobs["alerts-digest"].trigger) == "cron[month='*', day='*', day_of_week='*', hour='7', minute='0']"
    assert str(jobs["alerts-digest"].trigger.timezone) == "Asia/Makassar"  # 07:00 WITA
    assert isinstance(jobs["ingest-inbox"].trigger, CronTrigger) and jobs["ingest-inbox"].max_instances == 1
    bad = write(tmp_path / "schedule.toml", '[sources.ftp]\ncron = "* * * * *"\n')
    with pytest.raises(ValueError, match=r"unknown source \[sources.ftp\]"):
        load_schedule(bad)
    bad = write(tmp_path / "schedule2.toml", '[sources.inbox]\ncron = "every minute"\n')
    with pytest.raises(ValueError, match=r"\[sources.inbox\] needs a valid cron line"):
        load_schedule(bad)


def test_the_scheduler_writes_each_source_s_schedule_and_next_due_time_into_the_warehouse(engine, settings_for,
                                                                                          db_url):
    """The Pelaporan page tells a late source from the warehouse alone: the scheduler records every source's cron
    line; a success moves `due_by` to the source's next run after it (WITA), a failure leaves it."""
    from ingest.scheduler import record_schedule
    from warehouse.models import SourceState

    record_schedule(engine, {"inbox": "*/5 * * * *", "registry": "30 2 * * *"})

    def state(source):
        with engine.connect() as conn:
            return conn.execute(select(SourceState).where(SourceState.source == source)).one()

    assert state("inbox").schedule == "*/5 * * * *" and state("inbox").due_by is None  # never succeeded
    assert state("platform").schedule is None
    owner = locks.acquire(engine, "registry")
    locks.release(engine, "registry", owner, success=True)
    after = state("registry")
    last = after.last_success_at if after.last_success_at.tzinfo else after.last_success_at.replace(tzinfo=timezone.utc)
    due = after.due_by if after.due_by.tzinfo else after.due_by.replace(tzinfo=timezone.utc)
    local = due.astimezone(vocabulary.WITA)
    assert (local.hour, local.minute) == (2, 30) and timedelta(0) < due - last <= timedelta(days=1)
    owner = locks.acquire(engine, "registry")
    locks.release(engine, "registry", owner, success=False)
    assert state("registry").due_by == after.due_by
    record_schedule(engine, {"inbox": "*/5 * * * *"})  # registry taken off the schedule
    assert state("registry").schedule is None and state("registry").due_by is None


def test_a_scheduled_inbox_job_picks_up_a_dropped_file(engine, settings_for, db_url):
    # The real scheduler (as SCHEDULER=embedded starts it), its inbox job fired now instead of at the next */5.
    settings = settings_for(db_url)
    inbox = settings.DATA_DIR / "inbox"
    inbox.mkdir(parents=True)
    write(inbox / "koperasi_5371.csv", REGISTRY_CSV)
    scheduler = build_scheduler(settings)
    scheduler.start()
    try:
        scheduler.get_job("ingest-inbox").modify(next_run_time=datetime.now(timezone.utc))
        processed = settings.DATA_DIR / "processed" / "koperasi_5371.csv"
        deadline = time.monotonic() + 60
        while not processed.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
    assert processed.exists() and not list(inbox.iterdir())
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Cooperative)).scalar() == 3


def test_the_scheduler_command_runs_as_its_own_process(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}", "DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen([sys.executable, "app.py", "scheduler"], cwd=PROJECT_DIR, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        lines = [proc.stdout.readline().strip() for _ in range(3)]
        assert lines == ["inbox: */5 * * * * (WITA)", "platform: 15 * * * * (WITA)", "registry: 30 2 * * * (WITA)"]
        time.sleep(1)
        assert proc.poll() is None  # still running: a blocking scheduler, not a one-shot
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_template_has_instructions_sheets_and_drop_downs(tmp_path):
    path = write_template(tmp_path / "templat.xlsx")
    assert [t.dataset.name for t in read_file(path)] == ["koperasi", "laporan_keuangan", "rat", "digital", "kdmp",
                                                         "pendampingan"]
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet2.xml").decode()  # koperasi
        kdmp = book.read("xl/worksheets/sheet6.xml").decode()
        mentoring = book.read("xl/worksheets/sheet7.xml").decode()
        guide = book.read("xl/sharedStrings.xml").decode()
    assert '<dataValidation type="list"' in sheet and "simpan_pinjam,konsumen,produsen,pemasaran,jasa" in sheet
    assert '"desa,kelurahan"' in kdmp and '"pmk49,agrinas,lainnya,none"' in kdmp
    assert '"pelatihan,pendampingan,kunjungan"' in mentoring
    assert "Templat pelaporan Pantau Koperasi NTT" in guide and "akhir_periode" in guide and "kode_desa" in guide


def run_cli(args, env):
    return subprocess.run([sys.executable, "app.py", *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_ingest_cli_exit_codes_and_summaries(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "DATA_DIR": str(tmp_path / "data")}
    registry = write(tmp_path / "koperasi_5371.csv", REGISTRY_CSV)
    reports = write(tmp_path / "laporan_keuangan_06.csv",
                    "\n".join([REPORT_HEADER, GOOD_ROW_1, GOOD_ROW_1.replace("5371000000001", "999")]) + "\n")
    ok = run_cli(["ingest", "file", str(reports), str(registry)], env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[:2] == [
        "koperasi_5371.csv: success — read 3, loaded 3, revised 0, unchanged 0, rejected 0",
        "laporan_keuangan_06.csv: success — read 2, loaded 1, revised 0, unchanged 0, rejected 1",
    ]
    broken = write(tmp_path / "laporan_keuangan_broken.csv", "nik,total_assets\n5371000000001,5\n")
    bad = run_cli(["ingest", "file", str(broken)], env)
    assert bad.returncode == 1
    assert "laporan_keuangan_broken.csv: rejected — laporan_keuangan_broken.csv: missing required column(s) " \
           "period_end, period_type" in bad.stdout
    status = run_cli(["ingest", "status"], env)
    assert status.returncode == 0 and "rejected" in status.stdout and "laporan_keuangan_06.csv" in status.stdout
    out = tmp_path / "t.xlsx"
    assert run_cli(["template", "--out", str(out)], env).returncode == 0 and out.exists()
    inbox = tmp_path / "data" / "inbox"
    inbox.mkdir(parents=True)
    write(inbox / "laporan_keuangan_07.csv", "\n".join([REPORT_HEADER, GOOD_ROW_1.replace("2024-06-30", "2024-07-31")]))
    first = run_cli(["ingest", "run", "inbox"], env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == (
        "laporan_keuangan_07.csv: success — read 1, loaded 1, revised 0, unchanged 0, rejected 0")
    again = run_cli(["ingest", "run", "inbox"], env)
    assert (again.returncode, again.stdout) == (0, "inbox: nothing to load\n")

"""The fault suite: real processes killed with SIGKILL mid-load and mid-refresh, a full disk under DATA_DIR, the same
file dropped while two processes work the inbox — on SQLite and PostgreSQL. Nothing lost, nothing half-written, healed
at the next start."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.healing import heal
from ingest.pipeline import ingest_file
from ingest.sources import run_source
from tests.ingest.conftest import REGISTRY_CSV, REPORT_HEADER, write
from warehouse import db
from warehouse.models import FinancialReport, IngestRun, Score
from warehouse.refresh import scores_are_stale, scores_version

PROJECT_DIR = Path(__file__).resolve().parents[2]

# Runs `python app.py …` with one function wrapped so that, at a chosen point inside the open transaction, it says so
# (a marker file) and waits to be killed: the kill lands mid-way every time, not by luck of timing.
HARNESS = r"""
import os, runpy, sys, time
sys.path.insert(0, os.getcwd())
marker, where = os.environ["FAULT_MARKER"], os.environ["FAULT_AT"]
def pause_after(module, name):
    real = getattr(module, name)
    def paused(*args, **kwargs):
        out = real(*args, **kwargs)
        open(marker, "w").write(where)
        time.sleep(120)
        return out
    setattr(module, name, paused)
if where == "load":  # the reports are written, the transaction is open
    import ingest.pipeline
    pause_after(ingest.pipeline, "load_revisioned")
elif where == "refresh":  # the scores are deleted and written again, the transaction is open
    import indicators.cooperative
    pause_after(indicators.cooperative, "build")
sys.argv = ["app.py", *sys.argv[1:]]
runpy.run_path("app.py", run_name="__main__")
"""


def reports_rows(n: int, month: str = "2024-06-30") -> str:
    rows = [f"5371000000001,{month},month,{1000 + i},1000000000,400000000,60000000,500000000,300000000,500000000,"
            "600000000,50000000,10000000,5000000,2000000" for i in range(1)]
    rows += [f"53710000{i:05d},{month},month,10,1000,500,100,400,200,600,,,,," for i in range(100, 100 + n)]
    return "\n".join([REPORT_HEADER, *rows]) + "\n"


def registry_rows(n: int) -> str:
    return REGISTRY_CSV + "".join(f"53710000{i:05d},Koperasi {i},5371,jasa,,active,2001,\n"
                                  for i in range(100, 100 + n))


def env_for(db_url: str, data_dir: Path, **extra) -> dict:
    return {**os.environ, "DATABASE_URL": db_url, "DATA_DIR": str(data_dir), "DEMO": "off", **extra}


def app(args, env, fault: str | None = None, marker: Path | None = None):
    code = ["-c", HARNESS] if fault else ["app.py"]
    extra = {"FAULT_AT": fault, "FAULT_MARKER": str(marker)} if fault else {}
    return subprocess.Popen([sys.executable, *code, *args], cwd=PROJECT_DIR, env={**env, **extra},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_when(proc, marker: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the process never reached the fault point"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)  # (reaped: no zombie)


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def run_rows(engine):
    with engine.connect() as conn:
        return conn.execute(select(IngestRun.id, IngestRun.target, IngestRun.status, IngestRun.error,
                                   IngestRun.finished_at).order_by(IngestRun.id)).all()


def test_kill_9_during_ingest_file_leaves_nothing_and_heals_at_the_next_start(engine, db_url, tmp_path):
    assert ingest_file(engine, write(tmp_path / "koperasi_5371.csv", registry_rows(400))).ok
    assert ingest_file(engine, write(tmp_path / "laporan_keuangan_05.csv", reports_rows(400, "2024-05-31"))).ok
    before = count(engine, FinancialReport)
    big = write(tmp_path / "laporan_keuangan_06.csv", reports_rows(400))
    env, marker = env_for(db_url, tmp_path / "data"), tmp_path / "marker"
    proc = app(["ingest", "file", str(big)], env, "load", marker)
    kill_when(proc, marker)
    # Killed with the reports written in its open transaction: none of them exist, the earlier data is intact.
    assert count(engine, FinancialReport) == before == 401
    [*_, (run_id, target, status, _, _)] = run_rows(engine)
    assert (target, status) == ("laporan_keuangan_06.csv", "running")
    # The next start heals the run and loads the file.
    again = app(["ingest", "file", str(big)], env)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "laporan_keuangan_06.csv: success — read 401, loaded 401" in out
    runs = {r.id: r for r in run_rows(engine)}
    assert runs[run_id].status == "interrupted" and runs[run_id].finished_at is not None
    assert runs[run_id].error.startswith("interrupted: the process ended during the run")
    assert count(engine, FinancialReport) == before + 401


def test_a_run_a_live_process_holds_is_never_healed(engine, db_url, tmp_path):
    assert ingest_file(engine, write(tmp_path / "koperasi_5371.csv", registry_rows(10))).ok
    big = write(tmp_path / "laporan_keuangan_06.csv", reports_rows(10))
    marker = tmp_path / "marker"
    proc = app(["ingest", "file", str(big)], env_for(db_url, tmp_path / "data"), "load", marker)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        healed = heal(engine, refresh=False)
        assert healed.runs_interrupted == [] and healed.locks_released == []
        assert run_rows(engine)[-1].status == "running"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert heal(engine, refresh=False).locks_released == ["cli"]  # now its holder is gone
    assert run_rows(engine)[-1].status == "interrupted"


def test_kill_9_during_the_score_refresh_keeps_the_old_scores_and_the_next_start_refreshes(engine, db_url, tmp_path):
    assert ingest_file(engine, write(tmp_path / "koperasi_5371.csv", registry_rows(50))).ok
    assert ingest_file(engine, write(tmp_path / "laporan_keuangan_05.csv", reports_rows(50, "2024-05-31"))).ok
    with engine.connect() as conn:
        old = sorted(map(tuple, conn.execute(select(Score.nik, Score.period_end, Score.framework, Score.data_version))))
    # New data loaded, its refresh not yet run (as when a refresh after a load is killed).
    assert ingest_file(engine, write(tmp_path / "laporan_keuangan_06.csv", reports_rows(50)), refresh=False).ok
    assert scores_are_stale(engine)
    marker = tmp_path / "marker"
    proc = app(["score", "--full"], env_for(db_url, tmp_path / "data"), "refresh", marker)
    kill_when(proc, marker)
    with engine.connect() as conn:
        now = sorted(map(tuple, conn.execute(select(Score.nik, Score.period_end, Score.framework, Score.data_version))))
    assert now == old and len(old) > 0  # the old complete set, not half of the new one
    assert scores_are_stale(engine)
    assert heal(engine).refreshed  # what `python app.py`, the scheduler and the ingest commands do first
    with engine.connect() as conn:
        assert scores_version(conn) == db.data_version(conn)
        assert conn.execute(select(func.count()).select_from(Score)).scalar() > len(old)
    assert not heal(engine).refreshed


@pytest.fixture
def small_disk(tmp_path):
    """DATA_DIR on a 16 MB tmpfs (we run as root in the test container; skipped where mounting is not allowed)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of `folder` until `leave` bytes are free."""
    free = shutil.disk_usage(folder).free - leave
    with open(folder / "filler", "wb") as fh:
        while free > 0:
            step = min(free, 1 << 20)
            fh.write(b"\0" * step)
            free -= step


def test_data_dir_full_during_an_inbox_run_keeps_the_file_and_says_why(engine, db_url, settings_for, small_disk):
    settings = settings_for(db_url).model_copy(update={"DATA_DIR": small_disk / "data"})
    if db_url.startswith("sqlite"):  # the warehouse itself lives in DATA_DIR (the default layout)
        from warehouse import migrate

        url = f"sqlite:///{small_disk / 'data' / 'warehouse.db'}"
        (small_disk / "data").mkdir()
        engine = db.make_engine(url)
        migrate.upgrade(engine)
    assert ingest_file(engine, write(small_disk / "koperasi_5371.csv", registry_rows(3000))).ok
    inbox = small_disk / "data" / "inbox"
    inbox.mkdir(parents=True)
    write(inbox / "laporan_keuangan_06.csv", reports_rows(3000))
    write(inbox / "rat_broken.csv", "nik\n1\n")  # rejected whole: moved, its reason file cannot be written
    before = count(engine, FinancialReport)
    fill(small_disk, 200_000)  # room for the run rows, not for the load
    results = {r.target: r for r in run_source(engine, settings, "inbox")}
    loaded = count(engine, FinancialReport)
    if db_url.startswith("sqlite"):  # the load itself hits the full disk: the file stays, the run says why
        report = results["laporan_keuangan_06.csv"]
        assert (report.status, report.retry) == ("failed", True)
        assert "disk full" in run_rows(engine)[-2].error or "disk full" in run_rows(engine)[-1].error
        assert (inbox / "laporan_keuangan_06.csv").exists() and loaded == before == 0
    else:  # the warehouse has room: the file loads and moves (a rename needs no space)
        assert results["laporan_keuangan_06.csv"].ok and loaded == before + 3001
        assert not (inbox / "laporan_keuangan_06.csv").exists()
    assert results["rat_broken.csv"].status == "rejected"
    assert (small_disk / "data" / "rejected" / "rat_broken.csv").exists()  # not lost, the reason in the warehouse
    (small_disk / "filler").unlink()
    if db_url.startswith("sqlite"):  # room again: the next run loads the file that stayed
        [again] = run_source(engine, settings, "inbox")
        assert again.ok and count(engine, FinancialReport) == 3001
        engine.dispose()


def test_the_same_file_dropped_twice_at_once_loads_once(engine, db_url, tmp_path):
    assert ingest_file(engine, write(tmp_path / "koperasi_5371.csv", registry_rows(300))).ok
    data = tmp_path / "data"
    inbox = data / "inbox"
    inbox.mkdir(parents=True)
    write(inbox / "laporan_keuangan_06.csv", reports_rows(300))
    shutil.copy(inbox / "laporan_keuangan_06.csv", inbox / "laporan_keuangan_06_lagi.csv")  # and again, renamed
    env = env_for(db_url, data)
    procs = [app(["ingest", "run", "inbox"], env) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all("Traceback" not in err for _, err in outs), outs
    # One process loaded both files (the other found the lock, or nothing left to do); the copy changed nothing.
    assert sorted(p.returncode for p in procs) in ([0, 0], [0, 1])
    assert count(engine, FinancialReport) == 301
    with engine.connect() as conn:
        runs = conn.execute(select(IngestRun.target, IngestRun.status, IngestRun.rows_loaded,
                                   IngestRun.rows_unchanged).where(IngestRun.source == "inbox")
                            .order_by(IngestRun.id)).all()
    assert [tuple(r) for r in runs] == [("laporan_keuangan_06.csv", "success", 301, 0),
                                        ("laporan_keuangan_06_lagi.csv", "success", 0, 301)]
    assert list(inbox.iterdir()) == []

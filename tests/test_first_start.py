"""The first start on an empty warehouse, as `python app.py` does it: the server answers at once with the demo build's
progress, `/status.json` follows it, and the dashboard is served when the province is loaded and scored; a start
killed half-way through the build is discarded and built again at the next start, with nothing loaded twice."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, func, select

from tests.test_serve import free_port
from warehouse.models import FinancialReport, IngestRun, Rejection

ROOT = Path(__file__).resolve().parents[1]


def start(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "app.py", "serve"], cwd=ROOT, env=env, stdout=log.open("ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode()


def wait_for(condition, process: subprocess.Popen, log: Path, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            value = condition()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out; log: {log.read_text()[-3000:]}")


def test_the_first_start_serves_its_progress_at_once_and_survives_a_kill_mid_build(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database = tmp_path / "warehouse.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DATA_DIR": str(tmp_path / "data"),
           "SCHEDULER": "off", "DEMO": "auto", "HOST": "127.0.0.1", "PORT": str(port), "ACCESS_CONTROL": "on"}
    log = tmp_path / "serve.log"
    process = start(env, log)
    try:
        status = wait_for(lambda: json.loads(get(base + "/status.json")[1]), process, log, 60)
        assert status["ready"] is False and 0 <= status["progress"] < 1
        code, page = get(base + "/")
        assert code == 503 and "DATA SIMULASI" in page and "Menyiapkan provinsi simulasi" in page
        # killed while the inbox loads
        wait_for(lambda: (lambda s: s["phase"] == "inbox" and s["files_done"] >= 3)(
            json.loads(get(base + "/status.json")[1])), process, log, 120)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    process = start(env, log)
    try:
        done = wait_for(lambda: (lambda s: s if s["ready"] else None)(json.loads(get(base + "/status.json")[1])),
                        process, log, 300)
        assert done["phase"] == "ready" and done["progress"] == 1 and done["data_version"] > 0
        code, page = get(base + "/")
        assert code == 200 and "react-entry-point" in page  # the dashboard itself, not the progress page
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)

    said = log.read_text()
    assert "discarding its partial data" in said
    manifest = json.loads((tmp_path / "data" / "demo" / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]["laporan_keuangan"]
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        reports = conn.execute(select(func.count()).select_from(FinancialReport)).scalar()
        runs = conn.execute(select(func.count()).select_from(IngestRun)).scalar()
        quarantined = conn.execute(select(func.count()).select_from(Rejection)
                                   .where(Rejection.row_number.is_not(None))).scalar()
    engine.dispose()
    # exactly one build's rows: nothing of the killed start is left, nothing was loaded twice
    assert reports == counts["inbox"]["clean"] + counts["platform"]["clean"]
    assert quarantined == len([f for f in manifest["faults"] if f.get("row")])
    # (the manifest lists the province's files; the KDMP tracker's four inbox files are written beside them)
    kdmp_files = ("inbox/koperasi_kdmp.csv", "inbox/rat_kdmp.csv", "inbox/kdmp_ntt.csv", "inbox/pendampingan_ntt.csv")
    assert all((tmp_path / "data" / "processed" / f.split("/")[1]).exists() for f in kdmp_files)
    inbox_files = len([f for f in manifest["files"] if f.startswith("inbox/")]) + len(kdmp_files)
    assert runs == inbox_files + 2  # every inbox file, the platform pull and the registry export, once

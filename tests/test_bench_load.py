"""A short real run of bench/load.py (locust): the app started by the bench as `python app.py serve`, the callbacks
recorded with headless Chromium, a few logged-in officials for a few seconds on a copy of the small province
(the bench adds its user, and the session's province is read-only)."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.browser


def test_load_bench_runs_pages_and_callbacks_without_errors(province_sqlite, tmp_path):
    copy = tmp_path / "province.db"
    with sqlite3.connect(province_sqlite.split("///", 1)[1]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    summary = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", "--database", f"sqlite:///{copy}", "--users", "3", "--seconds", "5",
         "--spawn-rate", "3", "--pages", "/,/peringkat?kab=5371", "--json", str(summary)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(summary.read_text())
    rows = {row["name"]: row for row in result["rows"]}
    assert result["errors"] == 0 and rows["Total"]["errors"] == 0
    assert rows["login"]["requests"] == 3  # every simulated user logged in
    assert result["callbacks"] > 0
    for page in ("/", "/peringkat"):  # each page's HTML and its recorded callbacks were replayed
        assert rows[f"page {page}"]["requests"] > 0
        assert sum(row["requests"] for name, row in rows.items() if name.startswith(f"cb {page} ")) > 0
    assert "cb / _pages_content.children+_pages_store.data" in rows  # the pages router: the page's content
    assert "requests/s" in done.stdout and "p95" in done.stdout

"""`python app.py` serves through waitress (a production WSGI server, threads sized to the machine), not Flask's
development server; WEB_SERVER=werkzeug (or --debug) keeps the development server."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(env: dict, log: Path) -> subprocess.Popen:
    """`python app.py serve` in its own process group; returns once /login answers (bench/load.py is not imported
    here: locust's gevent would patch this test process)."""
    process = subprocess.Popen([sys.executable, "app.py", "serve"], cwd=ROOT, env=env, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{env['PORT']}/login", timeout=5):
                return process
        except OSError:
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError(f"the app did not start: {log.read_text()[-2000:]}")


@pytest.mark.parametrize("server, expected", [("waitress", "pantau-koperasi"), ("werkzeug", "Werkzeug")])
def test_python_app_py_serves_through_waitress(migrated_urls, tmp_path, server, expected):
    env = {**os.environ, "DATABASE_URL": migrated_urls["sqlite"], "DATA_DIR": str(tmp_path / "data"),
           "SCHEDULER": "off", "DEMO": "off", "HOST": "127.0.0.1", "PORT": str(free_port()),
           "WEB_SERVER": server, "WEB_THREADS": "6"}
    log = tmp_path / "serve.log"
    process = serve(env, log)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{env['PORT']}/login", timeout=10) as answer:
            assert answer.status == 200
            assert answer.headers["Server"].startswith(expected)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    said = log.read_text()
    assert ("served by waitress with 6 threads" in said) == (server == "waitress")


def test_threads_default_to_four_per_core_and_at_least_eight(monkeypatch):
    from app import web_threads

    settings = load_settings(WEB_THREADS=0)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert web_threads(settings) == 8
    monkeypatch.setattr("os.cpu_count", lambda: 6)
    assert web_threads(settings) == 24
    assert web_threads(load_settings(WEB_THREADS=3)) == 3

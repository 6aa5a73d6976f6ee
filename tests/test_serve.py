"""`python app.py` serves through waitress (a production WSGI server, threads sized to the machine), not Flask's
development server; WEB_SERVER=werkzeug (or --debug) keeps the development server."""
from __future__ import annotations

import urllib.request

import pytest

from bench.load import app_env, free_port, start_app, stop_app
from settings import load_settings


@pytest.mark.parametrize("server, expected", [("waitress", "pantau-koperasi"), ("werkzeug", "Werkzeug")])
def test_python_app_py_serves_through_waitress(migrated_urls, tmp_path, server, expected):
    env = app_env(migrated_urls["sqlite"], tmp_path / "data", free_port())
    env.update(WEB_SERVER=server, WEB_THREADS="6")
    log = tmp_path / "serve.log"
    process = start_app(env, log)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{env['PORT']}/login", timeout=10) as answer:
            assert answer.status == 200
            assert answer.headers["Server"].startswith(expected)
    finally:
        stop_app(process)
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

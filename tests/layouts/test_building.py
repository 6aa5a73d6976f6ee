"""The first start's gate: while the demo build runs, every page answers with its progress (503, Retry-After, a page
that reloads itself), callbacks and the API get a 503 JSON, and `/status.json` says how far it is; once ready,
everything is served as usual. SQLite and PostgreSQL, with access control on and off."""
from __future__ import annotations

import time

import pytest

from layouts.i18n import LANG_COOKIE
from tests.support.auth import router_body
from tests.support.pages import make_app
from warehouse import build_state


def running(engine, **values) -> None:
    fields = dict(state="running", phase="inbox", progress=0.42, files_done=30, files_total=72, rows=45_000,
                  started_at=time.time() - 20, seconds_left=27.0, pid=1)
    build_state.write(engine, build_state.BuildStatus(**(fields | values)))


@pytest.mark.parametrize("access", ["on", "off"])
def test_pages_show_the_builds_progress_until_it_is_ready(db_url, engine, settings_for, access):
    running(engine)
    app = make_app(db_url, lambda url: settings_for(url, ACCESS_CONTROL=access))
    client = app.server.test_client()

    for path in ("/", "/peta", "/login", "/koperasi/5371000000001"):
        page = client.get(path)
        assert page.status_code == 503 and page.headers["Retry-After"] == "2", path
        html = page.get_data(as_text=True)
        assert "DATA SIMULASI" in html and 'http-equiv="refresh"' in html
        assert "Memuat berkas kotak masuk" in html  # the phase, in Indonesian by default
        assert "42 %" in html and "Berkas: 30 dari 72" in html and "Baris dimuat: 45.000" in html
    client.set_cookie(LANG_COOKIE, "en")
    english = client.get("/").get_data(as_text=True)
    assert "Loading the inbox files" in english and "Rows loaded: 45,000" in english
    client.delete_cookie(LANG_COOKIE)

    callback = client.post("/_dash-update-component", json=router_body("/", ""))
    assert callback.status_code == 503 and callback.get_json()["error"] == "starting"
    assert client.get("/api/v1/datasets.json").status_code == 503
    status = client.get("/status.json")
    assert status.status_code == 200 and status.headers["Cache-Control"] == "no-store"
    assert status.get_json() | {"seconds_elapsed": None} == {
        "ready": False, "phase": "inbox", "progress": 0.42, "data_version": 0, "files_done": 30,
        "files_total": 72, "rows_loaded": 45_000, "seconds_left": 27, "seconds_elapsed": None}
    assert client.get("/assets/style.css").status_code == 200  # the progress page's own styles

    running(engine, state="ready", phase="ready", progress=1.0, seconds_left=None)
    assert client.get("/status.json").get_json()["ready"] is True
    assert client.get("/").status_code == 200
    answer = client.post("/_dash-update-component", json=router_body("/", ""))
    # the app's own answer, not the gate's (with access control on, a bare test client fails its origin check)
    assert answer.status_code == (200 if access == "off" else 403)


def test_a_warehouse_that_never_built_a_demo_is_ready(db_url, engine, settings_for):
    client = make_app(db_url, settings_for).server.test_client()
    assert client.get("/status.json").get_json()["ready"] is True
    assert client.get("/").status_code == 200

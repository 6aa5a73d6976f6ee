"""The fault suite's database outage (issue 14): PostgreSQL goes away while the dashboard serves — pages, Dash
callbacks and the API say the database is unavailable (503, translated, one log line, no traceback) — and the same
app serves normally again once it is back, without a restart.

The outage is simulated for one throw-away database only (the cluster is shared with other test runs): `ALTER
DATABASE … ALLOW_CONNECTIONS false` and `pg_terminate_backend` of its backends (what a restart does to the app's
pooled connections), then `ALLOW_CONNECTIONS true`. In-process with Flask's test client, ACCESS_CONTROL=on (a
logged-in analyst, whose session is looked up in the warehouse on every request).

SQLite is skipped: an embedded file has no server to go away (a locked database past its busy timeout takes the same
path, but cannot be provoked reliably here)."""
from __future__ import annotations

import json
import logging
import re

import pytest
from sqlalchemy import text

from settings import load_settings
from tests.conftest import throwaway_pg_database
from tests.support.auth import PASSWORD, router_body, use_cheap_hashes
from warehouse import migrate, users
from warehouse.db import engine_for


@pytest.fixture
def outage_db():
    """A migrated PostgreSQL database of this test only; yields (url, down(), up())."""
    with throwaway_pg_database("pantau_outage") as (name, url, admin):
        migrate.upgrade(engine_for(url))

        def down():
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                killed = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                           "WHERE datname = :name AND pid <> pg_backend_pid()"),
                                      {"name": name}).scalar()
            assert killed >= 1  # the app's pooled connection was really cut

        def up():
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))

        try:
            yield url, down, up
        finally:
            engine_for(url).dispose()


def logged_in_client(app):
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "username": "outage-analyst", "password": PASSWORD,
                                         "next": "/"})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return client


def router(client, path="/"):
    return client.post("/_dash-update-component", data=json.dumps(router_body(path)),
                       headers={"Content-Type": "application/json", "Origin": "http://localhost"})


def a_page_callback(app) -> dict:
    """The body of one ordinary callback (not the router; plain ids), as the browser sends it."""
    for output, spec in app.callback_map.items():
        if "_pages_content" in output or "{" in output or output.startswith(".."):
            continue
        return {"output": output, "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]}
                                              for o in output.strip(".").split("...")],
                "inputs": [{"id": i["id"], "property": i["property"], "value": None} for i in spec["inputs"]],
                "state": [{"id": s["id"], "property": s["property"], "value": None} for s in spec["state"]],
                "changedPropIds": []}
    raise AssertionError("no plain callback found")


@pytest.mark.parametrize("backend", [
    "postgresql",
    pytest.param("sqlite", marks=pytest.mark.skip(reason="an embedded SQLite file has no server that can go away")),
])
def test_database_outage_answers_503_and_recovers_without_restart(backend, outage_db, tmp_path, monkeypatch,
                                                                  caplog):
    from app import create_app

    url, down, up = outage_db
    use_cheap_hashes(monkeypatch)
    users.add_user(engine_for(url), "outage-analyst", PASSWORD, "analyst")
    app = create_app(load_settings(DATABASE_URL=url, DATA_DIR=tmp_path / "data", SCHEDULER="off",
                                   ACCESS_CONTROL="on", CACHE_URL="memory"))
    client = logged_in_client(app)
    assert client.get("/").status_code == 200
    assert router(client).status_code == 200
    assert client.get("/api/v1/datasets.json").status_code == 200
    callback = a_page_callback(app)
    headers = {"Content-Type": "application/json", "Origin": "http://localhost"}

    down()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        page = client.get("/peringkat?kab=5371")
        assert page.status_code == 503 and page.headers["Retry-After"] == "30"
        html = page.get_data(as_text=True)
        assert "Basis data sedang tidak tersedia" in html and "Traceback" not in html
        assert 'href="/peringkat?kab=5371"' in html  # "try again" reloads the same view
        client.set_cookie("pantau_lang", "en")
        assert "The database is unavailable" in client.get("/").get_data(as_text=True)
        client.delete_cookie("pantau_lang")

        content = router(client)  # the page's content says so (a browser shows no callback error)
        assert content.status_code == 200
        panel = content.get_json()["response"]["_pages_content"]["children"]
        assert panel["props"]["id"] == "db-unavailable"
        assert "Basis data sedang tidak tersedia" in json.dumps(panel, ensure_ascii=False)

        answer = client.post("/_dash-update-component", data=json.dumps(callback), headers=headers)
        assert answer.status_code == 503
        assert answer.get_json()["error"] == "The database is unavailable"

        api = client.get("/api/v1/datasets.json")
        assert api.status_code == 503 and api.is_json
        assert api.get_json() == {"error": "The database is unavailable", "pesan": "Basis data sedang tidak tersedia",
                                  "detail": api.get_json()["detail"], "status": 503}
    records = [r for r in caplog.records if r.name.startswith("pantau")]
    assert [r.levelname for r in records] == ["WARNING"], [r.getMessage() for r in records]  # one line, no traces
    assert records[0].exc_info is None

    up()
    assert client.get("/").status_code == 200  # the same app, no restart: the pool reconnects
    recovered = router(client)
    assert recovered.status_code == 200 and "db-unavailable" not in recovered.get_data(as_text=True)
    assert client.get("/api/v1/datasets.json").status_code == 200

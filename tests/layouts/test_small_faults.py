"""The small crashes and leaks of issue 14 (items 3, 6 and 7), each against the app served on loopback or in-process,
SQLite and PostgreSQL: repeated filter parameters, a CR/LF in `next`, unknown component scripts, callback bodies
over the size limit, and the export page's preview and the grids' CSV button in the audit log."""
from __future__ import annotations

import json

import pytest
import requests

from tests.layouts.test_auth import serve_with_auth
from tests.support.auth import PASSWORD, dash_post, login, router_body
from tests.support.auth import cheap_hashes  # noqa: F401 - the fixture, used through pytestmark
from warehouse import audit, users

pytestmark = pytest.mark.usefixtures("cheap_hashes")
PAGES_WITH_FILTERS = ("/", "/peta", "/peringkat", "/digital", "/pelaporan", "/ekspor")


def test_a_repeated_filter_parameter_renders_the_page_with_the_first_value(page_app):
    client = page_app.server.test_client()
    for path in PAGES_WITH_FILTERS:
        for search in ("?kab=5371&kab=5301", "?periode=2026-01&periode=x&jenis=a&jenis=b"):
            answer = client.post("/_dash-update-component", json=router_body(path, search))
            assert answer.status_code == 200, (path, search, answer.data[:300])
            assert "_pages_content" in answer.get_data(as_text=True)
    one = client.post("/_dash-update-component", json=router_body("/", "?kab=5371")).get_data(as_text=True)
    two = client.post("/_dash-update-component", json=router_body("/", "?kab=5371&kab=5301")).get_data(as_text=True)
    assert one == two  # the first value counts


def test_crlf_in_next_unknown_scripts_and_oversized_callbacks(db_url, engine, settings_for):
    users.add_user(engine, "pejabat", PASSWORD, "official")
    with serve_with_auth(settings_for(db_url, MAX_REQUEST_MB=1)) as (base, _app):
        session, answer = login(base, "pejabat", next_path="/\r\nX-Injected: 1")
        assert answer.status_code == 302 and answer.headers["Location"] in ("/", f"{base}/")
        assert "X-Injected" not in answer.headers
        for path in ("/_dash-component-suites/dash/nope.js", "/_dash-component-suites/nothing/x.js",
                     "/_dash-component-suites/dash/dcc/nope.v9.js"):
            missing = requests.get(base + path)
            assert missing.status_code == 404 and "Traceback" not in missing.text, path
        # A callback body over MAX_REQUEST_MB: 413 before anything reads it, with or without a session.
        body = router_body("/")
        body["padding"] = "x" * (1024 * 1024 + 10)
        for who in (requests.Session(), session):
            big = dash_post(who, base, body)
            assert big.status_code == 413 and big.json()["status"] == 413
        # A body without a declared length (chunked) is never read whole: Werkzeug's server reads none of it (400),
        # a server that passes chunked bodies on is cut at MAX_CONTENT_LENGTH (413).
        chunked = requests.post(f"{base}/_dash-update-component", data=iter([json.dumps(body).encode()]),
                                headers={"Content-Type": "application/json", "Origin": base},
                                cookies=session.cookies)
        assert chunked.status_code in (400, 413)
        assert dash_post(session, base, router_body("/")).status_code == 200  # the normal size still works


def test_the_export_preview_and_a_grid_download_are_audited(db_url, engine, settings_for):
    users.add_user(engine, "ana", PASSWORD, "analyst")
    with serve_with_auth(settings_for(db_url)) as (base, _app):
        session, _ = login(base, "ana")
        assert dash_post(session, base, router_body("/ekspor", "?dataset=registry&kab=5371")).status_code == 200
        grid = {"grid": "rk-grid", "type": "grid-export"}
        click = {"output": '{"grid":["MATCH"],"type":"grid-export-audited"}.data',
                 "outputs": {"id": {"grid": "rk-grid", "type": "grid-export-audited"}, "property": "data"},
                 "inputs": [{"id": grid, "property": "n_clicks", "value": 1}],
                 "state": [{"id": grid, "property": "id", "value": grid},
                           {"id": "url", "property": "pathname", "value": "/peringkat"},
                           {"id": "url", "property": "search", "value": "?kab=5371"}],
                 "changedPropIds": ['{"grid":"rk-grid","type":"grid-export"}.n_clicks']}
        assert dash_post(session, base, click).status_code == 200
    log = audit.read_audit(engine, action="export", username="ana")
    details = [json.loads(d) for d in log["detail"]]
    preview = next(d for d in details if d.get("view") == "preview")
    assert preview["dataset"] == "registry" and preview["query"]["kab"] == "5371" and preview["rows"] == 0
    download = next(d for d in details if d.get("view") == "grid")
    assert download == {"view": "grid", "grid": "rk-grid", "page": "/peringkat", "query": "?kab=5371", "clicks": 1}

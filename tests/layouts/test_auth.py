"""Access control and hardening over HTTP against the app served on loopback: logging in and out, cookie flags,
CSRF, tampered and foreign session cookies, a new password ending other sessions, security headers and generic error
pages, role and origin checks on Dash callbacks, bearer tokens with their kabupaten scope and audit, the login rate
limit (in memory and in Redis) — on SQLite and PostgreSQL."""
from __future__ import annotations

import contextlib
import json
import re
from datetime import timedelta

import pytest
import requests

from layouts import access
from tests.support.auth import PASSWORD, csrf_from, dash_post, login, router_body
from tests.support.auth import cheap_hashes  # noqa: F401 - the fixture, used through pytestmark
from tests.support.auth import audit_actions as actions
from tests.support.server import app_served
from tests.support.sql import add_cooperatives as add_registry_rows
from warehouse import audit, db, tokens, users

pytestmark = pytest.mark.usefixtures("cheap_hashes")
ADMIN_CALLBACK = "..adm-token-result.children...adm-token-table.children.."


@contextlib.contextmanager
def serve_with_auth(settings, before_install=None):
    """The real app with access control installed, on a loopback port; yields (base URL, Dash app)."""

    def install(app):
        if before_install:
            before_install(app)
        access.install(app)

    with app_served(settings, install) as served:
        yield served


def token_callback_body(name: str, days=None) -> dict:
    return {"output": ADMIN_CALLBACK,
            "outputs": [{"id": "adm-token-result", "property": "children"},
                        {"id": "adm-token-table", "property": "children"}],
            "inputs": [{"id": "adm-token-create", "property": "n_clicks", "value": 1}, []],
            "changedPropIds": ["adm-token-create.n_clicks"],
            "state": [{"id": "adm-token-name", "property": "value", "value": name},
                      {"id": "adm-token-days", "property": "value", "value": days}]}


def add_cooperatives(engine) -> None:
    """Three registry rows: two in Kota Kupang (5371), one in Manggarai (5310)."""
    add_registry_rows(engine, {"5371000000001": "5371", "5371000000002": "5371", "5310000000001": "5310"})


def test_login_logout_cookie_flags_csrf_and_tampering(db_url, engine, settings_for):
    users.add_user(engine, "ana", PASSWORD, "analyst")
    with serve_with_auth(settings_for(db_url)) as (base, _app):
        # CSRF: a login post without the form's token, or with another one, is refused.
        assert requests.post(f"{base}/login", data={"username": "ana", "password": PASSWORD}).status_code == 400
        session = requests.Session()
        session.get(f"{base}/login")
        refused = session.post(f"{base}/login", data={"csrf_token": "forged", "username": "ana", "password": PASSWORD})
        assert refused.status_code == 400 and "Traceback" not in refused.text
        assert actions(engine, action="login_ok") == []

        # Wrong password: the form again with a generic message, no session.
        session, answer = login(base, "ana", "not-the-password")
        assert answer.status_code == 200 and "Nama pengguna atau kata sandi salah" in answer.text
        assert 'id="login-form"' in answer.text
        assert session.get(f"{base}/api/v1/datasets.json").status_code == 401

        session, answer = login(base, "ana", next_path="/admin")
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin")
        cookie = answer.headers["Set-Cookie"]
        assert "pantau_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # development over http; production adds it (see test below)
        assert session.get(f"{base}/api/v1/datasets.json").status_code == 200
        # An open redirect is refused: `next` may only be a path on this site.
        _, outside = login(base, "ana", next_path="https://evil.example/")
        assert outside.headers["Location"] in ("/", f"{base}/")

        # A tampered session cookie is no session.
        value = session.cookies.get("pantau_session")
        forged = requests.Session()
        forged.cookies.set("pantau_session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
        assert forged.get(f"{base}/api/v1/datasets.json").status_code == 401
        # Nor is one signed with another key (the default key, when the server has its own).
        from flask.sessions import SecureCookieSessionInterface
        from flask import Flask

        other = Flask("forger")
        other.secret_key = "some-other-secret-key-123456"
        serializer = SecureCookieSessionInterface().get_signing_serializer(other)
        forged = requests.Session()
        info = users.get_user(engine, username="ana")
        forged.cookies.set("pantau_session", serializer.dumps({"_user_id": f"{info.id}.{info.secret_stamp}",
                                                                "_fresh": True}))
        assert forged.get(f"{base}/api/v1/datasets.json").status_code == 401

        # Logout needs the token too, then the session is gone.
        assert session.post(f"{base}/logout").status_code == 400
        page = session.get(f"{base}/logout")
        assert session.post(f"{base}/logout", data={"csrf_token": csrf_from(page.text)},
                            allow_redirects=False).status_code == 302
        assert session.get(f"{base}/api/v1/datasets.json").status_code == 401
    log = audit.read_audit(engine)
    assert list(log["action"])[:4][::-1] == ["login_ok", "export", "login_ok", "logout"]
    assert (log["action"] == "login_failed").sum() == 1


def test_password_change_ends_other_sessions(db_url, engine, settings_for):
    users.add_user(engine, "obi", PASSWORD, "analyst")
    with serve_with_auth(settings_for(db_url)) as (base, _app):
        session, _ = login(base, "obi")
        assert session.get(f"{base}/api/v1/datasets.json").status_code == 200
        users.set_password(engine, "obi", "a-brand-new-password")
        assert session.get(f"{base}/api/v1/datasets.json").status_code == 401


def test_security_headers_and_generic_error_pages(db_url, settings_for):
    def add_failures(app):
        @app.server.route("/boom")
        def _boom():
            raise RuntimeError("secret internal detail")

        from dash import Input, Output

        @app.callback(Output("boom-out", "children"), Input("boom-in", "n_clicks"))
        def _boom_callback(_n):
            raise ValueError("callback secret detail")

    with serve_with_auth(settings_for(db_url), add_failures) as (base, _app):
        for path in ("/", "/login"):
            headers = requests.get(base + path).headers
            csp = headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in csp and "'unsafe-eval'" not in csp
            assert re.search(r"script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;", csp)
            assert "default-src 'self'" in csp and "http" not in csp
            assert headers["X-Frame-Options"] == "DENY"
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Referrer-Policy"] == "same-origin"
        boom = requests.get(f"{base}/boom")
        assert boom.status_code == 500 and "Terjadi kesalahan" in boom.text
        assert "secret internal detail" not in boom.text and "Traceback" not in boom.text
        assert boom.headers["X-Frame-Options"] == "DENY"
        body = {"output": "boom-out.children", "outputs": {"id": "boom-out", "property": "children"},
                "inputs": [{"id": "boom-in", "property": "n_clicks", "value": 1}], "changedPropIds": ["boom-in.n_clicks"]}
        answer = dash_post(requests.Session(), base, body)
        assert answer.status_code == 500 and "callback secret detail" not in answer.text
        assert "Traceback" not in answer.text and answer.json()["status"] == 500
        missing = requests.get(f"{base}/assets/no-such-file.js")
        assert missing.status_code == 404 and "Traceback" not in missing.text


def test_production_cookie_is_secure(db_url, engine, settings_for):
    users.add_user(engine, "ana", PASSWORD, "analyst")
    settings = settings_for(db_url, ENVIRONMENT="production", SECRET_KEY="a-production-secret-of-some-length")
    with serve_with_auth(settings) as (base, _app):
        session = requests.Session()
        session.get(f"{base}/login")  # over http the Secure cookie is not sent back: the CSRF check fails ...
        token = re.search(r'value="([^"]+)"', session.get(f"{base}/login").text).group(1)
        answer = session.post(f"{base}/login", data={"csrf_token": token, "username": "ana", "password": PASSWORD},
                              allow_redirects=False)
        assert answer.status_code == 400  # ... which is right: production runs behind https
        first = requests.get(f"{base}/login")
        assert "Secure" in first.headers["Set-Cookie"] and "HttpOnly" in first.headers["Set-Cookie"]
        assert first.headers["Strict-Transport-Security"].startswith("max-age=")


def test_dash_callbacks_enforce_role_and_origin(db_url, engine, settings_for):
    users.add_user(engine, "obi", PASSWORD, "official")
    users.add_user(engine, "ana", PASSWORD, "analyst")
    with serve_with_auth(settings_for(db_url)) as (base, app):
        assert app.server.config["PANTAU_CALLBACK_PAGES"][ADMIN_CALLBACK] == "admin"
        body = token_callback_body("crafted")
        assert dash_post(requests.Session(), base, body).status_code == 401  # public
        official, _ = login(base, "obi")
        # an official opens the account page (their e-mail and alerts) but gets no API token: the callback refuses
        assert dash_post(official, base, body).status_code == 204 and tokens.list_tokens(engine).empty
        analyst, _ = login(base, "ana")
        assert dash_post(analyst, base, body, origin="https://evil.example").status_code == 403
        assert dash_post(analyst, base, body, origin=None).status_code == 403
        assert tokens.list_tokens(engine).empty
        answer = dash_post(analyst, base, token_callback_body("from the page", 7))
        assert answer.status_code == 200
        listed = tokens.list_tokens(engine)
        assert listed[["username", "name", "status"]].to_dict("records") == [
            {"username": "ana", "name": "from the page", "status": "active"}]
        shown = re.search(r"pk_[A-Za-z0-9_\-]{40,}", answer.text).group(0)
        assert tokens.user_for_token(engine, shown)[0].username == "ana"  # the token shown once is the real one
        assert shown[:8] == listed["prefix"].iloc[0]


def test_bearer_tokens_scope_and_audit(db_url, engine, settings_for):
    add_cooperatives(engine)
    users.add_user(engine, "ana", PASSWORD, "analyst")
    users.add_user(engine, "kupang", PASSWORD, "analyst", "5371")
    _, token = tokens.create_token(engine, "ana", "script")
    expired_id, expired = tokens.create_token(engine, "ana", "old", days=1, now=db.utcnow() - timedelta(days=2))
    revoked_id, revoked = tokens.create_token(engine, "ana", "revoked")
    tokens.revoke_token(engine, revoked_id)
    _, scoped = tokens.create_token(engine, "kupang", "kab script")
    with serve_with_auth(settings_for(db_url)) as (base, _app):
        url = f"{base}/api/v1/registry.json"
        assert requests.get(url).status_code == 401
        assert requests.get(url).headers["WWW-Authenticate"].startswith("Bearer")
        ok = requests.get(url, headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        assert sorted(r["nik"] for r in ok.json()["rows"]) == ["5310000000001", "5371000000001", "5371000000002"]
        for bad in (expired, revoked, "pk_" + "x" * 43, "garbage"):
            assert requests.get(url, headers={"Authorization": f"Bearer {bad}"}).status_code == 401
        # The kabupaten officer: only Kota Kupang's cooperatives; another kabupaten is refused.
        mine = requests.get(url, headers={"Authorization": f"Bearer {scoped}"})
        assert sorted(r["nik"] for r in mine.json()["rows"]) == ["5371000000001", "5371000000002"]
        assert requests.get(url + "?kab=5310", headers={"Authorization": f"Bearer {scoped}"}).status_code == 403
        assert requests.get(url + "?kab=5371", headers={"Authorization": f"Bearer {scoped}"}).status_code == 200
        # A token is for the API only: it does not open the dashboard's callbacks.
        answer = dash_post(requests.Session(), base, token_callback_body("via token"))
        assert answer.status_code == 401
    api_rows = audit.read_audit(engine, action="api")
    assert len(api_rows) == 4 and set(api_rows["username"]) == {"ana", "kupang"}
    assert {json.loads(d)["path"] for d in api_rows["detail"]} == {"/api/v1/registry.json"}
    assert tokens.list_tokens(engine, "ana").set_index("name")["last_used_at"].notna().to_dict() == {
        "script": True, "old": False, "revoked": False}


def test_login_rate_limited_per_address(db_url, engine, settings_for, monkeypatch):
    users.add_user(engine, "ana", PASSWORD, "analyst")
    monkeypatch.setattr(users, "IP_MAX_FAILURES", 3)
    with serve_with_auth(settings_for(db_url)) as (base, _app):
        for name in ("x1", "x2", "x3"):
            assert "Nama pengguna atau kata sandi salah" in login(base, name, "wrong-password")[1].text
        # The fourth attempt from this address is refused before the password is even checked.
        _, answer = login(base, "ana")
        assert answer.status_code == 429 and "Terlalu banyak" in answer.text
    assert actions(engine, action="login_ok") == []


def test_the_21st_failed_login_from_one_address_in_15_minutes_is_refused(db_url, engine, settings_for):
    """Flask-Limiter counts failed logins per address (a success does not count); the 21st is refused with 429
    before the password is checked; another address still logs in."""
    assert (users.IP_MAX_FAILURES, users.IP_WINDOW_MINUTES) == (20, 15)
    users.add_user(engine, "ana", PASSWORD, "analyst")
    with serve_with_auth(settings_for(db_url)) as (base, app):
        for attempt in range(19):
            assert login(base, f"nobody{attempt}", "wrong-password")[1].status_code == 200, attempt
        assert login(base, "ana")[1].status_code == 302  # a good login in between is not a failure
        twentieth = login(base, "nobody20", "wrong-password")[1]
        assert twentieth.status_code == 200 and "Nama pengguna atau kata sandi salah" in twentieth.text
        before = len(audit.read_audit(engine))
        _, refused = login(base, "ana", next_path="/admin")  # the right password, from the same address
        assert refused.status_code == 429 and "Terlalu banyak percobaan masuk" in refused.text
        assert 'id="login-form"' in refused.text and 'name="next" value="/admin"' in refused.text
        assert len(audit.read_audit(engine)) == before  # refused before authenticate: nothing checked or logged
        # Another address has its own count.
        other = app.server.test_client()
        other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
        token = csrf_from(other.get("/login").text)
        answer = other.post("/login", data={"csrf_token": token, "username": "ana", "password": PASSWORD})
        assert answer.status_code == 302
    assert list(audit.read_audit(engine, action="login_ok")["ip"]) == ["10.0.0.9", "127.0.0.1"]


def test_login_limit_counts_in_memory_or_in_redis_like_the_cache():
    from layouts.access.login import limiter_storage

    assert limiter_storage("") == "memory://"
    assert limiter_storage("memory") == "memory://"
    assert limiter_storage("redis://127.0.0.1:6379/15") == "redis://127.0.0.1:6379/15"
    assert limiter_storage("rediss://cache.example:6380/0") == "rediss://cache.example:6380/0"


def test_login_limit_in_redis_is_shared_by_every_worker(db_url, engine, settings_for, monkeypatch):
    """With CACHE_URL=redis://… two app processes (here two apps) count one address's failures together."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    store = redis.Redis.from_url(url)
    try:
        store.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    for key in store.scan_iter("*pantau-login*"):
        store.delete(key)
    users.add_user(engine, "ana", PASSWORD, "analyst")
    monkeypatch.setattr(users, "IP_MAX_FAILURES", 2)
    settings = settings_for(db_url, CACHE_URL=url)
    try:
        with serve_with_auth(settings) as (first, _), serve_with_auth(settings) as (second, _):
            assert login(first, "x1", "wrong-password")[1].status_code == 200
            assert login(second, "x2", "wrong-password")[1].status_code == 200
            assert login(first, "ana")[1].status_code == 429
            assert login(second, "ana")[1].status_code == 429
    finally:
        for key in store.scan_iter("*pantau-login*"):
            store.delete(key)
        from warehouse import queries

        queries.use_store(None)  # the next app installs its own store again


def test_form_posts_need_the_csrf_token_and_callbacks_the_origin(db_url, engine, settings_for):
    """Flask-WTF's CSRFProtect guards the forms (400, the generic page); Dash's callback endpoint keeps its own
    same-origin rule instead of a token; the nav's logout button carries a token that works."""
    users.add_user(engine, "ana", PASSWORD, "analyst")
    with serve_with_auth(settings_for(db_url)) as (base, app):
        from flask_wtf.csrf import CSRFProtect

        assert isinstance(app.server.extensions["csrf"], CSRFProtect)
        for path in ("/login", "/logout"):
            answer = requests.post(f"{base}{path}", data={"username": "ana", "password": PASSWORD})
            assert answer.status_code == 400, path
            assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
            assert '<h1 class="h4 mb-3" id="error-title">Permintaan tidak valid</h1>' in answer.text
            assert "CSRF" not in answer.text and "Traceback" not in answer.text
        # A callback needs no token, only this site's origin (Dash pages' router callback renders the overview).
        body = router_body("/")
        assert dash_post(requests.Session(), base, body).status_code == 200
        assert dash_post(requests.Session(), base, body, origin="https://evil.example").status_code == 403
        session, _ = login(base, "ana")
        layout = session.get(f"{base}/_dash-layout").text
        token = re.search(r'"id":"auth-logout",[^}]*"name":"csrf_token","type":"submit","value":"([^"]+)"',
                          layout).group(1)
        assert session.post(f"{base}/logout", data={"csrf_token": token}, allow_redirects=False).status_code == 302
        assert session.get(f"{base}/api/v1/datasets.json").status_code == 401

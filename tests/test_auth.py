"""Access control and hardening: users, lock-out, sessions, CSRF, headers, error pages, API tokens, scope, audit
and the `users` command line — on SQLite and PostgreSQL."""
from __future__ import annotations

import contextlib
import json
import re
from datetime import timedelta

import pytest
import requests
from argon2 import PasswordHasher, Type
from click.testing import CliRunner
from sqlalchemy import insert, select, update

from layouts import access
from tests.support.server import serve_dash
from warehouse import audit, db, models, tokens, users
from warehouse.models import Cooperative, IngestRun

PASSWORD = "kopdit-sehat-2026"
ADMIN_CALLBACK = "..adm-token-result.children...adm-token-table.children.."


# ------------------------------------------------------------------------------------------------ helpers
@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """Tests hash with tiny Argon2 costs (the production setting is checked in its own test)."""
    assert (users.HASHER.type, users.HASHER.memory_cost, users.HASHER.time_cost) == (Type.ID, 19 * 1024, 2)
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(users, "_DUMMY_HASH", [])


@contextlib.contextmanager
def serve_with_auth(settings, before_install=None):
    """The real app with access control installed, on a loopback port; yields (base URL, Dash app)."""
    from app import create_app, prepare_warehouse

    prepare_warehouse(settings)
    app = create_app(settings)
    if before_install:
        before_install(app)
    access.install(app)
    with serve_dash(app) as base_url:
        yield base_url, app


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(base: str, username: str, password: str = PASSWORD, next_path: str = "/") -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    token = csrf_from(session.get(f"{base}/login").text)
    answer = session.post(f"{base}/login", data={"csrf_token": token, "username": username, "password": password,
                                                 "next": next_path}, allow_redirects=False)
    return session, answer


def dash_post(session, base: str, body: dict, origin: str | None = "same"):
    headers = {"Content-Type": "application/json"}
    if origin:
        headers["Origin"] = base if origin == "same" else origin
    return session.post(f"{base}/_dash-update-component", data=json.dumps(body), headers=headers)


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
    with engine.begin() as conn:
        run = conn.execute(insert(IngestRun).values(source="cli", target="test", started_at=db.utcnow(),
                                                    status="success").returning(IngestRun.id)).scalar_one()
        for nik, code in (("5371000000001", "5371"), ("5371000000002", "5371"), ("5310000000001", "5310")):
            conn.execute(insert(Cooperative).values(nik=nik, name=f"Koperasi {nik}", regency_code=code,
                                                    type="simpan_pinjam", status="aktif", source="cli",
                                                    ingest_run_id=run, row_hash=1))


def actions(engine, **kwargs) -> list[str]:
    return list(audit.read_audit(engine, **kwargs)["action"])


# ------------------------------------------------------------------------------------------ passwords, users
def test_password_hash_is_argon2id_verifies_and_rehashes(engine):
    info = users.add_user(engine, "ina", PASSWORD, "official")
    with engine.connect() as conn:
        stored = conn.execute(select(models.User.password_hash).where(models.User.id == info.id)).scalar_one()
    assert PASSWORD not in stored and stored.startswith("$argon2id$")
    assert users.verify_password(stored, PASSWORD) == (True, False)
    assert users.verify_password(stored, PASSWORD + "x") == (False, False)
    assert users.verify_password("not-a-hash", PASSWORD) == (False, False)
    # An old, weaker hash is replaced by the current parameters at the next good login.
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    assert users.verify_password(weak, PASSWORD) == (True, True)
    with engine.begin() as conn:
        conn.execute(update(models.User).where(models.User.id == info.id).values(password_hash=weak))
    assert users.authenticate(engine, "ina", PASSWORD).ok
    with engine.connect() as conn:
        renewed = conn.execute(select(models.User.password_hash).where(models.User.id == info.id)).scalar_one()
    assert renewed != weak and users.verify_password(renewed, PASSWORD) == (True, False)


def test_user_rules_list_disable_and_set_password(engine):
    users.add_user(engine, "kupang", PASSWORD, "analyst", "5371", "Petugas Kupang")
    for args, message in ((("kupang", PASSWORD, "official"), "exists"), (("x1", PASSWORD, "boss"), "role"),
                          (("x2", PASSWORD, "admin", "5371"), "only an official or analyst"),
                          (("x3", PASSWORD, "official", "9999"), "unknown kabupaten"),
                          (("x4", "short", "official"), "at least"), (("bad name", PASSWORD, "official"), "username")):
        with pytest.raises(users.UserError, match=message):
            users.add_user(engine, *args)
    listed = users.list_users(engine)
    assert listed[["username", "role", "regency_code", "active"]].to_dict("records") == [
        {"username": "kupang", "role": "analyst", "regency_code": "5371", "active": True}]
    assert "password_hash" not in listed.columns
    before = users.get_user(engine, username="kupang").secret_stamp
    users.set_password(engine, "kupang", "another-long-password", by="admin")
    assert users.get_user(engine, username="kupang").secret_stamp != before  # other sessions end
    assert not users.authenticate(engine, "kupang", PASSWORD).ok
    assert users.authenticate(engine, "kupang", "another-long-password").ok
    users.disable_user(engine, "kupang", by="admin")
    assert users.authenticate(engine, "kupang", "another-long-password").reason == "disabled"
    assert not users.list_users(engine)["active"].iloc[0]
    assert actions(engine)[:4] == ["login_failed", "user_disabled", "login_ok", "login_failed"]


def test_lockout_after_five_failures_and_unlock_after_the_period(engine):
    users.add_user(engine, "budi", PASSWORD, "official")
    start = db.utcnow()
    for i in range(users.MAX_FAILURES - 1):
        result = users.authenticate(engine, "budi", "wrong-password", "10.0.0.7", now=start + timedelta(seconds=i))
        assert (result.ok, result.reason) == (False, "bad")
    fifth = users.authenticate(engine, "budi", "wrong-password", "10.0.0.7", now=start + timedelta(seconds=10))
    assert fifth.reason == "locked"
    assert fifth.locked_until == start + timedelta(seconds=10, minutes=users.LOCK_MINUTES)
    # The right password does not open a locked account ...
    during = users.authenticate(engine, "budi", PASSWORD, "10.0.0.7", now=start + timedelta(minutes=14))
    assert during.reason == "locked" and not during.ok
    # ... until the period is over.
    after = users.authenticate(engine, "budi", PASSWORD, "10.0.0.7", now=start + timedelta(minutes=16))
    assert after.ok and after.user.username == "budi"
    log = audit.read_audit(engine, username="budi")
    assert list(log["action"])[::-1] == ["login_failed"] * 5 + ["locked", "login_failed", "login_ok"]
    assert set(log["ip"]) == {"10.0.0.7"}
    assert json.loads(log[log["action"] == "locked"]["detail"].iloc[0])["minutes"] == users.LOCK_MINUTES
    # Unknown users are failed (and audited) the same way, without revealing that the name is unknown.
    assert users.authenticate(engine, "nobody", PASSWORD, "10.0.0.7").reason == "bad"
    assert (audit.read_audit(engine)["action"] == "login_failed").sum() == 7


def test_demo_users_once(engine):
    created = users.ensure_demo_users(engine)
    assert [(u, r, g) for u, _, r, g in created] == [("admin", "admin", None), ("analis", "analyst", None),
                                                      ("pejabat", "official", None), ("kota.kupang", "official", "5371")]
    for username, password, role, _ in created:
        result = users.authenticate(engine, username, password)
        assert result.ok and result.user.role == role
    assert users.ensure_demo_users(engine) == []


# ----------------------------------------------------------------------------------------------------- tokens
def test_tokens_create_list_revoke_expire(engine):
    users.add_user(engine, "ana", PASSWORD, "analyst")
    users.add_user(engine, "obi", PASSWORD, "official")
    now = db.utcnow()
    token_id, token = tokens.create_token(engine, "ana", "nightly script", days=30, now=now)
    assert token.startswith("pk_") and len(token) > 40
    listed = tokens.list_tokens(engine, "ana")
    assert listed[["id", "name", "prefix", "status"]].to_dict("records") == [
        {"id": token_id, "name": "nightly script", "prefix": token[:8], "status": "active"}]
    with engine.connect() as conn:
        stored = conn.execute(select(models.ApiToken.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64
    info, used_id = tokens.user_for_token(engine, token, now=now + timedelta(minutes=1))
    assert (info.username, used_id) == ("ana", token_id)
    assert tokens.list_tokens(engine, "ana")["last_used_at"].iloc[0] == now + timedelta(minutes=1)
    assert tokens.user_for_token(engine, token, now=now + timedelta(days=31)) is None  # expired
    assert tokens.list_tokens(engine, now=now + timedelta(days=31))["status"].tolist() == ["expired"]
    assert tokens.user_for_token(engine, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert not tokens.revoke_token(engine, token_id, owner="obi")  # not obi's token
    assert tokens.revoke_token(engine, token_id, owner="ana")
    assert tokens.user_for_token(engine, token) is None
    assert tokens.list_tokens(engine)["status"].tolist() == ["revoked"]
    assert not tokens.revoke_token(engine, token_id)  # already revoked
    with pytest.raises(users.UserError, match="analysts and admins"):
        tokens.create_token(engine, "obi", "x")
    # A disabled user's tokens stop working.
    _, second = tokens.create_token(engine, "ana", "second")
    users.disable_user(engine, "ana")
    assert tokens.user_for_token(engine, second) is None
    assert actions(engine, action=("token_created", "token_revoked")) == ["token_created", "token_revoked",
                                                                          "token_created"]


# ---------------------------------------------------------------------------------------------- over HTTP
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
        assert dash_post(official, base, body).status_code == 403  # official: no API tokens
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
        body = {"output": ".._pages_content.children..._pages_store.data..",
                "outputs": [{"id": "_pages_content", "property": "children"},
                            {"id": "_pages_store", "property": "data"}],
                "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                           {"id": "_pages_location", "property": "search", "value": ""}],
                "changedPropIds": ["_pages_location.pathname"], "state": []}
        assert dash_post(requests.Session(), base, body).status_code == 200
        assert dash_post(requests.Session(), base, body, origin="https://evil.example").status_code == 403
        session, _ = login(base, "ana")
        layout = session.get(f"{base}/_dash-layout").text
        token = re.search(r'"id":"auth-logout",[^}]*"name":"csrf_token","type":"submit","value":"([^"]+)"',
                          layout).group(1)
        assert session.post(f"{base}/logout", data={"csrf_token": token}, allow_redirects=False).status_code == 302
        assert session.get(f"{base}/api/v1/datasets.json").status_code == 401


# ------------------------------------------------------------------------------------------------- browser
@pytest.mark.browser
def test_browser_login_guarded_pages_and_token_page_under_csp(db_url, engine, settings_for, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.support.browser import console_errors, open_page

    users.add_user(engine, "ana", PASSWORD, "analyst")
    with serve_with_auth(settings_for(db_url)) as (base, _app):
        browser.delete_all_cookies()
        browser.get_log("browser")  # drop what earlier tests left
        open_page(browser, f"{base}/peringkat", ready_css="#auth-denied")
        assert "Perlu masuk" in browser.find_element(By.ID, "auth-denied").text
        assert "/login?next=%2Fperingkat" in browser.find_element(By.ID, "auth-login-link").get_attribute("href")
        browser.get(f"{base}/login?next=/admin")
        browser.find_element(By.ID, "username").send_keys("ana")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.ID, "login-submit").click()
        WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "adm-you")))
        assert "ana" in browser.find_element(By.ID, "adm-you").text
        assert not browser.find_elements(By.ID, "adm-audit")  # the audit log is for admins
        browser.find_element(By.ID, "adm-token-name").send_keys("laptop script")
        browser.find_element(By.ID, "adm-token-create").click()
        shown = WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "adm-new-token"))).text
        assert tokens.user_for_token(engine, shown)[0].username == "ana"
        assert browser.find_element(By.ID, "adm-token-list").text.count("laptop script") == 1
        open_page(browser, f"{base}/peringkat")
        assert not browser.find_elements(By.ID, "auth-denied")
        errors = console_errors(browser)
        assert errors == [], errors
    assert "token_created" in actions(engine)


# ------------------------------------------------------------------------------------------------------ CLI
def test_cli_users_and_tokens(db_url, engine):
    from app import cli

    runner = CliRunner()
    env = {"DATABASE_URL": db_url, "SCHEDULER": "off"}

    def run(*args, stdin=None):
        return runner.invoke(cli, ["users", *args], input=stdin, env=env, catch_exceptions=False)

    added = run("add", "kupang", "--role", "official", "--regency", "5371", "--full-name", "Petugas Kupang",
                "--password-stdin", stdin=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    prompted = run("add", "ana", "--role", "analyst", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    assert run("add", "ana", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 1
    assert run("add", "weak", "--role", "analyst", "--password-stdin", stdin="short\n").exit_code == 1
    listed = run("list").output
    assert re.search(r"kupang\s+official\s+5371\s+active", listed) and re.search(r"ana\s+analyst\s+-\s+active", listed)
    assert users.authenticate(engine, "kupang", PASSWORD).ok
    assert run("set-password", "kupang", "--password-stdin", stdin="a-new-long-password\n").exit_code == 0
    assert users.authenticate(engine, "kupang", "a-new-long-password").ok
    assert run("disable", "kupang").exit_code == 0
    assert re.search(r"kupang\s+official\s+5371\s+disabled", run("list").output)
    assert run("disable", "nobody").exit_code == 1
    created = run("tokens", "create", "ana", "--name", "cron", "--days", "30")
    token = created.output.strip().splitlines()[-1]
    assert created.exit_code == 0 and tokens.user_for_token(engine, token)[0].username == "ana"
    token_id = int(re.search(r"token (\d+)", created.output).group(1))
    assert re.search(rf"{token_id}\s+ana\s+{re.escape(token[:8])}\s+active", run("tokens", "list").output)
    assert run("tokens", "revoke", str(token_id)).exit_code == 0
    assert tokens.user_for_token(engine, token) is None
    assert run("tokens", "revoke", str(token_id)).exit_code == 1
    assert actions(engine)[:3] == ["token_revoked", "token_created", "user_disabled"]

"""Sessions that end (issue 14, item 1): a copied cookie stops working at logout, a password change, disabling the
user and "log out everywhere"; idle and absolute time-outs — on the app served on loopback, SQLite and PostgreSQL."""
from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select, update

from tests.layouts.test_auth import serve_with_auth
from tests.support.auth import PASSWORD, csrf_from, dash_post, login, router_body
from tests.support.auth import cheap_hashes  # noqa: F401 - the fixture, used through pytestmark
from tests.support.auth import audit_actions as actions
from warehouse import db, sessions, users
from warehouse.models import UserSession

pytestmark = pytest.mark.usefixtures("cheap_hashes")
ROWS = "/peringkat/koperasi.json"  # the cooperative rows an official may read
PROJECT = Path(__file__).resolve().parents[2]


def replay(base: str, cookie: str) -> requests.Response:
    """A request carrying only a copied session cookie (another browser, or a thief)."""
    return requests.get(f"{base}{ROWS}", cookies={"pantau_session": cookie}, allow_redirects=False)


def logged_in(base: str, username: str) -> tuple[requests.Session, str]:
    session, answer = login(base, username)
    assert answer.status_code == 302
    return session, session.cookies["pantau_session"]


def post_logout(session: requests.Session, base: str, everywhere: bool = False) -> requests.Response:
    token = csrf_from(session.get(f"{base}/logout").text)
    data = {"csrf_token": token, **({"everywhere": "1"} if everywhere else {})}
    return session.post(f"{base}/logout", data=data, allow_redirects=False)


def end_reasons(engine) -> list[str | None]:
    with engine.connect() as conn:
        return [r for (r,) in conn.execute(select(UserSession.end_reason).order_by(UserSession.created_at))]


def test_logout_ends_every_copy_of_the_cookie(db_url, engine, settings_for):
    users.add_user(engine, "pejabat", PASSWORD, "official")
    with serve_with_auth(settings_for(db_url)) as (base, _app):
        session, cookie = logged_in(base, "pejabat")
        assert replay(base, cookie).status_code == 200  # the copy works while the session lives
        copy = requests.Session()
        copy.cookies.set("pantau_session", cookie)
        before = dash_post(copy, base, router_body("/peringkat"))
        assert before.status_code == 200 and "auth-denied" not in before.text
        assert post_logout(session, base).status_code == 302
        after = replay(base, cookie)
        assert after.status_code in (401, 403) and "kop-" not in after.text
        # ... and never again: the replay gets no renewed session cookie carrying a login.
        again = replay(base, cookie)
        assert again.status_code in (401, 403)
        assert "pantau_session" not in again.cookies or again.cookies["pantau_session"] != cookie
        # Dash callbacks refuse it too: the router shows the log-in panel instead of the page.
        copy = requests.Session()
        copy.cookies.set("pantau_session", cookie)
        page = dash_post(copy, base, router_body("/peringkat"))
        assert page.text != before.text and "auth-denied" in page.text
    assert end_reasons(engine) == ["logout"]
    assert "logout" in actions(engine)


def test_password_change_disable_and_everywhere_end_other_browsers(db_url, engine, settings_for):
    users.add_user(engine, "ana", PASSWORD, "analyst")
    users.add_user(engine, "budi", PASSWORD, "official")
    with serve_with_auth(settings_for(db_url)) as (base, _app):
        _, office = logged_in(base, "ana")
        _, phone = logged_in(base, "ana")
        _, other_user = logged_in(base, "budi")
        users.set_password(engine, "ana", PASSWORD + "-baru", by="admin")
        assert replay(base, office).status_code in (401, 403) and replay(base, phone).status_code in (401, 403)
        assert replay(base, other_user).status_code == 200  # another user's session is not touched

        # "Log out on all devices" from one browser ends the others.
        laptop, laptop_cookie = logged_in(base, "budi")
        assert post_logout(laptop, base, everywhere=True).status_code == 302
        assert replay(base, other_user).status_code in (401, 403)
        assert replay(base, laptop_cookie).status_code in (401, 403)

        _, again = logged_in(base, "budi")
        users.disable_user(engine, "budi", by="admin")
        assert replay(base, again).status_code in (401, 403)
    reasons = end_reasons(engine)
    assert reasons.count("password") == 2 and reasons.count("everywhere") == 2 and reasons.count("disabled") == 1
    assert "sessions_ended" in actions(engine)


def test_idle_and_absolute_time_outs(db_url, engine, settings_for):
    users.add_user(engine, "pejabat", PASSWORD, "official")
    settings = settings_for(db_url, SESSION_IDLE_MINUTES=30, SESSION_MAX_HOURS=8)
    with serve_with_auth(settings) as (base, _app):
        _, idle = logged_in(base, "pejabat")
        _, busy = logged_in(base, "pejabat")
        now = db.utcnow()
        with engine.begin() as conn:  # one browser untouched for 31 minutes, the other busy but logged in 8 h ago
            rows = conn.execute(select(UserSession.id).order_by(UserSession.created_at)).scalars().all()
            conn.execute(update(UserSession).where(UserSession.id == rows[0])
                         .values(last_seen_at=now - timedelta(minutes=31)))
            conn.execute(update(UserSession).where(UserSession.id == rows[1])
                         .values(created_at=now - timedelta(hours=8, minutes=1), last_seen_at=now))
        assert replay(base, idle).status_code in (401, 403)
        assert replay(base, busy).status_code in (401, 403)
        _, fresh = logged_in(base, "pejabat")
        assert replay(base, fresh).status_code == 200
    assert sorted(r for r in end_reasons(engine) if r) == ["expired", "idle"]


def test_a_live_session_is_touched_at_most_once_a_minute(db_url, engine):
    user = users.add_user(engine, "pejabat", PASSWORD, "official")
    start = db.utcnow()
    secret = sessions.open_session(engine, user.id, "127.0.0.1", now=start)
    for seconds in (5, 30, 59):
        assert sessions.check_session(engine, secret, 60, 10, now=start + timedelta(seconds=seconds)) is not None
    with engine.connect() as conn:
        seen = db.aware_utc(conn.execute(select(UserSession.last_seen_at)).scalar())
    assert seen == start
    assert sessions.check_session(engine, secret, 60, 10, now=start + timedelta(seconds=61)) is not None
    with engine.connect() as conn:
        assert db.aware_utc(conn.execute(select(UserSession.last_seen_at)).scalar()) == start + timedelta(seconds=61)
    # a made-up or over-long secret finds nothing
    assert sessions.check_session(engine, "not-a-session", 60, 10) is None
    assert sessions.check_session(engine, "x" * 5000, 60, 10) is None


def test_admin_logs_a_user_out_everywhere_from_the_command_line(db_url, engine, tmp_path):
    user = users.add_user(engine, "pejabat", PASSWORD, "official")
    sessions.open_session(engine, user.id)
    sessions.open_session(engine, user.id)
    env = {"DATABASE_URL": db_url, "DATA_DIR": str(tmp_path), "SCHEDULER": "off", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "app.py", "users", "logout", "pejabat"], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "2 session(s) of pejabat ended" in done.stdout
    assert sessions.live_sessions(engine, "pejabat") == 0
    unknown = subprocess.run([sys.executable, "app.py", "users", "logout", "nobody"], cwd=PROJECT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert unknown.returncode == 1 and "no user nobody" in unknown.stderr


def test_the_login_page_does_not_tell_real_names_from_unknown_ones(db_url, engine, settings_for):
    users.add_user(engine, "pejabat", PASSWORD, "official")
    with serve_with_auth(settings_for(db_url)) as (base, _app):
        answers = {}
        for name in ("pejabat", "tidak.ada"):
            for _ in range(users.MAX_FAILURES + 1):  # the real account is locked after five
                _, answer = login(base, name, "wrong-password-123")
            answers[name] = answer
        assert users.authenticate(engine, "pejabat", PASSWORD, "127.0.0.1").reason == "locked"

        def message(page: str) -> str:
            return page.split('id="login-form"')[0].replace("pejabat", "NAME").replace("tidak.ada", "NAME")

        assert answers["pejabat"].status_code == answers["tidak.ada"].status_code == 200
        assert message(answers["pejabat"].text) == message(answers["tidak.ada"].text)
        assert "dikunci" in answers["pejabat"].text

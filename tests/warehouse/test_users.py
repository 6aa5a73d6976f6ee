"""Accounts in the warehouse (warehouse/users.py): Argon2id password hashes that verify and are renewed, the rules of
a user (roles, kabupaten scope, names, password length), listing, disabling and new passwords, the lock-out after
five failures, the demo users, and the `users` command line (with its API tokens) — on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import select, update

from tests.support.auth import PASSWORD, cheap_hashes  # noqa: F401 - the fixture, used through pytestmark
from tests.support.auth import audit_actions as actions
from warehouse import audit, db, models, tokens, users

pytestmark = pytest.mark.usefixtures("cheap_hashes")


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


def test_a_lock_holds_against_the_failing_addresses_only(engine):
    """Guessing wrong on purpose from one address cannot shut the user out from another (issue 14, item 7)."""
    users.add_user(engine, "budi", PASSWORD, "official")
    start = db.utcnow()
    for i in range(users.MAX_FAILURES):
        users.authenticate(engine, "budi", "wrong-password", "203.0.113.9", now=start + timedelta(seconds=i))
    during = start + timedelta(minutes=1)
    assert users.authenticate(engine, "budi", PASSWORD, "203.0.113.9", now=during).reason == "locked"
    assert users.authenticate(engine, "budi", PASSWORD, None, now=during).reason == "locked"  # the command line
    # A third address guessing wrong is held by the lock from then on, and the lock stays.
    assert users.authenticate(engine, "budi", "wrong-again", "198.51.100.4", now=during).reason == "locked"
    assert users.authenticate(engine, "budi", PASSWORD, "198.51.100.4", now=during).reason == "locked"
    # The user at the office (an address that never failed) logs in, and that lifts the lock.
    office = users.authenticate(engine, "budi", PASSWORD, "10.20.30.40", now=during + timedelta(seconds=1))
    assert office.ok
    assert users.authenticate(engine, "budi", PASSWORD, "203.0.113.9", now=during + timedelta(seconds=2)).ok

"""Who may use the dashboard: users (hashed passwords, role, optional kabupaten scope, lock-out) and the demo users.
API tokens are in `warehouse/tokens.py`, the audit log in `warehouse/audit.py`; the tables in `warehouse/models.py`.
Pure warehouse code: no Flask here (`layouts.access` is the web side).

Passwords use Argon2id (argon2-cffi; OWASP's setting m=19 MiB, t=2, p=1): memory-hard, OWASP's first choice;
`verify_password` tells when a stored hash needs re-hashing with newer parameters, and a login re-hashes it.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    Engine,
    func,
    insert,
    select,
    update,
)

from warehouse import audit, db, sessions
from warehouse.db import aware_utc
from warehouse.models import ApiToken, AuditLog, Regency, User

# ----------------------------------------------------------------------------------------------------- constants
ROLES = ("official", "analyst", "admin")  # "public" is the reader who is not logged in
SCOPED_ROLES = ("official", "analyst")  # a kabupaten officer is one of these with a regency_code
MAX_FAILURES = 5  # failed passwords in a row before the account locks
LOCK_MINUTES = 15  # how long a locked account stays locked
IP_MAX_FAILURES = 20  # failed logins from one address within IP_WINDOW_MINUTES before it is refused outright
IP_WINDOW_MINUTES = 15
MIN_PASSWORD_LENGTH = 10

# Argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): about 50 ms on one core, so a
# burst of logins cannot exhaust a 2-core server's memory or CPU; `verify_password` flags older settings.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class UserError(ValueError):
    """A request the user store refuses (unknown user, bad role, weak password, ...); the message says why."""


# ------------------------------------------------------------------------------------------------------ helpers
@dataclass(frozen=True)
class UserInfo:
    """A user as the web side sees it (never the password hash itself, only a fingerprint of it: a session
    carries the fingerprint, so a password change or reset ends every other session of that user)."""

    id: int
    username: str
    full_name: str | None
    role: str
    regency_code: str | None
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    secret_stamp: str
    email: str | None = None
    digest: bool = True
    muted_rules: tuple[str, ...] = ()

    @classmethod
    def from_row(cls, row) -> "UserInfo":
        stamp = hashlib.sha256(row.password_hash.encode()).hexdigest()[:16]
        muted = tuple(r for r in (getattr(row, "muted_rules", None) or "").split(",") if r)
        return cls(row.id, row.username, row.full_name, row.role, row.regency_code, bool(row.active),
                   aware_utc(row.locked_until), aware_utc(row.last_login_at), stamp, getattr(row, "email", None),
                   bool(getattr(row, "digest", True)), muted)


@dataclass(frozen=True)
class AuthResult:
    """The outcome of a login attempt. reason: ok, bad (unknown user or wrong password: the reader is told the
    same for both), locked (too many failures; `locked_until` says until when), disabled."""

    ok: bool
    reason: str
    user: UserInfo | None = None
    locked_until: datetime | None = None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> tuple[bool, bool]:
    """(matches, needs rehash). A malformed hash never matches."""
    try:
        HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, False
    return True, HASHER.check_needs_rehash(password_hash)


# A hash to verify against when the username is unknown, so the answer takes as long as for a real user.
_DUMMY_HASH: list[str] = []


def _dummy_verify(password: str) -> None:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(HASHER.hash(secrets.token_urlsafe(16)))
    verify_password(_DUMMY_HASH[0], password)


def check_password_strength(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if username and username.lower() in password.lower():
        raise UserError("password must not contain the username")


def user_row(conn, username: str):
    return conn.execute(select(User).where(User.username == username)).first()


def _known_regency(conn, code: str) -> bool:
    return conn.execute(select(Regency.code).where(Regency.code == code)).first() is not None


# -------------------------------------------------------------------------------------------------------- users
def add_user(engine: Engine, username: str, password: str, role: str, regency_code: str | None = None,
             full_name: str | None = None, by: str | None = None, ip: str | None = None,
             now: datetime | None = None, email: str | None = None) -> UserInfo:
    """Create a user (audited as user_added by `by`). Raises UserError for a taken name, unknown role or
    kabupaten, a scoped admin, a weak password or a malformed e-mail address."""
    email = check_email(email) if email else None
    username = (username or "").strip()
    if not username or len(username) > 60 or not all(c.isalnum() or c in "._-" for c in username):
        raise UserError("username: 1–60 letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if regency_code and role not in SCOPED_ROLES:
        raise UserError("only an official or analyst can be limited to one kabupaten/kota")
    check_password_strength(password, username)
    now = now or db.utcnow()
    with engine.begin() as conn:
        if regency_code and not _known_regency(conn, regency_code):
            raise UserError(f"unknown kabupaten/kota code {regency_code}")
        if user_row(conn, username) is not None:
            raise UserError(f"user {username} exists already")
        conn.execute(insert(User).values(
            username=username, full_name=full_name, role=role, regency_code=regency_code or None,
            password_hash=hash_password(password), active=True, failed_logins=0, created_at=now, email=email,
            digest=True))
        audit.record(conn, "user_added", by, {"user": username, "role": role, "regency": regency_code,
                                              "email": email}, ip, now)
        return UserInfo.from_row(user_row(conn, username))


def get_user(engine: Engine, user_id: int | None = None, username: str | None = None) -> UserInfo | None:
    where = User.id == user_id if user_id is not None else User.username == username
    with engine.connect() as conn:
        row = conn.execute(select(User).where(where)).first()
    return UserInfo.from_row(row) if row else None


def set_password(engine: Engine, username: str, password: str, by: str | None = None, ip: str | None = None,
                 now: datetime | None = None) -> None:
    """Set a new password; also clears a lock-out (an admin's reset is how a locked user gets back in early)."""
    check_password_strength(password, username)
    now = now or db.utcnow()
    with engine.begin() as conn:
        user_id = conn.execute(select(User.id).where(User.username == username)).scalar()
        if user_id is None:
            raise UserError(f"no user {username}")
        conn.execute(update(User).where(User.id == user_id).values(
            password_hash=hash_password(password), failed_logins=0, locked_until=None))
        ended = sessions.end_user_sessions(conn, user_id, "password", now)  # every browser logs in again
        audit.record(conn, "password_set", by or username, {"user": username, "sessions_ended": ended}, ip, now)


EMAIL = re.compile(r"^[^@\s;,<>\"]+@[^@\s;,<>\"]+\.[A-Za-z]{2,}$")


def check_email(email: str) -> str:
    """The address, trimmed; UserError when it is not one (the digest is sent there)."""
    email = (email or "").strip()
    if len(email) > 254 or not EMAIL.match(email):
        raise UserError(f"not an e-mail address: {email!r}")
    return email


def set_email(engine: Engine, username: str, email: str | None, by: str | None = None, ip: str | None = None,
              now: datetime | None = None) -> None:
    """Set (or, with None or "", remove) a user's e-mail address: the daily digest goes there. A new address
    subscribes the user again."""
    email = check_email(email) if email else None
    now = now or db.utcnow()
    with engine.begin() as conn:
        user_id = conn.execute(select(User.id).where(User.username == username)).scalar()
        if user_id is None:
            raise UserError(f"no user {username}")
        values = {"email": email}
        if email:
            values["digest"] = True
        conn.execute(update(User).where(User.id == user_id).values(**values))
        audit.record(conn, "email_set", by or username, {"user": username, "email": email}, ip, now)


def set_alert_preferences(engine: Engine, username: str, muted: list[str] | tuple[str, ...], digest: bool,
                          known: tuple[str, ...], by: str | None = None, ip: str | None = None,
                          now: datetime | None = None, language: str | None = None) -> None:
    """The alert rules a user switched off (of `known`), whether the daily digest is sent to them, and in which
    language (id or en; None keeps it)."""
    unknown = [r for r in muted if r not in known]
    if unknown:
        raise UserError(f"unknown alert rule(s): {', '.join(unknown)}")
    text = ",".join(r for r in known if r in set(muted)) or None
    now = now or db.utcnow()
    with engine.begin() as conn:
        values = {"muted_rules": text, "digest": bool(digest)}
        if language in ("id", "en"):
            values["language"] = language
        done = conn.execute(update(User).where(User.username == username).values(**values)).rowcount
        if not done:
            raise UserError(f"no user {username}")
        audit.record(conn, "alert_rules", by or username, {"user": username, "muted": list(muted),
                                                           "digest": bool(digest)}, ip, now)


def unsubscribe(engine: Engine, user_id: int, ip: str | None = None, now: datetime | None = None) -> str | None:
    """Stop the daily digest of a user (the e-mail's unsubscribe link); their username, None when unknown."""
    now = now or db.utcnow()
    with engine.begin() as conn:
        username = conn.execute(select(User.username).where(User.id == user_id)).scalar()
        if username is None:
            return None
        conn.execute(update(User).where(User.id == user_id).values(digest=False))
        audit.record(conn, "unsubscribed", username, {"user": username}, ip, now)
    return username


def disable_user(engine: Engine, username: str, by: str | None = None, ip: str | None = None,
                 now: datetime | None = None) -> None:
    """Disable a user: no login, no session, no API token works any more (rows stay for the audit trail)."""
    now = now or db.utcnow()
    with engine.begin() as conn:
        user_id = conn.execute(select(User.id).where(User.username == username)).scalar()
        if user_id is None:
            raise UserError(f"no user {username}")
        conn.execute(update(User).where(User.id == user_id).values(active=False))
        ended = sessions.end_user_sessions(conn, user_id, "disabled", now)
        audit.record(conn, "user_disabled", by, {"user": username, "sessions_ended": ended}, ip, now)


def list_users(engine: Engine) -> pd.DataFrame:
    """Every user without the password hash: username, full_name, role, regency_code, active, locked_until,
    failed_logins, created_at, last_login_at, tokens (active token count)."""
    live_tokens = (select(ApiToken.user_id, func.count().label("tokens")).where(ApiToken.revoked_at.is_(None))
                   .group_by(ApiToken.user_id).subquery())
    query = (select(User.id, User.username, User.full_name, User.role, User.regency_code, User.active,
                    User.locked_until, User.failed_logins, User.created_at, User.last_login_at,
                    func.coalesce(live_tokens.c.tokens, 0).label("tokens"), User.email, User.digest)
             .outerjoin(live_tokens, live_tokens.c.user_id == User.id).order_by(User.username))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["id", "username", "full_name", "role", "regency_code", "active", "locked_until",
                                      "failed_logins", "created_at", "last_login_at", "tokens", "email", "digest"])
    for column in ("locked_until", "created_at", "last_login_at"):
        frame[column] = pd.Series([aware_utc(v) for v in frame[column]], index=frame.index, dtype=object)
    for column in ("full_name", "regency_code", "email"):  # None stays None (not NaN) for the command line and page
        frame[column] = pd.Series([None if pd.isna(v) else v for v in frame[column]], index=frame.index,
                                  dtype=object)
    frame["active"] = frame["active"].astype(bool)
    frame["tokens"] = frame["tokens"].astype(int)
    return frame


def _failed_from(conn, username: str, ip: str | None, now: datetime) -> bool:
    """Did this address fail to log in as `username` within the last two lock periods (the run-up to a lock and
    the lock itself)? Without an address (the command line) the lock always holds."""
    if ip is None:
        return True
    since = now - timedelta(minutes=2 * LOCK_MINUTES)
    return conn.execute(select(AuditLog.id).where(AuditLog.action == "login_failed", AuditLog.username == username,
                                                  AuditLog.ip == ip[:45], AuditLog.at >= since).limit(1)).first() \
        is not None


def authenticate(engine: Engine, username: str, password: str, ip: str | None = None,
                 now: datetime | None = None) -> AuthResult:
    """Check a login and record it in the audit log. MAX_FAILURES wrong passwords in a row lock the account for
    LOCK_MINUTES (audited as `locked`); while locked even the right password is refused from every address that
    failed for this account, while from another address the right password still logs in (and lifts the lock);
    after the period the count starts again. A correct password re-hashes an outdated hash."""
    now = now or db.utcnow()
    username = (username or "").strip()
    with engine.begin() as conn:
        row = user_row(conn, username) if username else None
        if row is None:
            _dummy_verify(password or "")
            audit.record(conn, "login_failed", username or None, {"reason": "unknown_user"}, ip, now)
            return AuthResult(False, "bad")
        user = row
        locked_until = aware_utc(user.locked_until)
        locked = locked_until is not None and locked_until > now
        if locked and _failed_from(conn, username, ip, now):
            audit.record(conn, "login_failed", username, {"reason": "locked"}, ip, now)
            return AuthResult(False, "locked", locked_until=locked_until)
        # (A lock is held against the addresses that failed; from any other the password is still checked, so
        # nobody can shut a user out of their account by guessing wrong on purpose.)
        matches, rehash = verify_password(user.password_hash, password or "")
        if matches and not user.active:
            audit.record(conn, "login_failed", username, {"reason": "disabled"}, ip, now)
            return AuthResult(False, "disabled")
        if not matches and locked:  # another address failing too: it is now held by the lock as well
            audit.record(conn, "login_failed", username, {"reason": "password", "while": "locked"}, ip, now)
            return AuthResult(False, "locked", locked_until=locked_until)
        if not matches:
            # A lock that has run out starts a fresh count.
            failures = (0 if locked_until is not None else user.failed_logins or 0) + 1
            values = {"failed_logins": failures, "locked_until": None}
            audit.record(conn, "login_failed", username, {"reason": "password", "failures": failures}, ip, now)
            if failures >= MAX_FAILURES:
                values = {"failed_logins": 0, "locked_until": now + timedelta(minutes=LOCK_MINUTES)}
                audit.record(conn, "locked", username, {"minutes": LOCK_MINUTES, "failures": failures}, ip, now)
            conn.execute(update(User).where(User.id == user.id).values(**values))
            if failures >= MAX_FAILURES:
                return AuthResult(False, "locked", locked_until=values["locked_until"])
            return AuthResult(False, "bad")
        values = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if rehash:
            values["password_hash"] = hash_password(password)
        conn.execute(update(User).where(User.id == user.id).values(**values))
        audit.record(conn, "login_ok", username, None, ip, now)
        return AuthResult(True, "ok", UserInfo.from_row(user_row(conn, username)))


# ---------------------------------------------------------------------------------------------------- demo users
DEMO_USERS = (  # username, role, regency, full name
    ("admin", "admin", None, "Admin Dinas (demo)"),
    ("analis", "analyst", None, "Analis Dinas (demo)"),
    ("pejabat", "official", None, "Pejabat Dinas (demo)"),
    ("kota.kupang", "official", "5371", "Petugas Kota Kupang (demo)"),
)


def has_users(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(User.id).limit(1)).first() is not None


DEMO_MAIL_DOMAIN = "example.org"  # RFC 2606: the demo users' digests can never reach a real mailbox


def ensure_demo_users(engine: Engine) -> list[tuple[str, str, str, str | None]]:
    """On a warehouse without users: one user per role and one kabupaten officer (Kota Kupang, 5371), each with
    a random password and the address <username>@example.org. Returns [(username, password, role, regency)] to
    print once; [] when users exist."""
    if has_users(engine):
        return []
    created = []
    for username, role, regency, full_name in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        add_user(engine, username, password, role, regency, full_name, by="demo",
                 email=f"{username}@{DEMO_MAIL_DOMAIN}")
        created.append((username, password, role, regency))
    return created

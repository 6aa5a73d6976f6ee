"""Who may use the dashboard: users (hashed passwords, role, optional kabupaten scope, lock-out), API tokens for
analysts' scripts (stored as SHA-256 of a high-entropy secret, shown once), and the audit log of logins, exports,
token use and admin actions. Pure warehouse code: no Flask here (`layouts.access` is the web side).

Passwords use Argon2id (argon2-cffi; OWASP's setting m=19 MiB, t=2, p=1): memory-hard, OWASP's first choice;
`verify_password` tells when a stored hash needs re-hashing with newer parameters, and a login re-hashes it.
API tokens are 32 random bytes, so a fast hash is enough: nobody can brute-force 256 bits, and a SHA-256 lookup
by index keeps every API call cheap."""
from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.models import Base, Regency

# ----------------------------------------------------------------------------------------------------- constants
ROLES = ("official", "analyst", "admin")  # "public" is the reader who is not logged in
SCOPED_ROLES = ("official", "analyst")  # a kabupaten officer is one of these with a regency_code
MAX_FAILURES = 5  # failed passwords in a row before the account locks
LOCK_MINUTES = 15  # how long a locked account stays locked
IP_MAX_FAILURES = 20  # failed logins from one address within IP_WINDOW_MINUTES before it is refused outright
IP_WINDOW_MINUTES = 15
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "pk_"  # tokens read "pk_<43 url-safe characters>"; easy to spot in a leaked file
AUDIT_ACTIONS = ("login_ok", "login_failed", "locked", "logout", "export", "api", "token_created", "token_revoked",
                 "user_added", "user_disabled", "password_set", "ingest_trigger")

# Argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): about 50 ms on one core, so a
# burst of logins cannot exhaust a 2-core server's memory or CPU; `verify_password` flags older settings.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class UserError(ValueError):
    """A request the user store refuses (unknown user, bad role, weak password, ...); the message says why."""


# -------------------------------------------------------------------------------------------------------- tables
class User(Base):
    """A person who logs in. role: official (reads everything), analyst (+ bulk export and API tokens), admin
    (+ users and ingest). regency_code set = a kabupaten officer who sees only that kabupaten's cooperatives."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12))
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regencies.code"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A bearer token for scripts; only its SHA-256 is stored (the token is shown once, when created)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(8))  # first 8 characters, to recognise a token in a list
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditLog(Base):
    """Who did what, when, from where: logins (ok, failed, locked), logouts, exports, API use, token and user
    changes, ingest triggers. Append-only; detail is JSON text."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    username: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(45))

    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_ip_action_at", "ip", "action", "at"))


# ------------------------------------------------------------------------------------------------------ helpers
def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes; PostgreSQL aware ones. Compare them as aware UTC."""
    if moment is None or pd.isna(moment):
        return None
    if isinstance(moment, pd.Timestamp):
        moment = moment.to_pydatetime()
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


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

    @classmethod
    def from_row(cls, row) -> "UserInfo":
        stamp = hashlib.sha256(row.password_hash.encode()).hexdigest()[:16]
        return cls(row.id, row.username, row.full_name, row.role, row.regency_code, bool(row.active),
                   _aware(row.locked_until), _aware(row.last_login_at), stamp)


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


def _user_row(conn, username: str):
    return conn.execute(select(User).where(User.username == username)).first()


def _known_regency(conn, code: str) -> bool:
    return conn.execute(select(Regency.code).where(Regency.code == code)).first() is not None


# -------------------------------------------------------------------------------------------------------- users
def add_user(engine: Engine, username: str, password: str, role: str, regency_code: str | None = None,
             full_name: str | None = None, by: str | None = None, ip: str | None = None,
             now: datetime | None = None) -> UserInfo:
    """Create a user (audited as user_added by `by`). Raises UserError for a taken name, unknown role or
    kabupaten, a scoped admin or a weak password."""
    username = (username or "").strip()
    if not username or len(username) > 60 or not all(c.isalnum() or c in "._-" for c in username):
        raise UserError("username: 1–60 letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if regency_code and role not in SCOPED_ROLES:
        raise UserError("only an official or analyst can be limited to one kabupaten/kota")
    check_password_strength(password, username)
    now = now or utcnow()
    with engine.begin() as conn:
        if regency_code and not _known_regency(conn, regency_code):
            raise UserError(f"unknown kabupaten/kota code {regency_code}")
        if _user_row(conn, username) is not None:
            raise UserError(f"user {username} exists already")
        conn.execute(insert(User).values(
            username=username, full_name=full_name, role=role, regency_code=regency_code or None,
            password_hash=hash_password(password), active=True, failed_logins=0, created_at=now))
        _audit(conn, "user_added", by, {"user": username, "role": role, "regency": regency_code}, ip, now)
        return UserInfo.from_row(_user_row(conn, username))


def get_user(engine: Engine, user_id: int | None = None, username: str | None = None) -> UserInfo | None:
    where = User.id == user_id if user_id is not None else User.username == username
    with engine.connect() as conn:
        row = conn.execute(select(User).where(where)).first()
    return UserInfo.from_row(row) if row else None


def set_password(engine: Engine, username: str, password: str, by: str | None = None, ip: str | None = None,
                 now: datetime | None = None) -> None:
    """Set a new password; also clears a lock-out (an admin's reset is how a locked user gets back in early)."""
    check_password_strength(password, username)
    now = now or utcnow()
    with engine.begin() as conn:
        done = conn.execute(update(User).where(User.username == username).values(
            password_hash=hash_password(password), failed_logins=0, locked_until=None)).rowcount
        if not done:
            raise UserError(f"no user {username}")
        _audit(conn, "password_set", by or username, {"user": username}, ip, now)


def disable_user(engine: Engine, username: str, by: str | None = None, ip: str | None = None,
                 now: datetime | None = None) -> None:
    """Disable a user: no login, no session, no API token works any more (rows stay for the audit trail)."""
    now = now or utcnow()
    with engine.begin() as conn:
        if not conn.execute(update(User).where(User.username == username).values(active=False)).rowcount:
            raise UserError(f"no user {username}")
        _audit(conn, "user_disabled", by, {"user": username}, ip, now)


def list_users(engine: Engine) -> pd.DataFrame:
    """Every user without the password hash: username, full_name, role, regency_code, active, locked_until,
    failed_logins, created_at, last_login_at, tokens (active token count)."""
    live_tokens = (select(ApiToken.user_id, func.count().label("tokens")).where(ApiToken.revoked_at.is_(None))
                   .group_by(ApiToken.user_id).subquery())
    query = (select(User.id, User.username, User.full_name, User.role, User.regency_code, User.active,
                    User.locked_until, User.failed_logins, User.created_at, User.last_login_at,
                    func.coalesce(live_tokens.c.tokens, 0).label("tokens"))
             .outerjoin(live_tokens, live_tokens.c.user_id == User.id).order_by(User.username))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["id", "username", "full_name", "role", "regency_code", "active", "locked_until",
                                      "failed_logins", "created_at", "last_login_at", "tokens"])
    for column in ("locked_until", "created_at", "last_login_at"):
        frame[column] = pd.Series([_aware(v) for v in frame[column]], index=frame.index, dtype=object)
    for column in ("full_name", "regency_code"):  # None stays None (not NaN) for the command line and the page
        frame[column] = pd.Series([None if pd.isna(v) else v for v in frame[column]], index=frame.index,
                                  dtype=object)
    frame["active"] = frame["active"].astype(bool)
    frame["tokens"] = frame["tokens"].astype(int)
    return frame


def authenticate(engine: Engine, username: str, password: str, ip: str | None = None,
                 now: datetime | None = None) -> AuthResult:
    """Check a login and record it in the audit log. MAX_FAILURES wrong passwords in a row lock the account for
    LOCK_MINUTES (audited as `locked`); while locked even the right password is refused; after the period the
    count starts again. A correct password re-hashes an outdated hash."""
    now = now or utcnow()
    username = (username or "").strip()
    with engine.begin() as conn:
        row = _user_row(conn, username) if username else None
        if row is None:
            _dummy_verify(password or "")
            _audit(conn, "login_failed", username or None, {"reason": "unknown_user"}, ip, now)
            return AuthResult(False, "bad")
        user = row
        locked_until = _aware(user.locked_until)
        if locked_until is not None and locked_until > now:
            _audit(conn, "login_failed", username, {"reason": "locked"}, ip, now)
            return AuthResult(False, "locked", locked_until=locked_until)
        matches, rehash = verify_password(user.password_hash, password or "")
        if matches and not user.active:
            _audit(conn, "login_failed", username, {"reason": "disabled"}, ip, now)
            return AuthResult(False, "disabled")
        if not matches:
            # A lock that has run out starts a fresh count.
            failures = (0 if locked_until is not None else user.failed_logins or 0) + 1
            values = {"failed_logins": failures, "locked_until": None}
            _audit(conn, "login_failed", username, {"reason": "password", "failures": failures}, ip, now)
            if failures >= MAX_FAILURES:
                values = {"failed_logins": 0, "locked_until": now + timedelta(minutes=LOCK_MINUTES)}
                _audit(conn, "locked", username, {"minutes": LOCK_MINUTES, "failures": failures}, ip, now)
            conn.execute(update(User).where(User.id == user.id).values(**values))
            if failures >= MAX_FAILURES:
                return AuthResult(False, "locked", locked_until=values["locked_until"])
            return AuthResult(False, "bad")
        values = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if rehash:
            values["password_hash"] = hash_password(password)
        conn.execute(update(User).where(User.id == user.id).values(**values))
        _audit(conn, "login_ok", username, None, ip, now)
        return AuthResult(True, "ok", UserInfo.from_row(_user_row(conn, username)))


# ------------------------------------------------------------------------------------------------------- tokens
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(engine: Engine, username: str, name: str, days: int | None = None, by: str | None = None,
                 ip: str | None = None, now: datetime | None = None) -> tuple[int, str]:
    """A new API token for an active analyst or admin: (token id, the token). The token itself is not stored;
    show it once. `days` = lifetime (None: until revoked)."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise UserError("token name: 1–80 characters")
    if days is not None and days < 1:
        raise UserError("days must be at least 1")
    now = now or utcnow()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        row = _user_row(conn, username)
        if row is None:
            raise UserError(f"no user {username}")
        if not row.active:
            raise UserError(f"user {username} is disabled")
        if row.role not in ("analyst", "admin"):
            raise UserError("API tokens are for analysts and admins")
        expires = now + timedelta(days=days) if days else None
        token_id = conn.execute(insert(ApiToken).values(
            user_id=row.id, name=name, token_hash=_token_hash(token), prefix=token[:8], created_at=now,
            expires_at=expires).returning(ApiToken.id)).scalar_one()
        _audit(conn, "token_created", by or username,
               {"token_id": token_id, "owner": username, "name": name, "days": days}, ip, now)
    return token_id, token


def list_tokens(engine: Engine, username: str | None = None, now: datetime | None = None) -> pd.DataFrame:
    """Tokens (never the secret): id, username, name, prefix, created_at, expires_at, revoked_at, last_used_at,
    status (active, expired, revoked). `username` limits the list to one owner."""
    now = now or utcnow()
    query = (select(ApiToken.id, User.username, ApiToken.name, ApiToken.prefix, ApiToken.created_at,
                    ApiToken.expires_at, ApiToken.revoked_at, ApiToken.last_used_at)
             .join(User, User.id == ApiToken.user_id).order_by(ApiToken.id))
    if username is not None:
        query = query.where(User.username == username)
    columns = ["id", "username", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=columns)
    for column in ("created_at", "expires_at", "revoked_at", "last_used_at"):
        frame[column] = pd.Series([_aware(v) for v in frame[column]], index=frame.index, dtype=object)

    def status(row) -> str:
        if row.revoked_at is not None and not pd.isna(row.revoked_at):
            return "revoked"
        if row.expires_at is not None and not pd.isna(row.expires_at) and row.expires_at <= now:
            return "expired"
        return "active"

    frame["status"] = [status(r) for r in frame.itertuples()] if len(frame) else pd.Series(dtype=object)
    return frame


def revoke_token(engine: Engine, token_id: int, owner: str | None = None, by: str | None = None,
                 ip: str | None = None, now: datetime | None = None) -> bool:
    """Revoke a token (True if it was live). `owner` set: only a token of that user (an analyst revoking their
    own); None: any token (admin, command line)."""
    now = now or utcnow()
    with engine.begin() as conn:
        query = (select(ApiToken.id, User.username).join(User, User.id == ApiToken.user_id)
                 .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None)))
        if owner is not None:
            query = query.where(User.username == owner)
        row = conn.execute(query).first()
        if row is None:
            return False
        conn.execute(update(ApiToken).where(ApiToken.id == token_id).values(revoked_at=now))
        _audit(conn, "token_revoked", by or owner, {"token_id": token_id, "owner": row.username}, ip, now)
    return True


def user_for_token(engine: Engine, token: str, now: datetime | None = None) -> tuple[UserInfo, int] | None:
    """The (active) user of a live token and the token id, marking the token used; None for an unknown, revoked
    or expired token or a disabled user."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = now or utcnow()
    with engine.begin() as conn:
        found = conn.execute(select(ApiToken.id, ApiToken.user_id, ApiToken.expires_at, ApiToken.revoked_at)
                             .where(ApiToken.token_hash == _token_hash(token))).first()
        if found is None:
            return None
        user = conn.execute(select(User).where(User.id == found.user_id)).first()
        expires = _aware(found.expires_at)
        if found.revoked_at is not None or (expires is not None and expires <= now) or not user.active:
            return None
        if user.role not in ("analyst", "admin"):  # demoted since: the token no longer works
            return None
        conn.execute(update(ApiToken).where(ApiToken.id == found.id).values(last_used_at=now))
        return UserInfo.from_row(user), found.id


# -------------------------------------------------------------------------------------------------------- audit
def _audit(conn, action: str, username: str | None, detail, ip: str | None, now: datetime | None) -> None:
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    text = None if detail is None else (detail if isinstance(detail, str)
                                        else json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True))
    conn.execute(insert(AuditLog).values(at=now or utcnow(), username=username, action=action, detail=text,
                                         ip=(ip or None) and ip[:45]))


def audit(engine: Engine, action: str, username: str | None = None, detail=None, ip: str | None = None,
          now: datetime | None = None) -> None:
    """Append one audit row (detail: a dict → JSON, or text)."""
    with engine.begin() as conn:
        _audit(conn, action, username, detail, ip, now)


def read_audit(engine: Engine, limit: int = 1000, action: str | tuple[str, ...] | None = None,
               username: str | None = None, since: datetime | None = None) -> pd.DataFrame:
    """The newest audit rows first: id, at (aware UTC), username, action, detail, ip."""
    query = select(AuditLog.id, AuditLog.at, AuditLog.username, AuditLog.action, AuditLog.detail, AuditLog.ip)
    if action is not None:
        query = query.where(AuditLog.action.in_([action] if isinstance(action, str) else list(action)))
    if username is not None:
        query = query.where(AuditLog.username == username)
    if since is not None:
        query = query.where(AuditLog.at >= since)
    query = query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["id", "at", "username", "action", "detail", "ip"])
    frame["at"] = pd.Series([_aware(v) for v in frame["at"]], index=frame.index, dtype=object)
    return frame


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


def ensure_demo_users(engine: Engine) -> list[tuple[str, str, str, str | None]]:
    """On a warehouse without users: one user per role and one kabupaten officer (Kota Kupang, 5371), each with
    a random password. Returns [(username, password, role, regency)] to print once; [] when users exist."""
    if has_users(engine):
        return []
    created = []
    for username, role, regency, full_name in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        add_user(engine, username, password, role, regency, full_name, by="demo")
        created.append((username, password, role, regency))
    return created

"""Server-side login sessions: the browser's cookie holds only a random secret; the warehouse keeps the SHA-256 of
it in `user_sessions` with when it began and was last used. A session ends — for every copy of the cookie at once —
at logout, at a password change or reset, when the user is disabled, when an admin (or the user) ends all of a user's
sessions, after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after the login whatever happens.
Pure warehouse code: the web side (`layouts.access.login`) stores the secret in Flask's signed cookie.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.engine import Connection

from warehouse import audit, db
from warehouse.db import aware_utc
from warehouse.models import User, UserSession

# last_seen_at is written at most this often per session: a page visit makes a dozen callback requests, and one
# write a minute keeps the idle time-out exact to the minute without a write per request.
TOUCH_SECONDS = 60


def _key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(engine: Engine, user_id: int, ip: str | None = None, now: datetime | None = None) -> str:
    """Start a session for `user_id`; returns the secret for the cookie (only its hash is stored)."""
    now = now or db.utcnow()
    secret = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(insert(UserSession).values(id=_key(secret), user_id=user_id, created_at=now, last_seen_at=now,
                                                ip=(ip or None) and ip[:45]))
    return secret


def check_session(engine: Engine, secret: str, idle_minutes: float, max_hours: float,
                  now: datetime | None = None):
    """The row of a live session (the `users` columns, e.g. for `users.UserInfo.from_row`), or None. A session found idle or past its lifetime is ended here (with
    that reason), so it never comes back; a live one has its last_seen_at moved on (at most once a minute)."""
    if not secret or len(secret) > 200:
        return None
    now = now or db.utcnow()
    key = _key(secret)
    with engine.connect() as conn:
        found = conn.execute(select(UserSession.created_at.label("session_created"),
                                    UserSession.last_seen_at.label("session_seen"),
                                    UserSession.ended_at.label("session_ended"), User)
                             .join(User, User.id == UserSession.user_id).where(UserSession.id == key)).first()
    if found is None or found.session_ended is not None:
        return None
    created, seen = aware_utc(found.session_created), aware_utc(found.session_seen)
    reason = ("disabled" if not found.active
              else "expired" if now - created >= timedelta(hours=max_hours)
              else "idle" if now - seen >= timedelta(minutes=idle_minutes) else None)
    with engine.begin() as conn:
        if reason is not None:
            _end(conn, UserSession.id == key, reason, now)
            return None
        if (now - seen).total_seconds() >= TOUCH_SECONDS:
            conn.execute(update(UserSession).where(UserSession.id == key).values(last_seen_at=now))
    return found


def _end(conn: Connection, where, reason: str, now: datetime) -> int:
    return conn.execute(update(UserSession).where(and_(where, UserSession.ended_at.is_(None)))
                        .values(ended_at=now, end_reason=reason)).rowcount


def end_session(engine: Engine, secret: str, reason: str = "logout", now: datetime | None = None) -> bool:
    """End the session of this cookie secret; True when a live one was ended."""
    with engine.begin() as conn:
        return bool(_end(conn, UserSession.id == _key(secret or ""), reason, now or db.utcnow()))


def end_user_sessions(conn: Connection, user_id: int, reason: str, now: datetime | None = None) -> int:
    """End every live session of a user inside the caller's transaction (password change, disable); the count."""
    return _end(conn, UserSession.user_id == user_id, reason, now or db.utcnow())


def log_out_everywhere(engine: Engine, username: str, by: str | None = None, ip: str | None = None,
                       now: datetime | None = None) -> int:
    """End every session of `username` (an admin's action, or the user's own); audited. Returns how many ended;
    raises LookupError for an unknown user."""
    now = now or db.utcnow()
    with engine.begin() as conn:
        user_id = conn.execute(select(User.id).where(User.username == username)).scalar()
        if user_id is None:
            raise LookupError(f"no user {username}")
        ended = end_user_sessions(conn, user_id, "everywhere", now)
        audit.record(conn, "sessions_ended", by or username, {"user": username, "sessions": ended}, ip, now)
    return ended


def live_sessions(engine: Engine, username: str, now: datetime | None = None) -> int:
    """How many sessions of `username` are open (not ended; time-outs are applied when a session is next used)."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(UserSession).join(User, User.id == UserSession.user_id)
                            .where(User.username == username, UserSession.ended_at.is_(None))).scalar_one()

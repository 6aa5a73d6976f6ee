"""API tokens for analysts' scripts: created for an active analyst or admin, shown once, stored as the SHA-256 of a
high-entropy secret, listed without the secret, revoked, and resolved to their user on every API call.

A token is 32 random bytes, so a fast hash is enough: nobody can brute-force 256 bits, and a SHA-256 lookup by
index keeps every API call cheap."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, insert, select, update

from warehouse import audit, db
from warehouse.db import aware_utc
from warehouse.models import ApiToken, User
from warehouse.users import UserError, UserInfo, user_row

TOKEN_PREFIX = "pk_"  # tokens read "pk_<43 url-safe characters>"; easy to spot in a leaked file


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
    now = now or db.utcnow()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        row = user_row(conn, username)
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
        audit.record(conn, "token_created", by or username,
               {"token_id": token_id, "owner": username, "name": name, "days": days}, ip, now)
    return token_id, token


def list_tokens(engine: Engine, username: str | None = None, now: datetime | None = None) -> pd.DataFrame:
    """Tokens (never the secret): id, username, name, prefix, created_at, expires_at, revoked_at, last_used_at,
    status (active, expired, revoked). `username` limits the list to one owner."""
    now = now or db.utcnow()
    query = (select(ApiToken.id, User.username, ApiToken.name, ApiToken.prefix, ApiToken.created_at,
                    ApiToken.expires_at, ApiToken.revoked_at, ApiToken.last_used_at)
             .join(User, User.id == ApiToken.user_id).order_by(ApiToken.id))
    if username is not None:
        query = query.where(User.username == username)
    columns = ["id", "username", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=columns)
    for column in ("created_at", "expires_at", "revoked_at", "last_used_at"):
        frame[column] = pd.Series([aware_utc(v) for v in frame[column]], index=frame.index, dtype=object)

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
    now = now or db.utcnow()
    with engine.begin() as conn:
        query = (select(ApiToken.id, User.username).join(User, User.id == ApiToken.user_id)
                 .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None)))
        if owner is not None:
            query = query.where(User.username == owner)
        row = conn.execute(query).first()
        if row is None:
            return False
        conn.execute(update(ApiToken).where(ApiToken.id == token_id).values(revoked_at=now))
        audit.record(conn, "token_revoked", by or owner, {"token_id": token_id, "owner": row.username}, ip, now)
    return True


def user_for_token(engine: Engine, token: str, now: datetime | None = None) -> tuple[UserInfo, int] | None:
    """The (active) user of a live token and the token id, marking the token used; None for an unknown, revoked
    or expired token or a disabled user."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = now or db.utcnow()
    with engine.begin() as conn:
        found = conn.execute(select(ApiToken.id, ApiToken.user_id, ApiToken.expires_at, ApiToken.revoked_at)
                             .where(ApiToken.token_hash == _token_hash(token))).first()
        if found is None:
            return None
        user = conn.execute(select(User).where(User.id == found.user_id)).first()
        expires = aware_utc(found.expires_at)
        if found.revoked_at is not None or (expires is not None and expires <= now) or not user.active:
            return None
        if user.role not in ("analyst", "admin"):  # demoted since: the token no longer works
            return None
        conn.execute(update(ApiToken).where(ApiToken.id == found.id).values(last_used_at=now))
        return UserInfo.from_row(user), found.id

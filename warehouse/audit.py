"""The audit log: who did what, when, from where — logins (ok, failed, locked), logouts, exports, API use, token and
user changes. Append-only; each row's detail is JSON text."""
from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, insert, select

from warehouse import db
from warehouse.db import aware_utc
from warehouse.models import AuditLog

ACTIONS = ("login_ok", "login_failed", "locked", "logout", "export", "api", "token_created", "token_revoked",
           "user_added", "user_disabled", "password_set", "sessions_ended", "upload", "email_set", "alert_rules",
           "unsubscribed", "digest_sent")


def record(conn, action: str, username: str | None, detail, ip: str | None, now: datetime | None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    text = None if detail is None else (detail if isinstance(detail, str)
                                        else json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True))
    conn.execute(insert(AuditLog).values(at=now or db.utcnow(), username=username, action=action, detail=text,
                                         ip=(ip or None) and ip[:45]))


def audit(engine: Engine, action: str, username: str | None = None, detail=None, ip: str | None = None,
          now: datetime | None = None) -> None:
    """Append one audit row (detail: a dict → JSON, or text)."""
    with engine.begin() as conn:
        record(conn, action, username, detail, ip, now)


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
    frame["at"] = pd.Series([aware_utc(v) for v in frame["at"]], index=frame.index, dtype=object)
    return frame

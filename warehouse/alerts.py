"""Alerts: raised after every refresh from the stored rows (indicators/alerts.py decides, this module keeps each
event once), listed for a user (their kabupaten or the province, minus the rules they switched off), and claimed for
the daily digest so no alert is ever sent to the same user twice.
"""
from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select, true
from sqlalchemy.exc import IntegrityError

from indicators import alerts as rules
from indicators import supervision
from warehouse import db
from warehouse.db import aware_utc
from warehouse.models import (
    Alert,
    AlertDelivery,
    Cooperative,
    CooperativeSnapshot,
    KdmpVillage,
    RatStatus,
    Regency,
    User,
)
from warehouse.queries import read_frame

RULES = rules.RULES
SNAPSHOT_COLUMNS = ["nik", "regency_code", "health_category", "report_status", "source_period", "digital_stage_date",
                    "stuck_in_migration", "supervisor", "programme"]


def _frame(conn, stmt, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records([tuple(r) for r in conn.execute(stmt)], columns=columns)


def evaluate(conn, version: int, now: datetime | None = None, regencies: list[str] | None = None,
             villages: bool = True) -> int:
    """Raise the alerts of the stored rows (call it in the refresh's transaction, after the rows are written):
    every rule's events at the latest snapshot period, minus those raised before. Returns how many are new.

    An incremental refresh passes the kabupaten it rebuilt (`regencies`) and whether the KDMP villages moved: the
    rules read only stored rows of the latest period, so the other kabupaten's events cannot have changed."""
    s = CooperativeSnapshot
    mine = s.regency_code.in_(regencies) if regencies is not None else true()
    periods = [p for (p,) in conn.execute(select(s.period_end).distinct().order_by(s.period_end.desc()).limit(2))]
    village_period = conn.execute(select(func.max(KdmpVillage.period_end))).scalar()
    if not periods and village_period is None:
        return 0
    cooperatives = pd.DataFrame(columns=SNAPSHOT_COLUMNS)
    before, rat, period = None, pd.DataFrame(columns=["nik", "fiscal_year", "held"]), None
    if periods:
        period = periods[0]
        cooperatives = _frame(conn, select(*(s.__table__.c[c] for c in SNAPSHOT_COLUMNS))
                              .where(s.period_end == period, mine), SNAPSHOT_COLUMNS)
        if len(periods) > 1:
            before = _frame(conn, select(s.nik, s.health_category).where(s.period_end == periods[1], mine),
                            ["nik", "health_category"])
        year = pd.Timestamp(period).year - 1
        in_kabupaten = RatStatus.nik.in_(select(Cooperative.nik).where(Cooperative.regency_code.in_(regencies))) \
            if regencies is not None else true()
        rat = _frame(conn, select(RatStatus.nik, RatStatus.fiscal_year, RatStatus.held)
                     .where(RatStatus.fiscal_year == year, in_kabupaten), ["nik", "fiscal_year", "held"])
    v = KdmpVillage
    village_columns = ["village_code", "regency_code", "village_name", "stage", "ahu_on", "stuck_nib", "no_land"]
    villages = _frame(conn, select(*(v.__table__.c[c] for c in village_columns))
                      .where(v.period_end == village_period), village_columns) if village_period and villages else \
        pd.DataFrame(columns=village_columns)
    regional = set(supervision.load_norms()["scope"]["regional"])
    events = rules.evaluate(cooperatives, before, rat, villages, period, regional)
    if events.empty:
        return 0
    existing = {(r, s_, k) for r, s_, k in conn.execute(
        select(Alert.rule, Alert.subject, Alert.event_key).where(
            Alert.subject.in_(list(events["subject"].unique())) if events["subject"].nunique() < 900 else true()))}
    fresh = events.loc[[(r, s_, k) not in existing
                        for r, s_, k in zip(events["rule"], events["subject"], events["event_key"])]]
    if fresh.empty:
        return 0
    names = dict(conn.execute(select(Cooperative.nik, Cooperative.name)
                              .where(Cooperative.nik.in_(list(fresh["subject"].unique()))
                                     if fresh["subject"].nunique() < 900 else true())).all())
    names.update(zip(villages["village_code"].astype(str), villages["village_name"]))
    stamp = now or db.utcnow()
    data_period = pd.Timestamp(period) if period is not None else pd.Timestamp(village_period)
    rows = [{"rule": r.rule, "subject_kind": r.subject_kind, "subject": r.subject, "name": (names.get(r.subject) or "")[:200] or None,
             "regency_code": r.regency_code, "event_date": pd.Timestamp(r.event_date).date(), "event_key": r.event_key,
             "detail": json.dumps(r.detail, ensure_ascii=False, sort_keys=True),
             "period_end": (pd.Timestamp(village_period) if r.subject_kind == "village" else data_period).date(),
             "created_at": stamp, "data_version": version} for r in fresh.itertuples(index=False)]
    conn.execute(insert(Alert), rows)
    return len(rows)


# ------------------------------------------------------------------------------------------------------- reading
ALERT_COLUMNS = ["id", "rule", "subject_kind", "subject", "name", "regency_code", "regency", "event_date",
                 "event_key", "detail", "period_end", "created_at"]


def _visible(query, regency: str | None, muted: tuple[str, ...] = ()):
    if regency:
        query = query.where(Alert.regency_code == regency)
    if muted:
        query = query.where(Alert.rule.not_in(list(muted)))
    return query


def _shaped(frame: pd.DataFrame) -> pd.DataFrame:
    frame["detail"] = [json.loads(d) if d else {} for d in frame["detail"]]
    frame["created_at"] = pd.Series([aware_utc(v) for v in frame["created_at"]], index=frame.index, dtype=object)
    return frame


def _select():
    return (select(Alert.id, Alert.rule, Alert.subject_kind, Alert.subject, Alert.name, Alert.regency_code,
                   Regency.short_name.label("regency"), Alert.event_date, Alert.event_key, Alert.detail,
                   Alert.period_end, Alert.created_at)
            .outerjoin(Regency, Regency.code == Alert.regency_code))


def listing(engine: Engine, regency: str | None = None, muted: tuple[str, ...] = (), rule: str | None = None,
            limit: int = 5000) -> pd.DataFrame:
    """The alerts a reader may see, newest first: of one kabupaten (an officer's) or every one, without the rules
    they switched off (and only `rule`, when given)."""
    query = _visible(_select(), regency, muted)
    if rule:
        query = query.where(Alert.rule == rule)
    query = query.order_by(Alert.created_at.desc(), Alert.event_date.desc(), Alert.id.desc()).limit(limit)
    return _shaped(read_frame(engine, query).reindex(columns=ALERT_COLUMNS))


def counts(engine: Engine, regency: str | None = None, muted: tuple[str, ...] = ()) -> dict[str, int]:
    """How many alerts of each rule a reader may see."""
    query = _visible(select(Alert.rule, func.count()).group_by(Alert.rule), regency, muted)
    with engine.connect() as conn:
        return {rule: int(n) for rule, n in conn.execute(query)}


# ------------------------------------------------------------------------------------------------ the daily digest
def recipients(engine: Engine) -> pd.DataFrame:
    """Users the digest goes to: active, with an e-mail address, subscribed. id, username, full_name, email,
    role, regency_code, language, muted (tuple of rules)."""
    query = (select(User.id, User.username, User.full_name, User.email, User.role, User.regency_code,
                    User.muted_rules, User.language)
             .where(User.active, User.digest, User.email.is_not(None), User.email != "").order_by(User.username))
    frame = read_frame(engine, query).reindex(columns=["id", "username", "full_name", "email", "role",
                                                       "regency_code", "muted_rules", "language"])
    frame["muted"] = [muted_rules(m) for m in frame["muted_rules"]]
    for column in ("full_name", "regency_code", "language"):  # None stays None (a province-wide reader), not NaN
        frame[column] = pd.Series([None if pd.isna(v) else v for v in frame[column]], index=frame.index, dtype=object)
    return frame.drop(columns="muted_rules")


def muted_rules(text) -> tuple[str, ...]:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ()
    return tuple(r for r in str(text).split(",") if r in RULES)


def pending(engine: Engine, user_id: int, regency: str | None, muted: tuple[str, ...]) -> pd.DataFrame:
    """The alerts a user may see that were never sent to them, the newest event first within each rule."""
    sent = select(AlertDelivery.alert_id).where(AlertDelivery.user_id == user_id)
    query = _visible(_select(), regency, muted).where(Alert.id.not_in(sent))
    query = query.order_by(Alert.rule, Alert.event_date.desc(), Alert.regency_code, Alert.id)
    return _shaped(read_frame(engine, query).reindex(columns=ALERT_COLUMNS))


def claim(engine: Engine, user_id: int, alert_ids: list[int], now: datetime | None = None) -> bool:
    """Mark the alerts as sent to the user before the message goes out: False (nothing marked) when another sender
    claimed any of them first — two senders never send one alert twice."""
    now = now or db.utcnow()
    try:
        with engine.begin() as conn:
            conn.execute(insert(AlertDelivery), [{"alert_id": int(a), "user_id": int(user_id), "sent_at": now}
                                                 for a in alert_ids])
    except IntegrityError:
        return False
    return True


def release(engine: Engine, user_id: int, alert_ids: list[int]) -> None:
    """Undo a claim whose message the mail server did not take: the alerts go in the next digest."""
    with engine.begin() as conn:
        for start in range(0, len(alert_ids), 500):
            part = [int(a) for a in alert_ids[start:start + 500]]
            conn.execute(delete(AlertDelivery).where(AlertDelivery.user_id == user_id,
                                                     AlertDelivery.alert_id.in_(part)))


def delivered(engine: Engine, user_id: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(AlertDelivery)
                                .where(AlertDelivery.user_id == user_id)).scalar() or 0)



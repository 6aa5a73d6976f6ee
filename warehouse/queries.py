"""Read-only queries the pages, exports and CLI use; every result is cached on the warehouse's data version."""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
from collections import OrderedDict
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select, true

from indicators import registry as _registry
from indicators import vocabulary
from warehouse import db
from warehouse.models import (
    CooperativeSnapshot,
    FinancialReport,
    IngestRun,
    Meta,
    Regency,
    RegencyIndicator,
    Rejection,
    SourceState,
)

log = logging.getLogger(__name__)

_LOCAL: dict = {}  # this process's copy: no unpickling on a hit
_LOCAL_LIMIT = 256
_SHARED = None  # the store every worker shares (see use_store); None = this process only
SHARED_TIMEOUT = 24 * 3600  # old data versions' entries expire on their own


def use_store(store) -> None:
    """Share cached answers through `store` (any cachelib-style object with get/set: the web app hands in the
    Flask-Caching backend every worker uses — files under DATA_DIR/cache or Redis); None = this process only."""
    global _SHARED
    _LOCAL.clear()
    with _ANSWERS_LOCK:
        _ANSWERS.clear()
        _ANSWERS_SIZE[0] = 0
    _SHARED = store


def _shared(method: str, *args):
    if _SHARED is None:
        return None
    try:
        return getattr(_SHARED, method)(*args)
    except Exception:  # a full disk or a Redis outage costs speed, never the answer
        log.warning("shared cache unavailable (%s); continuing without it", method, exc_info=True)
        return None


def cached(fn):
    """Cache a query's result per (engine URL, data version, arguments): a new ingest moves the version, so the
    next request reads fresh data, and nothing is recomputed otherwise — in this process or, through the shared
    store, in any other worker."""

    @functools.wraps(fn)
    def wrapper(engine: Engine, *args, **kwargs):
        version = current_version(engine)
        raw = repr((fn.__module__, fn.__qualname__, str(engine.url), version, args, sorted(kwargs.items())))
        key = hashlib.sha1(raw.encode()).hexdigest()
        if key in _LOCAL:
            return _LOCAL[key]
        value = _shared("get", key)
        if value is None:
            value = fn(engine, *args, **kwargs)
            _shared("set", key, value)
        if len(_LOCAL) >= _LOCAL_LIMIT:
            _LOCAL.clear()
        _LOCAL[key] = value
        return value

    wrapper.uncached = fn
    return wrapper


# Whole answers (the web layer's Dash callback answers: layouts/callback_cache.py), bytes keyed by the caller on
# the data version among the rest. This process keeps the most recent ANSWER_BYTES of them; every worker shares
# them through the same store as the queries.
ANSWER_BYTES = 192 * 1024 * 1024
_ANSWERS: OrderedDict[str, bytes] = OrderedDict()
_ANSWERS_SIZE = [0]
_ANSWERS_LOCK = threading.Lock()


def answer_key(engine: Engine, *parts) -> str:
    """A key for a cached answer: the warehouse, its data version now, and the caller's parts (bytes or text)."""
    digest = hashlib.sha256(f"{engine.url}|{current_version(engine)}".encode())
    for part in parts:
        digest.update(b"|" + (part if isinstance(part, bytes) else str(part).encode()))
    return "answer:" + digest.hexdigest()


def answer_get(key: str) -> bytes | None:
    with _ANSWERS_LOCK:
        value = _ANSWERS.get(key)
        if value is not None:
            _ANSWERS.move_to_end(key)
            return value
    value = _shared("get", key)
    if isinstance(value, bytes):
        _remember_answer(key, value)
        return value
    return None


def answer_set(key: str, value: bytes) -> None:
    _remember_answer(key, value)
    _shared("set", key, value)


def _remember_answer(key: str, value: bytes) -> None:
    if len(value) > ANSWER_BYTES // 8:
        return
    with _ANSWERS_LOCK:
        if key in _ANSWERS:
            return
        _ANSWERS[key] = value
        _ANSWERS_SIZE[0] += len(value)
        while _ANSWERS_SIZE[0] > ANSWER_BYTES and _ANSWERS:
            _old, dropped = _ANSWERS.popitem(last=False)
            _ANSWERS_SIZE[0] -= len(dropped)


# The data versions already read in the current unit of work (a web request): a page makes many cached reads and
# checks the warehouse's version once. The web layer opens and closes the memo around each request.
_VERSIONS: ContextVar[dict | None] = ContextVar("pantau_data_versions", default=None)


def open_version_memo() -> Token:
    """Start remembering data versions for one unit of work; give the token to `close_version_memo`."""
    return _VERSIONS.set({})


def close_version_memo(token: Token) -> None:
    _VERSIONS.reset(token)


def current_version(engine: Engine) -> int:
    """The warehouse's data version, read once per unit of work when a memo is open (else every time)."""
    memo = _VERSIONS.get()
    key = str(engine.url)
    if memo is not None and key in memo:
        return memo[key]
    with engine.connect() as conn:
        version = db.data_version(conn)
    if memo is not None:
        memo[key] = version
    return version


@dataclass(frozen=True)
class Status:
    data_version: int
    as_of: date | None  # latest reported period
    last_load: datetime | None
    is_demo: bool
    sources: tuple[str, ...]


@cached
def status(engine: Engine) -> Status:
    with engine.connect() as conn:
        meta = dict(conn.execute(select(Meta.key, Meta.value)).all())
        as_of = conn.execute(select(func.max(FinancialReport.period_end))).scalar()
        last_load = conn.execute(
            select(func.max(IngestRun.finished_at)).where(IngestRun.status == "success")
        ).scalar()
        sources = tuple(
            s for (s,) in conn.execute(
                select(IngestRun.source).where(IngestRun.status == "success").distinct().order_by(IngestRun.source)
            )
        )
    return Status(
        data_version=int(meta.get("data_version", 0)),
        as_of=as_of,
        last_load=last_load,
        is_demo=meta.get("simulated") == "true",
        sources=sources,
    )


def read_frame(engine: Engine, stmt) -> pd.DataFrame:
    """Run a select and return its rows as a DataFrame."""
    with engine.connect() as conn:
        return pd.read_sql(stmt, conn)


@cached
def regencies(engine: Engine) -> pd.DataFrame:
    return read_frame(engine, select(Regency).order_by(Regency.code))


@cached
def report_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(FinancialReport).where(FinancialReport.is_current)).scalar()


@cached
def ingest_runs(engine: Engine, limit: int = 500) -> pd.DataFrame:
    frame = read_frame(engine, select(IngestRun).order_by(IngestRun.id.desc()).limit(limit))
    for col in ("started_at", "finished_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    frame["duration_s"] = (frame["finished_at"] - frame["started_at"]).dt.total_seconds()
    return frame


@cached
def rejections(engine: Engine, limit: int = 5000) -> pd.DataFrame:
    frame = read_frame(
        engine,
        select(Rejection.id, Rejection.ingest_run_id, Rejection.dataset, Rejection.source_file, Rejection.row_number,
               Rejection.nik, Rejection.reasons, Rejection.created_at)
        .order_by(Rejection.id.desc())
        .limit(limit),
    )
    frame["reasons_text"] = frame["reasons"].map(_reasons_text)
    return frame


def _reasons_text(raw: str) -> str:
    try:
        reasons = json.loads(raw)
    except (TypeError, ValueError):
        return str(raw)
    return "; ".join(
        f"{r.get('column') or '-'}={r.get('value')!s}: {r.get('rule')}" if r.get("column") else str(r.get("rule"))
        for r in reasons
    )


@cached
def source_states(engine: Engine) -> pd.DataFrame:
    return read_frame(engine, select(SourceState).order_by(SourceState.source))


AREA_KEYS = ("regency_code", "period_end", "type")


def area_columns() -> tuple[str, ...]:
    """The area figures of the roll-up table (the registry's, in its order)."""
    return tuple(_registry.load().area_ids())


def _scope(scope: str | None) -> str:
    """The population of the roll-up rows asked for (vocabulary.SCOPES); None = the default ("daerah")."""
    return scope or vocabulary.DEFAULT_SCOPE


NON_REGIONAL = tuple(s for s in vocabulary.SUPERVISORS if s not in vocabulary.REGIONAL_SUPERVISORS)


def in_population(nik_column, scope: str | None):
    """A condition on a NIK column: the cooperative belongs to the population `scope` — for "daerah" not one the
    ministry or OJK supervises (the snapshots' stored supervisor), for "semua" every one. What cooperative lists
    use, so a list and the roll-up beside it are over the same cooperatives."""
    if _scope(scope) == "semua":
        return true()
    outside = select(CooperativeSnapshot.nik).where(CooperativeSnapshot.supervisor.in_(NON_REGIONAL)).distinct()
    return nik_column.not_in(outside)


@cached
def periods(engine: Engine) -> list[date]:
    """The month ends the roll-ups cover, newest first (what the period filter offers)."""
    ri = RegencyIndicator
    with engine.connect() as conn:
        rows = conn.execute(select(ri.period_end).distinct()
                            .where(ri.regency_code == vocabulary.PROVINCE_CODE, ri.type == vocabulary.ALL_TYPES,
                                   ri.scope == vocabulary.DEFAULT_SCOPE)
                            .order_by(ri.period_end.desc()))
        return [pd.Timestamp(r[0]).date() for r in rows]


@cached
def snapshot_periods(engine: Engine) -> list[date]:
    """The periods cooperative_snapshots covers, newest first (empty until the score refresh wrote them)."""
    with engine.connect() as conn:
        rows = conn.execute(select(CooperativeSnapshot.period_end).distinct()
                            .order_by(CooperativeSnapshot.period_end.desc()))
        return [pd.Timestamp(r[0]).date() for r in rows]


def snapshot_period(engine: Engine, period: date | None) -> date | None:
    """The snapshot period a view at `period` lists cooperatives for: `period` itself when it is one, else the latest
    snapshot before it, else (a month before every snapshot) the oldest; None when there are no snapshots. Every
    page that lists cooperatives under a period uses this one rule."""
    periods = snapshot_periods(engine)
    if not periods:
        return None
    if period is None:
        return periods[0]
    earlier = [p for p in periods if p <= period]
    return earlier[0] if earlier else periods[-1]


def _area_frame(engine: Engine, stmt) -> pd.DataFrame:
    frame = read_frame(engine, stmt)
    frame["regency_code"] = frame["regency_code"].astype(str)
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    if "digital_reached_on" in frame:
        frame["digital_reached_on"] = pd.to_datetime(frame["digital_reached_on"]).dt.date
    return frame


@cached
def area_rows(engine: Engine, period: date, kind: str | None = None, scope: str | None = None) -> pd.DataFrame:
    """Every area of one month-end — the 22 kabupaten/kota (all, with their reference columns: name, short_name,
    label_lat/label_lon, pop_2020, …) and the province ("53", no reference columns) — for one cooperative type
    (None = all types) and one population (`scope`, None = the default "daerah"), with every area figure as stored
    by the refresh."""
    ri = RegencyIndicator
    frame = _area_frame(engine, select(ri).where(ri.period_end == period, ri.type == (kind or vocabulary.ALL_TYPES),
                                                 ri.scope == _scope(scope)))
    reg = regencies(engine)
    reg = reg.assign(code=reg["code"].astype(str))
    out = pd.DataFrame({"regency_code": [*reg["code"], vocabulary.PROVINCE_CODE]})
    out = out.merge(reg.rename(columns={"code": "regency_code"}), on="regency_code", how="left")
    return out.merge(frame.drop(columns=["id", "period_end", "type", "scope", "data_version"], errors="ignore"),
                     on="regency_code", how="left")


def regency_rows(engine: Engine, period: date, kind: str | None = None, scope: str | None = None) -> pd.DataFrame:
    """The 22 kabupaten/kota of :func:`area_rows` (without the province), `code` = regency_code."""
    rows = area_rows(engine, period, kind, scope)
    rows = rows.loc[rows["regency_code"] != vocabulary.PROVINCE_CODE].reset_index(drop=True)
    return rows.assign(code=rows["regency_code"])


def area_row(engine: Engine, period: date, regency: str | None = None, kind: str | None = None,
             scope: str | None = None) -> dict | None:
    """One area's figures at one month-end (the province when `regency` is None), or None when the period has no
    roll-ups."""
    rows = area_rows(engine, period, kind, scope)
    code = regency or vocabulary.PROVINCE_CODE
    row = rows.loc[rows["regency_code"] == code]
    if row.empty or "cooperatives" not in row or pd.isna(row["cooperatives"].iloc[0]):
        return None
    return {k: (None if (isinstance(v, float) and np.isnan(v)) or v is pd.NaT else v)
            for k, v in row.iloc[0].to_dict().items()}


@cached
def area_series(engine: Engine, regency: str | None = None, kind: str | None = None,
                scope: str | None = None) -> pd.DataFrame:
    """One area's figures at every month-end, oldest first (the province when `regency` is None)."""
    ri = RegencyIndicator
    stmt = select(ri).where(ri.regency_code == (regency or vocabulary.PROVINCE_CODE),
                            ri.type == (kind or vocabulary.ALL_TYPES), ri.scope == _scope(scope)).order_by(ri.period_end)
    return _area_frame(engine, stmt).drop(columns=["id", "scope", "data_version"], errors="ignore").reset_index(drop=True)


@cached
def area_matrix(engine: Engine, end: date, columns: tuple[str, ...], kind: str | None = None,
                periods: int = 24, scope: str | None = None) -> pd.DataFrame:
    """`columns` of every kabupaten/kota for the latest `periods` month ends up to `end` (long by area × period):
    regency_code, period_end and the columns."""
    ri = RegencyIndicator
    wanted = (select(ri.period_end).distinct()
              .where(ri.period_end <= end, ri.regency_code == vocabulary.PROVINCE_CODE,
                     ri.type == vocabulary.ALL_TYPES, ri.scope == vocabulary.DEFAULT_SCOPE)
              .order_by(ri.period_end.desc()).limit(periods).subquery())
    stmt = (select(ri.regency_code, ri.period_end, *(ri.__table__.c[c] for c in columns))
            .where(ri.type == (kind or vocabulary.ALL_TYPES), ri.regency_code != vocabulary.PROVINCE_CODE,
                   ri.scope == _scope(scope), ri.period_end.in_(select(wanted.c.period_end))))
    return _area_frame(engine, stmt).sort_values(["period_end", "regency_code"]).reset_index(drop=True)

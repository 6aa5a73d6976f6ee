"""Read-only queries the pages, exports and CLI use; every result is cached on the warehouse's data version."""
from __future__ import annotations

import functools
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, func, select

from warehouse import db
from warehouse.models import (
    Cooperative,
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
_SHARED = None  # a cachelib cache every worker shares (files or Redis); None = this process only
SHARED_TIMEOUT = 24 * 3600  # old data versions' entries expire on their own


def configure_cache(url: str, data_dir=None) -> None:
    """Choose the shared store: "" = files under DATA_DIR/cache, "redis://…" = Redis, "memory" = none."""
    global _SHARED
    _LOCAL.clear()
    if url == "memory":
        _SHARED = None
    elif url.startswith(("redis://", "rediss://")):
        import redis
        from cachelib import RedisCache

        _SHARED = RedisCache(host=redis.Redis.from_url(url), key_prefix="pantau:", default_timeout=SHARED_TIMEOUT)
    else:
        from pathlib import Path

        from cachelib import FileSystemCache

        folder = Path(data_dir) / "cache"
        try:
            _SHARED = FileSystemCache(str(folder), threshold=2000, default_timeout=SHARED_TIMEOUT)
        except OSError as exc:
            log.warning("query cache folder %s unusable (%s): caching in this process only", folder, exc)
            _SHARED = None


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


def current_version(engine: Engine) -> int:
    """The warehouse's data version, read once per web request (a page makes many cached reads)."""
    try:
        import flask

        # Kept on the request itself (flask.g may outlive one request when an app context is already pushed).
        memo = flask.request.environ.setdefault("pantau.versions", {}) if flask.has_request_context() else None
    except ImportError:  # pragma: no cover - flask comes with dash
        memo = None
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
def registry_summary(engine: Engine) -> pd.DataFrame:
    """Per kabupaten: cooperatives, active, legal entities, and members from each one's latest report."""
    coops = read_frame(
        engine,
        select(Cooperative.nik, Cooperative.regency_code, Cooperative.type, Cooperative.status,
               Cooperative.legal_entity_number),
    )
    latest = latest_reports(engine, ("members", "total_assets"))
    coops = coops.merge(latest, on="nik", how="left")
    coops["is_active"] = coops["status"].eq("active")
    coops["is_legal"] = coops["legal_entity_number"].notna() & coops["legal_entity_number"].ne("")
    out = coops.groupby("regency_code").agg(
        cooperatives=("nik", "size"),
        active=("is_active", "sum"),
        legal_entities=("is_legal", "sum"),
        members=("members", "sum"),
        total_assets=("total_assets", "sum"),
    )
    reg = regencies(engine).set_index("code")[["short_name", "pop_2020"]]
    out = reg.join(out, how="left").fillna({"cooperatives": 0, "active": 0, "legal_entities": 0, "members": 0,
                                             "total_assets": 0})
    out.index.name = "regency_code"
    return out.reset_index()


@cached
def type_counts(engine: Engine) -> pd.DataFrame:
    return read_frame(
        engine,
        select(Cooperative.type, func.count().label("cooperatives")).group_by(Cooperative.type).order_by(Cooperative.type),
    )


@cached
def latest_reports(engine: Engine, columns: tuple[str, ...] = ("members", "total_assets")) -> pd.DataFrame:
    """Each cooperative's most recent current report (one row per NIK) with the given columns."""
    table = FinancialReport.__table__
    latest = (
        select(table.c.nik, func.max(table.c.period_end).label("period_end"))
        .where(table.c.is_current.is_(True))
        .group_by(table.c.nik)
        .subquery()
    )
    stmt = select(table.c.nik, table.c.period_end, *(table.c[c] for c in columns)).join(
        latest, (table.c.nik == latest.c.nik) & (table.c.period_end == latest.c.period_end)
    ).where(table.c.is_current.is_(True))
    frame = read_frame(engine, stmt)
    return frame.drop_duplicates("nik", keep="last")


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


@cached
def periods(engine: Engine) -> list[date]:
    """The month ends the kabupaten roll-ups cover, newest first (what the period filter offers)."""
    with engine.connect() as conn:
        rows = conn.execute(select(RegencyIndicator.period_end).distinct().order_by(RegencyIndicator.period_end.desc()))
        return [r[0] for r in rows]


@cached
def snapshot_periods(engine: Engine) -> list[date]:
    """The periods cooperative_snapshots covers, newest first (empty until the score refresh wrote them)."""
    with engine.connect() as conn:
        rows = conn.execute(select(CooperativeSnapshot.period_end).distinct()
                            .order_by(CooperativeSnapshot.period_end.desc()))
        return [pd.Timestamp(r[0]).date() for r in rows]


def snapshot_period(engine: Engine, period: date | None) -> date | None:
    """The snapshot period a view at `period` reads: the latest one at or before it (else the oldest there is, the
    nearest to a month before every snapshot); None when there are no snapshots."""
    periods = snapshot_periods(engine)
    if not periods:
        return None
    if period is None:
        return periods[0]
    earlier = [p for p in periods if p <= period]
    return earlier[0] if earlier else periods[-1]


@cached
def regency_table(engine: Engine, period: date, indicators: tuple[str, ...]) -> pd.DataFrame:
    """All 22 kabupaten/kota (every column of `regencies`, `code` as text) with one column per roll-up indicator
    of `period` (NaN where the roll-up has no value): what the map, the rankings and the overview chart show."""
    ri = RegencyIndicator
    long = read_frame(engine, select(ri.regency_code, ri.indicator, ri.value)
                      .where(ri.period_end == period, ri.indicator.in_(indicators)))
    wide = long.pivot_table(index="regency_code", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(indicators))
    reg = regencies(engine)
    out = reg.assign(code=reg["code"].astype(str)).merge(wide, left_on="code", right_index=True, how="left")
    return out.reset_index(drop=True)

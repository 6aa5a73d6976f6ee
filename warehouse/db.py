"""Engine factory and the small helpers every part uses to talk to the warehouse."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from warehouse.models import Meta


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; on SQLite turn on WAL, foreign keys and a busy timeout for every connection."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - exercised by every SQLite test
            # pysqlite's own transaction handling would defer BEGIN; let SQLAlchemy emit it.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache: bulk loads keep the indexes in memory
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


# What a caller catches to tell "the warehouse cannot be reached right now" from a bug (layouts may not import
# sqlalchemy): DBAPIError is OperationalError's parent (then `is_unavailable` decides), TimeoutError the pool's.
DATABASE_ERRORS = (sa_exc.DBAPIError, sa_exc.TimeoutError)


def is_unavailable(exc) -> bool:
    """The database cannot be reached (server down or restarting, connection refused or cut, pool exhausted, SQLite
    locked past its busy timeout), rather than a wrong query: worth "try again shortly"."""
    if isinstance(exc, sa_exc.OperationalError) and type(exc.orig).__module__.startswith("sqlite3"):
        return any(word in str(exc.orig).lower() for word in ("locked", "busy", "unable to open", "disk i/o"))
    return isinstance(exc, (sa_exc.OperationalError, sa_exc.TimeoutError)) \
        or (isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per URL per process (pages, ingest and the scheduler share it)."""
    return make_engine(url)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def aware_utc(moment):
    """A stored moment as aware UTC: SQLite hands back naive UTC datetimes, PostgreSQL aware ones; None (or NaT)
    stays None, so they compare."""
    import pandas as pd

    if moment is None or pd.isna(moment):
        return None
    if isinstance(moment, pd.Timestamp):
        moment = moment.to_pydatetime()
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def get_meta(conn: Connection, key: str, default: str | None = None) -> str | None:
    value = conn.execute(select(Meta.value).where(Meta.key == key)).scalar_one_or_none()
    return default if value is None else value


def set_meta(conn: Connection, key: str, value: str) -> None:
    if conn.execute(update(Meta).where(Meta.key == key).values(value=value)).rowcount == 0:
        conn.execute(Meta.__table__.insert().values(key=key, value=value))


def data_version(conn: Connection) -> int:
    """The warehouse's data version: bumped in the same transaction as every load and score refresh."""
    return int(get_meta(conn, "data_version", "0"))


def bump_data_version(conn: Connection) -> int:
    version = data_version(conn) + 1
    set_meta(conn, "data_version", str(version))
    return version

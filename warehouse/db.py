"""Engine factory and the small helpers every part uses to talk to the warehouse."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from warehouse.models import Base, Meta


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
    # psycopg prepares a statement on the server after its fifth run, and PostgreSQL may then keep a generic plan
    # that cannot see the values: the loader's look-up of 900 NIKs (`nik IN (...)` with a year range) ran as a scan
    # of the year's rows, 6 s a query at national scale instead of 6 ms. Every statement is planned with its values.
    if url.startswith("postgresql"):
        kwargs.setdefault("connect_args", {}).setdefault("prepare_threshold", None)
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


def analyze_if_grown(engine: Engine, written: dict[str, int], share: float = 0.1, floor: int = 1000) -> list[str]:
    """ANALYZE the tables a load wrote many rows to, relative to what the planner last counted (at least `floor`
    rows and more than `share` of its estimate, or never counted): the planner's statistics after big loads, whatever
    the server's autovacuum does (it may be off, as on the benchmark machine, or an hour late). Without them a
    PostgreSQL table loaded from empty keeps an estimate of zero rows, and a prepared look-up by NIK runs as a scan
    of every row — a national registry load slowed from 0.5 s to 10 s a file. Returns the tables analysed."""
    wanted = {name: rows for name, rows in written.items() if rows >= floor}
    if not wanted:
        return []
    done = []
    with engine.begin() as conn:
        for name, rows in sorted(wanted.items()):
            if engine.dialect.name == "postgresql":
                estimate = conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                                                (name,)).scalar()
            else:
                has_stats = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
                                                 ).scalar()
                stat = conn.exec_driver_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", (name,)).scalar() \
                    if has_stats else None  # (its first number: the table's rows when it was analysed)
                estimate = float(str(stat).split()[0]) if stat else -1.0
            if estimate is None or estimate < 0 or rows > share * estimate:
                columns = statistics_columns(name) if engine.dialect.name == "postgresql" else ""  # (SQLite: whole)
                conn.exec_driver_sql(f'ANALYZE "{name}"{columns}')
                done.append(name)
    return done


def statistics_columns(name: str) -> str:
    """' (col, …)' when the table names the columns its statistics are for (info["statistics"]), else ''."""
    table = Base.metadata.tables.get(name)
    wanted = table.info.get("statistics") if table is not None else None
    return " (" + ", ".join(f'"{c}"' for c in wanted) + ")" if wanted else ""

"""Test infrastructure shared by every layer: throw-away warehouses on SQLite and PostgreSQL, the small simulated
province, a running app, and a headless Chromium (tests/browser/conftest.py pins its tests to SQLite)."""
from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, text

from settings import load_settings
from warehouse import migrate
from warehouse.db import make_engine
from warehouse.models import Base

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
PG_ADMIN_URL = os.environ.get("PANTAU_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")
# Reference data stays; everything else is emptied between tests.
KEEP_TABLES = {"regencies", "alembic_version"}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: needs headless Chromium")


@contextlib.contextmanager
def throwaway_pg_database(prefix: str):
    """A new PostgreSQL database, dropped afterwards; yields (name, url, admin engine in AUTOCOMMIT)."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield name, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", admin
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database():
    """A PostgreSQL database of this test run only, dropped at the end."""
    from warehouse.db import engine_for

    with throwaway_pg_database("pantau_test") as (_name, url, _admin):
        yield url
        engine_for.cache_clear()


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('warehouse') / 'warehouse.db'}"


def migrated(url: str) -> str:
    """Bring the warehouse at `url` to the newest schema (a no-op when it is there already); returns the URL."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def migrated_urls(sqlite_database, pg_database):
    return {"sqlite": migrated(sqlite_database), "postgresql": migrated(pg_database)}


def empty_warehouse(engine) -> None:
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                conn.execute(delete(table))


def emptied(url: str) -> str:
    """Empty the migrated warehouse at `url` (reference data stays); returns the URL."""
    from warehouse.db import engine_for

    empty_warehouse(engine_for(url))
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request, migrated_urls):
    """The URL of an empty, migrated warehouse; every test using it runs on SQLite and on PostgreSQL."""
    return emptied(migrated_urls[request.param])


@pytest.fixture
def engine(db_url):
    from warehouse.db import engine_for

    return engine_for(db_url)


@pytest.fixture
def settings_for(tmp_path):
    """Settings pointing at a given warehouse URL, with a private DATA_DIR."""

    def build(url: str, **extra):
        # Page-content tests run without access control (ACCESS_CONTROL=off); tests/layouts/test_access.py turns
        # it on.
        if extra.get("ENVIRONMENT") != "production":  # (production refuses "off")
            extra.setdefault("ACCESS_CONTROL", "off")
        return load_settings(DATABASE_URL=url, DATA_DIR=tmp_path / "data", SCHEDULER="off", **extra)

    return build


@pytest.fixture
def app_settings(db_url, settings_for):
    return settings_for(db_url)


@pytest.fixture
def running_app(app_settings):
    """The real app served by werkzeug on a free loopback port in a thread; yields its base URL."""
    from tests.support.server import serve_app

    with serve_app(app_settings) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Selenium through /usr/bin/chromedriver (no browser download)."""
    from tests.support.browser import make_driver

    driver = make_driver()
    yield driver
    driver.quit()


def build_province(url: str, folder: Path) -> str:
    """Migrate the warehouse at `url` and load the small simulated province of tests/support/province.py into it."""
    from tests.support.province import load_small_province
    from warehouse.db import engine_for

    engine = engine_for(url)
    migrate.upgrade(engine)
    load_small_province(engine, folder)
    return url


@pytest.fixture(scope="session")
def province_sqlite(tmp_path_factory):
    """The small simulated province in a SQLite warehouse, built once per session. Tests must only read it."""
    base = tmp_path_factory.mktemp("province-sqlite")
    return build_province(f"sqlite:///{base / 'province.db'}", base / "files")


@pytest.fixture(scope="session")
def province_postgresql(tmp_path_factory, pg_database):
    """The small simulated province in a PostgreSQL database of its own, built once per session and dropped at the
    end. Tests must only read it."""
    from warehouse.db import engine_for

    name = pg_database.rsplit("/", 1)[1] + "_prov"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = pg_database.rsplit("/", 1)[0] + f"/{name}"
    yield build_province(url, tmp_path_factory.mktemp("province-postgresql") / "files")
    engine_for.cache_clear()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def province_urls(province_sqlite, province_postgresql):
    """The small province's two warehouses by backend name."""
    return {"sqlite": province_sqlite, "postgresql": province_postgresql}


@pytest.fixture(params=BACKENDS)
def province_url(request, province_urls):
    """The small simulated province's warehouse; every test using it runs on SQLite and on PostgreSQL."""
    return province_urls[request.param]


@pytest.fixture
def province_app(province_url, settings_for):
    """The real app on the small province, served on loopback; yields its base URL."""
    from tests.support.server import serve_app

    with serve_app(settings_for(province_url)) as base_url:
        yield base_url

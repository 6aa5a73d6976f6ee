"""Browser tests run on SQLite only: what a browser adds (clicks, downloads, URLs, drawn charts, console errors, CSP)
does not depend on the backend, and the PostgreSQL reads behind the same pages are checked in-process
(tests/layouts/) and in tests/warehouse/. These fixtures replace the root conftest's backend-parametrised ones."""
from __future__ import annotations

import pytest

from tests.conftest import emptied, migrated


@pytest.fixture(scope="session")
def sqlite_warehouse(sqlite_database):
    return migrated(sqlite_database)


@pytest.fixture
def db_url(sqlite_warehouse):
    """An empty, migrated SQLite warehouse (the root fixture's SQLite half)."""
    return emptied(sqlite_warehouse)


@pytest.fixture
def province_url(province_sqlite):
    """The small simulated province's SQLite warehouse."""
    return province_sqlite

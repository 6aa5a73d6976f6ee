"""The app the in-process page tests render: the real one on the small province (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest

from tests.support.pages import make_app


@pytest.fixture
def page_app(province_url, settings_for):
    return make_app(province_url, settings_for)

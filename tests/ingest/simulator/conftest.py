"""Shared fixtures: one simulated province (fixed as_of, so the tests do not depend on today) and its files."""
from __future__ import annotations

from datetime import date

import pytest

from ingest.simulator import generate, write

AS_OF = date(2026, 7, 15)
SEED = 2023


@pytest.fixture(scope="session")
def province():
    return generate(seed=SEED, as_of=AS_OF)


@pytest.fixture(scope="session")
def written(province, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    manifest = write(province, out)
    return manifest, out


@pytest.fixture(scope="session")
def file_reports(written):
    """Every report row in the written files (inbox CSVs and platform JSON), read back as text, with file and row."""
    import pandas as pd

    from .readback import read_inbox_reports, read_platform

    manifest, out = written
    inbox = read_inbox_reports(out, manifest.data)
    platform = read_platform(out, "reports").astype(object)
    return pd.concat([inbox, platform], ignore_index=True)

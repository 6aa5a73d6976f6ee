"""The reporting page's heatmap against the warehouse: a stored figure of every kabupaten for the latest 24 month-ends
read with the tests' own SQL, and the cell-by-cell comparison with what the page (or the browser) shows."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.support.sql import read_frame


def stored_rates(url: str, indicator: str, kind: str = "") -> pd.DataFrame:
    """regency_code × period_end of one stored figure for the latest 24 month ends."""
    frame = read_frame(url,
                       f"SELECT regency_code, period_end, {indicator} AS value FROM regency_indicators WHERE type = :k "
                       "AND scope = 'daerah' AND regency_code != '53' AND period_end IN (SELECT period_end FROM "
                       "regency_indicators WHERE regency_code = '53' AND type = '' AND scope = 'daerah' "
                       "ORDER BY period_end DESC LIMIT 24)", k=kind)
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame.pivot(index="regency_code", columns="period_end", values="value").sort_index(axis=1)


def assert_heatmap_is(codes: list[str], z: list[list], expected: pd.DataFrame) -> None:
    """22 kabupaten rows of 24 months, each cell the stored value (None where nothing is stored)."""
    assert len(codes) == 22 and len(z) == 22
    assert all(len(row) == 24 for row in z)
    for code, row in zip(codes, z):
        want = expected.loc[code].tolist()
        for got, value in zip(row, want):
            if value is None or pd.isna(value):
                assert got is None
            else:
                assert got == pytest.approx(value)

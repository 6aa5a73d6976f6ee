"""The tests' own arithmetic on stored figures, written apart from layouts/ on purpose: ranks best first, and a
number written the Indonesian way."""
from __future__ import annotations

import pandas as pd


def expected_ranks(values: dict[str, float]) -> dict[str, int]:
    """Rank 1 = highest (every indicator of the map's switch is "higher is better" in the registry); ties share
    the best rank, missing values get none."""
    series = pd.Series(values, dtype=float)
    return series.rank(ascending=False, method="min").dropna().astype(int).to_dict()


def id_number(value: float, digits: int = 1) -> str:
    """A number written the Indonesian way: 1.234,5."""
    return f"{value:,.{digits}f}".replace(",", "X").replace(".", ",").replace("X", ".")

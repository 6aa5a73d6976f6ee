"""Date arithmetic on numpy arrays: days and months since 1970, month ends, the 'never' sentinel."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

EPOCH = date(1970, 1, 1)
# Day number used for "never happened" (established after the horizon, never dissolved, …): year ~4707.
NEVER = 1_000_000


def day(d: date | str) -> int:
    """Day number (days since 1970-01-01) of a date or ISO string."""
    if isinstance(d, str):
        d = date.fromisoformat(d)
    if isinstance(d, datetime):
        d = d.date()
    return (d - EPOCH).days


def to_date(day_number: int) -> date:
    return EPOCH + timedelta(days=int(day_number))


def month_of_days(days: np.ndarray) -> np.ndarray:
    """Month number (months since 1970-01) of day numbers."""
    days = np.asarray(days, dtype=np.int64)
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_of(d: date) -> int:
    return (d.year - 1970) * 12 + d.month - 1


def month_end_day(months: np.ndarray | int) -> np.ndarray:
    """Day number of the last day of month number(s)."""
    m = np.asarray(months, dtype=np.int64)
    return (m + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - 1


def month_start_day(months: np.ndarray | int) -> np.ndarray:
    m = np.asarray(months, dtype=np.int64)
    return m.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def year_of_month(months: np.ndarray) -> np.ndarray:
    return 1970 + np.asarray(months, dtype=np.int64) // 12


def year_of_days(days: np.ndarray) -> np.ndarray:
    return year_of_month(month_of_days(days))


def last_complete_month(as_of: date) -> int:
    """Month number of the last month that ended before `as_of`."""
    return month_of(as_of) - 1


def days_to_timestamps(days: np.ndarray) -> pd.Series:
    """Day numbers → datetime64 (NaT for the NEVER sentinel or negative-infinity)."""
    days = np.asarray(days, dtype=np.int64)
    out = days.astype("datetime64[D]").astype("datetime64[s]")
    out = np.where(days >= NEVER, np.datetime64("NaT"), out)
    return pd.Series(out, dtype="datetime64[s]")


def iso_days(days: np.ndarray) -> np.ndarray:
    """Day numbers → ISO date strings ('' for NEVER)."""
    days = np.asarray(days, dtype=np.int64)
    text = days.astype("datetime64[D]").astype(str)
    return np.where(days >= NEVER, "", text)

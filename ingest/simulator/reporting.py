"""Which monthly reports reach the Dinas, and when: reporting rates far from 100 %, late and batched filers.

A cooperative reports a month with a probability set by its discipline, its kabupaten's remoteness and the
year (the rate improves slowly; the 2020 pandemic dents it); many small ones never file monthly. Filers
lapse before they are declared inactive, some simply stop, newly founded ones start after a few weeks.
Submission dates: punctual filers before the 20th of the next month (the deadline), others weeks late;
some send a quarter at once, a few the whole year in the next year's first months. Cooperatives on the
digital platform report almost every month, on time, once they are live.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from . import dates as D
from .finance import Panel

DEADLINE_DAY = 20  # of the month after the period
YEAR_TREND = {2019: 0.85, 2020: 0.78, 2021: 0.88, 2022: 0.96, 2023: 1.0, 2024: 1.05, 2025: 1.1}


def simulate_reporting(
    rng: np.random.Generator, reg: pd.DataFrame, panel: Panel, live_day: np.ndarray, horizon_day: int
) -> tuple[np.ndarray, np.ndarray]:
    """(N, T) mask of the months a report is sent and (N, T) day numbers it is sent on."""
    n, t = panel.registered.shape
    months = panel.months
    me = D.month_end_day(months)
    disc = reg["discipline"].to_numpy()
    remote = reg["remoteness"].to_numpy()
    sl = panel.savings_loan
    est = reg["established_day"].to_numpy()
    ina = reg["inactive_day"].to_numpy()
    rea = reg["reactivated_day"].to_numpy()
    dis = reg["dissolved_day"].to_numpy()

    propensity = np.clip(0.2 + 0.9 * disc - 0.3 * remote + 0.08 * sl, 0.0, 0.97)
    never = (disc < 0.3) & (rng.random(n) < 0.3)
    propensity[never] = 0.0
    trend = np.array([YEAR_TREND.get(int(y), 1.12) for y in D.year_of_month(months)])
    p = np.clip(propensity[:, None] * trend[None, :], 0, 0.98)
    digital = me[None, :] >= live_day[:, None]
    p = np.where(digital, 0.96, p)

    # lapsing before being declared inactive, or before a dissolution; plain stoppers
    stop = np.full(n, D.NEVER, dtype=np.int64)
    lapses = ina < D.NEVER
    stop[lapses] = ina[lapses] - rng.integers(180, 720, int(lapses.sum()))
    ends = (dis < D.NEVER) & ~lapses
    stop[ends] = dis[ends] - rng.integers(0, 240, int(ends.sum()))
    quits = (rng.random(n) < 0.05) & (stop == D.NEVER) & (live_day == D.NEVER)
    stop[quits] = rng.integers(D.day(date(2019, 6, 1)), horizon_day, int(quits.sum()))
    stopped = (me[None, :] >= stop[:, None]) & (me[None, :] < rea[:, None])
    start = est + rng.integers(30, 120, n)

    mask = panel.active & ~stopped & (me[None, :] >= start[:, None]) & (rng.random((n, t)) < p)

    # ---- submission dates
    punctual = np.clip(0.1 + 0.8 * disc - 0.2 * remote, 0.03, 0.95)
    on_time = rng.random((n, t)) < punctual[:, None]
    early = me[None, :] + rng.integers(1, DEADLINE_DAY + 1, (n, t))
    late = me[None, :] + DEADLINE_DAY + np.rint(rng.lognormal(np.log(18), 0.9, (n, t))).astype(np.int64)
    submitted = np.where(on_time, early, late)
    style = rng.choice(3, size=n, p=[0.82, 0.13, 0.05])  # monthly, quarterly batch, yearly backlog
    quarter = months // 3
    q_end = D.month_end_day(quarter * 3 + 2)
    batch_q = q_end[None, :] + _per_group(rng, n, quarter, 5, 60)
    year = D.year_of_month(months)
    y_end = D.month_end_day((year - 1970) * 12 + 11)
    batch_y = y_end[None, :] + _per_group(rng, n, year, 20, 120)
    submitted = np.select([style[:, None] == 1, style[:, None] == 2], [batch_q, batch_y], submitted)
    on_platform = me[None, :] >= live_day[:, None]
    submitted = np.where(on_platform, me[None, :] + rng.integers(1, 18, (n, t)), submitted)
    return mask, submitted


def _per_group(rng: np.random.Generator, n: int, group: np.ndarray, low: int, high: int) -> np.ndarray:
    """One draw per (cooperative, group of months) broadcast to every month of the group."""
    codes, index = np.unique(group, return_inverse=True)
    draws = rng.integers(low, high, (n, len(codes)))
    return draws[:, index]

"""Digital adoption: who is identified, migrates, goes live and transacts on which platform, and when.

"Go Digital" = current stage `live` or `transacting`. The number that have gone live by each milestone of
`targets.DIGITAL_GO_LIVE` is exact; nobody drops back. A cooperative may start migrating only if it held a
RAT in the 730 days before (the province's rule: RAT in the last two years). Some stay in `migrating` for
months (a few never finish); others are identified and never migrate.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from . import dates as D
from . import targets as T
from .finance import Panel
from .meetings import RatState
from .sampling import uniform_days, weighted_sample

PROGRAM_START = date(2020, 11, 1)  # the 1,000-target announcement (Nov 2020)
PILOT_START = date(2020, 8, 15)
TWO_YEARS = 730


@dataclass
class DigitalState:
    stages: pd.DataFrame  # row, platform, stage, stage_day, members_on_app (all stage changes up to the horizon)
    live_day: np.ndarray  # (N,) day the cooperative went live (NEVER if not)
    migrating_day: np.ndarray


def simulate_digital(
    rng: np.random.Generator, reg: pd.DataFrame, rat: RatState, panel: Panel, horizon_day: int, factor: float
) -> DigitalState:
    n = len(reg)
    disc = reg["discipline"].to_numpy()
    kopdit = reg["group"].to_numpy() == "Kopdit"
    remote = reg["remoteness"].to_numpy()
    clean = (reg["inactive_day"].to_numpy() == D.NEVER) & (reg["dissolved_day"].to_numpy() == D.NEVER)
    est = reg["established_day"].to_numpy()
    legal = reg["legal_day"].to_numpy()
    affinity = (0.05 + disc**2) * (1 + 2.5 * kopdit) * (1.6 - remote)

    # ---- live events per milestone interval (exact counts)
    live, migr = [], []
    prev_day, prev_count = D.day(PILOT_START), 0
    for end, cumulative in T.DIGITAL_GO_LIVE:
        end_day = D.day(end)
        if end_day > horizon_day + 366:
            break
        k = int(round(cumulative * factor)) - prev_count
        lo = prev_day if prev_count else D.day(date(2020, 10, 1))
        days = np.sort(uniform_days(rng, lo + 1, end_day, k))
        lag = np.rint(rng.uniform(14, 75, k)).astype(np.int64)
        slow = rng.random(k) < 0.1  # stuck for a while, then live
        lag = np.where(slow, rng.integers(100, 220, k), lag)
        if end == date(2021, 5, 30):
            # the 2021 push: fast migrations; exactly DIGITAL_IN_PROCESS_2020 of them started in December 2020
            early = int(round(T.DIGITAL_IN_PROCESS_2020 * factor))
            days = np.sort(uniform_days(rng, D.day(date(2021, 1, 5)), end_day, k))
            room = days - D.day(date(2021, 1, 1))
            lag = np.minimum(np.rint(rng.uniform(7, 45, k)).astype(np.int64), np.maximum(room, 1))
            pick = np.argsort(days, kind="stable")[:early]
            lag[pick] = days[pick] - uniform_days(rng, D.day(date(2020, 11, 20)), D.day(date(2020, 12, 31)), early)
        if end == date(2020, 12, 31):
            lag = np.minimum(lag, days - D.day(PILOT_START))
        elif end > date(2021, 5, 30):
            # after the push nobody still counts as "in process at the end of 2020"
            lag = np.minimum(lag, np.maximum(days - D.day(date(2021, 1, 1)), 1))
        live.append(days)
        migr.append(days - np.maximum(lag, 1))
        prev_day, prev_count = end_day, int(round(cumulative * factor))
    live_days = np.concatenate(live)
    migr_days = np.concatenate(migr)
    keep = migr_days <= horizon_day
    live_days, migr_days = live_days[keep], migr_days[keep]

    # ---- stuck migrations (never finish) and identified-only cooperatives
    years = np.arange(2021, D.year_of_days(np.array([horizon_day]))[0] + 1)
    n_stuck = int(round(8 * factor)) * len(years)
    stuck_migr = np.sort(uniform_days(rng, D.day(date(2021, 1, 1)), horizon_day, n_stuck))
    event_migr = np.concatenate([migr_days, stuck_migr])
    event_live = np.concatenate([live_days, np.full(n_stuck, D.NEVER)])

    # ---- give every migration to an eligible cooperative (RAT within two years), month by month
    owner = np.full(len(event_migr), -1)
    taken = np.zeros(n, dtype=bool)
    months = D.month_of_days(event_migr)
    held_days = np.where(rat.held, rat.held_day, -D.NEVER)
    for m in np.unique(months):  # one iteration per calendar month with migrations
        events = np.flatnonzero(months == m)
        start, end = D.month_start_day(m), D.month_end_day(m)
        last_rat = np.where(held_days <= start, held_days, -D.NEVER).max(axis=1)
        pool = np.flatnonzero(clean & ~taken & (last_rat >= end - TWO_YEARS) & (legal <= start) & (est <= start - 365))
        if len(pool) < len(events):
            raise RuntimeError(f"only {len(pool)} cooperatives eligible to migrate in month {m}, {len(events)} needed")
        chosen = weighted_sample(rng, pool, affinity[pool], len(events))
        rng.shuffle(chosen)
        owner[events] = chosen
        taken[chosen] = True

    # identified before migrating (or only identified)
    ident = event_migr - rng.integers(0, 60, len(event_migr))
    ident = np.maximum(ident, np.where(event_migr >= D.day(PROGRAM_START), D.day(PROGRAM_START), D.day(PILOT_START) - 20))
    ident = np.minimum(ident, event_migr)
    n_ident_only = int(round(120 * factor)) * len(years)
    pool = np.flatnonzero(clean & ~taken & (est < D.day(date(2020, 1, 1))))
    ident_only = weighted_sample(rng, pool, affinity[pool], min(n_ident_only, len(pool)))
    ident_only_day = uniform_days(rng, D.day(PROGRAM_START), horizon_day, len(ident_only))

    transacts = rng.random(len(owner)) < np.where(kopdit[owner], 0.85, 0.7)
    trans_day = np.where(transacts & (event_live < D.NEVER), event_live + rng.integers(20, 150, len(owner)), D.NEVER)

    platform_by_row = np.where(
        kopdit,
        np.where(rng.random(n) < 0.85, "SIKOPDIT", "KEREN"),
        np.where(rng.random(n) < 0.85, "KEREN", "lainnya"),
    )
    members = _members_at(panel, reg)
    frames = [
        _stage_rows(ident_only, "identified", ident_only_day),
        _stage_rows(owner, "identified", ident),
        _stage_rows(owner, "migrating", event_migr),
        _stage_rows(owner, "live", event_live),
        _stage_rows(owner, "transacting", trans_day),
    ]
    stages = pd.concat(frames, ignore_index=True)
    stages = stages[stages["stage_day"] <= horizon_day].copy()
    stages["platform"] = platform_by_row[stages["row"].to_numpy()]
    share = np.select([stages["stage"] == "live", stages["stage"] == "transacting"], [rng.uniform(0.05, 0.3, len(stages)), rng.uniform(0.25, 0.7, len(stages))], np.nan)
    base = members(stages["row"].to_numpy(), stages["stage_day"].to_numpy())
    stages["members_on_app"] = pd.array(np.where(np.isnan(share), np.nan, np.rint(share * base)), dtype="Int64")

    live_day = np.full(n, D.NEVER, dtype=np.int64)
    migrating_day = np.full(n, D.NEVER, dtype=np.int64)
    live_day[owner] = event_live
    migrating_day[owner] = event_migr
    return DigitalState(stages=stages.reset_index(drop=True), live_day=live_day, migrating_day=migrating_day)


def _stage_rows(rows: np.ndarray, stage: str, days: np.ndarray) -> pd.DataFrame:
    keep = days < D.NEVER
    return pd.DataFrame({"row": rows[keep], "stage": stage, "stage_day": days[keep].astype(np.int64)})


def _members_at(panel: Panel, reg: pd.DataFrame):
    """Members of cooperative `rows` at day `days` (nearest simulated month)."""
    values = panel.values["members"]

    def lookup(rows: np.ndarray, days: np.ndarray) -> np.ndarray:
        col = np.clip(np.searchsorted(panel.months, D.month_of_days(days)), 0, len(panel.months) - 1)
        out = values[rows, col]
        return np.where(np.isnan(out), 50.0, out)

    return lookup


def status_on(stages: pd.DataFrame, day: int) -> pd.Series:
    """Current stage per cooperative row on `day` (the latest stage change on or before it)."""
    past = stages[stages["stage_day"] <= day]
    order = {"identified": 0, "migrating": 1, "live": 2, "transacting": 3}
    past = past.assign(rank=past["stage"].map(order)).sort_values(["row", "stage_day", "rank"], kind="stable")
    return past.groupby("row")["stage"].last()

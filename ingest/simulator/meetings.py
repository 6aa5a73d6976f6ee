"""RAT (annual members' meeting) history and the national registry export (NIK grade A/B/C1/C2/D).

A cooperative holds the RAT for fiscal year y between February and July of y+1 mostly (deadline 30 June),
later in the 2020 pandemic season. It cannot hold one while inactive, nor in the three fiscal years before
it was declared inactive ("no RAT three times in a row"); a revived cooperative revives by holding a RAT.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from . import dates as D
from . import targets as T
from .finance import Panel
from .sampling import weighted_sample

FIRST_FISCAL_YEAR = 2018
# Probability of the meeting month (January … December of the following year).
MONTH_PROFILE = {
    "normal": (0.04, 0.15, 0.28, 0.22, 0.12, 0.07, 0.05, 0.03, 0.02, 0.01, 0.005, 0.005),
    2019: (0.04, 0.15, 0.10, 0.02, 0.02, 0.07, 0.14, 0.14, 0.12, 0.09, 0.07, 0.04),  # held in 2020: pandemic
    2020: (0.03, 0.12, 0.20, 0.18, 0.14, 0.10, 0.08, 0.06, 0.04, 0.03, 0.01, 0.01),
}
# Share of eligible cooperatives holding the RAT, relative to their own propensity, by fiscal year.
YEAR_TREND = {2018: 0.95, 2019: 0.85, 2020: 0.92, 2021: 1.0, 2022: 1.08, 2023: 1.15, 2024: 1.2, 2025: 1.25}


@dataclass
class RatState:
    years: np.ndarray  # fiscal years (Y,)
    eligible: np.ndarray  # (N, Y) could hold it (active, registered, not lapsing)
    held: np.ndarray  # (N, Y) bool
    held_day: np.ndarray  # (N, Y) day number of the meeting (meaningful where eligible)


def simulate_rat(rng: np.random.Generator, reg: pd.DataFrame, horizon_day: int, routine_target: int | None) -> RatState:
    n = len(reg)
    last_fy = D.year_of_days(np.array([horizon_day]))[0] - 1
    years = np.arange(FIRST_FISCAL_YEAR, last_fy + 1)
    y = len(years)
    est = reg["established_day"].to_numpy()[:, None]
    dis = reg["dissolved_day"].to_numpy()[:, None]
    ina = reg["inactive_day"].to_numpy()
    rea = reg["reactivated_day"].to_numpy()
    disc = reg["discipline"].to_numpy()

    month = np.empty((n, y), dtype=np.int64)
    for k, fy in enumerate(years):
        profile = np.array(MONTH_PROFILE.get(int(fy), MONTH_PROFILE["normal"]))
        month[:, k] = rng.choice(12, size=n, p=profile / profile.sum())
    first_of_month = D.month_start_day((years[None, :] + 1 - 1970) * 12 + month)
    length = D.month_end_day((years[None, :] + 1 - 1970) * 12 + month) - first_of_month + 1
    held_day = first_of_month + np.floor(rng.random((n, y)) * length).astype(np.int64)

    ina_year = np.where(ina < D.NEVER, D.year_of_days(np.minimum(ina, D.NEVER - 1)), 10_000)
    rea_year = np.where(rea < D.NEVER, D.year_of_days(np.minimum(rea, D.NEVER - 1)), 10_000)
    lapsed = (years[None, :] >= ina_year[:, None] - 3) & (years[None, :] <= rea_year[:, None] - 2)
    founded_in_time = est <= D.month_end_day((years[None, :] - 1970) * 12 + 8)  # by 30 September of the year
    eligible = founded_in_time & ~lapsed & (held_day < dis) & (held_day <= horizon_day)
    eligible &= ~((held_day >= ina[:, None]) & (held_day < rea[:, None]))

    base = 0.07 + 0.88 * disc ** 1.6
    trend = np.array([YEAR_TREND.get(int(fy), 1.25) for fy in years])
    p = np.clip(base[:, None] * trend[None, :], 0.0, 0.97)
    held = eligible & (rng.random((n, y)) < p)

    # a revival is a RAT: the meeting for the fiscal year before the revival, held on the revival day
    revived = np.flatnonzero((rea < D.NEVER) & (rea <= horizon_day))
    fy_rev = D.year_of_days(rea[revived]) - 1
    ok = (fy_rev >= years[0]) & (fy_rev <= years[-1])
    rows, cols = revived[ok], (fy_rev[ok] - years[0]).astype(int)
    held_day[rows, cols] = rea[rows]
    eligible[rows, cols] = True
    held[rows, cols] = True

    state = RatState(years=years, eligible=eligible, held=held, held_day=held_day)
    if routine_target is not None and years[-1] >= max(T.RAT_ROUTINE_YEARS):
        _fix_routine(rng, state, routine_target)
    return state


def _fix_routine(rng: np.random.Generator, state: RatState, target: int) -> None:
    """Make exactly `target` cooperatives hold the RAT for every one of the routine fiscal years."""
    cols = [int(fy - state.years[0]) for fy in T.RAT_ROUTINE_YEARS]
    all_three = state.held[:, cols].all(axis=1)
    count = int(all_three.sum())
    if count > target:
        drop = weighted_sample(rng, np.flatnonzero(all_three), None, count - target)
        # the pandemic season (FY2019, held in 2020) is the one most often skipped
        which = np.array(cols)[rng.choice(len(cols), size=len(drop), p=[0.2, 0.5, 0.3])]
        state.held[drop, which] = False
    elif count < target:
        two = state.held[:, cols].sum(axis=1) == len(cols) - 1
        fillable = two & (state.eligible[:, cols] | state.held[:, cols]).all(axis=1)
        add = weighted_sample(rng, np.flatnonzero(fillable), None, target - count)
        for c in cols:
            state.held[add, c] = True


def boost_after_live(rng: np.random.Generator, state: RatState, live_day: np.ndarray) -> None:
    """Cooperatives on the digital platform keep their RAT habit: most hold it every year after going live."""
    live_year = np.where(live_day < D.NEVER, D.year_of_days(np.minimum(live_day, D.NEVER - 1)), 10_000)
    first = np.maximum(live_year, max(T.RAT_ROUTINE_YEARS) + 1)
    mask = (state.years[None, :] >= first[:, None]) & state.eligible & ~state.held
    state.held |= mask & (rng.random(mask.shape) < 0.9)


def rat_frame(rng: np.random.Generator, reg: pd.DataFrame, state: RatState, panel: Panel, as_of_day: int) -> pd.DataFrame:
    """RAT rows (one per cooperative × fiscal year held, held on or before as_of) with SHU and audit flags."""
    rows, cols = np.nonzero(state.held)
    held_day = state.held_day[rows, cols]
    keep = held_day <= as_of_day
    rows, cols, held_day = rows[keep], cols[keep], held_day[keep]
    fy = state.years[cols]
    disc = reg["discipline"].to_numpy()[rows]
    m = len(rows)

    reported = held_day + rng.integers(7, 46, m)
    never_reported = rng.random(m) < 0.22 * (1 - disc)
    reported = np.where(never_reported | (reported > as_of_day), D.NEVER, reported)

    shu_total, shu_members, equity = _year_end(panel, rows, fy)
    missing = rng.random(m) < 0.15
    audited = np.where(equity >= 5e9, rng.random(m) < 0.9, rng.random(m) < 0.04)
    published = rng.random(m) < np.clip(0.2 + 0.06 * (fy - 2018) + 0.4 * disc, 0, 0.95)
    frame = pd.DataFrame(
        {
            "row": rows,
            "nik": reg["nik"].to_numpy()[rows],
            "fiscal_year": fy.astype(np.int64),
            "held_on": D.days_to_timestamps(held_day),
            "reported_on": D.days_to_timestamps(reported),
            "shu_total": pd.array(np.where(missing, np.nan, shu_total), dtype="Int64"),
            "shu_to_members": pd.array(np.where(missing, np.nan, shu_members), dtype="Int64"),
            "audited": audited,
            "statements_published": published,
        }
    )
    return frame.sort_values(["nik", "fiscal_year"], kind="stable").reset_index(drop=True)


def _year_end(panel: Panel, rows: np.ndarray, fy: np.ndarray):
    """December SHU (after tax, members' share) and equity of each (cooperative, fiscal year).

    Years outside the simulated months are extrapolated from the nearest simulated December at 5 % a year.
    """
    decembers = np.flatnonzero(panel.months % 12 == 11)
    dec_years = D.year_of_month(panel.months[decembers])
    if len(decembers) == 0:  # a window without a December: use its last month
        decembers = np.array([len(panel.months) - 1])
        dec_years = D.year_of_month(panel.months[decembers])
    nearest = np.abs(fy[:, None] - dec_years[None, :]).argmin(axis=1)
    col = decembers[nearest]
    factor = 1.05 ** (fy - dec_years[nearest]).astype(float)
    values = panel.values
    shu = np.rint(values["shu_after_tax"][rows, col] * factor)
    members = np.rint(values["shu_member_share"][rows, col] * factor)
    members = np.where(shu > 0, np.minimum(members, shu), 0)
    equity = values["equity"][rows, col] * factor
    return shu, members, equity


def registry_export(reg: pd.DataFrame, rat: pd.DataFrame, as_of: date, rng: np.random.Generator) -> pd.DataFrame:
    """The national registry's view (NIK, name, certificate, RAT grade, last RAT) of every cooperative not dissolved.

    Grades (indicator-facts.md §3): window = the three fiscal years ending with the last one whose RAT deadline
    (30 June) has passed on `as_of`; a RAT counts when it was reported by `as_of`.
    A: three of three; B: two; C1: founded within three years with one; C2: older with one; D: none.
    """
    as_of_day = D.day(as_of)
    last = as_of.year - 1 if as_of >= date(as_of.year, 7, 1) else as_of.year - 2
    window = (last - 2, last)
    current = reg[(reg["established_day"] <= as_of_day) & (reg["dissolved_day"] > as_of_day)]
    reported = rat[rat["reported_on"].notna() & (rat["reported_on"] <= pd.Timestamp(as_of))]
    in_window = reported[(reported["fiscal_year"] >= window[0]) & (reported["fiscal_year"] <= window[1])]
    count = in_window.groupby("nik").size().reindex(current["nik"], fill_value=0).to_numpy()
    young = (as_of_day - current["established_day"].to_numpy()) < 3 * 365
    grade = np.select(
        [count >= 3, count == 2, (count == 1) & young, count == 1],
        ["A", "B", "C1", "C2"],
        "D",
    )
    last_held = rat[rat["held_on"] <= pd.Timestamp(as_of)].groupby("nik")["held_on"].max().reindex(current["nik"])
    ever_reported = reported.groupby("nik").size().reindex(current["nik"], fill_value=0).to_numpy() > 0
    legal = current["legal_day"].to_numpy() <= as_of_day
    certified_before = rng.random(len(current)) < 0.6
    certified = legal & (ever_reported | (certified_before & (current["established_day"].to_numpy() < D.day(T.START))))
    return pd.DataFrame(
        {
            "nik": current["nik"].to_numpy(),
            "name": current["name"].to_numpy(),
            "certificate_status": np.where(certified, "bersertifikat", "belum_bersertifikat"),
            "grade": grade,
            "last_rat_date": last_held.dt.strftime("%Y-%m-%d").fillna("").to_numpy(),
        }
    ).sort_values("nik", kind="stable").reset_index(drop=True)

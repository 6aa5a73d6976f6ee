"""Mentoring and training of digital cooperatives, and what it does to their platform use: the office's notes say
mentoring keeps digital use going (the 1,000 target counts onboarding only). A live cooperative that had no
mentoring or training in the twelve months before a month sends that month's report through the platform less
often; the mentoring log (`pendampingan`) is what the office recorded, from July 2024 on (mentoring before it
happened too, but was not logged)."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from . import dates as D
from .finance import Panel

START = date(2024, 7, 1)  # the log the office keeps starts here (mentoring before it is not recorded)
FIRST = date(2020, 11, 1)  # mentoring of digital cooperatives starts with the 1,000 target (Nov 2020)
MENTORED_SHARE = 0.55  # live cooperatives the office mentors at all (assumption)
KEEP_MENTORED, KEEP_UNMENTORED = 0.97, 0.72  # chance a platform month's report is still sent (assumption)
MENTORS = ("Dinas Koperasi dan UKM Provinsi NTT", "Tim Pendamping KEREN", "Puskopdit Flores", "Dinas Koperasi Kabupaten")
TOPICS = {"pelatihan": ("Pelatihan aplikasi KEREN", "Laporan keuangan digital", "Keamanan data anggota"),
          "pendampingan": ("Input laporan bulanan di platform", "Migrasi data anggota", "Rekonsiliasi simpanan"),
          "kunjungan": ("Kunjungan monitoring", "Verifikasi data platform")}


def simulate(rng: np.random.Generator, reg: pd.DataFrame, panel: Panel, live_day: np.ndarray, mask: np.ndarray,
             horizon_day: int) -> tuple[pd.DataFrame, np.ndarray]:
    """(mentoring activities, the report mask with platform lapses). Activities: nik, activity_date, kind, topic,
    mentor, hours, for live cooperatives from START to the horizon."""
    n = len(reg)
    start, horizon = D.day(FIRST), horizon_day
    live = live_day < D.NEVER
    mentored = live & (rng.random(n) < MENTORED_SHARE)
    rows = np.flatnonzero(mentored)
    per_year = rng.uniform(1.0, 4.0, len(rows))  # activities a year
    events = []
    for r, rate in zip(rows, per_year):
        first = max(start, int(live_day[r]))
        if first >= horizon:
            continue
        count = rng.poisson(rate * (horizon - first) / 365.0)
        if count:
            events.append((np.full(count, r), rng.integers(first, horizon + 1, count)))
    if events:
        who = np.concatenate([e[0] for e in events])
        when = np.concatenate([e[1] for e in events])
    else:
        who, when = np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    kinds = rng.choice(list(TOPICS), size=len(who), p=[0.35, 0.45, 0.2])
    topics = np.array([TOPICS[k][i % len(TOPICS[k])] for k, i in zip(kinds, rng.integers(0, 3, len(who)))], dtype=object)
    hours = np.where(kinds == "pelatihan", rng.choice([4.0, 6.0, 8.0], len(who)),
                     np.round(rng.uniform(1.0, 4.0, len(who)) * 2) / 2)
    activities = pd.DataFrame({
        "nik": reg["nik"].to_numpy()[who], "activity_date": D.days_to_timestamps(when).to_numpy(), "kind": kinds,
        "topic": topics, "mentor": np.array(MENTORS, dtype=object)[rng.integers(0, len(MENTORS), len(who))],
        "hours": hours,
    }).sort_values(["activity_date", "nik"], kind="stable").reset_index(drop=True)
    activities = activities.drop_duplicates(["nik", "activity_date", "kind", "mentor", "topic"]).reset_index(drop=True)

    # platform months: a report is still sent with KEEP_MENTORED after mentoring in the twelve months before the
    # month's end, with KEEP_UNMENTORED otherwise
    month_end = D.month_end_day(panel.months)
    on_platform = month_end[None, :] >= live_day[:, None]
    recent = np.zeros(mask.shape, dtype=bool)
    if len(who):
        for r, d in zip(who, when):
            recent[r] |= (month_end >= d) & (month_end - d < 365)
    keep = np.where(recent, KEEP_MENTORED, KEEP_UNMENTORED)
    draw = rng.random(mask.shape)
    lapse = on_platform & (draw > keep)
    logged = activities["activity_date"] >= pd.Timestamp(START)
    return activities.loc[logged].reset_index(drop=True), mask & ~lapse

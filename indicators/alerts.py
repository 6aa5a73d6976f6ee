"""The alert rules of ``norms/alerts.toml``, evaluated on the stored rows of the latest period: frames in, the events
out (one row per rule × cooperative or village × event). The warehouse keeps each event once (its key) and sends it
on; nothing here reads a database or decides who is told.

Each rule reuses a figure the refresh already stored: the health category of the snapshots (newly under
supervision), the snapshot's report status and latest report (stopped reporting), the RAT status of the last closed
fiscal year (RAT overdue), the snapshot's stuck-in-migration flag (Go Digital), and the KDMP villages' stuck flags
(the ones the Kopdes Merah Putih page lists).
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from indicators import accountability, digital, norms as norm_files

RULES = ("newly_supervised", "stopped_reporting", "rat_overdue", "stuck_migration", "kdmp_stuck")
COLUMNS = ["rule", "subject_kind", "subject", "regency_code", "event_date", "event_key", "detail"]


@functools.cache
def _norms() -> dict:
    return norm_files.load_norms("alerts")


def load_norms() -> dict:
    return norm_files.load_norms("alerts")


def _month_key(values: pd.Series) -> np.ndarray:
    d = pd.to_datetime(values)
    return (d.dt.year * 12 + d.dt.month - 1).to_numpy(dtype="float64")


def _events(rule: str, kind: str, subject: pd.Series, regency: pd.Series, date: pd.Series, key: pd.Series,
            detail: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({"rule": rule, "subject_kind": kind, "subject": subject.astype(str).to_numpy(),
                         "regency_code": regency.astype(str).to_numpy(),
                         "event_date": pd.to_datetime(date).dt.normalize().to_numpy(),
                         "event_key": key.astype(str).to_numpy(), "detail": detail}, columns=COLUMNS)


def newly_supervised(now: pd.DataFrame, before: pd.DataFrame | None, period, norms: dict | None = None) -> pd.DataFrame:
    """Cooperatives whose category at `period` is one of the rule's categories and at the period before was not
    (or had none). Without the period before (the first period of the data) nothing is new."""
    norms = norms or _norms()
    if before is None or now.empty:
        return pd.DataFrame(columns=COLUMNS)
    bad = set(norms["newly_supervised"]["categories"])
    previous = now["nik"].map(before.set_index("nik")["health_category"]) if len(before) else \
        pd.Series(None, index=now.index, dtype=object)
    hit = now["health_category"].isin(bad) & ~previous.isin(bad)
    rows = now.loc[hit]
    stamp = pd.Timestamp(period)
    detail = [{"category": c, "previous": None if pd.isna(p) else p}
              for c, p in zip(rows["health_category"], previous[hit])]
    return _events("newly_supervised", "cooperative", rows["nik"], rows["regency_code"],
                   pd.Series(stamp, index=rows.index), pd.Series(f"period:{stamp:%Y-%m}", index=rows.index), detail)


def stopped_reporting(now: pd.DataFrame, period, norms: dict | None = None) -> pd.DataFrame:
    """Cooperatives expected to report at `period` whose report is missing and whose latest report (within the
    lookback: `source_period`) is at least the rule's months old. The event is keyed on that latest report, so it is
    raised once per silence."""
    norms = norms or _norms()
    months = int(norms["stopped_reporting"]["months"])
    if now.empty:
        return pd.DataFrame(columns=COLUMNS)
    last = pd.to_datetime(now["source_period"])
    gap = _month_key(pd.Series(pd.Timestamp(period), index=now.index)) - _month_key(last)
    hit = now["report_status"].eq("missing").to_numpy() & last.notna().to_numpy() & (gap >= months)
    rows, last = now.loc[hit], last[hit]
    date = last + pd.offsets.MonthEnd(months)
    detail = [{"last_report": f"{d:%Y-%m-%d}", "months": int(g)} for d, g in zip(last, gap[hit])]
    return _events("stopped_reporting", "cooperative", rows["nik"], rows["regency_code"], date,
                   "after:" + last.dt.strftime("%Y-%m"), detail)


def rat_overdue(now: pd.DataFrame, rat: pd.DataFrame, period) -> pd.DataFrame:
    """Cooperatives due a RAT for the last closed fiscal year (`rat`: its rat_status rows, one per cooperative due
    one) that held none, once that year's deadline lies on or before `period`."""
    if now.empty or rat.empty:
        return pd.DataFrame(columns=COLUMNS)
    rule = accountability.load_norms()["rat"]
    stamp = pd.Timestamp(period)
    year = stamp.year - 1
    deadline = pd.Timestamp(year + 1, 1, 1) + pd.offsets.MonthEnd(int(rule["deadline_months_after_year_end"]))
    if stamp < deadline:
        return pd.DataFrame(columns=COLUMNS)
    due = rat.loc[(pd.to_numeric(rat["fiscal_year"]) == year) & ~rat["held"].astype(bool), "nik"].astype(str)
    skip = set(_norms()["rat_overdue"].get("skip_programmes", []))
    programme = now["programme"] if "programme" in now else pd.Series(None, index=now.index, dtype=object)
    rows = now.loc[now["nik"].astype(str).isin(set(due)) & ~programme.isin(skip)]
    return _events("rat_overdue", "cooperative", rows["nik"], rows["regency_code"],
                   pd.Series(deadline, index=rows.index), pd.Series(f"fy:{year}", index=rows.index),
                   [{"fiscal_year": year, "deadline": f"{deadline:%Y-%m-%d}"}] * len(rows))


def stuck_migration(now: pd.DataFrame) -> pd.DataFrame:
    """Cooperatives whose snapshot says stuck in migration (norms/digital.toml [stuck]), keyed on the day the
    migration began."""
    if now.empty:
        return pd.DataFrame(columns=COLUMNS)
    days = int(digital.load_norms()["stuck"]["migrating_days"])
    rows = now.loc[now["stuck_in_migration"].eq(True) & now["digital_stage_date"].notna()]
    since = pd.to_datetime(rows["digital_stage_date"])
    detail = [{"since": f"{d:%Y-%m-%d}", "days": days} for d in since]
    return _events("stuck_migration", "cooperative", rows["nik"], rows["regency_code"], since + pd.Timedelta(days=days),
                   "since:" + since.dt.strftime("%Y-%m-%d"), detail)


def kdmp_stuck(villages: pd.DataFrame) -> pd.DataFrame:
    """KDMP villages stored as stuck (no NIB 90 days after SK AHU; no land): one event per condition, keyed on the
    SK AHU date it counts from."""
    if villages.empty:
        return pd.DataFrame(columns=COLUMNS)
    from indicators import kdmp

    days = int(kdmp.load_norms()["stuck_nib"]["days"])
    frames = []
    for flag, condition, offset in (("stuck_nib", "nib", days), ("no_land", "land", 0)):
        rows = villages.loc[villages[flag].eq(True) & villages["ahu_on"].notna()]
        ahu = pd.to_datetime(rows["ahu_on"])
        detail = [{"condition": condition, "stage": s, "ahu_on": f"{a:%Y-%m-%d}"} for s, a in zip(rows["stage"], ahu)]
        frames.append(_events("kdmp_stuck", "village", rows["village_code"], rows["regency_code"],
                              ahu + pd.Timedelta(days=offset), f"{condition}:" + ahu.dt.strftime("%Y-%m-%d"), detail))
    return pd.concat(frames, ignore_index=True)


def evaluate(now: pd.DataFrame, before: pd.DataFrame | None, rat: pd.DataFrame, villages: pd.DataFrame, period,
             regional: set[str] | None = None) -> pd.DataFrame:
    """Every rule's events at the latest snapshot `period`: `now` and `before` are the cooperative snapshots of
    that period and the one before (None: none), `rat` the RAT status rows of the last closed fiscal year,
    `villages` the KDMP villages of their latest period. `regional`: the supervisors whose cooperatives are alerted
    (the default population); None = every cooperative."""
    if regional is not None and not now.empty:
        now = now.loc[now["supervisor"].isin(regional) | now["supervisor"].isna()]
    frames = [newly_supervised(now, before, period), stopped_reporting(now, period), rat_overdue(now, rat, period),
              stuck_migration(now), kdmp_stuck(villages)]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)

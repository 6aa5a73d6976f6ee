"""Digital adoption ("Go Digital"): current stage, funnel, progress to the 1,000 target, pace and projection."""

from __future__ import annotations

import logging
import math
from typing import Any, Mapping, NamedTuple

import numpy as np
import pandas as pd

from indicators import core, norms as norm_files, vocabulary

log = logging.getLogger(__name__)

METHOD = "digital"
PROVINCE_CODE = vocabulary.PROVINCE_CODE
# A projected date further away than this (a pace of almost nothing) is no date at all.
MAX_PROJECTION_MONTHS = 1200


def load_norms() -> dict:
    """Stages, Go Digital definition, target and projection settings (``indicators/norms/digital.toml``)."""
    return norm_files.load_norms(METHOD)


def stage_events(digital: pd.DataFrame, norms: Mapping | None = None) -> pd.DataFrame:
    """Stage changes as events: nik, platform, stage, stage_date (WITA day), members_on_app, stage_rank, go_digital;
    rows with an unknown stage or no date dropped; two stages on one date keep the further one."""
    norms = norm_files.resolve_norms(norms, METHOD)
    order = list(norms["stages"]["order"])
    rank = {stage: i for i, stage in enumerate(order)}
    ev = pd.DataFrame({
        "nik": digital["nik"].astype("str").to_numpy(),
        "platform": digital["platform"].astype("str").to_numpy() if "platform" in digital else None,
        "stage": digital["stage"].astype("str").str.strip().str.lower().to_numpy(),
        "stage_date": core.local_dates(digital["stage_date"]).to_numpy(),
        "members_on_app": core.to_float(digital["members_on_app"]) if "members_on_app" in digital else np.nan,
    })
    ev["stage_rank"] = ev["stage"].map(rank)
    unknown = ev["stage_rank"].isna() | ev["stage_date"].isna()
    if unknown.any():
        log.warning("%d digital rows with an unknown stage or no date ignored", int(unknown.sum()))
    ev = ev.loc[~unknown].copy()
    ev["stage_rank"] = ev["stage_rank"].astype("int64")
    # two stages on one date: the further one is the state at the end of that day
    ev = ev.sort_values(["nik", "stage_date", "stage_rank"]).drop_duplicates(["nik", "stage_date"], keep="last")
    ev["go_digital"] = ev["stage"].isin(set(norms["go_digital"]["stages"]))
    return ev.reset_index(drop=True)


def current_stage(digital: pd.DataFrame, as_of: Any, norms: Mapping | None = None) -> pd.DataFrame:
    """Stage of each cooperative as of ``as_of``: the row with the latest ``stage_date`` ≤ as_of.

    Two rows on the same date: the further stage wins. ``go_digital`` = current stage in
    ``go_digital.stages`` (default live, transacting). Cooperatives whose first row is after as_of are absent.
    Columns: ``nik``, ``platform``, ``stage``, ``stage_rank`` (0 identified … 3 transacting), ``stage_date``,
    ``members_on_app``, ``go_digital``, ``days_in_stage`` (as_of − stage_date).
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    day = core.local_day(as_of)
    ev = stage_events(digital, norms)
    ev = ev.loc[ev["stage_date"] <= day]
    cur = ev.drop_duplicates("nik", keep="last").copy()
    cur["days_in_stage"] = (day - cur["stage_date"]).dt.days
    cols = ["nik", "platform", "stage", "stage_rank", "stage_date", "members_on_app", "go_digital", "days_in_stage"]
    return cur[cols].reset_index(drop=True)


def go_digital_count(digital: pd.DataFrame, as_of: Any, norms: Mapping | None = None) -> int:
    """Number of cooperatives Go Digital as of ``as_of``: current stage in ``go_digital.stages`` (default live
    or transacting; no official definition exists — NTT counts migration to the Koperasi KEREN platform)."""
    return int(current_stage(digital, as_of, norms)["go_digital"].sum())


def funnel(digital: pd.DataFrame, as_of: Any, registry: pd.DataFrame | None = None,
           norms: Mapping | None = None) -> pd.DataFrame:
    """Funnel identified → migrating → live → transacting as of ``as_of``.

    ``count`` at a step = cooperatives whose current stage is at or beyond that step (so counts never rise
    down the funnel); ``share_of_identified`` = count / count at the first step × 100. With a ``registry``
    the funnel is given per ``regency_code`` (cooperatives not in the registry are left out).
    Columns: [``regency_code``], ``stage``, ``step`` (0…3), ``count``, ``share_of_identified``.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    order = list(norms["stages"]["order"])
    cur = current_stage(digital, as_of, norms)
    keys: list[str] = []
    if registry is not None:
        reg = pd.DataFrame({"nik": registry["nik"].astype("str"), "regency_code": registry["regency_code"].astype("str")})
        cur = cur.merge(reg, on="nik", how="inner")
        keys = ["regency_code"]
    steps = len(order)
    if keys:
        codes, groups = pd.factorize(cur["regency_code"], sort=True)
        exact = np.zeros((len(groups), steps), dtype="int64")
        np.add.at(exact, (codes, cur["stage_rank"].to_numpy()), 1)
    else:
        groups = None
        exact = np.bincount(cur["stage_rank"].to_numpy(), minlength=steps)[None, :steps]
    beyond = np.cumsum(exact[:, ::-1], axis=1)[:, ::-1]          # "at or beyond" each step
    first = beyond[:, :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(first > 0, beyond / np.where(first > 0, first, 1) * 100.0, np.nan)
    out = pd.DataFrame({
        "stage": np.tile(order, len(beyond)),
        "step": np.tile(np.arange(steps), len(beyond)),
        "count": beyond.ravel(),
        "share_of_identified": share.ravel(),
    })
    if keys:
        out.insert(0, "regency_code", np.repeat(np.asarray(groups, dtype=object), steps))
        out["regency_code"] = out["regency_code"].astype("str")
    return out


def regency_targets(registry: pd.DataFrame, norms: Mapping | None = None) -> pd.Series:
    """Go Digital target per ``regency_code``, adding up exactly to the province target.

    Targets listed in ``[target.regency]`` are used as given; the rest of the province target is shared
    among the other kabupaten in proportion to their active cooperatives (outside ``exclude_programmes``) by the
    largest-remainder method
    (quota = rest × active / Σ active; floors first, then one more each to the largest fractional parts,
    ties to the lower code).
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    total = int(norms["target"]["province"])
    fixed = {str(k): int(v) for k, v in norms["target"].get("regency", {}).items()}
    active = registry["status"].astype("str").str.lower().isin(vocabulary.ACTIVE_WORDS)
    excluded = norms["target"].get("exclude_programmes", [])
    if excluded and "programme" in registry:  # the shares were set before these programmes' cooperatives existed
        active &= ~registry["programme"].isin(excluded).fillna(False).astype(bool)
    counts = registry.loc[active].groupby(registry["regency_code"].astype("str")).size()
    codes = sorted(set(registry["regency_code"].astype("str").unique()) | set(fixed))
    counts = counts.reindex(codes, fill_value=0).astype("int64")
    out = pd.Series(0, index=pd.Index(codes, name="regency_code"), dtype="int64", name="target")
    for code, value in fixed.items():
        out[code] = value
    rest = total - sum(fixed.values())
    free = [c for c in codes if c not in fixed]
    weights = counts[free].to_numpy(dtype="float64")
    if rest < 0:
        raise ValueError("kabupaten targets exceed the province target")
    if free and weights.sum() > 0 and rest > 0:
        quota = rest * weights / weights.sum()
        base = np.floor(quota).astype("int64")
        left = int(rest - base.sum())
        frac = quota - base
        order = np.lexsort((np.arange(len(free)), -frac))  # largest fraction first, then lower code
        base[order[:left]] += 1
        out[free] = base
    return out


def target_progress(digital: pd.DataFrame, registry: pd.DataFrame, as_of: Any,
                    norms: Mapping | None = None) -> pd.DataFrame:
    """Progress to the Go Digital target per kabupaten and for the province (``regency_code`` "53").

    Target: 1,000 cooperatives Go Digital, set by the NTT provincial government in Nov 2020 (``target.province``).

    Columns: ``regency_code``, ``active_cooperatives``, ``target`` (:func:`regency_targets`; the province
    row has the province target), ``go_digital`` (current stage Go Digital as of ``as_of``, any status),
    ``progress_pct`` = go_digital / target × 100, ``remaining`` = max(target − go_digital, 0).
    The province row counts every Go Digital cooperative, including any not found in the registry.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    cur = current_stage(digital, as_of, norms)
    reg = pd.DataFrame({"nik": registry["nik"].astype("str"), "regency_code": registry["regency_code"].astype("str"),
                        "active": registry["status"].astype("str").str.lower().isin(vocabulary.ACTIVE_WORDS)})
    targets = regency_targets(registry, norms)
    gd = cur.loc[cur["go_digital"], ["nik"]].merge(reg, on="nik", how="left")
    if gd["regency_code"].isna().any():
        log.warning("%d Go Digital cooperatives are not in the registry", int(gd["regency_code"].isna().sum()))
    out = pd.DataFrame({
        "active_cooperatives": reg.groupby("regency_code")["active"].sum(),
        "target": targets,
        "go_digital": gd.groupby("regency_code").size(),
    }).fillna(0).astype("int64")
    out.index.name = "regency_code"
    out = out.reset_index()
    province = pd.DataFrame({"regency_code": [PROVINCE_CODE], "active_cooperatives": [int(reg["active"].sum())],
                             "target": [int(norms["target"]["province"])], "go_digital": [len(gd)]})
    out = pd.concat([out, province], ignore_index=True)
    out["progress_pct"] = np.where(out["target"] > 0, out["go_digital"] / out["target"].where(out["target"] > 0) * 100.0, np.nan)
    out["remaining"] = np.maximum(out["target"] - out["go_digital"], 0)
    return out


def monthly_series(digital: pd.DataFrame, start: Any, end: Any, norms: Mapping | None = None) -> pd.DataFrame:
    """Go Digital count at every month-end from ``start`` to ``end`` (``period_end``, ``go_digital``).

    Each stage row holds from its date until the cooperative's next stage row; a month-end m counts the
    cooperative when the row in force at m (latest stage_date ≤ m) is a Go Digital stage. Vectorised with a
    difference array over month indexes (no loop over cooperatives or months).
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    months = pd.date_range(core.local_day(start) + pd.offsets.MonthEnd(0), core.local_day(end) + pd.offsets.MonthEnd(0),
                           freq="ME")
    m = len(months)
    ev = stage_events(digital, norms)
    ev["next_date"] = ev.groupby("nik")["stage_date"].shift(-1)
    gd = ev.loc[ev["go_digital"]]
    first = months[0].year * 12 + months[0].month - 1 if m else 0
    i0 = core.month_key(gd["stage_date"]) - first
    i1 = core.month_key(gd["next_date"]) - first
    i1 = np.where(np.isnan(i1), m, i1)
    i0 = np.clip(i0, 0, m).astype("int64")
    i1 = np.clip(i1, 0, m).astype("int64")
    diff = np.zeros(m + 1, dtype="int64")
    np.add.at(diff, i0, 1)
    np.add.at(diff, i1, -1)
    return pd.DataFrame({"period_end": months, "go_digital": np.cumsum(diff)[:m]})


class Projection(NamedTuple):
    """When the target is reached at the recent pace."""

    target: int
    current: float
    as_of: pd.Timestamp | None
    pace_per_month: float | None
    reached_on: pd.Timestamp | None
    already_reached: bool


def project_target_date(series: pd.DataFrame | pd.Series, target: int | None = None,
                        norms: Mapping | None = None) -> Projection:
    """Date the Go Digital target is reached at the pace of the last ``projection.window_months`` (12).

    ``series``: month-end values (a frame from :func:`monthly_series` or a Series indexed by date).
    pace = (value at the last month − value ``window`` months earlier) / window per month (when the series is
    shorter, its first point and the months in between are used). If the target is already reached the
    answer is the first month-end at or above it. Otherwise, with pace ≤ 0 (or no earlier point) the answer
    is None; else reached_on = the month-end ceil((target − current) / pace) months after the last month.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    target = int(norms["target"]["province"] if target is None else target)
    window = int(norms["projection"]["window_months"])
    if isinstance(series, pd.DataFrame):
        s = pd.Series(series["go_digital"].to_numpy(dtype="float64"), index=pd.to_datetime(series["period_end"]))
    else:
        s = pd.Series(series.to_numpy(dtype="float64"), index=pd.to_datetime(series.index))
    s = s.dropna().sort_index()
    if s.empty:
        return Projection(target, float("nan"), None, None, None, False)
    last_date, current = s.index[-1], float(s.iloc[-1])
    hit = s[s >= target]
    if len(hit):
        return Projection(target, current, last_date, None, hit.index[0], True)
    mk = s.index.year * 12 + s.index.month - 1
    last_mk = mk[-1]
    earlier = s[(mk >= last_mk - window) & (mk < last_mk)]
    if earlier.empty:
        return Projection(target, current, last_date, None, None, False)
    base_date = earlier.index[0]
    span = last_mk - (base_date.year * 12 + base_date.month - 1)
    pace = float((current - float(earlier.iloc[0])) / span)
    if pace <= 0:
        return Projection(target, current, last_date, pace, None, False)
    months = math.ceil((target - current) / pace - 1e-9)
    if months > MAX_PROJECTION_MONTHS:
        return Projection(target, current, last_date, pace, None, False)
    reached = (last_date + pd.offsets.MonthEnd(0)) + pd.offsets.MonthEnd(months)
    return Projection(target, current, last_date, pace, reached.normalize(), False)


def stuck_in_migration(digital: pd.DataFrame, as_of: Any, norms: Mapping | None = None) -> pd.DataFrame:
    """Cooperatives whose current stage is ``migrating`` for more than ``stuck.migrating_days`` (90) days
    as of ``as_of``, longest first (columns of :func:`current_stage`)."""
    norms = norm_files.resolve_norms(norms, METHOD)
    cur = current_stage(digital, as_of, norms)
    limit = int(norms["stuck"]["migrating_days"])
    stuck = cur.loc[(cur["stage"] == "migrating") & (cur["days_in_stage"] > limit)]
    return stuck.sort_values(["days_in_stage", "nik"], ascending=[False, True]).reset_index(drop=True)


def projections(values: pd.DataFrame, norms: Mapping | None = None) -> pd.DataFrame:
    """:func:`project_target_date` for every row at once: each ``area`` series (one row per month-end, columns
    ``area``, ``period_end``, ``go_digital``, ``target``) is projected as it stood at each of its months.

    Returns on ``values.index``: ``pace`` (per month; NaN when the target is already reached or there is no
    earlier month), ``reached_on`` (the first month-end at or above the target when reached, else the projected
    month-end; NaT when the pace is ≤ 0) and ``reached`` (NA where the target is missing or not positive).
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    window = int(norms["projection"]["window_months"])
    pace = np.full(len(values), np.nan)
    reached_on = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    reached = pd.array([pd.NA] * len(values), dtype="boolean")
    positions = pd.Series(np.arange(len(values)), index=values.index)
    for _area, g in values.groupby("area", sort=False):
        g = g.sort_values("period_end")
        pos = positions.loc[g.index].to_numpy()
        periods = pd.to_datetime(g["period_end"]).to_numpy(dtype="datetime64[ns]")
        v = g["go_digital"].to_numpy(dtype="float64")
        t = g["target"].to_numpy(dtype="float64")
        n = len(g)
        ok = ~np.isnan(t) & (t > 0) & ~np.isnan(v)
        idx = np.arange(n)
        hit_at = np.minimum.accumulate(np.where(ok & (v >= t), idx, n))
        hit = ok & (hit_at < n)
        stamps = pd.DatetimeIndex(periods)
        mk = (stamps.year * 12 + stamps.month - 1).to_numpy()
        base = np.searchsorted(mk, mk - window, side="left")
        has_base = ok & (base < idx)
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(has_base, (v - v[base]) / (mk - mk[base]), np.nan)
            months = np.where(p > 0, np.ceil((t - v) / p - 1e-9), np.nan)
        months = np.where(months <= MAX_PROJECTION_MONTHS, months, np.nan)
        projected = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        due = ~np.isnan(months) & ~hit
        if due.any():
            key = mk[due] + months[due].astype("int64")
            first_day = pd.to_datetime(pd.DataFrame({"year": key // 12, "month": key % 12 + 1, "day": 1}))
            projected[due] = (first_day + pd.offsets.MonthEnd(0)).to_numpy(dtype="datetime64[ns]")
        first = np.where(hit, periods[np.minimum(hit_at, n - 1)], np.datetime64("NaT"))
        pace[pos] = np.where(hit, np.nan, p)
        reached_on[pos] = np.where(hit, first, projected)
        flags = pd.array(np.where(ok, hit, False), dtype="boolean")
        flags[~ok] = pd.NA
        reached[pos] = flags
    return pd.DataFrame({"pace": pace, "reached_on": reached_on, "reached": reached}, index=values.index)

"""Per-cooperative snapshots the pages read: health, key ratios ranked within the peer group, RAT grade, digital
stage and reporting status at each snapshot period; RAT/SHU/audit status per fiscal year; reporting status per
period; the Go Digital projection. Frames in, frames out (the refresh step reads and writes the warehouse)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from indicators import accountability, digital, peers
from warehouse.models import PEER_INDICATORS

RECENT_MONTHS = 12  # the latest month-ends kept as snapshot periods (plus every December)
REPORTING_PERIODS = 24  # periods of reporting_status kept for late-filer lists
LOOKBACK_MONTHS = 12  # a cooperative's figures at a snapshot come from its latest report at most this old
GRADE_WINDOW = 3  # fiscal years a registry-style RAT grade looks back over


def _known_years(meetings: pd.DataFrame) -> tuple[int, int]:
    """(first fiscal year with RAT data, first fiscal year whose whole grade window is covered by data): before
    those, "no RAT" only means "no data", so compliance and grades are left empty rather than shown as D."""
    first = int(pd.to_numeric(meetings["fiscal_year"]).min())
    return first, first + GRADE_WINDOW - 1


def snapshot_periods(report_periods) -> list[pd.Timestamp]:
    """The latest RECENT_MONTHS month-ends and every December of the reported periods, oldest first."""
    periods = sorted(pd.to_datetime(pd.Series(report_periods)).dt.normalize().unique())
    chosen = set(periods[-RECENT_MONTHS:]) | {p for p in periods if p.month == 12}
    return sorted(pd.Timestamp(p) for p in chosen)


def ratios(reports: pd.DataFrame) -> pd.DataFrame:
    """Key ratios of every report row (%, NaN when the denominator is zero or missing). ROA annualises the
    year-to-date SHU (× 12 / months elapsed); growth compares with the same month a year earlier."""
    r = reports
    months = r["period_end"].dt.month.astype("float64")

    def pct(num, den):
        num, den = num.astype("float64"), den.astype("float64")
        return (num / den.where(den > 0)) * 100.0

    out = pd.DataFrame({
        "nik": r["nik"], "period_end": r["period_end"],
        "total_assets": r["total_assets"], "members": r["members"],
        "equity_ratio": pct(r["equity"], r["total_assets"]),
        "npl_ratio": pct(r["loans_at_risk"], r["loans_outstanding"]),
        "roa": pct(r["shu_before_tax"] * 12.0 / months, r["total_assets"]),
        "current_ratio": pct(r["current_assets"], r["current_liabilities"]),
    }, index=r.index)
    year_ago = out[["nik", "period_end", "total_assets", "members"]].copy()
    year_ago["period_end"] = year_ago["period_end"] + pd.offsets.MonthEnd(12)
    merged = out[["nik", "period_end"]].merge(year_ago, on=["nik", "period_end"], how="left", suffixes=("", "_ago"))
    out["asset_growth"] = (pct(out["total_assets"].to_numpy() - merged["total_assets"].to_numpy(),
                               merged["total_assets"].abs()).to_numpy()
                           if len(out) else np.array([]))
    out["member_growth"] = (pct(out["members"].to_numpy() - merged["members"].to_numpy(),
                                merged["members"].abs()).to_numpy()
                            if len(out) else np.array([]))
    return out


def _latest_at(values: pd.DataFrame, periods: list[pd.Timestamp], niks: pd.Series) -> pd.DataFrame:
    """Each cooperative's latest row of `values` (nik, period_end, …) at or before each period, at most
    LOOKBACK_MONTHS old; `source_period` keeps the period the row is from."""
    grid = pd.DataFrame({"nik": np.repeat(niks.to_numpy(), len(periods)),
                         "snapshot": np.tile(np.array(periods, dtype="datetime64[ns]"), len(niks))})
    grid = grid.sort_values("snapshot", kind="stable")
    right = values.rename(columns={"period_end": "source_period"}).sort_values("source_period", kind="stable")
    right = right.assign(source_period=right["source_period"].astype("datetime64[ns]"))
    merged = pd.merge_asof(grid, right, left_on="snapshot", right_on="source_period", by="nik",
                           tolerance=pd.Timedelta(days=31 * LOOKBACK_MONTHS), direction="backward")
    return merged


def cooperative_snapshots(registry: pd.DataFrame, reports: pd.DataFrame, health: pd.DataFrame,
                          meetings: pd.DataFrame, digital_rows: pd.DataFrame, version: int):
    """(snapshots, peer statistics) for every registry cooperative at every snapshot period."""
    if reports.empty or registry.empty:
        return pd.DataFrame(), pd.DataFrame()
    periods = snapshot_periods(reports["period_end"])
    niks = registry["nik"].astype(str).drop_duplicates().sort_values()
    values = ratios(reports)
    values = values.merge(health.rename(columns={"total": "health_total", "category": "health_category",
                                                 "framework": "health_framework"}),
                          on=["nik", "period_end"], how="left")
    snap = _latest_at(values, periods, niks).rename(columns={"snapshot": "period_end"})
    snap["reported"] = snap["source_period"].eq(snap["period_end"])
    # Health twelve months earlier, for "newly fallen" alerts.
    prev = _latest_at(values[["nik", "period_end", "health_category"]],
                      [p - pd.offsets.MonthEnd(12) for p in periods], niks)
    prev = prev.assign(period_end=prev["snapshot"] + pd.offsets.MonthEnd(12))
    snap = snap.merge(
        prev[["nik", "period_end", "health_category"]].rename(columns={"health_category": "health_category_prev"}),
        on=["nik", "period_end"], how="left").sort_values(["period_end", "nik"]).reset_index(drop=True)
    reg = registry.assign(nik=registry["nik"].astype(str)).drop_duplicates("nik")
    snap = snap.merge(reg[["nik", "regency_code", "type", "established_year"]], on="nik", how="left")
    # A cooperative appears from the year it was founded (unknown year: always).
    founded = pd.to_numeric(snap.pop("established_year"), errors="coerce")
    snap = snap.loc[~(founded > snap["period_end"].dt.year)].reset_index(drop=True)
    names = [name for name, _ in PEER_INDICATORS]
    has_figures = snap["source_period"].notna()
    ranked = peers.rank_within_peers(snap.loc[has_figures, ["nik", "period_end", "total_assets", *names]], reg, names)
    snap["peer_group"] = ranked["peer_group"].reindex(snap.index)
    for name in names:
        snap[f"pct_{name}"] = ranked[f"pct_{name}"].reindex(snap.index)
    stats = peers.peer_summary(snap.loc[has_figures & snap["peer_group"].notna()], names)
    stats = stats.rename(columns={"q1": "p25", "q3": "p75"})[["period_end", "peer_group", "indicator", "n", "median",
                                                              "p25", "p75"]]
    stats = stats.loc[stats["n"] > 0].reset_index(drop=True)
    stats["data_version"] = version
    snap = _with_accountability(snap, registry, reports, meetings, periods)
    snap = _with_digital(snap, digital_rows, periods)
    snap["data_version"] = version
    columns = ["nik", "period_end", "regency_code", "type", "peer_group", "reported", "health_framework",
               "health_category", "health_category_prev", "total_assets", "members", *names,
               *(f"pct_{n}" for n in names), "rat_fiscal_year", "rat_held_on_time", "rat_grade",
               "years_without_rat", "inactive", "digital_stage", "digital_stage_date", "go_digital",
               "stuck_in_migration", "report_status", "data_version"]
    return snap[columns], stats


def _with_accountability(snap: pd.DataFrame, registry, reports, meetings, periods) -> pd.DataFrame:
    """RAT of the last closed fiscal year (the period's year − 1) and the reporting status of the period."""
    parts = []
    first, graded = _known_years(meetings) if not meetings.empty else (0, 0)
    for fy in sorted({p.year - 1 for p in periods}):
        if meetings.empty or fy < first:
            continue
        comp = accountability.rat_compliance(meetings, registry, fiscal_years=[fy])
        comp = comp.loc[comp["fiscal_year"] == fy, ["nik", "held_on_time"]]
        grades = accountability.rat_grades(meetings, registry, fy)[["nik", "grade", "years_without_rat", "inactive"]]
        if fy < graded:
            grades = grades.assign(grade=None, years_without_rat=np.nan, inactive=None)
        parts.append(grades.merge(comp, on="nik", how="left").assign(rat_fiscal_year=fy))
    snap["rat_fiscal_year"] = snap["period_end"].dt.year - 1
    if parts:
        rat = pd.concat(parts, ignore_index=True).rename(columns={"grade": "rat_grade",
                                                                  "held_on_time": "rat_held_on_time"})
        rat["nik"] = rat["nik"].astype(str)
        snap = snap.merge(rat, on=["nik", "rat_fiscal_year"], how="left")
    else:
        snap = snap.assign(rat_held_on_time=None, rat_grade=None, years_without_rat=np.nan, inactive=None)
    status = accountability.reporting_status(registry, reports, periods)[["nik", "period_end", "status"]]
    status = status.assign(nik=status["nik"].astype(str), period_end=pd.to_datetime(status["period_end"]))
    snap = snap.merge(status.rename(columns={"status": "report_status"}), on=["nik", "period_end"], how="left")
    return snap


def _with_digital(snap: pd.DataFrame, digital_rows: pd.DataFrame, periods) -> pd.DataFrame:
    limit = int(digital.load_norms()["stuck"]["migrating_days"])
    parts = []
    for period in periods:
        if digital_rows.empty:
            break
        cur = digital.current_stage(digital_rows, period)
        parts.append(pd.DataFrame({
            "nik": cur["nik"].astype(str), "period_end": period, "digital_stage": cur["stage"],
            "digital_stage_date": cur["stage_date"], "go_digital": cur["go_digital"].astype(bool),
            "stuck_in_migration": (cur["stage"] == "migrating") & (cur["days_in_stage"] > limit),
        }))
    if parts:
        snap = snap.merge(pd.concat(parts, ignore_index=True), on=["nik", "period_end"], how="left")
    else:
        snap = snap.assign(digital_stage=None, digital_stage_date=pd.NaT, go_digital=False, stuck_in_migration=False)
    snap["go_digital"] = snap["go_digital"].fillna(False).astype(bool)
    snap["stuck_in_migration"] = snap["stuck_in_migration"].fillna(False).astype(bool)
    return snap


def rat_status(registry: pd.DataFrame, reports: pd.DataFrame, meetings: pd.DataFrame, version: int) -> pd.DataFrame:
    """Per cooperative × fiscal year: RAT held (on time), registry-style grade, SHU disclosure, audit duty."""
    if meetings.empty:
        return pd.DataFrame()
    years = sorted(int(y) for y in pd.to_numeric(meetings["fiscal_year"]).dropna().unique())
    comp = accountability.rat_compliance(meetings, registry, fiscal_years=years)
    comp = comp[["nik", "fiscal_year", "held_on", "held", "held_on_time", "days_late"]]
    grades = pd.concat([accountability.rat_grades(meetings, registry, fy)[
        ["nik", "fiscal_year", "grade", "years_without_rat", "inactive"]] for fy in years], ignore_index=True)
    shu = accountability.shu_disclosure(meetings)
    shu = shu.rename(columns={"disclosed": "shu_disclosed"})
    shu = shu[[c for c in ("nik", "fiscal_year", "shu_total", "shu_to_members", "shu_disclosed",
                           "statements_published") if c in shu]]
    audit = accountability.audit_status(reports, meetings, registry)[["nik", "fiscal_year", "audit_required",
                                                                      "audited", "audit_missing"]]
    out = comp
    for part in (grades, shu, audit):
        part = part.assign(nik=part["nik"].astype(str), fiscal_year=pd.to_numeric(part["fiscal_year"]).astype("int64"))
        out = out.assign(nik=out["nik"].astype(str), fiscal_year=pd.to_numeric(out["fiscal_year"]).astype("int64"))
        out = out.merge(part, on=["nik", "fiscal_year"], how="left")
    early = out["fiscal_year"] < _known_years(meetings)[1]
    out["inactive"] = out["inactive"].astype(object)
    out.loc[early, ["grade", "years_without_rat", "inactive"]] = None
    out["held"] = out["held"].fillna(False).astype(bool)
    out["held_on_time"] = out["held_on_time"].fillna(False).astype(bool)
    out["data_version"] = version
    return out


def reporting_rows(registry: pd.DataFrame, reports: pd.DataFrame, version: int) -> pd.DataFrame:
    """Status of every expected report of the latest REPORTING_PERIODS month-ends."""
    if reports.empty:
        return pd.DataFrame()
    periods = sorted(reports["period_end"].unique())[-REPORTING_PERIODS:]
    status = accountability.reporting_status(registry, reports, periods)
    out = status[["nik", "regency_code", "period_end", "deadline", "submitted_on", "status", "days_late"]].copy()
    out["data_version"] = version
    return out


def digital_projection(digital_rows: pd.DataFrame, last_period) -> str | None:
    """The Go Digital projection as JSON for the meta table (target, current, pace, date reached)."""
    if digital_rows.empty or last_period is None:
        return None
    start = pd.Timestamp(digital_rows["stage_date"].min()) + pd.offsets.MonthEnd(0)
    series = digital.monthly_series(digital_rows, start, pd.Timestamp(last_period))
    projection = digital.project_target_date(series)
    return json.dumps({
        "target": int(projection.target),
        "current": float(projection.current),
        "as_of": None if projection.as_of is None else projection.as_of.date().isoformat(),
        "pace_per_month": None if projection.pace_per_month is None else round(float(projection.pace_per_month), 2),
        "reached_on": None if projection.reached_on is None else projection.reached_on.date().isoformat(),
        "already_reached": bool(projection.already_reached),
    })


def digital_targets(registry: pd.DataFrame, periods, version: int) -> pd.DataFrame:
    """Each kabupaten's share of the Go Digital target as `digital_target` roll-up rows for every period."""
    targets = digital.regency_targets(registry)
    if targets.empty or not len(periods):
        return pd.DataFrame()
    codes = targets.index.astype(str).to_numpy()
    return pd.DataFrame({
        "regency_code": np.repeat(codes, len(periods)),
        "period_end": np.tile(np.array(periods, dtype="datetime64[ns]"), len(codes)),
        "indicator": "digital_target",
        "value": np.repeat(targets.to_numpy(dtype="float64"), len(periods)),
        "data_version": version,
    })

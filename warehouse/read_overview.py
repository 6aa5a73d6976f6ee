"""Reads for the overview page: province (or kabupaten) totals from the roll-ups, the health-category distribution
and the alert lists from the cooperative snapshots. Every function is cached on the data version."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from warehouse.models import Cooperative, CooperativeSnapshot, Meta, Regency, RegencyIndicator, ReportingStatus
from warehouse.queries import cached, read_frame, regency_table

# Roll-up counts that add up over kabupaten; shares are recomputed from them (Σ numerators / Σ denominators, with
# the denominators indicators/regency.py and indicators/accountability.py use).
COUNTS = ("cooperatives", "active", "reporting_cooperatives", "members", "total_assets", "scored", "sehat",
          "rat_compliant", "go_digital", "expected", "received", "received_on_time", "digital_target")
SHARES = {  # share: (numerator, denominator)
    "pct_sehat": ("sehat", "scored"),
    "pct_rat_compliant": ("rat_compliant", "active"),
    "pct_go_digital": ("go_digital", "active"),
    "reporting_rate": ("received", "expected"),
    "on_time_rate": ("received_on_time", "expected"),
}
CATEGORIES = ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus")
BAD = ("dalam_pengawasan", "dalam_pengawasan_khusus")
GOOD = ("sehat", "cukup_sehat")
DEFAULT_TARGET = 1000
STOPPED_MONTHS = 3  # "stopped reporting": missing in each of the latest this many periods


def _ratio(num: float, den: float) -> float:
    return num / den * 100.0 if den else float("nan")


@cached
def rollup_totals(engine: Engine, period: date, regency: str | None = None) -> dict | None:
    """Summed roll-up counts of one period (whole province, or one kabupaten) with the shares recomputed from the
    sums (% sehat = Σ sehat / Σ scored, reporting rate = Σ received / Σ expected, …; 0–100) and the health score
    averaged over scored cooperatives. None when the period has no roll-ups."""
    table = RegencyIndicator
    wanted = (*COUNTS, "avg_health_score")
    stmt = select(table.regency_code, table.indicator, table.value).where(
        table.period_end == period, table.indicator.in_(wanted))
    if regency:
        stmt = stmt.where(table.regency_code == regency)
    frame = read_frame(engine, stmt)
    if frame.empty:
        return None
    wide = frame.pivot_table(index="regency_code", columns="indicator", values="value", aggfunc="first")
    out = {c: float(wide[c].sum(min_count=1)) if c in wide else float("nan") for c in COUNTS}
    for share, (num, den) in SHARES.items():
        out[share] = _ratio(out[num], out[den])
    if "avg_health_score" in wide and "scored" in wide:
        weights = wide["scored"].fillna(0)
        scores = wide["avg_health_score"]
        used = scores.notna() & (weights > 0)
        out["avg_health_score"] = (float((scores[used] * weights[used]).sum() / weights[used].sum())
                                   if used.any() else float("nan"))
    else:
        out["avg_health_score"] = float("nan")
    return out


@cached
def rollup_by_regency(engine: Engine, period: date, indicator: str) -> pd.DataFrame:
    """One indicator of one period for every kabupaten: regency_code, name, short_name, value."""
    table = regency_table(engine, period, (indicator,))
    return table[["code", "name", "short_name", indicator]].rename(columns={"code": "regency_code",
                                                                            indicator: "value"})


@cached
def registry_counts(engine: Engine, regency: str | None = None, kind: str | None = None) -> dict:
    """Cooperatives, active ones and legal entities in the registry (its current state), optionally of one
    kabupaten and one type."""
    c = Cooperative
    legal = and_(c.legal_entity_number.is_not(None), c.legal_entity_number != "")
    stmt = select(func.count().label("cooperatives"),
                  func.sum(case((c.status == "active", 1), else_=0)).label("active"),
                  func.sum(case((legal, 1), else_=0)).label("legal_entities"))
    if regency:
        stmt = stmt.where(c.regency_code == regency)
    if kind:
        stmt = stmt.where(c.type == kind)
    row = read_frame(engine, stmt).iloc[0]
    return {k: int(row[k] or 0) for k in ("cooperatives", "active", "legal_entities")}


def _snap_filter(stmt, regency: str | None, kind: str | None):
    s = CooperativeSnapshot
    if regency:
        stmt = stmt.where(s.regency_code == regency)
    if kind:
        stmt = stmt.where(s.type == kind)
    return stmt


@cached
def snapshot_totals(engine: Engine, period: date, regency: str | None = None, kind: str | None = None) -> dict | None:
    """The overview's figures from the cooperative snapshots (used when a cooperative type is chosen, as the
    roll-ups have no type): members and assets summed, % sehat = sehat / scored, % RAT = held on time / active
    (not inactive), Go Digital among active, reporting rate = (on time + late) / expected (a report status)."""
    s = CooperativeSnapshot
    stmt = _snap_filter(select(s.nik, s.members, s.total_assets, s.health_category, s.rat_held_on_time, s.inactive,
                               s.go_digital, s.report_status).where(s.period_end == period), regency, kind)
    frame = read_frame(engine, stmt)
    if frame.empty:
        return None
    reg = read_frame(engine, select(Cooperative.nik, Cooperative.status))
    frame = frame.merge(reg, on="nik", how="left")
    active = frame["status"].eq("active")
    scored = frame["health_category"].notna()
    out = {
        "members": float(frame["members"].sum(min_count=1)),
        "total_assets": float(frame["total_assets"].sum(min_count=1)),
        "scored": float(scored.sum()),
        "sehat": float(frame["health_category"].eq("sehat").sum()),
        "active": float(active.sum()),
        "rat_compliant": float((active & frame["rat_held_on_time"].eq(True)).sum()),
        "go_digital": float((active & frame["go_digital"].eq(True)).sum()),
        "expected": float(frame["report_status"].notna().sum()),
        "received": float(frame["report_status"].isin(["on_time", "late"]).sum()),
        "received_on_time": float(frame["report_status"].eq("on_time").sum()),
    }
    for share, (num, den) in SHARES.items():
        out[share] = _ratio(out[num], out[den])
    return out


@cached
def category_counts(engine: Engine, period: date, regency: str | None = None, kind: str | None = None) -> pd.DataFrame:
    """Cooperatives per health category at a snapshot period and twelve months earlier: category, now, prev."""
    s = CooperativeSnapshot
    now = read_frame(engine, _snap_filter(
        select(s.health_category.label("category"), func.count().label("now"))
        .where(s.period_end == period, s.health_category.is_not(None)).group_by(s.health_category), regency, kind))
    prev = read_frame(engine, _snap_filter(
        select(s.health_category_prev.label("category"), func.count().label("prev"))
        .where(s.period_end == period, s.health_category_prev.is_not(None)).group_by(s.health_category_prev),
        regency, kind))
    out = pd.DataFrame({"category": list(CATEGORIES)})
    out = out.merge(now, on="category", how="left").merge(prev, on="category", how="left")
    out[["now", "prev"]] = out[["now", "prev"]].fillna(0).astype("int64")
    return out


def _with_names(engine: Engine, frame: pd.DataFrame) -> pd.DataFrame:
    names = read_frame(engine, select(Cooperative.nik, Cooperative.name))
    regs = read_frame(engine, select(Regency.code.label("regency_code"), Regency.short_name.label("regency")))
    return frame.merge(names, on="nik", how="left").merge(regs, on="regency_code", how="left")


@cached
def alerts(engine: Engine, period: date, regency: str | None = None, kind: str | None = None) -> dict[str, pd.DataFrame]:
    """Alert lists at a snapshot period (each row: nik, name, regency, type and the fields that raised it):
    - ``fallen``: health category now dalam pengawasan (khusus), twelve months earlier sehat or cukup sehat;
    - ``no_rat``: two years or more without an RAT (years_without_rat ≥ 2);
    - ``stopped``: report missing in each of the latest three reporting periods up to the snapshot."""
    s = CooperativeSnapshot
    base = select(s.nik, s.regency_code, s.type, s.health_category, s.health_category_prev, s.health_total,
                  s.years_without_rat, s.rat_grade, s.rat_fiscal_year).where(s.period_end == period)
    fallen = read_frame(engine, _snap_filter(
        base.where(s.health_category.in_(BAD), s.health_category_prev.in_(GOOD)), regency, kind))
    fallen = fallen.sort_values(["health_category", "health_total"], ascending=[False, True], na_position="last")
    no_rat = read_frame(engine, _snap_filter(base.where(s.years_without_rat >= 2), regency, kind))
    no_rat = no_rat.sort_values(["years_without_rat", "nik"], ascending=[False, True])

    r = ReportingStatus
    recent = read_frame(engine, select(r.period_end).distinct().where(r.period_end <= period)
                        .order_by(r.period_end.desc()).limit(STOPPED_MONTHS))
    stopped = pd.DataFrame(columns=["nik", "regency_code", "type", "missing_since"])
    if len(recent) == STOPPED_MONTHS:
        months = [pd.Timestamp(v).date() for v in recent["period_end"]]
        stmt = (select(r.nik, r.regency_code, func.min(r.period_end).label("missing_since"))
                .where(r.period_end.in_(months), r.status == "missing")
                .group_by(r.nik, r.regency_code).having(func.count() == STOPPED_MONTHS))
        if regency:
            stmt = stmt.where(r.regency_code == regency)
        stopped = read_frame(engine, stmt)
        types = read_frame(engine, select(Cooperative.nik, Cooperative.type))
        stopped = stopped.merge(types, on="nik", how="left")
        if kind:
            stopped = stopped.loc[stopped["type"].eq(kind)]
        # the last period with a report (before the three missing ones), for the reader
        last = read_frame(engine, select(r.nik, func.max(r.period_end).label("last_received"))
                          .where(r.status != "missing", r.nik.in_(stopped["nik"].tolist()), r.period_end <= period)
                          .group_by(r.nik)) if len(stopped) else pd.DataFrame(columns=["nik", "last_received"])
        stopped = stopped.merge(last, on="nik", how="left").sort_values(["last_received", "nik"], na_position="first")
    return {name: _with_names(engine, frame).reset_index(drop=True)
            for name, frame in (("fallen", fallen), ("no_rat", no_rat), ("stopped", stopped))}


@cached
def digital_target(engine: Engine) -> int:
    """The province's Go Digital target (meta ``digital_projection.target``; 1,000 when not set)."""
    row = read_frame(engine, select(Meta.value).where(Meta.key == "digital_projection"))
    if row.empty:
        return DEFAULT_TARGET
    try:
        return int(json.loads(row.iloc[0, 0]).get("target") or DEFAULT_TARGET)
    except (TypeError, ValueError, AttributeError):
        return DEFAULT_TARGET


@cached
def type_counts(engine: Engine, regency: str | None = None) -> pd.DataFrame:
    """Registry cooperatives per type (of one kabupaten, or the province): type, cooperatives."""
    stmt = select(Cooperative.type, func.count().label("cooperatives")).group_by(Cooperative.type)
    if regency:
        stmt = stmt.where(Cooperative.regency_code == regency)
    return read_frame(engine, stmt.order_by(Cooperative.type))

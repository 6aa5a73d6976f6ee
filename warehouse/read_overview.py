"""Reads for the overview page: the area figures the refresh stored (cards, categories, types, the kabupaten
chart) and the alert lists from the cooperative snapshots. Reads only select and shape; every query is cached on the
data version."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, select

from indicators import vocabulary
from warehouse import queries
from warehouse.models import Cooperative, CooperativeSnapshot, Regency, ReportingStatus
from warehouse.queries import cached, read_frame

CATEGORIES = vocabulary.HEALTH_CATEGORIES
BAD = ("dalam_pengawasan", "dalam_pengawasan_khusus")
GOOD = ("sehat", "cukup_sehat")
STOPPED_MONTHS = 3  # "stopped reporting": missing in each of the latest this many periods


def figures(engine: Engine, period: date, regency: str | None = None, kind: str | None = None,
            scope: str | None = None) -> dict | None:
    """The overview's figures of one area (the province when `regency` is None), type and population at one
    month-end, exactly as the refresh stored them (counts, shares, 12-month changes); None when the period has no
    roll-ups."""
    return queries.area_row(engine, period, regency, kind, scope)


def regency_bars(engine: Engine, period: date, indicator: str, kind: str | None = None,
                 scope: str | None = None) -> pd.DataFrame:
    """One figure of one period (and cooperative type, None = all) for every kabupaten: regency_code, name,
    short_name, value."""
    rows = queries.regency_rows(engine, period, kind, scope)
    return rows[["regency_code", "name", "short_name", indicator]].rename(columns={indicator: "value"})


def category_counts(engine: Engine, period: date, regency: str | None = None, kind: str | None = None,
                    scope: str | None = None) -> pd.DataFrame:
    """Cooperatives per health category at `period` and twelve months earlier, each over its own scored
    population, then that population itself (the last row, category "scored"): category, now, prev (None where
    that period has no roll-ups)."""
    before = (pd.Timestamp(period) - pd.offsets.MonthEnd(12)).date()
    now = queries.area_row(engine, period, regency, kind, scope) or {}
    prev = queries.area_row(engine, before, regency, kind, scope) or {}
    rows = (*CATEGORIES, "scored")
    return pd.DataFrame({"category": list(rows),
                         "now": [now.get(c) for c in rows],
                         "prev": [prev.get(c) for c in rows]})


def type_counts(engine: Engine, period: date, regency: str | None = None, scope: str | None = None) -> pd.DataFrame:
    """Registered cooperatives per type (of one kabupaten, or the province) at `period`: type, cooperatives."""
    rows = []
    for kind in vocabulary.COOP_TYPES:
        row = queries.area_row(engine, period, regency, kind, scope) or {}
        rows.append({"type": kind, "cooperatives": row.get("cooperatives") or 0})
    return pd.DataFrame(rows)


def _snap_filter(stmt, regency: str | None, kind: str | None, scope: str | None = None):
    s = CooperativeSnapshot
    stmt = stmt.where(queries.in_population(s.nik, scope))
    if regency:
        stmt = stmt.where(s.regency_code == regency)
    if kind:
        stmt = stmt.where(s.type == kind)
    return stmt


def _with_names(engine: Engine, frame: pd.DataFrame) -> pd.DataFrame:
    names = read_frame(engine, select(Cooperative.nik, Cooperative.name))
    regs = read_frame(engine, select(Regency.code.label("regency_code"), Regency.short_name.label("regency")))
    return frame.merge(names, on="nik", how="left").merge(regs, on="regency_code", how="left")


@cached
def alerts(engine: Engine, period: date, regency: str | None = None, kind: str | None = None,
           scope: str | None = None) -> dict[str, pd.DataFrame]:
    """Alert lists at a snapshot period (each row: nik, name, regency, type and the fields that raised it):
    - ``fallen``: health category now dalam pengawasan (khusus), twelve months earlier sehat or cukup sehat;
    - ``no_rat``: two years or more without an RAT (years_without_rat ≥ 2);
    - ``stopped``: report missing in each of the latest three reporting periods up to the snapshot."""
    s = CooperativeSnapshot
    base = select(s.nik, s.regency_code, s.type, s.health_category, s.health_category_prev, s.health_total,
                  s.years_without_rat, s.rat_grade, s.rat_fiscal_year).where(s.period_end == period)
    fallen = read_frame(engine, _snap_filter(
        base.where(s.health_category.in_(BAD), s.health_category_prev.in_(GOOD)), regency, kind, scope))
    fallen = fallen.sort_values(["health_category", "health_total"], ascending=[False, True], na_position="last")
    no_rat = read_frame(engine, _snap_filter(base.where(s.years_without_rat >= 2), regency, kind, scope))
    no_rat = no_rat.sort_values(["years_without_rat", "nik"], ascending=[False, True])

    r = ReportingStatus
    recent = read_frame(engine, select(r.period_end).distinct().where(r.period_end <= period)
                        .order_by(r.period_end.desc()).limit(STOPPED_MONTHS))
    stopped = pd.DataFrame(columns=["nik", "regency_code", "type", "missing_since"])
    if len(recent) == STOPPED_MONTHS:
        months = [pd.Timestamp(v).date() for v in recent["period_end"]]
        stmt = (select(r.nik, r.regency_code, func.min(r.period_end).label("missing_since"))
                .where(r.period_end.in_(months), r.status == "missing", queries.in_population(r.nik, scope))
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

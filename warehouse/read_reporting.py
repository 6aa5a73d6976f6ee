"""Reads for the reporting & data-quality page: the stored reporting and on-time rates per kabupaten × period, and
the late-filer list from the materialised reporting status. Every function is cached on the data version."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, case, func, select

from warehouse import queries
from warehouse.models import Cooperative, Regency, Rejection, ReportingStatus
from warehouse.queries import cached, read_frame

RATE_INDICATORS = ("expected", "received", "received_on_time", "reporting_rate", "on_time_rate")
HEATMAP_PERIODS = 24
LATE_PERIODS = 12


def _dates(frame: pd.DataFrame, col: str = "period_end") -> pd.DataFrame:
    frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


def rate_matrix(engine: Engine, end: date, kind: str | None = None, periods: int = HEATMAP_PERIODS,
                scope: str | None = None) -> pd.DataFrame:
    """Reporting figures of every kabupaten for the latest `periods` month ends up to `end`: regency_code, name,
    short_name, period_end, expected, received, received_on_time, reporting_rate, on_time_rate (rates 0–100), as
    the refresh stored them for all types or for one type."""
    regencies = read_frame(engine, select(Regency.code.label("regency_code"), Regency.name, Regency.short_name)
                           .order_by(Regency.code))
    wide = queries.area_matrix(engine, end, RATE_INDICATORS, kind, periods, scope)
    if wide.empty:
        return pd.DataFrame(columns=["regency_code", "name", "short_name", "period_end", *RATE_INDICATORS])
    return regencies.merge(wide, on="regency_code", how="right")[
        ["regency_code", "name", "short_name", "period_end", *RATE_INDICATORS]]


@cached
def late_filers(engine: Engine, end: date, regency: str | None = None, kind: str | None = None,
                periods: int = LATE_PERIODS, scope: str | None = None) -> pd.DataFrame:
    """Cooperatives with a late or missing report in the latest `periods` reporting periods up to `end`, worst
    first (late + missing, then missing): nik, name, regency, type, expected, received, on_time, late, missing,
    max_days_late, last_missing_period (the order and columns of indicators.accountability.late_filers)."""
    r = ReportingStatus
    wanted = select(r.period_end).distinct().where(r.period_end <= end).order_by(r.period_end.desc()) \
        .limit(periods).subquery()
    late = func.sum(case((r.status == "late", 1), else_=0))
    missing = func.sum(case((r.status == "missing", 1), else_=0))
    stmt = (select(r.nik, r.regency_code, func.count().label("expected"),
                   func.sum(case((r.status != "missing", 1), else_=0)).label("received"),
                   func.sum(case((r.status == "on_time", 1), else_=0)).label("on_time"),
                   late.label("late"), missing.label("missing"),
                   func.max(r.days_late).label("max_days_late"),
                   func.max(case((r.status == "missing", r.period_end), else_=None)).label("last_missing_period"))
            .where(r.period_end.in_(select(wanted.c.period_end)), queries.in_population(r.nik, scope))
            .group_by(r.nik, r.regency_code)
            .having((late + missing) > 0))
    if regency:
        stmt = stmt.where(r.regency_code == regency)
    frame = read_frame(engine, stmt)
    coops = read_frame(engine, select(Cooperative.nik, Cooperative.name, Cooperative.type))
    regs = read_frame(engine, select(Regency.code.label("regency_code"), Regency.short_name.label("regency")))
    frame = frame.merge(coops, on="nik", how="left").merge(regs, on="regency_code", how="left")
    if kind:
        frame = frame.loc[frame["type"].eq(kind)]
    for col in ("expected", "received", "on_time", "late", "missing"):
        frame[col] = frame[col].astype("int64")
    frame["last_missing_period"] = pd.to_datetime(frame["last_missing_period"]).dt.date
    frame = frame.assign(_bad=frame["late"] + frame["missing"]).sort_values(
        ["_bad", "missing", "nik"], ascending=[False, False, True])
    return frame.drop(columns="_bad").reset_index(drop=True)


@cached
def reporting_window(engine: Engine, end: date, periods: int = LATE_PERIODS) -> list[date]:
    """The reporting-status periods the late-filer list covers (newest first)."""
    r = ReportingStatus
    rows = read_frame(engine, select(r.period_end).distinct().where(r.period_end <= end)
                      .order_by(r.period_end.desc()).limit(periods))
    return [pd.Timestamp(v).date() for v in rows["period_end"]]


@cached
def regency_rejections(engine: Engine, regency: str, limit: int = 5000) -> pd.DataFrame:
    """The rejected rows of one kabupaten's registered cooperatives (what a kabupaten officer may see), newest
    first, with the columns of `queries.rejections`; rows without a registered NIK are not among them."""
    r = Rejection
    frame = read_frame(
        engine,
        select(r.id, r.ingest_run_id, r.dataset, r.source_file, r.row_number, r.nik, r.reasons, r.created_at)
        .join(Cooperative, Cooperative.nik == r.nik)
        .where(Cooperative.regency_code == regency)
        .order_by(r.id.desc())
        .limit(limit),
    )
    frame["reasons_text"] = frame["reasons"].map(queries._reasons_text)  # noqa: SLF001 - the page's own wording
    return frame

"""Reads for the Belum Melapor page: who has not reported for a period, with whom to call (the registry's contact
fields), from the stored reporting status. The counts per kabupaten are the refresh's own figures (`expected`,
`received`, `missing_reports` of regency_indicators); this only selects and shapes."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, select

from warehouse import queries
from warehouse.models import Cooperative, Regency, ReportingStatus
from warehouse.queries import cached, read_frame

COLUMNS = ["nik", "name", "regency_code", "regency", "district", "type", "contact_name", "contact_phone",
           "contact_email", "deadline", "last_received"]


@cached
def periods(engine: Engine) -> list[date]:
    """The periods with a stored reporting status, newest first."""
    frame = read_frame(engine, select(ReportingStatus.period_end).distinct().order_by(ReportingStatus.period_end.desc()))
    return [pd.Timestamp(v).date() for v in frame["period_end"]]


@cached
def missing(engine: Engine, period: date, regency: str | None = None, scope: str | None = None) -> pd.DataFrame:
    """The cooperatives expected to report for `period` whose report has not arrived, by kabupaten and name: nik,
    name, regency_code, regency, district, type, contact_name, contact_phone, contact_email, deadline, last_received
    (the latest period with a report in the stored window, or None)."""
    r, c = ReportingStatus, Cooperative
    stmt = (select(r.nik, c.name, r.regency_code, Regency.name.label("regency"), c.district, c.type, c.contact_name,
                   c.contact_phone, c.contact_email, r.deadline)
            .join(c, c.nik == r.nik).join(Regency, Regency.code == r.regency_code)
            .where(r.period_end == period, r.status == "missing", queries.in_population(r.nik, scope)))
    if regency:
        stmt = stmt.where(r.regency_code == regency)
    frame = read_frame(engine, stmt)
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    last = read_frame(engine, select(r.nik, func.max(r.period_end).label("last_received"))
                      .where(r.status != "missing", r.period_end <= period,
                             r.nik.in_(select(r.nik).where(r.period_end == period, r.status == "missing")))
                      .group_by(r.nik))
    frame = frame.merge(last, on="nik", how="left")
    frame["last_received"] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame["last_received"]]
    frame["deadline"] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame["deadline"]]
    return frame.sort_values(["regency_code", "name", "nik"]).reset_index(drop=True)[COLUMNS]


def counts(engine: Engine, period: date, scope: str | None = None) -> pd.DataFrame:
    """The stored figures per kabupaten/kota at `period`: regency_code, name, expected, received, missing_reports,
    reporting_rate."""
    rows = queries.regency_rows(engine, period, None, scope)
    return rows[["regency_code", "name", "expected", "received", "missing_reports", "reporting_rate"]]

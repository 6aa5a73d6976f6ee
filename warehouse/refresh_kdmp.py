"""The refresh's part for the 2025–26 datasets: read the KDMP progress rows, the mentoring log and the platform
submissions, and turn them into the materialised KDMP villages and roll-ups (indicators/kdmp.py computes; this
module only reads and shapes). warehouse/refresh.py calls it inside its one transaction."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, or_, select

from indicators import kdmp
from warehouse.bulk import CHUNK
from warehouse.models import Cooperative, FinancialReport, KdmpProgress, KdmpVillage, Mentoring

KDMP_COLUMNS = ["village_code", "as_of", "village_name", "village_type", "nik", *kdmp.STAGE_DATE_COLUMNS,
                "construction_pct", "outlets", "members", "financing_scheme", "financing_plafond",
                "financing_disbursed", "business_assistant", "source", "ingest_run_id"]
MENTORING_COLUMNS = ["nik", "village_code", "activity_date", "kind", "mentor", "hours"]
VILLAGE_FLAGS = {"kdmp_stuck_nib": "stuck_nib", "kdmp_no_land": "no_land", "kdmp_stale": "stale"}


@dataclass
class Extras:
    """What the 2025–26 figures are made of, as frames."""

    kdmp_rows: pd.DataFrame  # current kdmp_progress rows
    mentoring: pd.DataFrame  # current mentoring rows
    submissions: pd.DataFrame  # nik, submitted_on of current reports that came through the platform


def _frame(conn, stmt, columns: list[str]) -> pd.DataFrame:
    # the driver's rows as they come (no per-value processing)
    return pd.DataFrame.from_records(conn.execute(stmt).cursor.fetchall(), columns=columns)


def read_extras(conn, niks: list[str] | None = None, villages: bool = True,
                regencies: list[str] | None = None) -> Extras:
    """The frames of every cooperative, or the platform submissions of `niks` only (an incremental refresh);
    without `villages` the KDMP progress rows are left out (nothing of theirs changed), and with `regencies` too
    the mentoring rows are only those of these kabupaten's cooperatives and villages (a village code starts with
    its kabupaten's code) — all the cooperatives' state needs."""
    table = KdmpProgress.__table__
    stmt = select(*(table.c[c] for c in KDMP_COLUMNS)).where(table.c.is_current.is_(True))
    rows = _frame(conn, stmt if villages else stmt.where(False), KDMP_COLUMNS)
    for col in ("as_of", *kdmp.STAGE_DATE_COLUMNS):
        rows[col] = pd.to_datetime(rows[col])
    m = Mentoring.__table__
    stmt = select(*(m.c[c] for c in MENTORING_COLUMNS)).where(m.c.is_current.is_(True))
    if regencies is not None and not villages:
        stmt = stmt.where(or_(m.c.nik.in_(select(Cooperative.nik).where(Cooperative.regency_code.in_(regencies))),
                              func.substr(m.c.village_code, 1, 4).in_(regencies)))
    mentoring = _frame(conn, stmt, MENTORING_COLUMNS)
    mentoring["activity_date"] = pd.to_datetime(mentoring["activity_date"])
    r = FinancialReport.__table__
    stmt = select(r.c.nik, r.c.submitted_on).where(r.c.is_current.is_(True), r.c.source == "platform")
    if niks is None:
        submissions = _frame(conn, stmt, ["nik", "submitted_on"])
    else:
        parts = [_frame(conn, stmt.where(r.c.nik.in_(niks[i:i + CHUNK])), ["nik", "submitted_on"])
                 for i in range(0, len(niks), CHUNK)]
        submissions = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["nik", "submitted_on"])
    submissions["submitted_on"] = pd.to_datetime(submissions["submitted_on"])
    return Extras(rows, mentoring, submissions)


def village_tables(extras: Extras, registry_frame: pd.DataFrame, regency_codes: list[str],
                   version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kdmp_villages rows, kdmp_indicators rows) for every reference date."""
    state = kdmp.village_state(extras.kdmp_rows, extras.mentoring, registry_frame)
    if state.empty:
        return pd.DataFrame(), pd.DataFrame()
    rollups = kdmp.area_rollups(state, regency_codes).assign(data_version=version)
    villages = state.rename(columns=VILLAGE_FLAGS)
    columns = [c.name for c in KdmpVillage.__table__.columns if c.name not in ("id", "data_version")]
    villages = villages[columns].assign(data_version=version)
    villages["ingest_run_id"] = pd.to_numeric(villages["ingest_run_id"], errors="coerce")
    return villages, rollups

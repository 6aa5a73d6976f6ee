"""The tests' own SQL against a warehouse, written apart from warehouse/ on purpose: a query as a frame, the month-ends
the pages open on, stored area rows and values, cooperative snapshots, report counts, and a few registry rows
written by hand."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, insert, select, text

from warehouse import db
from warehouse.db import engine_for
from warehouse.models import Cooperative, CooperativeSnapshot, IngestRun


def read_frame(url: str, sql: str, **params) -> pd.DataFrame:
    """The rows of `sql` (with :named parameters) as a frame."""
    with engine_for(url).connect() as conn:
        return pd.read_sql(text(sql), conn, params=params)


def latest_period(url: str) -> date:
    """The newest month-end with a province row (all types): the period every page opens on."""
    with engine_for(url).connect() as conn:
        value = conn.execute(text("SELECT MAX(period_end) FROM regency_indicators WHERE regency_code = '53' "
                                  "AND type = '' AND scope = 'daerah'")).scalar()
    return pd.Timestamp(value).date()


def first_period(url: str) -> date:
    """The oldest month-end of the area figures: nothing twelve months earlier to compare with."""
    with engine_for(url).connect() as conn:
        value = conn.execute(text("SELECT MIN(period_end) FROM regency_indicators")).scalar()
    return pd.Timestamp(value).date()


def area_row(url: str, period: date, regency: str = "53", kind: str = "", must_exist: bool = True,
             scope: str = "daerah") -> dict:
    """The one stored row of regency_indicators for an area (a kabupaten code or the province "53"), a cooperative
    type ("" = all types), a population (scope) and a month-end; {} when there is none and `must_exist` is False."""
    with engine_for(url).connect() as conn:
        rows = conn.execute(text("SELECT * FROM regency_indicators WHERE regency_code = :r AND type = :t "
                                 "AND period_end = :p AND scope = :s"),
                            {"r": regency, "t": kind, "p": period, "s": scope}).mappings().all()
    assert len(rows) == 1 or (not rows and not must_exist), (regency, kind, period, len(rows))
    return dict(rows[0]) if rows else {}


def add_cooperatives(engine, regency_of: dict[str, str]) -> int:
    """Registry rows for the given NIKs ({nik: kabupaten code}), all savings-and-loan and active, loaded by one
    successful ingest run whose id is returned."""
    with engine.begin() as conn:
        run = conn.execute(insert(IngestRun).values(source="cli", target="test", started_at=db.utcnow(),
                                                    status="success").returning(IngestRun.id)).scalar_one()
        for nik, code in regency_of.items():
            conn.execute(insert(Cooperative).values(nik=nik, name=f"Koperasi {nik}", regency_code=code,
                                                    type="simpan_pinjam", status="aktif", source="cli",
                                                    ingest_run_id=run, row_hash=1))
    return run


def kabupaten_values(url: str, indicator: str) -> tuple[date, dict[str, float]]:
    """{kabupaten code: stored value} of one area figure at the latest period, all cooperative types."""
    period = latest_period(url)
    with engine_for(url).connect() as conn:
        rows = conn.execute(text(f"SELECT regency_code, {indicator} FROM regency_indicators WHERE period_end = :p "
                                 "AND type = '' AND scope = 'daerah' AND regency_code != '53'"), {"p": period}).all()
    return period, {code: value for code, value in rows}


def latest_snapshot(url: str) -> date:
    """The newest month-end of the cooperative snapshots."""
    with engine_for(url).connect() as conn:
        value = conn.execute(text("SELECT MAX(period_end) FROM cooperative_snapshots")).scalar()
    return pd.Timestamp(value).date()


def snapshot_niks(url: str, condition: str = "", period: date | None = None, **params) -> set[str]:
    """The NIKs of the cooperative snapshots at `period` (default: the latest) that meet an SQL condition (with
    :named parameters)."""
    sql = "SELECT nik FROM cooperative_snapshots WHERE period_end = :p" + (f" AND ({condition})" if condition else "")
    with engine_for(url).connect() as conn:
        return {str(r[0]) for r in conn.execute(text(sql), {"p": period or latest_snapshot(url), **params})}


def current_report_count(url: str, regency: str, period: date) -> int:
    """How many current financial reports a kabupaten's cooperatives have for one month-end."""
    with engine_for(url).connect() as conn:
        return conn.execute(text(
            "select count(*) from financial_reports r join cooperatives c on c.nik = r.nik "
            "where r.is_current = :t and c.regency_code = :kab and r.period_end = :pe"),
            {"t": True, "kab": regency, "pe": period}).scalar_one()


def first_monitored_nik(url: str) -> str:
    """The smallest NIK that is monitored in some snapshot: a cooperative whose profile shows every section."""
    with engine_for(url).connect() as conn:
        return conn.execute(text("SELECT MIN(nik) FROM cooperative_snapshots WHERE monitored = :t"),
                            {"t": True}).scalar_one()


def snapshot_rows(url: str, period=None, **where) -> dict[str, dict]:
    """{nik: row} of cooperative_snapshots at `period` (default: the latest), filtered by column = value."""
    table = CooperativeSnapshot.__table__
    with engine_for(url).connect() as conn:
        if period is None:
            period = conn.execute(select(func.max(table.c.period_end))).scalar()
        stmt = select(table).where(table.c.period_end == period, *(table.c[k] == v for k, v in where.items()))
        rows = conn.execute(stmt).mappings().all()
    return {r["nik"]: dict(r) for r in rows}


def regional(rows: dict[str, dict]) -> dict[str, dict]:
    """The snapshot rows of the pages' default population: not supervised by the ministry or OJK."""
    return {nik: r for nik, r in rows.items() if r["supervisor"] not in ("kementerian", "ojk")}

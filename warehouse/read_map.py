"""What the map page reads: one period's kabupaten indicators (and the province's, pooled from them) and one
kabupaten's cooperatives at a snapshot period."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from warehouse.models import Cooperative, CooperativeSnapshot
from warehouse.queries import cached, read_frame, regency_table

# Indicators the roll-up stores that the map's key-figure table and the province pooling need.
COLUMNS = ("cooperatives", "active", "members", "total_assets", "members_per_1000", "scored", "sehat", "pct_sehat",
           "avg_health_score", "rat_compliant", "pct_rat_compliant", "go_digital", "pct_go_digital", "expected",
           "received", "reporting_rate")


@cached
def regency_values(engine: Engine, period: date) -> pd.DataFrame:
    """One row per kabupaten (all 22, with code, name, short_name, label_lat/label_lon, pop_2020) and one column
    per indicator of `period` (NaN where the roll-up has no value)."""
    table = regency_table(engine, period, COLUMNS)
    return table[["code", "name", "short_name", "label_lat", "label_lon", "pop_2020", *COLUMNS]]


def _ratio(num: pd.Series, den: pd.Series, scale: float = 100.0) -> float:
    n, d = num.sum(min_count=1), den.sum(min_count=1)
    return float(n / d * scale) if pd.notna(n) and pd.notna(d) and d > 0 else np.nan


@cached
def province_values(engine: Engine, period: date) -> dict[str, float]:
    """The province at `period`, pooled from the kabupaten rows the way the roll-up defines each share
    (indicators.regency.regency_summary): sums for counts, Σ numerator / Σ denominator for shares."""
    v = regency_values(engine, period)
    scored = v["scored"].fillna(0)
    avg = (v["avg_health_score"] * scored).sum(min_count=1) / scored.sum() if scored.sum() > 0 else np.nan
    return {
        "cooperatives": v["cooperatives"].sum(min_count=1),
        "active": v["active"].sum(min_count=1),
        "members": v["members"].sum(min_count=1),
        "total_assets": v["total_assets"].sum(min_count=1),
        "go_digital": v["go_digital"].sum(min_count=1),
        "pct_go_digital": _ratio(v["go_digital"], v["active"]),
        "avg_health_score": float(avg),
        "pct_sehat": _ratio(v["sehat"], v["scored"]),
        "pct_rat_compliant": _ratio(v["rat_compliant"], v["active"]),
        "reporting_rate": _ratio(v["received"], v["expected"]),
        "members_per_1000": _ratio(v["members"], v["pop_2020"].astype(float), 1000.0),
    }


@cached
def regency_cooperatives(engine: Engine, regency_code: str, period: date) -> pd.DataFrame:
    """One kabupaten's cooperatives at a snapshot period: NIK, name, type, health, RAT grade, digital stage."""
    s = CooperativeSnapshot
    stmt = (
        select(s.nik, Cooperative.name, Cooperative.type, s.health_framework, s.health_total, s.health_category,
               s.rat_grade, s.digital_stage, s.go_digital, s.report_status)
        .join(Cooperative, Cooperative.nik == s.nik)
        .where(s.regency_code == regency_code, s.period_end == period)
        .order_by(Cooperative.name)
    )
    return read_frame(engine, stmt)

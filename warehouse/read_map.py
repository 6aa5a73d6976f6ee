"""What the map page reads: one period's kabupaten figures and the province's row, as the refresh stored them, and
one kabupaten's cooperatives at a snapshot period."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from warehouse import queries
from warehouse.models import Cooperative, CooperativeSnapshot
from warehouse.queries import cached, read_frame

def regency_values(engine: Engine, period: date, scope: str | None = None) -> pd.DataFrame:
    """One row per kabupaten (all 22, with code, name, short_name, label_lat/label_lon, pop_2020) and every area
    figure of `period` and population `scope` as the refresh stored it (NaN where there is none)."""
    return queries.regency_rows(engine, period, None, scope)


def province_values(engine: Engine, period: date, scope: str | None = None) -> dict:
    """The province's row of `period` (regency_code "53"): the same figures, computed by the refresh over the whole
    province (never summed here)."""
    return queries.area_row(engine, period, None, None, scope) or {}


@cached
def regency_cooperatives(engine: Engine, regency_code: str, period: date, scope: str | None = None) -> pd.DataFrame:
    """One kabupaten's cooperatives at a snapshot period: NIK, name, type, health, RAT grade, digital stage, and
    whether it is monitored (its latest report within the 12 month-ends: the population the shares count)."""
    s = CooperativeSnapshot
    stmt = (
        select(s.nik, Cooperative.name, Cooperative.type, s.health_framework, s.health_total, s.health_category,
               s.rat_grade, s.digital_stage, s.go_digital, s.report_status, s.monitored)
        .join(Cooperative, Cooperative.nik == s.nik)
        .where(s.regency_code == regency_code, s.period_end == period, queries.in_population(s.nik, scope))
        .order_by(Cooperative.name)
    )
    return read_frame(engine, stmt)

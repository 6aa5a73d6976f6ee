"""Reads for the rankings page: the kabupaten roll-ups of one period (wide) and the cooperative snapshots of one
snapshot period with the registry names; every result is cached on the warehouse's data version."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from warehouse.models import Cooperative, CooperativeSnapshot, Regency
from warehouse import queries
from warehouse.queries import cached, read_frame

# The kabupaten indicators the ranking shows, in column order (monitored_cooperatives: the population the members
# and most shares are taken over).
REGENCY_COLUMNS = ("avg_health_score", "pct_sehat", "pct_rat_compliant", "pct_go_digital", "reporting_rate",
                   "cooperatives", "monitored_cooperatives", "members", "members_per_1000")

# The peer-ranked key ratios of a cooperative snapshot (each has a pct_<name> column), in column order.
KEY_RATIOS = ("equity_ratio", "npl_ratio", "roa", "current_ratio", "asset_growth", "member_growth")

_SNAPSHOT_COLUMNS = (
    "nik", "regency_code", "type", "peer_group", "monitored", "reported", "health_framework", "health_total", "health_category",
    "pct_health_total", "total_assets", "members", *KEY_RATIOS, *(f"pct_{r}" for r in KEY_RATIOS),
    "rat_grade", "digital_stage", "go_digital", "report_status", "supervisor",
)


def regency_ranking(engine: Engine, period_end: date, kind: str | None = None,
                    scope: str | None = None) -> pd.DataFrame:
    """One row per kabupaten/kota (all 22, even those without a roll-up) with the REGENCY_COLUMNS at the period,
    for one cooperative type (None = all) and population (None = daerah)."""
    table = queries.regency_rows(engine, period_end, kind, scope)
    return table[["regency_code", "name", "short_name", *REGENCY_COLUMNS]]


@cached
def cooperative_ranking(engine: Engine, period_end: date, scope: str | None = None) -> pd.DataFrame:
    """Every cooperative snapshot of the period with the cooperative's name and registry group, sorted by health
    score (best first), then the monitored cooperatives without a score, then those without a report in the 12
    month-ends (not monitored: listed, never rated)."""
    snap = CooperativeSnapshot.__table__
    stmt = (
        select(*(snap.c[c] for c in _SNAPSHOT_COLUMNS), Cooperative.name, Cooperative.group,
               Regency.short_name.label("regency"))
        .join(Cooperative, Cooperative.nik == snap.c.nik)
        .join(Regency, Regency.code == snap.c.regency_code, isouter=True)
        .where(snap.c.period_end == period_end, queries.in_population(snap.c.nik, scope))
    )
    frame = read_frame(engine, stmt)
    frame["nik"] = frame["nik"].astype(str)
    frame["monitored"] = frame["monitored"].astype("boolean").fillna(False).astype(bool)
    return frame.sort_values(["health_total", "monitored", "name"], ascending=[False, False, True],
                             na_position="last", ignore_index=True)

"""Reads for the Target Digital page: the Go Digital figures, targets, projections and funnel the refresh stored
per kabupaten and for the province, and the cooperatives stuck in migration (from the materialised snapshot)."""
from __future__ import annotations

import functools
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, select

from indicators import digital
from warehouse import queries
from warehouse.models import Cooperative, CooperativeSnapshot, DigitalStatus, Regency
from warehouse.queries import cached, read_frame


@functools.lru_cache(maxsize=1)
def norms() -> dict:
    """The digital norm file (definition, stages, target, stuck threshold); read once per process."""
    return digital.load_norms()


def series(engine: Engine, regency: str | None = None, scope: str | None = None) -> pd.DataFrame:
    """The Go Digital figures of the province (or one kabupaten) at every month-end, oldest first: period_end,
    go_digital, digital_target, digital_pace, digital_reached_on, digital_target_reached, and digital use that
    lasts (digital_active, pct_digital_active, digital_mentored, pct_active_mentored, pct_active_unmentored)."""
    frame = queries.area_series(engine, regency, None, scope)
    return frame[["period_end", "go_digital", "digital_target", "digital_pace", "digital_reached_on",
                  "digital_target_reached", *ACTIVE_FIGURES]]


# "Digital and active" and the mentoring beside it (norms/kdmp.toml [digital_active]).
ACTIVE_FIGURES = ("digital_active", "pct_digital_active", "digital_mentored", "digital_active_mentored",
                  "pct_active_mentored", "digital_unmentored", "digital_active_unmentored", "pct_active_unmentored",
                  "digital_mentoring_hours")


def progress(engine: Engine, period: date, scope: str | None = None) -> pd.DataFrame:
    """Per kabupaten at `period`: regency_code, name, short_name, target, go_digital, active, pct (of the target,
    0–100), remaining, reached — the stored figures digital_target, go_digital, active, pct_digital_target,
    digital_remaining, digital_target_reached. Kabupaten with neither a target nor a Go Digital cooperative are
    left out."""
    rows = queries.regency_rows(engine, period, None, scope)
    out = rows[["regency_code", "name", "short_name", "digital_target", "go_digital", "active", "pct_digital_target",
                "digital_remaining", "digital_target_reached", *ACTIVE_FIGURES]].rename(
        columns={"digital_target": "target", "pct_digital_target": "pct", "digital_remaining": "remaining",
                 "digital_target_reached": "reached"})
    out["reached"] = out["reached"].astype("boolean").fillna(False).astype(bool)
    keep = (out["target"].fillna(0) > 0) | (out["go_digital"].fillna(0) > 0)
    return out.loc[keep].reset_index(drop=True)


def projection(engine: Engine, period: date, regency: str | None = None, scope: str | None = None) -> dict | None:
    """The Go Digital projection of the province (or one kabupaten) as it stood at `period`, as the refresh
    stored it: target, current, pace_per_month, reached_on (ISO date or None), already_reached."""
    row = queries.area_row(engine, period, regency, None, scope)
    if row is None or row.get("digital_target") is None:
        return None
    reached_on = row.get("digital_reached_on")
    return {"target": row["digital_target"], "current": row.get("go_digital"), "pace_per_month": row.get("digital_pace"),
            "reached_on": reached_on.isoformat() if reached_on else None,
            "already_reached": bool(row.get("digital_target_reached"))}


def funnel(engine: Engine, period: date, regency: str | None = None, scope: str | None = None) -> pd.DataFrame:
    """The adoption funnel of active cooperatives at `period`: ``stage``, ``exact`` (current stage is that one,
    stored as stage_<stage>), ``count`` (at or beyond that step, stored as funnel_<stage>)."""
    row = queries.area_row(engine, period, regency, None, scope) or {}
    order = list(norms()["stages"]["order"])
    return pd.DataFrame({"stage": order,
                         "exact": [row.get(f"stage_{s}") or 0 for s in order],
                         "count": [row.get(f"funnel_{s}") or 0 for s in order]})


@cached
def stuck(engine: Engine, period: date, regency: str | None = None, scope: str | None = None) -> pd.DataFrame:
    """Cooperatives stuck in migration at a snapshot period: nik, name, regency_code, regency, platform (of the
    current migrating stage row), since (digital_stage_date), days (the stored digital_days_in_stage), longest first."""
    snap = CooperativeSnapshot
    stmt = (select(snap.nik, Cooperative.name, snap.regency_code, Regency.name.label("regency"),
                   snap.digital_stage_date.label("since"), snap.digital_days_in_stage.label("days"),
                   DigitalStatus.platform)
            .join(Cooperative, Cooperative.nik == snap.nik)
            .join(Regency, Regency.code == snap.regency_code)
            .outerjoin(DigitalStatus, and_(DigitalStatus.nik == snap.nik, DigitalStatus.is_current.is_(True),
                                           DigitalStatus.stage == "migrating",
                                           DigitalStatus.stage_date == snap.digital_stage_date))
            .where(snap.period_end == period, snap.stuck_in_migration.is_(True), queries.in_population(snap.nik, scope)))
    if regency:
        stmt = stmt.where(snap.regency_code == regency)
    frame = read_frame(engine, stmt).drop_duplicates("nik")
    frame["since"] = pd.to_datetime(frame["since"]).dt.date
    return frame.sort_values(["days", "nik"], ascending=[False, True]).reset_index(drop=True)

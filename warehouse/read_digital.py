"""Reads for the Target Digital page: Go Digital roll-ups and targets per kabupaten, the stored projection, the
adoption funnel and the cooperatives stuck in migration (from the materialised snapshot)."""
from __future__ import annotations

import functools
import json
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from indicators import digital
from warehouse.models import Cooperative, CooperativeSnapshot, DigitalStatus, Meta, Regency, RegencyIndicator
from warehouse.queries import cached, read_frame

SERIES_INDICATORS = ("go_digital", "digital_target", "active")


@functools.lru_cache(maxsize=1)
def norms() -> dict:
    """The digital norm file (definition, stages, target, stuck threshold); read once per process."""
    return digital.load_norms()


@cached
def regency_series(engine: Engine) -> pd.DataFrame:
    """Kabupaten × month: ``go_digital``, ``digital_target`` and ``active`` (wide; NaN where not written)."""
    long = read_frame(engine, select(RegencyIndicator.regency_code, RegencyIndicator.period_end,
                                     RegencyIndicator.indicator, RegencyIndicator.value)
                      .where(RegencyIndicator.indicator.in_(SERIES_INDICATORS)))
    cols = ["regency_code", "period_end", *SERIES_INDICATORS]
    if long.empty:
        return pd.DataFrame(columns=cols)
    long["period_end"] = pd.to_datetime(long["period_end"]).dt.date
    wide = long.pivot_table(index=["regency_code", "period_end"], columns="indicator", values="value",
                            aggfunc="first").reset_index()
    wide.columns.name = None
    for col in SERIES_INDICATORS:
        if col not in wide:
            wide[col] = float("nan")
    wide["regency_code"] = wide["regency_code"].astype(str)
    return wide[cols].sort_values(["period_end", "regency_code"]).reset_index(drop=True)


@cached
def series(engine: Engine, regency: str | None = None) -> pd.DataFrame:
    """Monthly Go Digital count of the province (sum over kabupaten) or of one kabupaten: ``period_end``,
    ``go_digital``."""
    frame = regency_series(engine)
    if regency:
        frame = frame.loc[frame["regency_code"] == regency]
    out = frame.groupby("period_end", as_index=False)["go_digital"].sum(min_count=1)
    return out.sort_values("period_end").reset_index(drop=True)


@cached
def progress(engine: Engine, period: date) -> pd.DataFrame:
    """Per kabupaten at ``period``: code, name, short_name, target, go_digital, active, pct (of target, 0–100),
    remaining. The target is the kabupaten's ``digital_target`` at that period, else its latest one."""
    frame = regency_series(engine)
    regs = read_frame(engine, select(Regency.code, Regency.name, Regency.short_name).order_by(Regency.code))
    regs["code"] = regs["code"].astype(str)
    at = frame.loc[frame["period_end"] == period].set_index("regency_code")
    latest_target = (frame.dropna(subset=["digital_target"]).sort_values("period_end")
                     .groupby("regency_code")["digital_target"].last())
    out = regs.rename(columns={"code": "regency_code"}).set_index("regency_code")
    out["go_digital"] = at["go_digital"].reindex(out.index)
    out["active"] = at["active"].reindex(out.index)
    target = at["digital_target"].reindex(out.index)
    out["target"] = target.fillna(latest_target.reindex(out.index))
    out["pct"] = out["go_digital"] / out["target"].where(out["target"] > 0) * 100.0
    out["remaining"] = (out["target"] - out["go_digital"]).clip(lower=0)
    # a kabupaten with no cooperatives in the registry has neither a target nor anyone Go Digital
    out = out.loc[out["target"].notna() | (out["go_digital"] > 0)]
    return out.reset_index()


@cached
def projection(engine: Engine) -> dict | None:
    """The province projection the refresh stored in meta ``digital_projection`` ({target, current,
    pace_per_month, reached_on}), or None when it is not there (yet)."""
    with engine.connect() as conn:
        raw = conn.execute(select(Meta.value).where(Meta.key == "digital_projection")).scalar()
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


@cached
def projection_for(engine: Engine, regency: str | None, period: date, target: int) -> dict:
    """The same linear projection as the refresh's (:func:`indicators.digital.project_target_date`, pace of the
    last 12 months) on the Go Digital series up to ``period``, for views the stored one does not cover (a
    kabupaten, or an earlier period)."""
    s = series(engine, regency)
    s = s.loc[s["period_end"] <= period].dropna()
    p = digital.project_target_date(s, target=target, norms=norms())
    return {"target": p.target, "current": p.current, "pace_per_month": p.pace_per_month,
            "reached_on": p.reached_on.date().isoformat() if p.reached_on is not None else None,
            "already_reached": p.already_reached}


@cached
def funnel(engine: Engine, period: date, regency: str | None = None) -> pd.DataFrame:
    """The adoption funnel at a snapshot period: ``stage``, ``exact`` (cooperatives whose stage is that one),
    ``count`` (at or beyond that step, as :func:`indicators.digital.funnel` defines)."""
    snap = CooperativeSnapshot
    stmt = (select(snap.digital_stage, func.count().label("n"))
            .where(snap.period_end == period, snap.digital_stage.is_not(None))
            .group_by(snap.digital_stage))
    if regency:
        stmt = stmt.where(snap.regency_code == regency)
    counts = read_frame(engine, stmt)
    order = list(norms()["stages"]["order"])
    exact = counts.set_index("digital_stage")["n"].reindex(order).fillna(0).astype("int64")
    out = pd.DataFrame({"stage": order, "exact": exact.to_numpy()})
    out["count"] = out["exact"][::-1].cumsum()[::-1].to_numpy()
    return out


@cached
def stuck(engine: Engine, period: date, regency: str | None = None) -> pd.DataFrame:
    """Cooperatives stuck in migration at a snapshot period: nik, name, regency_code, regency, platform (of the
    current migrating stage row), since (digital_stage_date), days (period − since), longest first."""
    snap = CooperativeSnapshot
    stmt = (select(snap.nik, Cooperative.name, snap.regency_code, Regency.name.label("regency"),
                   snap.digital_stage_date.label("since"), DigitalStatus.platform)
            .join(Cooperative, Cooperative.nik == snap.nik)
            .join(Regency, Regency.code == snap.regency_code)
            .outerjoin(DigitalStatus, and_(DigitalStatus.nik == snap.nik, DigitalStatus.is_current.is_(True),
                                           DigitalStatus.stage == "migrating",
                                           DigitalStatus.stage_date == snap.digital_stage_date))
            .where(snap.period_end == period, snap.stuck_in_migration.is_(True)))
    if regency:
        stmt = stmt.where(snap.regency_code == regency)
    frame = read_frame(engine, stmt).drop_duplicates("nik")
    frame["since"] = pd.to_datetime(frame["since"]).dt.date
    frame["days"] = [(period - s).days if s is not None and not pd.isna(s) else None for s in frame["since"]]
    return frame.sort_values(["days", "nik"], ascending=[False, True]).reset_index(drop=True)

"""Reads for the Kopdes Merah Putih page: the KDMP roll-ups the refresh stored per kabupaten/kota and for the
province (kdmp_indicators), and the villages' materialised state (kdmp_villages). Select and shape only; cached on
the data version."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from indicators import vocabulary
from warehouse import queries
from warehouse.models import Cooperative, KdmpIndicator, KdmpVillage, Regency
from warehouse.queries import cached, read_frame


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for col in columns:
        if col in frame:
            frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


@cached
def periods(engine: Engine) -> list[tuple[date, date]]:
    """(period_end, reference_date) of the KDMP roll-ups, newest first (the page's period filter)."""
    ki = KdmpIndicator
    with engine.connect() as conn:
        rows = conn.execute(select(ki.period_end, ki.reference_date)
                            .where(ki.regency_code == vocabulary.PROVINCE_CODE).order_by(ki.period_end.desc()))
        return [(pd.Timestamp(a).date(), pd.Timestamp(b).date()) for a, b in rows]


@cached
def area_rows(engine: Engine, period: date) -> pd.DataFrame:
    """Every area of one period — the 22 kabupaten/kota with their reference columns (name, short_name,
    label_lat/label_lon) and the province ("53") — with every KDMP figure as the refresh stored it."""
    ki = KdmpIndicator
    frame = _dates(read_frame(engine, select(ki).where(ki.period_end == period)), "period_end", "reference_date")
    frame["regency_code"] = frame["regency_code"].astype(str)
    reg = queries.regencies(engine)
    out = pd.DataFrame({"regency_code": [*reg["code"].astype(str), vocabulary.PROVINCE_CODE]})
    out = out.merge(reg.rename(columns={"code": "regency_code"}).assign(regency_code=reg["code"].astype(str)),
                    on="regency_code", how="left")
    return out.merge(frame.drop(columns=["id", "data_version"], errors="ignore"), on="regency_code", how="left")


def area_row(engine: Engine, period: date, regency: str | None = None) -> dict | None:
    """One area's KDMP figures (the province when `regency` is None), or None when there are none."""
    rows = area_rows(engine, period)
    row = rows.loc[rows["regency_code"] == (regency or vocabulary.PROVINCE_CODE)]
    if row.empty or pd.isna(row["kdmp_villages"].iloc[0]):
        return None
    return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.iloc[0].to_dict().items()}


def regency_rows(engine: Engine, period: date) -> pd.DataFrame:
    """The 22 kabupaten/kota of :func:`area_rows`, `code` = regency_code."""
    rows = area_rows(engine, period)
    rows = rows.loc[rows["regency_code"] != vocabulary.PROVINCE_CODE].reset_index(drop=True)
    return rows.assign(code=rows["regency_code"])


@cached
def series(engine: Engine, regency: str | None = None) -> pd.DataFrame:
    """One area's KDMP figures at every period, oldest first."""
    ki = KdmpIndicator
    stmt = select(ki).where(ki.regency_code == (regency or vocabulary.PROVINCE_CODE)).order_by(ki.period_end)
    frame = _dates(read_frame(engine, stmt), "period_end", "reference_date")
    return frame.drop(columns=["id", "data_version"], errors="ignore").reset_index(drop=True)


@cached
def villages(engine: Engine, period: date, regency: str | None = None) -> pd.DataFrame:
    """The villages' stored state at one period (of one kabupaten, or all) with the kabupaten's short name and, for
    a KDMP in the registry, the cooperative's name: every column of kdmp_villages."""
    kv = KdmpVillage.__table__
    stmt = (select(kv, Regency.short_name.label("regency"), Cooperative.name.label("cooperative"))
            .join(Regency, Regency.code == kv.c.regency_code, isouter=True)
            .join(Cooperative, Cooperative.nik == kv.c.nik, isouter=True)
            .where(kv.c.period_end == period))
    if regency:
        stmt = stmt.where(kv.c.regency_code == regency)
    frame = read_frame(engine, stmt.order_by(kv.c.village_code))
    return _dates(frame, "period_end", "reference_date", "as_of", "stage_since", "last_mentored_on",
                  "musdesus_on", "deed_on", "ahu_on", "nib_on", "npwp_on", "bank_account_on", "simkopdes_on",
                  "land_ready_on", "handover_on", "first_rat_on")

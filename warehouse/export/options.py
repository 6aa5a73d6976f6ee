"""What the export page's filters offer: the months of a dataset's period filter and the fiscal years of the RAT
filter, read from the warehouse."""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, select

from indicators import vocabulary
from warehouse.export.catalogue import DATASETS
from warehouse.models import AnnualMeeting, DigitalStatus, RatStatus, Rejection
from warehouse.queries import cached, periods

WITA = vocabulary.WITA


@cached
def period_options(engine: Engine, dataset: str) -> list[date]:
    """The months a dataset's period filter offers, newest first: the roll-up periods for month datasets, every
    month from the first to the last dated row for event datasets (digital stages, rejections)."""
    spec = DATASETS[dataset]
    if spec.period == "month":
        return periods(engine)
    if spec.period != "event":
        return []
    column = DigitalStatus.stage_date if dataset == "digital" else Rejection.created_at
    with engine.connect() as conn:
        low, high = conn.execute(select(func.min(column), func.max(column))).one()
    if low is None:
        return []
    if dataset == "rejections":
        low, high = (pd.Timestamp(v, tz="UTC") if pd.Timestamp(v).tzinfo is None else pd.Timestamp(v)
                     for v in (low, high))
        low, high = low.tz_convert(WITA), high.tz_convert(WITA)
    months = pd.period_range(pd.Timestamp(low).strftime("%Y-%m"), pd.Timestamp(high).strftime("%Y-%m"), freq="M")
    return [p.to_timestamp(how="end").date() for p in reversed(months)]


@cached
def fiscal_years(engine: Engine) -> list[int]:
    """Fiscal years with a RAT row or an accountability assessment, newest first."""
    with engine.connect() as conn:
        years = {y for (y,) in conn.execute(select(AnnualMeeting.fiscal_year).distinct())}
        years |= {y for (y,) in conn.execute(select(RatStatus.fiscal_year).distinct())}
    return sorted(years, reverse=True)

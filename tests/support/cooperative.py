"""A cooperative of the small province picked for the profile tests, with what its profile should show, read from the
warehouse directly."""
from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import func, select

from warehouse.db import engine_for
from warehouse.models import Cooperative, CooperativeSnapshot, FinancialReport, IngestRun, RatStatus, Score


def profile_facts(url: str, framework: str = "ksp2016") -> dict:
    """A cooperative scored with `framework` that has RAT rows and reported for its latest snapshot period, with
    what the page should show for it: the snapshot's stored figures and the score of that period's report."""
    with engine_for(url).connect() as conn:
        rat_counts = dict(conn.execute(select(RatStatus.nik, func.count()).group_by(RatStatus.nik)).all())
        latest = conn.execute(select(func.max(CooperativeSnapshot.period_end))).scalar_one()
        snapshots = {r.nik: r for r in conn.execute(
            select(CooperativeSnapshot).where(CooperativeSnapshot.period_end == latest,
                                              CooperativeSnapshot.health_framework == framework,
                                              CooperativeSnapshot.reported.is_(True),
                                              CooperativeSnapshot.health_total.is_not(None))).all()}
        nik = next(n for n in sorted(snapshots) if rat_counts.get(n))
        snap = snapshots[nik]
        name = conn.execute(select(Cooperative.name).where(Cooperative.nik == nik)).scalar_one()
        total, components = conn.execute(
            select(Score.total, Score.components)
            .where(Score.nik == nik, Score.framework == framework, Score.period_end == latest)).one()
        reports = conn.execute(select(func.count()).select_from(FinancialReport)
                               .where(FinancialReport.nik == nik)).scalar_one()
        latest_target = conn.execute(
            select(IngestRun.target).join(FinancialReport, FinancialReport.ingest_run_id == IngestRun.id)
            .where(FinancialReport.nik == nik, FinancialReport.is_current.is_(True))
            .order_by(FinancialReport.period_end.desc()).limit(1)).scalar_one()
    return {"nik": nik, "name": name, "snapshot": snap, "period": pd.Timestamp(latest).strftime("%Y-%m"),
            "total": snap.health_total, "score_total": total, "rat": rat_counts[nik], "reports": reports,
            "target": latest_target, "components": json.loads(components or "{}")}

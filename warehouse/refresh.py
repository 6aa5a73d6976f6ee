"""The score refresh: read the warehouse, call the pure indicators, write the scores, the cooperative snapshots and
the kabupaten/province roll-ups they produce (nothing here computes a figure itself)."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, select, text

from indicators import cooperative, digital, digital_use, finance, ksp2016, ksp2021, pearls, supervision
from warehouse.bulk import CHUNK, bulk_insert
from warehouse import db, refresh_kdmp
from warehouse.models import (
    REPORT_AMOUNTS,
    AnnualMeeting,
    Cooperative,
    CooperativeSnapshot,
    DigitalStatus,
    FinancialReport,
    IngestRun,
    KdmpIndicator,
    KdmpVillage,
    PeerStat,
    RatStatus,
    Regency,
    RegencyIndicator,
    ReportingStatus,
    Score,
)

log = logging.getLogger(__name__)

REPORT_COLUMNS = ["nik", "period_end", "period_type", "submitted_on", "members", "management_score", *REPORT_AMOUNTS]
COMPONENT_PERIODS = 13


@dataclass
class RefreshResult:
    cooperatives: int
    scores: int
    rollups: int
    seconds: float
    data_version: int


def _read(conn, stmt, columns: list[str] | None = None) -> pd.DataFrame:
    result = conn.execute(stmt)
    return pd.DataFrame.from_records([tuple(r) for r in result], columns=columns or list(result.keys()))


def read_registry(conn) -> pd.DataFrame:
    cols = ["nik", "name", "regency_code", "type", "group", "savings_loan_unit", "status", "established_year",
            "legal_entity_number", "open_loop", "membership_area", "programme", "village_code"]
    return _read(conn, select(*(Cooperative.__table__.c[c] for c in cols)), cols)


def read_reports(conn, niks: list[str] | None = None) -> pd.DataFrame:
    """Current revisions (plain text query: no per-value type processing on hundreds of thousands of rows)."""
    select_list = ", ".join(f'"{c}"' for c in REPORT_COLUMNS)
    base = f"SELECT {select_list} FROM financial_reports WHERE is_current = :t"
    if niks is None:
        frame = _read(conn, text(base).bindparams(t=True), REPORT_COLUMNS)
    else:
        parts = []
        for start in range(0, len(niks), CHUNK):
            part = niks[start:start + CHUNK]
            marks = ", ".join(f":n{i}" for i in range(len(part)))
            parts.append(_read(conn, text(f"{base} AND nik IN ({marks})").bindparams(
                t=True, **{f"n{i}": v for i, v in enumerate(part)}), REPORT_COLUMNS))
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REPORT_COLUMNS)
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    frame["submitted_on"] = pd.to_datetime(frame["submitted_on"])
    for col in ["members", "management_score", *REPORT_AMOUNTS]:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    frame["nik"] = frame["nik"].astype(str)
    return frame.sort_values(["nik", "period_end"]).reset_index(drop=True)


def read_meetings(conn) -> pd.DataFrame:
    cols = ["nik", "fiscal_year", "held_on", "reported_on", "shu_total", "shu_to_members", "audited",
            "statements_published"]
    frame = _read(conn, select(*(AnnualMeeting.__table__.c[c] for c in cols)).where(AnnualMeeting.is_current), cols)
    for c in ("held_on", "reported_on"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def read_digital(conn) -> pd.DataFrame:
    cols = ["nik", "platform", "stage", "stage_date", "members_on_app"]
    frame = _read(conn, select(*(DigitalStatus.__table__.c[c] for c in cols)).where(DigitalStatus.is_current), cols)
    frame["stage_date"] = pd.to_datetime(frame["stage_date"])
    return frame


def _score_rows(framework: str, reports: pd.DataFrame, scored: pd.DataFrame, version: int) -> pd.DataFrame:
    """Scores of one framework as `scores` rows; the components go in as one JSON object per row."""
    if scored.empty:
        return pd.DataFrame()
    keys = reports.loc[scored.index, ["nik", "period_end"]]
    skip = {"total", "category", "unscored", "coverage", "composite_confirmed"}
    # Aspect points, ratios and flags: what the profile page shows (per-component points follow from the bands).
    component_cols = [c for c in scored.columns
                      if c not in skip and not c.endswith("_flag") and not c.startswith("points_")]
    flags = [c for c in scored.columns if c.endswith("_flag")]
    components = scored[component_cols + flags].copy()
    numeric = components.select_dtypes("number").columns
    components[numeric] = components[numeric].round(2)
    payload = pd.Series(components.to_json(orient="records", lines=True, double_precision=2).splitlines(),
                        index=scored.index, dtype=object)
    # The breakdown is kept for each cooperative's latest COMPONENT_PERIODS reports (the profile page's current
    # view and its year-on-year comparison); older periods keep total and category, which the history shows.
    recent = keys.groupby("nik")["period_end"].rank(method="first", ascending=False) <= COMPONENT_PERIODS
    payload = payload.where(recent, None)
    total = scored["total"] if "total" in scored else pd.Series(np.nan, index=scored.index)
    category = scored["category"] if "category" in scored else pd.Series(None, index=scored.index, dtype=object)
    return pd.DataFrame({
        "nik": keys["nik"].to_numpy(), "period_end": keys["period_end"].to_numpy(), "framework": framework,
        "total": pd.to_numeric(total, errors="coerce").to_numpy(dtype="float64"),
        "category": category.astype(object).where(category.notna(), None).to_numpy(),
        "coverage": pd.to_numeric(scored.get("coverage", np.nan), errors="coerce"),
        "unscored": scored.get("unscored", pd.Series("", index=scored.index)).astype(object).to_numpy(),
        "components": payload.to_numpy(), "data_version": version,
    })


def compute_scores(reports: pd.DataFrame, registry: pd.DataFrame, version: int) -> pd.DataFrame:
    """Every framework that applies to each cooperative, for every period it reported."""
    savings_loan = set(registry.loc[finance.is_savings_loan(registry), "nik"].astype(str))
    sl_reports = reports.loc[reports["nik"].isin(savings_loan)]
    frames = [
        _score_rows("ksp2016", sl_reports, ksp2016.score(sl_reports), version),
        _score_rows("ksp2021", sl_reports, ksp2021.score(sl_reports), version),
        _score_rows("pearls", reports, pearls.score(reports, registry), version),
        _score_rows("finance", reports, finance.score(reports, registry), version),
    ]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def health_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """One health score per cooperative and period: the 2016 method for KSP/USP, general finance otherwise."""
    main = scores.loc[scores["framework"].isin(["ksp2016", "finance"]),
                      ["nik", "period_end", "framework", "total", "category"]]
    return main.drop_duplicates(["nik", "period_end"])


def refresh(engine: Engine, niks: set[str] | None = None) -> RefreshResult:
    """Recompute scores (all, or of the given cooperatives), then the cooperative state, every kabupaten and
    province roll-up and the snapshots from it, in one transaction."""
    started = time.perf_counter()
    with engine.begin() as conn:
        if niks is not None:  # also whatever an earlier, interrupted refresh left unscored
            niks = set(niks) | changed_since(conn, scores_version(conn))
        version = db.bump_data_version(conn)
        registry = read_registry(conn)
        wanted = None if niks is None else sorted(niks)
        reports = read_reports(conn, wanted)
        scores = compute_scores(reports, registry, version)
        table = Score.__table__
        if wanted is None:
            conn.execute(delete(table))
        else:
            for start in range(0, len(wanted), CHUNK):
                conn.execute(delete(table).where(table.c.nik.in_(wanted[start:start + CHUNK])))
        if not scores.empty:
            bulk_insert(conn, table, scores)
        all_reports = reports if wanted is None else read_reports(conn)
        all_scores = scores if wanted is None else _read_health(conn)
        regencies = _read(conn, select(Regency.code, Regency.pop_2020), ["code", "pop_2020"])
        meetings, digital_rows = read_meetings(conn), read_digital(conn)
        health = health_frame(all_scores) if not all_scores.empty else None
        state = cooperative.build(registry, all_reports, health, meetings, digital_rows)
        # who supervises each cooperative, digital use that lasts and mentoring (indicators/supervision.py,
        # digital_use.py), then the roll-ups of both populations ("daerah", "semua")
        extras = refresh_kdmp.read_extras(conn)
        state.frame = supervision.annotate(state.frame, registry)
        state.frame = digital_use.annotate(state.frame, extras.submissions, extras.mentoring, registry)
        rollups = supervision.scoped_rollups(state.frame, regencies, digital.regency_targets(registry))
        if not rollups.empty:
            rollups["data_version"] = version
        snaps, stats = cooperative.snapshots(state, version)
        villages, kdmp_rollups = refresh_kdmp.village_tables(extras, registry, list(regencies["code"].astype(str)),
                                                             version)
        # Roll-ups, peer ranks, RAT grades and reporting status depend on every cooperative: always rebuilt whole.
        materialised = (
            (RegencyIndicator.__table__, rollups),
            (CooperativeSnapshot.__table__, snaps),
            (PeerStat.__table__, stats),
            (RatStatus.__table__, cooperative.rat_status(registry, all_reports, meetings, version)),
            (ReportingStatus.__table__, cooperative.reporting_rows(state, version)),
            (KdmpVillage.__table__, villages),
            (KdmpIndicator.__table__, kdmp_rollups),
        )
        for table, frame in materialised:
            conn.execute(delete(table))
            if not frame.empty:
                bulk_insert(conn, table, frame)
        db.set_meta(conn, SCORES_VERSION, str(version))  # in the same transaction: all of it, or none
    seconds = time.perf_counter() - started
    log.info("refresh: %d cooperatives, %d scores, %d roll-up rows in %.1f s (data version %d)",
             reports["nik"].nunique(), len(scores), len(rollups), seconds, version)
    return RefreshResult(int(reports["nik"].nunique()), len(scores), len(rollups), seconds, version)


SCORES_VERSION = "scores_version"  # meta key: the data version the materialised scores were computed for


def scores_version(conn) -> int:
    """The data version of the last completed refresh (a warehouse from before this key: its snapshots' version)."""
    stored = db.get_meta(conn, SCORES_VERSION)
    if stored is not None:
        return int(stored)
    return int(conn.execute(select(CooperativeSnapshot.data_version).order_by(CooperativeSnapshot.data_version.desc())
                            .limit(1)).scalar() or 0)


def scores_are_stale(engine: Engine) -> bool:
    """True when data was loaded after the last completed refresh (one killed half-way, or never run)."""
    with engine.connect() as conn:
        return scores_version(conn) < db.data_version(conn)


def changed_since(conn, version: int) -> set[str]:
    """Cooperatives whose registry row or reports were loaded by runs after data version `version`."""
    runs = select(IngestRun.id).where(IngestRun.data_version > version)
    reports = select(FinancialReport.nik).where(FinancialReport.ingest_run_id.in_(runs)).distinct()
    registry = select(Cooperative.nik).where(Cooperative.ingest_run_id.in_(runs))
    return {r[0] for r in conn.execute(reports)} | {r[0] for r in conn.execute(registry)}


def refresh_if_stale(engine: Engine) -> RefreshResult | None:
    """A full refresh when the scores are older than the data (what start-up and each scheduled run do first)."""
    if not scores_are_stale(engine):
        return None
    log.warning("scores are older than the data (an interrupted refresh?): refreshing everything")
    return refresh(engine)


def _read_health(conn) -> pd.DataFrame:
    frame = _read(conn, select(Score.nik, Score.period_end, Score.framework, Score.total, Score.category)
                  .where(Score.framework.in_(["ksp2016", "finance"])), ["nik", "period_end", "framework", "total", "category"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame


def unscored_niks(engine: Engine) -> set[str]:
    """Cooperatives with reports loaded after the last refresh (what `python app.py score` rescores)."""
    with engine.connect() as conn:
        newest = conn.execute(select(Score.data_version).order_by(Score.data_version.desc()).limit(1)).scalar() or 0
        runs = select(IngestRun.id).where(IngestRun.data_version > newest)
        rows = conn.execute(select(FinancialReport.nik).where(FinancialReport.ingest_run_id.in_(runs)).distinct())
        return {r[0] for r in rows}

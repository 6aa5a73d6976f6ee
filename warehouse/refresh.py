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
from warehouse.bulk import CHUNK, bulk_insert, copy_out
from warehouse import alerts, db, refresh_kdmp
from warehouse.models import (
    REPORT_AMOUNTS,
    AnnualMeeting,
    Cooperative,
    CooperativeSnapshot,
    DigitalStatus,
    FinancialReport,
    IngestRun,
    KdmpIndicator,
    KdmpProgress,
    KdmpVillage,
    Mentoring,
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
    scope: str = "full"  # or "kabupaten 5301, …" for an incremental refresh


def _read(conn, stmt, columns: list[str] | None = None) -> pd.DataFrame:
    result = conn.execute(stmt)
    return pd.DataFrame.from_records([tuple(r) for r in result], columns=columns or list(result.keys()))


def read_registry(conn, regencies: list[str] | None = None) -> pd.DataFrame:
    cols = ["nik", "name", "regency_code", "type", "group", "savings_loan_unit", "status", "established_year",
            "legal_entity_number", "open_loop", "membership_area", "programme", "village_code"]
    stmt = select(*(Cooperative.__table__.c[c] for c in cols))
    if regencies is not None:
        stmt = stmt.where(Cooperative.regency_code.in_(regencies))
    return _read(conn, stmt, cols)


def _in_regencies(table, regencies: list[str] | None):
    """The rows of cooperatives registered in these kabupaten (all rows when None)."""
    if regencies is None:
        return True
    return table.c.nik.in_(select(Cooperative.nik).where(Cooperative.regency_code.in_(regencies)))


def _read_typed(conn, stmt, columns: list[str], numbers: set[str], dates: set[str] = frozenset()) -> pd.DataFrame:
    """Rows straight from the driver's cursor (no per-value processing), turned into columns at once: the
    `numbers` as float64 (NULL → NaN), the rest as objects. 3 s → under 1 s for the province's 260 k reports.
    On PostgreSQL through COPY and Arrow's CSV reader (bulk.copy_out), the `dates` as datetime64."""
    if conn.dialect.name == "postgresql":
        return copy_out(conn, stmt, columns, numbers, dates)
    return _read_cursor(conn, stmt, columns, numbers)


def _read_cursor(conn, stmt, columns: list[str], numbers: set[str]) -> pd.DataFrame:
    rows = conn.execute(stmt).cursor.fetchall()
    data = list(zip(*rows)) if rows else [()] * len(columns)
    frame = {}
    for name, values in zip(columns, data):
        if name in numbers:
            frame[name] = np.array(values, dtype="float64") if rows else np.array([], dtype="float64")
        else:
            frame[name] = np.array(values, dtype=object) if rows else np.array([], dtype=object)
    return pd.DataFrame(frame, columns=columns)


REPORT_NUMBERS = {"members", "management_score", *REPORT_AMOUNTS}
REPORT_DATES = {"period_end", "submitted_on"}


def read_reports(conn, niks: list[str] | None = None, regencies: list[str] | None = None) -> pd.DataFrame:
    """Current revisions (plain text query: no per-value type processing on hundreds of thousands of rows), of
    every cooperative, of the given ones, or of those registered in the given kabupaten."""
    select_list = ", ".join(f'"{c}"' for c in REPORT_COLUMNS)
    base = f"SELECT {select_list} FROM financial_reports WHERE is_current = :t"
    if regencies is not None:
        marks = ", ".join(f":r{i}" for i in range(len(regencies)))
        stmt = text(f"{base} AND nik IN (SELECT nik FROM cooperatives WHERE regency_code IN ({marks}))").bindparams(
            t=True, **{f"r{i}": v for i, v in enumerate(regencies)})
        frame = _read_typed(conn, stmt, REPORT_COLUMNS, REPORT_NUMBERS, REPORT_DATES)
    elif niks is None:
        frame = _read_typed(conn, text(base).bindparams(t=True), REPORT_COLUMNS, REPORT_NUMBERS, REPORT_DATES)
    else:
        parts = []
        for start in range(0, len(niks), CHUNK):
            part = niks[start:start + CHUNK]
            marks = ", ".join(f":n{i}" for i in range(len(part)))
            parts.append(_read_typed(conn, text(f"{base} AND nik IN ({marks})").bindparams(
                t=True, **{f"n{i}": v for i, v in enumerate(part)}), REPORT_COLUMNS, REPORT_NUMBERS, REPORT_DATES))
        frame = pd.concat(parts, ignore_index=True) if parts else \
            _read_typed(conn, text(base + " AND 1 = 0").bindparams(t=True), REPORT_COLUMNS, REPORT_NUMBERS, REPORT_DATES)
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    frame["submitted_on"] = pd.to_datetime(frame["submitted_on"])
    frame["nik"] = frame["nik"].astype(str)
    return frame.sort_values(["nik", "period_end"]).reset_index(drop=True)


def read_meetings(conn, regencies: list[str] | None = None) -> pd.DataFrame:
    cols = ["nik", "fiscal_year", "held_on", "reported_on", "shu_total", "shu_to_members", "audited",
            "statements_published"]
    table = AnnualMeeting.__table__
    frame = _read(conn, select(*(table.c[c] for c in cols)).where(table.c.is_current, _in_regencies(table, regencies)),
                  cols)
    for c in ("held_on", "reported_on"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def read_digital(conn, regencies: list[str] | None = None) -> pd.DataFrame:
    cols = ["nik", "platform", "stage", "stage_date", "members_on_app"]
    table = DigitalStatus.__table__
    frame = _read(conn, select(*(table.c[c] for c in cols)).where(table.c.is_current, _in_regencies(table, regencies)),
                  cols)
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
    # The breakdown is kept for each cooperative's latest COMPONENT_PERIODS reports (the profile page's current
    # view and its year-on-year comparison); older periods keep total and category, which the history shows.
    # Only those rows are serialised: JSON for every row was 2.9 s of a 16 s province refresh.
    recent = (keys.groupby("nik")["period_end"].rank(method="first", ascending=False) <= COMPONENT_PERIODS).to_numpy()
    components = scored.loc[recent, component_cols + flags]
    numeric = components.select_dtypes("number").columns
    components = components.assign(**{c: components[c].round(2) for c in numeric})
    payload = pd.Series(None, index=scored.index, dtype=object)
    if len(components):
        payload.loc[recent] = components.to_json(orient="records", lines=True, double_precision=2).splitlines()
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
    # a savings-and-loan cooperative has both: the 2016 method wins, whatever order the rows were read in
    main = main.iloc[np.argsort(main["framework"].ne("ksp2016").to_numpy(), kind="stable")]
    return main.drop_duplicates(["nik", "period_end"])


def refresh(engine: Engine, niks: set[str] | None = None) -> RefreshResult:
    """Recompute the materialised figures in one transaction: everything (`niks` None, `python app.py score
    --full`), or what the given cooperatives' new data touched — their scores, and the state, roll-ups,
    snapshots, RAT and reporting rows of the kabupaten they belong to, with the province re-added from every
    kabupaten's stored parts (warehouse/incremental.py). An incremental refresh falls back to a full one when
    the data moved what every cooperative shares (a new month-end, a new snapshot period or RAT year, no stored
    parts yet); both give the same rows (tests/warehouse/test_incremental_refresh.py)."""
    from warehouse import incremental

    started = time.perf_counter()
    with engine.begin() as conn:
        if niks is not None:  # also whatever an earlier, interrupted refresh left unscored
            niks = set(niks) | changed_since(conn, scores_version(conn))
        previous = scores_version(conn)
        version = db.bump_data_version(conn)
        counts = None
        if niks is not None and mentoring_changed(conn, previous):
            # mentoring names villages and cooperatives of any kabupaten: its figures are refreshed whole
            log.info("mentoring rows changed: refreshing everything")
        elif niks is not None:
            counts = incremental.refresh_kabupaten(conn, niks, version, registry_changed(conn, previous),
                                                   rows_changed(conn, KdmpProgress, previous))
        if counts is None:
            counts = refresh_all(conn, version)
        # on the rows just stored: every refresh raises what became true (in the kabupaten it rebuilt)
        raised = alerts.evaluate(conn, version, regencies=counts.regencies, villages=counts.villages)
        db.set_meta(conn, SCORES_VERSION, str(version))  # in the same transaction: all of it, or none
    if counts.regencies is None:
        update_statistics(engine)
    seconds = time.perf_counter() - started
    log.info("refresh (%s): %d cooperatives, %d scores, %d roll-up rows, %d new alerts in %.2f s (data version %d)",
             counts.scope, counts.cooperatives, counts.scores, counts.rollups, raised, seconds, version)
    return RefreshResult(counts.cooperatives, counts.scores, counts.rollups, seconds, version, counts.scope)


def update_statistics(engine: Engine) -> None:
    """After a full refresh (every table rewritten, often after a big load): the query planner's statistics, so the
    incremental refreshes and the pages that follow pick the right index — on SQLite, whose planner has none until
    ANALYZE, a kabupaten's current reports were read by scanning every current row (0.2 s instead of 0.1 s on the
    province). PostgreSQL's autovacuum would get there later; ANALYZE samples, seconds even at national scale."""
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    except Exception:  # statistics are an optimisation: a refresh never fails for want of them
        log.warning("ANALYZE after the full refresh failed", exc_info=True)


@dataclass
class Written:
    """What one refresh wrote: the cooperatives whose state it computed, score and roll-up rows, and its scope
    ("full", or "kabupaten 5301, 5371")."""

    cooperatives: int
    scores: int
    rollups: int
    scope: str
    regencies: list[str] | None = None  # the kabupaten whose rows it rebuilt (None: all)
    villages: bool = True  # whether it rebuilt the KDMP village tables


CHUNK_COOPERATIVES = 15_000  # a full refresh builds the state of this many cooperatives at a time (whole kabupaten)


def refresh_all(conn, version: int) -> Written:
    """Score every report and rebuild every materialised table from the whole warehouse, a group of whole kabupaten
    at a time (memory stays bounded at national scale; the province is one group). Each group's state gives its
    parts, snapshot rows, RAT and reporting rows; the roll-ups come from all groups' parts and the peer ranks from
    all snapshot rows, as the incremental refresh does with the stored ones."""
    from warehouse import incremental

    registry = read_registry(conn)
    context = current_context(conn)
    extras = refresh_kdmp.read_extras(conn)
    for table in (Score.__table__, RatStatus.__table__, ReportingStatus.__table__):
        conn.execute(delete(table))
    parts, snaps, reported, scored = [], [], set(), 0
    for regencies in kabupaten_groups(registry, CHUNK_COOPERATIVES):
        local = registry.loc[registry["regency_code"].astype(str).isin(regencies)]
        reports = read_reports(conn, regencies=regencies)
        scores = compute_scores(reports, registry, version)
        if not scores.empty:
            bulk_insert(conn, Score.__table__, scores)
        meetings, digital_rows = read_meetings(conn, regencies), read_digital(conn, regencies)
        health = health_frame(scores) if not scores.empty else None
        state = annotated_state(local, registry, reports, health, meetings, digital_rows, context, extras)
        if state.frame.empty:
            continue
        parts.append(supervision.scoped_parts(state.frame))
        snaps.append(cooperative.snapshot_rows(state, version, context))
        for table, frame in ((RatStatus.__table__, cooperative.rat_status(local, reports, meetings, version, context,
                                                                          state)),
                             (ReportingStatus.__table__, cooperative.reporting_rows(state, version))):
            if not frame.empty:
                bulk_insert(conn, table, frame)
        reported |= set(reports["nik"].unique())
        scored += len(scores)
    parts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    regencies = read_regencies(conn)
    rollups = supervision.scoped_figures(parts, regencies, digital.regency_targets(registry))
    if not rollups.empty:
        rollups["data_version"] = version
    snaps = pd.concat(snaps, ignore_index=True) if snaps else pd.DataFrame()
    stats = pd.DataFrame()
    if not snaps.empty:
        ranked, stats = cooperative.peer_ranks(snaps, version)
        for col in ranked.columns:
            snaps[col] = ranked[col]
    villages, kdmp_rollups = refresh_kdmp.village_tables(extras, registry, list(regencies["code"].astype(str)),
                                                         version)
    for table, frame in ((RegencyIndicator.__table__, rollups), (CooperativeSnapshot.__table__, snaps),
                         (PeerStat.__table__, stats), (KdmpVillage.__table__, villages),
                         (KdmpIndicator.__table__, kdmp_rollups)):
        replace_rows(conn, table, frame)
    incremental.store_parts(conn, parts, version, None)
    incremental.store_context(conn, context)
    return Written(len(reported), scored, len(rollups), "full")


def annotated_state(local: pd.DataFrame, registry: pd.DataFrame, reports: pd.DataFrame, health, meetings: pd.DataFrame,
                    digital_rows: pd.DataFrame, context: cooperative.Context,
                    extras: refresh_kdmp.Extras) -> cooperative.State:
    """The state of the cooperatives of `local` (whole kabupaten), with who supervises each, digital use that
    lasts and mentoring (indicators/supervision.py, digital_use.py) — what every roll-up counts."""
    state = cooperative.build(local, reports, health, meetings, digital_rows, context=context)
    if state.frame.empty:
        return state
    niks = set(local["nik"].astype(str))
    submissions = extras.submissions.loc[extras.submissions["nik"].astype(str).isin(niks)]
    state.frame = supervision.annotate(state.frame, local)
    state.frame = digital_use.annotate(state.frame, submissions, extras.mentoring, registry)
    return state


def kabupaten_groups(registry: pd.DataFrame, size: int) -> list[list[str]]:
    """Whole kabupaten in groups of at most `size` cooperatives (a kabupaten larger than that is a group alone),
    in code order."""
    counts = registry.groupby(registry["regency_code"].astype(str)).size().sort_index()
    groups, current, total = [], [], 0
    for code, n in counts.items():
        if current and total + n > size:
            groups.append(current)
            current, total = [], 0
        current.append(code)
        total += int(n)
    if current:
        groups.append(current)
    return groups


def current_context(conn) -> cooperative.Context:
    """The context of the warehouse as it is now (report periods and RAT years of the current revisions)."""
    periods = sorted(pd.Timestamp(p).normalize() for (p,) in conn.execute(
        select(FinancialReport.period_end).where(FinancialReport.is_current).distinct()))
    years = sorted(int(y) for (y,) in conn.execute(
        select(AnnualMeeting.fiscal_year).where(AnnualMeeting.is_current).distinct()) if y is not None)
    if not periods:
        return cooperative.Context((), (), tuple(years))
    return cooperative.Context(tuple(cooperative.month_ends(periods[0], periods[-1])), tuple(periods), tuple(years))


def replace_rows(conn, table, frame: pd.DataFrame, where=None) -> None:
    """Delete a table's rows (all, or those matching `where`) and bulk-insert `frame` in their place."""
    conn.execute(delete(table) if where is None else delete(table).where(where))
    if not frame.empty:
        bulk_insert(conn, table, frame)


def read_regencies(conn) -> pd.DataFrame:
    return _read(conn, select(Regency.code, Regency.pop_2020), ["code", "pop_2020"])


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
    """Cooperatives whose registry row, reports, RAT or digital rows were loaded by runs after data version
    `version`."""
    runs = select(IngestRun.id).where(IngestRun.data_version > version)
    niks = set()
    for model in (FinancialReport, AnnualMeeting, DigitalStatus):
        niks |= {r[0] for r in conn.execute(select(model.nik).where(model.ingest_run_id.in_(runs)).distinct())}
    return niks | registry_changed(conn, version)


def mentoring_changed(conn, version: int) -> bool:
    """Whether runs after data version `version` loaded mentoring rows."""
    return rows_changed(conn, Mentoring, version)


def rows_changed(conn, model, version: int) -> bool:
    """Whether runs after data version `version` loaded rows of `model` (a table with ingest_run_id)."""
    runs = select(IngestRun.id).where(IngestRun.data_version > version)
    return conn.execute(select(model.id).where(model.ingest_run_id.in_(runs)).limit(1)).first() is not None


def registry_changed(conn, version: int) -> set[str]:
    """Cooperatives whose registry row was written by runs after data version `version` (a new cooperative or a
    changed type, kabupaten or status moves every kabupaten's Go Digital target)."""
    runs = select(IngestRun.id).where(IngestRun.data_version > version)
    return {r[0] for r in conn.execute(select(Cooperative.nik).where(Cooperative.ingest_run_id.in_(runs)))}


def refresh_if_stale(engine: Engine) -> RefreshResult | None:
    """A full refresh when the scores are older than the data (what start-up and each scheduled run do first)."""
    if not scores_are_stale(engine):
        return None
    log.warning("scores are older than the data (an interrupted refresh?): refreshing everything")
    return refresh(engine)


def read_health(conn, regencies: list[str] | None = None) -> pd.DataFrame:
    """The stored health scores (the 2016 method and general finance) of every cooperative, or of those registered
    in the given kabupaten."""
    table = Score.__table__
    frame = _read(conn, select(Score.nik, Score.period_end, Score.framework, Score.total, Score.category)
                  .where(Score.framework.in_(["ksp2016", "finance"]), _in_regencies(table, regencies)),
                  ["nik", "period_end", "framework", "total", "category"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame


def unscored_niks(engine: Engine) -> set[str]:
    """Cooperatives with reports loaded after the last refresh (what `python app.py score` rescores)."""
    with engine.connect() as conn:
        newest = conn.execute(select(Score.data_version).order_by(Score.data_version.desc()).limit(1)).scalar() or 0
        runs = select(IngestRun.id).where(IngestRun.data_version > newest)
        rows = conn.execute(select(FinancialReport.nik).where(FinancialReport.ingest_run_id.in_(runs)).distinct())
        return {r[0] for r in rows}

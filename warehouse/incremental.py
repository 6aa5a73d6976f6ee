"""The incremental refresh: after an ingest, recompute only what the cooperatives it touched can change.

A cooperative's state depends on its own rows and on a few facts it shares with the province (the month-ends,
the snapshot periods, the RAT years: `indicators.cooperative.Context`). Kabupaten and province figures are built
from additive parts per kabupaten × month-end × type (`indicators.rollup.area_parts`), which the refresh stores
per kabupaten (`area_parts`). So after a kabupaten's file: its changed cooperatives are re-scored, the state of
every cooperative of that kabupaten is rebuilt, its parts replace the stored ones, and the kabupaten's and the
province's figures are recomputed from the parts of all kabupaten; peer groups and percentiles, which compare
cooperatives across the province, are re-ranked over the stored snapshots and only the rows that moved are
rewritten. Whatever else would move (a new month-end, a new snapshot period or RAT year, the registry's list of
area figures) makes it hand over to the full refresh. The two give the same rows: tests/warehouse/
test_incremental_refresh.py compares every materialised table after both.
"""
from __future__ import annotations

import io
import json
import logging

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, delete, func, select, update

from indicators import cooperative, digital, rollup, vocabulary
from warehouse import db
from warehouse.bulk import CHUNK, bulk_insert
from warehouse.models import (
    AnnualMeeting,
    AreaPart,
    Cooperative,
    CooperativeSnapshot,
    FinancialReport,
    PeerStat,
    RatStatus,
    RegencyIndicator,
    ReportingStatus,
    Score,
)
from warehouse.refresh import (
    Written,
    compute_scores,
    health_frame,
    read_digital,
    read_health,
    read_meetings,
    read_regencies,
    read_registry,
    read_reports,
    replace_rows,
)

log = logging.getLogger(__name__)

CONTEXT = "refresh_context"  # meta key: the Context the stored state was computed in (JSON)
MOSTLY = 0.75  # when the touched kabupaten hold more of the cooperatives than this, a full refresh is cheaper


# ------------------------------------------------------------------------------------------ the shared context
def context_record(context: cooperative.Context) -> dict:
    """What must not have moved for the stored rows of the untouched kabupaten to stay right."""
    return {
        "periods": [str(p.date()) for p in context.periods[:1] + context.periods[-1:]],
        "snapshots": [str(p.date()) for p in context.snapshot_periods],
        "rat_years": [int(y) for y in context.rat_years],
    }


def store_context(conn, context: cooperative.Context) -> None:
    db.set_meta(conn, CONTEXT, json.dumps(context_record(context)))


def current_context(conn) -> cooperative.Context:
    """The context of the warehouse as it is now (report periods and RAT years of the current revisions)."""
    periods = sorted(pd.Timestamp(p).normalize() for (p,) in conn.execute(
        select(FinancialReport.period_end).where(FinancialReport.is_current).distinct()))
    years = sorted(int(y) for (y,) in conn.execute(
        select(AnnualMeeting.fiscal_year).where(AnnualMeeting.is_current).distinct()) if y is not None)
    if not periods:
        return cooperative.Context((), (), tuple(years))
    return cooperative.Context(tuple(cooperative.month_ends(periods[0], periods[-1])), tuple(periods), tuple(years))


# ----------------------------------------------------------------------------------------- stored area parts
def store_parts(conn, parts: pd.DataFrame, version: int, regencies: list[str] | None) -> None:
    """Replace the stored parts of these kabupaten (all when None) with `parts`: one Parquet table per kabupaten,
    exact float64 (the province is re-added from them to the last bit)."""
    table = AreaPart.__table__
    conn.execute(delete(table) if regencies is None else delete(table).where(table.c.regency_code.in_(regencies)))
    rows = []
    for code, group in parts.groupby("regency_code", sort=True):
        buffer = io.BytesIO()
        group.reset_index(drop=True).to_parquet(buffer, index=False)
        rows.append({"regency_code": str(code), "parts": buffer.getvalue(), "data_version": version})
    if rows:
        conn.execute(table.insert(), rows)


def read_parts(conn, leaving_out: list[str]) -> pd.DataFrame:
    """The stored parts of every kabupaten but these."""
    table = AreaPart.__table__
    blobs = conn.execute(select(table.c.parts).where(table.c.regency_code.not_in(leaving_out))).scalars().all()
    frames = [pd.read_parquet(io.BytesIO(blob)) for blob in blobs]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def has_parts(conn) -> bool:
    return bool(conn.execute(select(func.count()).select_from(AreaPart)).scalar())


# ------------------------------------------------------------------------------------------- the refresh itself
def refresh_kabupaten(conn, niks: set[str], version: int, registry_changed: set[str]) -> Written | None:
    """Re-score `niks` and rebuild the kabupaten they belong to (see the module docstring); None when only a full
    refresh can be right (the caller then runs it in the same transaction)."""
    stored = db.get_meta(conn, CONTEXT)
    if stored is None or not has_parts(conn):
        log.info("incremental refresh: no stored parts yet, refreshing everything")
        return None
    context = current_context(conn)
    if context_record(context) != json.loads(stored):
        log.info("incremental refresh: the month-ends, snapshot periods or RAT years moved, refreshing everything")
        return None
    registry = read_registry(conn)
    wanted = sorted(niks)
    regencies = sorted(set(registry.loc[registry["nik"].isin(wanted), "regency_code"].astype(str))
                       | _snapshot_regencies(conn, wanted))
    if not regencies:
        return Written(0, 0, 0, "nothing")

    local = registry.loc[registry["regency_code"].astype(str).isin(regencies)]
    if len(local) > MOSTLY * len(registry):
        log.info("incremental refresh: %d of %d cooperatives' kabupaten touched, refreshing everything", len(local),
                 len(registry))
        return None
    reports = read_reports(conn, regencies=regencies)  # (the changed cooperatives are among them)
    scores = compute_scores(reports.loc[reports["nik"].isin(wanted)].reset_index(drop=True), registry, version)
    for start in range(0, len(wanted), CHUNK):
        conn.execute(delete(Score.__table__).where(Score.nik.in_(wanted[start:start + CHUNK])))
    if not scores.empty:
        bulk_insert(conn, Score.__table__, scores)

    meetings, digital_rows = read_meetings(conn, regencies), read_digital(conn, regencies)
    health = read_health(conn, regencies)
    state = cooperative.build(local, reports, health_frame(health) if not health.empty else None, meetings,
                              digital_rows, context=context)
    parts = rollup.area_parts(state.frame)
    others = read_parts(conn, regencies)
    if not others.empty and not parts.empty and list(others.columns) != list(parts.columns):
        log.info("incremental refresh: the registry's area figures changed, refreshing everything")
        return None
    by_type = pd.concat([others, parts], ignore_index=True) if not others.empty else parts
    # a changed registry moves every kabupaten's Go Digital target: then every area's figures are recomputed
    areas = None if registry_changed else [*regencies, vocabulary.PROVINCE_CODE]
    rollups = rollup.area_figures(by_type, read_regencies(conn), digital.regency_targets(registry), areas=areas) \
        if not by_type.empty else pd.DataFrame()
    if not rollups.empty:
        rollups["data_version"] = version
    table = RegencyIndicator.__table__
    replace_rows(conn, table, rollups, None if areas is None else table.c.regency_code.in_(areas))
    store_parts(conn, parts, version, regencies)

    in_kabupaten = select(Cooperative.nik).where(Cooperative.regency_code.in_(regencies))
    _refresh_snapshots(conn, state, context, in_kabupaten, version)
    replace_rows(conn, RatStatus.__table__, cooperative.rat_status(local, reports, meetings, version, context, state),
                 RatStatus.nik.in_(in_kabupaten))
    replace_rows(conn, ReportingStatus.__table__, cooperative.reporting_rows(state, version),
                 ReportingStatus.nik.in_(in_kabupaten))
    return Written(len(local), len(scores), len(rollups), "kabupaten " + ", ".join(regencies))


def _snapshot_regencies(conn, niks: list[str]) -> set[str]:
    """Where these cooperatives were at the last refresh (a cooperative that moved changes both kabupaten)."""
    found = set()
    for start in range(0, len(niks), CHUNK):
        found |= {r[0] for r in conn.execute(select(CooperativeSnapshot.regency_code).where(
            CooperativeSnapshot.nik.in_(niks[start:start + CHUNK])).distinct())}
    return found


RANK_INPUTS = ["nik", "period_end", "type", "monitored", "total_assets"]


def _refresh_snapshots(conn, state: cooperative.State, context: cooperative.Context, in_kabupaten,
                       version: int) -> None:
    """Replace the kabupaten's snapshot rows and re-rank the province: peer groups and percentiles compare
    cooperatives of every kabupaten, so the other kabupaten's rows get new ones where they moved (an UPDATE of
    those rows only) and the peer statistics are rebuilt."""
    table = CooperativeSnapshot.__table__
    names = cooperative.ranked_names()
    ranked_cols = ["peer_group", *(f"pct_{n}" for n in names)]
    fresh = cooperative.snapshot_rows(state, version, context) if not state.frame.empty else pd.DataFrame(
        columns=[*RANK_INPUTS, *names, *ranked_cols])
    cols = [*RANK_INPUTS, *names, *ranked_cols]
    # the driver's rows as they come (no per-value processing: the province's other snapshots are ~80 k rows)
    rows = conn.execute(select(*(table.c[c] for c in cols)).where(table.c.nik.not_in(in_kabupaten))).cursor.fetchall()
    stored = pd.DataFrame.from_records(rows, columns=cols)
    stored["period_end"] = pd.to_datetime(stored["period_end"])
    stored["monitored"] = stored["monitored"].eq(True)
    for col in ["total_assets", *names, *ranked_cols[1:]]:
        stored[col] = pd.to_numeric(stored[col], errors="coerce").astype("float64")
    inputs = [*RANK_INPUTS, *names]
    combined = pd.concat([stored[inputs], fresh[inputs].assign(period_end=pd.to_datetime(fresh["period_end"]))],
                         ignore_index=True)
    ranked, stats = cooperative.peer_ranks(combined, version)
    mine = ranked.iloc[len(stored):]
    for col in ranked_cols:
        fresh[col] = mine[col].to_numpy()
    replace_rows(conn, table, fresh, table.c.nik.in_(in_kabupaten))
    replace_rows(conn, PeerStat.__table__, stats)

    theirs = ranked.iloc[:len(stored)].reset_index(drop=True)
    moved = np.zeros(len(stored), dtype=bool)
    for col in ranked_cols:
        old, new = stored[col], theirs[col]
        moved |= ~((old == new) | (old.isna() & new.isna())).to_numpy()
    if not moved.any():
        return
    changed = theirs.loc[moved].assign(nik=stored.loc[moved, "nik"].to_numpy(),
                                       period_end=stored.loc[moved, "period_end"].dt.date.to_numpy())
    params = []
    for record in changed[["nik", "period_end", *ranked_cols]].astype(object).to_dict("records"):
        params.append({f"b_{k}": (None if isinstance(v, float) and np.isnan(v) else v) for k, v in record.items()})
    stmt = (update(table).where(table.c.nik == bindparam("b_nik"), table.c.period_end == bindparam("b_period_end"))
            .values({c: bindparam(f"b_{c}") for c in ranked_cols} | {"data_version": version}))
    conn.execute(stmt, params)
    log.info("incremental refresh: %d snapshot rows of other kabupaten moved in their peer group", len(params))

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
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import delete, func, select

from indicators import cooperative, digital, supervision, vocabulary
from warehouse import db, refresh_kdmp
from warehouse.bulk import CHUNK, bulk_insert, bulk_update
from warehouse.models import (
    AreaPart,
    Cooperative,
    CooperativeSnapshot,
    KdmpIndicator,
    KdmpVillage,
    PeerStat,
    RatStatus,
    RegencyIndicator,
    ReportingStatus,
    Score,
)
from warehouse.refresh import (
    Written,
    annotated_state,
    compute_scores,
    current_context,
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


# ----------------------------------------------------------------------------------------- stored area parts
def store_parts(conn, parts: pd.DataFrame, version: int, regencies: list[str] | None) -> None:
    """Replace the stored parts of these kabupaten (all when None) with `parts`: one Parquet table per kabupaten,
    exact float64 (the province is re-added from them to the last bit)."""
    table = AreaPart.__table__
    conn.execute(delete(table) if regencies is None else delete(table).where(table.c.regency_code.in_(regencies)))
    rows = []
    for code, group in (parts.groupby("regency_code", sort=True) if not parts.empty else ()):
        buffer = io.BytesIO()
        group.reset_index(drop=True).to_parquet(buffer, index=False)
        rows.append({"regency_code": str(code), "parts": buffer.getvalue(), "data_version": version})
    if rows:
        conn.execute(table.insert(), rows)


def read_parts(conn, leaving_out: list[str]) -> pd.DataFrame:
    """The stored parts of every kabupaten but these."""
    table = AreaPart.__table__
    blobs = conn.execute(select(table.c.parts).where(table.c.regency_code.not_in(leaving_out))).scalars().all()
    if not blobs:
        return pd.DataFrame()
    # One Arrow table of all the parts turned into one frame (the nation's 513 kabupaten: 5.2 s as 513 frames and a
    # concat, 513 conversions to pandas); parts whose columns Arrow cannot unify go the frame-by-frame way.
    try:
        tables = [pq.read_table(pa.BufferReader(blob)) for blob in blobs]
        return pa.concat_tables(tables, promote_options="default").to_pandas()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.concat([pd.read_parquet(io.BytesIO(blob)) for blob in blobs], ignore_index=True)


def has_parts(conn) -> bool:
    return bool(conn.execute(select(func.count()).select_from(AreaPart)).scalar())


# ------------------------------------------------------------------------------------------- the refresh itself
def refresh_kabupaten(conn, niks: set[str], version: int, registry_changed: set[str],
                      villages_changed: bool = True) -> Written | None:
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
    # the KDMP village tables move with their progress rows and with the registry (a village's cooperative)
    villages = villages_changed or bool(registry_changed)
    local_niks = sorted(registry.loc[registry["regency_code"].astype(str).isin(regencies), "nik"].astype(str))
    extras = refresh_kdmp.read_extras(conn, local_niks, villages, regencies)
    if not regencies:  # (a KDMP progress file alone: only the village tables move)
        if villages:
            _refresh_villages(conn, extras, registry, version)
        return Written(0, 0, 0, "kdmp villages", [], villages)

    local = registry.loc[registry["regency_code"].astype(str).isin(regencies)]
    if len(local) > MOSTLY * len(registry):
        log.info("incremental refresh: %d of %d cooperatives' kabupaten touched, refreshing everything", len(local),
                 len(registry))
        return None
    # (by NIK: the report key's index; the changed cooperatives are among them)
    reports = read_reports(conn, sorted(local["nik"].astype(str)))
    scores = compute_scores(reports.loc[reports["nik"].isin(wanted)].reset_index(drop=True), registry, version)
    for start in range(0, len(wanted), CHUNK):
        conn.execute(delete(Score.__table__).where(Score.nik.in_(wanted[start:start + CHUNK])))
    if not scores.empty:
        bulk_insert(conn, Score.__table__, scores)

    meetings, digital_rows = read_meetings(conn, regencies), read_digital(conn, regencies)
    health = read_health(conn, regencies)
    state = annotated_state(local, registry, reports, health_frame(health) if not health.empty else None, meetings,
                            digital_rows, context, extras)
    parts = supervision.scoped_parts(state.frame)
    others = read_parts(conn, regencies)
    if not others.empty and not parts.empty and list(others.columns) != list(parts.columns):
        log.info("incremental refresh: the registry's area figures changed, refreshing everything")
        return None
    by_type = pd.concat([others, parts], ignore_index=True) if not others.empty else parts
    # a changed registry moves every kabupaten's Go Digital target: then every area's figures are recomputed
    areas = None if registry_changed else [*regencies, vocabulary.PROVINCE_CODE]
    rollups = supervision.scoped_figures(by_type, read_regencies(conn), digital.regency_targets(registry), areas)
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
    if villages:
        _refresh_villages(conn, extras, registry, version)
    return Written(len(local), len(scores), len(rollups), "kabupaten " + ", ".join(regencies), regencies, villages)


def _refresh_villages(conn, extras: refresh_kdmp.Extras, registry: pd.DataFrame, version: int) -> None:
    """The KDMP villages and their roll-ups, rebuilt whole (a few thousand villages: cheaper than telling what
    moved)."""
    codes = list(read_regencies(conn)["code"].astype(str))
    villages, rollups = refresh_kdmp.village_tables(extras, registry, codes, version)
    replace_rows(conn, KdmpVillage.__table__, villages)
    replace_rows(conn, KdmpIndicator.__table__, rollups)


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
    """Replace the kabupaten's snapshot rows and re-rank the province where they moved: peer groups and
    percentiles compare cooperatives of every kabupaten within one snapshot period, so the periods where this
    kabupaten's ranking inputs changed are ranked again over every kabupaten's rows, the other kabupaten's rows get
    new ranks where they moved (an UPDATE of those rows only) and those periods' peer statistics are rebuilt; the
    other periods keep their ranks."""
    table = CooperativeSnapshot.__table__
    names = cooperative.ranked_names()
    ranked_cols = ["peer_group", *(f"pct_{n}" for n in names)]
    inputs = [*RANK_INPUTS, *names]
    fresh = cooperative.snapshot_rows(state, version, context) if not state.frame.empty else pd.DataFrame(
        columns=[*inputs, *ranked_cols])
    fresh["period_end"] = pd.to_datetime(fresh["period_end"])
    before = _stored_snapshots(conn, [*inputs, *ranked_cols], table.c.nik.in_(in_kabupaten))
    periods = _changed_periods(before[inputs], fresh[inputs])
    # unchanged periods keep their ranks; the changed ones are ranked again below
    kept = fresh[["nik", "period_end"]].merge(before[["nik", "period_end", *ranked_cols]], on=["nik", "period_end"],
                                              how="left")
    for col in ranked_cols:
        fresh[col] = kept[col].to_numpy()
    if periods:
        others = _stored_snapshots(conn, [*inputs, *ranked_cols], table.c.nik.not_in(in_kabupaten),
                                   table.c.period_end.in_([p.date() for p in periods]))
        again = fresh["period_end"].isin(periods).to_numpy()
        combined = pd.concat([others[inputs], fresh.loc[again, inputs]], ignore_index=True)
        ranked, stats = cooperative.peer_ranks(combined, version)
        for col in ranked_cols:
            fresh.loc[again, col] = ranked[col].iloc[len(others):].to_numpy()
        stat_table = PeerStat.__table__
        replace_rows(conn, stat_table, stats, stat_table.c.period_end.in_([p.date() for p in periods]))
        _update_moved(conn, others, ranked.iloc[:len(others)].reset_index(drop=True), ranked_cols, version)
    replace_rows(conn, table, fresh.assign(data_version=version), table.c.nik.in_(in_kabupaten))


def _stored_snapshots(conn, cols: list[str], *where) -> pd.DataFrame:
    """Stored snapshot rows, the driver's values as they come (no per-value processing: at national scale a
    snapshot period holds ~127 k rows)."""
    table = CooperativeSnapshot.__table__
    rows = conn.execute(select(*(table.c[c] for c in cols)).where(*where)).cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=cols)
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    frame["monitored"] = frame["monitored"].eq(True)
    frame["nik"] = frame["nik"].astype(object)
    for col in cols:
        if col in ("total_assets",) or col in cooperative.ranked_names() or col.startswith("pct_"):
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame


def _changed_periods(before: pd.DataFrame, after: pd.DataFrame) -> list[pd.Timestamp]:
    """The snapshot periods in which a row's ranking inputs differ (or a row came or went)."""
    keys = ["nik", "period_end"]
    merged = before.merge(after, on=keys, how="outer", suffixes=("_b", "_a"), indicator=True)
    changed = merged["_merge"].ne("both").to_numpy().copy()
    for col in [c for c in before.columns if c not in keys]:
        old, new = merged[f"{col}_b"], merged[f"{col}_a"]
        same = (old == new) | (old.isna() & new.isna())
        changed |= ~same.fillna(False).astype(bool).to_numpy()
    return sorted(pd.Timestamp(p) for p in merged.loc[changed, "period_end"].unique())


def _update_moved(conn, stored: pd.DataFrame, ranked: pd.DataFrame, ranked_cols: list[str], version: int) -> None:
    """Write the new peer group and percentiles of the other kabupaten's rows whose ranks moved."""
    table = CooperativeSnapshot.__table__
    moved = np.zeros(len(stored), dtype=bool)
    for col in ranked_cols:
        old, new = stored[col].reset_index(drop=True), ranked[col]
        moved |= ~((old == new) | (old.isna() & new.isna())).to_numpy()
    if not moved.any():
        return
    changed = ranked.loc[moved].assign(nik=stored["nik"].to_numpy()[moved],
                                       period_end=stored["period_end"].dt.date.to_numpy()[moved])
    written = bulk_update(conn, table, changed[["nik", "period_end", *ranked_cols]].reset_index(drop=True),
                          ["nik", "period_end"], ranked_cols, {"data_version": version})
    log.info("incremental refresh: %d snapshot rows of other kabupaten moved in their peer group", written)

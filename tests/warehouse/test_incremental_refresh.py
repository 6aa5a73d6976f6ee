"""The incremental refresh recomputes only the kabupaten an ingest touched, and leaves every materialised table
exactly as a full refresh would (scores, roll-ups, snapshots with their peer percentiles, peer statistics, RAT and
reporting rows, the stored parts); whatever moves what all cooperatives share makes it a full refresh."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from sqlalchemy import func, select

from ingest.pipeline import ingest_file
from tests.support.province import AS_OF, small_province_frames
from warehouse import db
from warehouse.models import (
    Alert,
    AreaPart,
    CooperativeSnapshot,
    KdmpIndicator,
    KdmpVillage,
    PeerStat,
    RatStatus,
    RegencyIndicator,
    ReportingStatus,
    Score,
)
from warehouse.refresh import refresh

TABLES = {
    Score: ["nik", "period_end", "framework"],
    RegencyIndicator: ["regency_code", "period_end", "type", "scope"],
    KdmpVillage: ["village_code", "period_end"],
    KdmpIndicator: ["regency_code", "period_end"],
    CooperativeSnapshot: ["nik", "period_end"],
    PeerStat: ["period_end", "peer_group", "indicator"],
    RatStatus: ["nik", "fiscal_year"],
    ReportingStatus: ["nik", "period_end"],
}


def dump(engine) -> dict[str, pd.DataFrame]:
    """Every materialised table without its row ids and data versions, in key order (area parts decoded)."""
    out = {}
    with engine.connect() as conn:
        for model, keys in TABLES.items():
            table = model.__table__
            cols = [c for c in table.columns if c.name not in ("id", "data_version")]
            frame = pd.DataFrame([tuple(r) for r in conn.execute(select(*cols))], columns=[c.name for c in cols])
            out[table.name] = frame.sort_values(keys).reset_index(drop=True)
        blobs = conn.execute(select(AreaPart.regency_code, AreaPart.parts).order_by(AreaPart.regency_code)).all()
    parts = pd.concat([pd.read_parquet(io.BytesIO(blob)) for _code, blob in blobs], ignore_index=True)
    out["area_parts"] = parts.sort_values(["regency_code", "period_end", "type", "scope"]).reset_index(drop=True)
    return out


def alert_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Alert)).scalar()


def assert_same_as_full(engine) -> None:
    incremental = dump(engine)
    raised = alert_count(engine)
    refresh(engine)  # the reference: everything recomputed from the whole warehouse
    assert alert_count(engine) == raised  # a full evaluation finds no alert the incremental one missed
    full = dump(engine)
    for name, frame in full.items():
        pd.testing.assert_frame_equal(incremental[name], frame, check_exact=True, obj=name)


def load(engine, folder, name: str, frame: pd.DataFrame):
    path = folder / f"{name}.csv"
    frame.to_csv(path, index=False)
    result = ingest_file(engine, path, source="inbox", today=AS_OF, refresh=False)
    assert result.status == "success", result
    return result


@pytest.fixture
def province(engine, tmp_path):
    """The small province (three kabupaten) loaded and fully refreshed; returns its frames."""
    frames = small_province_frames()
    for name, frame in frames.items():
        load(engine, tmp_path, name, frame)
    with engine.begin() as conn:
        db.set_meta(conn, "simulated", "true")
    assert refresh(engine).scope == "full"
    return frames


def test_a_kabupatens_resent_month_refreshes_that_kabupaten_only_and_matches_a_full_refresh(engine, tmp_path,
                                                                                            province):
    reports = province["laporan_keuangan"]
    latest = reports["period_end"].max()
    month = reports.loc[(reports["period_end"] == latest) & reports["nik"].astype(str).str.startswith("5371")].copy()
    month["members"] = month["members"] + 1
    month["total_assets"] = month["total_assets"] * 2  # moves peer bands and percentiles across the province
    result = load(engine, tmp_path, "laporan_keuangan_resent", month)
    assert result.counts.revised == len(month) > 0

    done = refresh(engine, result.changed_niks)

    assert done.scope == "kabupaten 5371"
    kupang = int(province["koperasi"]["regency_code"].astype(str).eq("5371").sum())
    assert done.cooperatives == kupang  # every cooperative of Kota Kupang, none of the other two kabupaten
    with engine.connect() as conn:
        areas = {r[0] for r in conn.execute(select(RegencyIndicator.regency_code).where(
            RegencyIndicator.data_version == done.data_version).distinct())}
    assert areas == {"5371", "53"}  # the other kabupaten's roll-up rows were left as they were
    assert_same_as_full(engine)


def test_rat_and_digital_changes_refresh_incrementally_and_match_a_full_refresh(engine, tmp_path, province):
    meetings = province["rat"]
    sikka = meetings.loc[meetings["nik"].astype(str).str.startswith("5310") & meetings["held_on"].notna()]
    changed = sikka.loc[sikka["fiscal_year"] == sikka["fiscal_year"].max() - 1].head(3).copy()
    for col in ("held_on", "reported_on"):  # held (and reported) three months later: now late
        changed[col] = (pd.to_datetime(changed[col]) + pd.Timedelta(days=90)).dt.date
    rat = load(engine, tmp_path, "rat_late", changed)
    assert rat.counts.revised == 3
    steps = province["digital"]
    coop = steps.loc[steps["nik"].astype(str).str.startswith("5310")].iloc[0]
    live = pd.DataFrame([{**coop.to_dict(), "stage": "live", "stage_date": AS_OF - pd.Timedelta(days=3)}])
    went_live = load(engine, tmp_path, "digital_live", live)
    assert went_live.counts.loaded + went_live.counts.revised == 1

    done = refresh(engine, rat.changed_niks | went_live.changed_niks)

    assert done.scope == "kabupaten 5310"
    assert_same_as_full(engine)


def test_a_new_cooperative_moves_every_target_and_still_matches_a_full_refresh(engine, tmp_path, province):
    coop = province["koperasi"].loc[province["koperasi"]["regency_code"].astype(str) == "5303"].head(1).copy()
    coop["nik"] = "5303999999999"
    coop["name"] = "Koperasi Uji Tambahan"
    registry = load(engine, tmp_path, "koperasi_new", coop)
    first = province["laporan_keuangan"]
    template = first.loc[first["nik"] == province["koperasi"].loc[coop.index[0], "nik"]].copy()
    template["nik"] = "5303999999999"
    reports = load(engine, tmp_path, "laporan_keuangan_new", template)

    done = refresh(engine, registry.changed_niks | reports.changed_niks)

    assert done.scope == "kabupaten 5303"
    with engine.connect() as conn:
        areas = {r[0] for r in conn.execute(select(RegencyIndicator.regency_code).where(
            RegencyIndicator.data_version == done.data_version).distinct())}
    # Go Digital targets are shared out by active cooperatives: every area's figures were recomputed
    assert len(areas) == 23 and "53" in areas
    assert_same_as_full(engine)


def test_a_cooperative_moving_kabupaten_refreshes_both(engine, tmp_path, province):
    coop = province["koperasi"].loc[province["koperasi"]["regency_code"].astype(str) == "5310"].head(1).copy()
    coop["regency_code"] = "5371"
    result = load(engine, tmp_path, "koperasi_moved", coop)
    assert result.counts.revised == 1

    done = refresh(engine, result.changed_niks)

    assert done.scope == "kabupaten 5310, 5371"
    assert_same_as_full(engine)


def test_a_new_month_end_makes_it_a_full_refresh(engine, tmp_path, province):
    reports = province["laporan_keuangan"]
    latest = reports["period_end"].max()
    nxt = reports.loc[reports["period_end"] == latest].head(2).copy()
    nxt["period_end"] = (pd.Timestamp(latest) + pd.offsets.MonthEnd(1)).date()
    nxt["submitted_on"] = AS_OF
    result = load(engine, tmp_path, "laporan_keuangan_next", nxt)

    done = refresh(engine, result.changed_niks)

    assert done.scope == "full"
    assert_same_as_full(engine)


def test_a_warehouse_without_stored_parts_gets_a_full_refresh(engine, tmp_path, province):
    with engine.begin() as conn:
        conn.execute(AreaPart.__table__.delete())
    reports = province["laporan_keuangan"]
    one = reports.loc[reports["period_end"] == reports["period_end"].max()].head(1).copy()
    one["members"] = one["members"] + 5
    result = load(engine, tmp_path, "laporan_keuangan_one", one)

    assert refresh(engine, result.changed_niks).scope == "full"
    assert_same_as_full(engine)


def test_a_full_refresh_in_groups_of_kabupaten_gives_the_same_rows(engine, province, monkeypatch):
    from warehouse import refresh as refresh_module

    assert refresh_module.kabupaten_groups(pd.DataFrame({"regency_code": ["5371"] * 30 + ["5310"] * 30
                                                         + ["5303"] * 30}), 35) == [["5303"], ["5310"], ["5371"]]
    whole = dump(engine)  # the province fixture's refresh: one group
    monkeypatch.setattr(refresh_module, "CHUNK_COOPERATIVES", 35)  # one kabupaten at a time
    assert refresh(engine).scope == "full"
    for name, frame in dump(engine).items():
        pd.testing.assert_frame_equal(frame, whole[name], check_exact=True, obj=name)


def test_a_kdmp_progress_file_alone_rebuilds_the_village_tables_only(engine, tmp_path, province):
    rows = province["kdmp"]
    latest = rows.sort_values("as_of").groupby("village_code").tail(1).head(3).copy()  # three villages' newest
    latest["construction_pct"] = 100.0  # finished building
    result = load(engine, tmp_path, "kdmp_update", latest)
    assert result.counts.loaded + result.counts.revised == 3

    done = refresh(engine, result.changed_niks)

    assert done.scope == "kdmp villages" and done.cooperatives == 0
    assert_same_as_full(engine)


def test_mentoring_rows_make_it_a_full_refresh(engine, tmp_path, province):
    log = province["pendampingan"].head(2).copy()
    log["hours"] = log["hours"] + 1
    result = load(engine, tmp_path, "pendampingan_more", log)
    assert result.counts.revised + result.counts.loaded == 2

    assert refresh(engine, result.changed_niks).scope == "full"
    assert_same_as_full(engine)

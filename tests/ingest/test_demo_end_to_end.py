"""End to end: from an empty DATA_DIR, the start-up path loads the simulated province through the inbox, the
platform API and the registry export; the warehouse holds exactly what the simulator generated, and every
injected fault sits in `rejections` and nowhere else. (SQLite: this is the embedded default's path.)"""
import json

import pandas as pd
import pytest
from sqlalchemy import func, select

from ingest import demo
from warehouse import db, migrate
from warehouse.db import make_engine
from warehouse.models import Cooperative, FinancialReport, IngestRun, Rejection, Score


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from settings import load_settings

    folder = tmp_path_factory.mktemp("demo")
    settings = load_settings(DATABASE_URL=f"sqlite:///{folder / 'warehouse.db'}", DATA_DIR=folder / "data",
                             SCHEDULER="off")
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    assert demo.warehouse_is_empty(engine)
    summary, server = demo.build_and_load(settings, engine, say=lambda _: None)
    server.stop()
    manifest = json.loads((folder / "data" / "demo" / "manifest.json").read_text(encoding="utf-8"))
    manifest["kdmp"] = json.loads((folder / "data" / "demo" / "kdmp-manifest.json").read_text(encoding="utf-8"))
    yield engine, manifest, summary, settings
    engine.dispose()


def test_every_clean_row_is_in_the_warehouse(loaded):
    engine, manifest, summary, _ = loaded
    counts = manifest["counts"]
    with engine.connect() as conn:
        coops = conn.execute(select(func.count()).select_from(Cooperative)).scalar()
        reports = conn.execute(select(func.count()).select_from(FinancialReport)
                               .where(FinancialReport.is_current)).scalar()
        by_source = dict(conn.execute(select(FinancialReport.source, func.count())
                                      .group_by(FinancialReport.source)).all())
        assert db.get_meta(conn, "simulated") == "true"
    # the registry, plus the KDMP with a NIK (koperasi_kdmp.csv, programme kdmp)
    assert coops == sum(c["clean"] for c in counts["koperasi"].values()) + manifest["kdmp"]["registry_rows"]
    assert by_source["inbox"] == counts["laporan_keuangan"]["inbox"]["clean"]
    assert by_source["platform"] == counts["laporan_keuangan"]["platform"]["clean"]
    assert reports == sum(by_source.values())


def test_injected_faults_are_quarantined_and_nowhere_else(loaded):
    engine, manifest, summary, _ = loaded
    with engine.connect() as conn:
        rejected = pd.DataFrame(conn.execute(select(Rejection.source_file, Rejection.row_number, Rejection.nik,
                                                    Rejection.raw, Rejection.reasons)).all())
        loaded_keys = {(n, str(p)) for n, p in conn.execute(
            select(FinancialReport.nik, FinancialReport.period_end))}
        runs = dict(conn.execute(select(IngestRun.target, IngestRun.status)).all())
    row_faults = [f for f in manifest["faults"] if f.get("row")]
    assert len(rejected[rejected["row_number"].notna()]) == len(row_faults)
    rejected_keys = {(r.nik, json.loads(r.raw).get("period_end")) for r in rejected.itertuples()
                     if isinstance(r.raw, str)}
    for fault in row_faults:
        assert (fault["nik"], fault["period_end"]) in rejected_keys, fault
        if fault["kind"] != "unknown_nik":
            assert (fault["nik"], fault["period_end"]) not in loaded_keys, fault
    for broken in manifest["rejected_files"]:
        assert runs[broken["file"].split("/")[-1]] == "rejected"


def test_the_kdmp_of_every_village_are_loaded_through_the_ingestors_and_rolled_up(loaded):
    """Done when: 3,442 KDMP (3,137 desa + 305 kelurahan) from the kdmp rows the inbox and the platform API loaded,
    every stage count of the province's roll-up the count of those villages' latest rows; no KDMP or mentoring row
    rejected."""
    from warehouse.models import KdmpIndicator, KdmpProgress, KdmpVillage, Mentoring

    engine, manifest, *_ = loaded
    files = manifest["kdmp"]["files"]
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(KdmpProgress)).scalar()
        sources = dict(conn.execute(select(KdmpProgress.source, func.count()).group_by(KdmpProgress.source)).all())
        mentoring = conn.execute(select(func.count()).select_from(Mentoring)).scalar()
        rejected = conn.execute(select(func.count()).select_from(Rejection)
                                .where(Rejection.dataset.in_(["kdmp", "pendampingan"]))).scalar()
        latest = conn.execute(select(func.max(KdmpIndicator.period_end))).scalar()
        province = conn.execute(select(KdmpIndicator).where(KdmpIndicator.period_end == latest,
                                                            KdmpIndicator.regency_code == "53")).one()
        villages = pd.DataFrame(conn.execute(select(KdmpVillage.village_type, KdmpVillage.nib_on,
                                                    KdmpVillage.land_ready_on)
                                             .where(KdmpVillage.period_end == latest)).all())
    assert rows == files["inbox/kdmp_ntt.csv"]["rows"] + files["platform/kdmp.json"]["rows"]
    assert sources == {"inbox": files["inbox/kdmp_ntt.csv"]["rows"], "platform": files["platform/kdmp.json"]["rows"]}
    assert mentoring == files["inbox/pendampingan_ntt.csv"]["rows"] + files["platform/mentoring.json"]["rows"]
    assert rejected == 0
    assert (province.kdmp_villages, province.kdmp_desa, province.kdmp_kelurahan) == (3442, 3137, 305)
    assert province.kdmp_legal == 3442  # every KDMP with SK AHU by 1 August 2025
    assert len(villages) == 3442 and (villages["village_type"] == "desa").sum() == 3137
    assert province.kdmp_nib == villages["nib_on"].notna().sum()
    assert province.kdmp_land == villages["land_ready_on"].notna().sum()


def test_the_province_is_scored(loaded):
    engine, *_ = loaded
    with engine.connect() as conn:
        frameworks = dict(conn.execute(select(Score.framework, func.count()).group_by(Score.framework)).all())
    assert set(frameworks) == {"ksp2016", "ksp2021", "pearls", "finance"}
    assert frameworks["ksp2016"] > 50_000


def test_a_second_start_loads_nothing_again(loaded):
    engine, manifest, summary, settings = loaded
    assert not demo.warehouse_is_empty(engine) and demo.is_demo(engine)
    server = demo.start_platform(settings)
    try:
        from ingest.platform import PlatformConfig, run_platform

        again = run_platform(engine, PlatformConfig(server.base_url, demo.DEMO_TOKEN))
        assert again.ok and again.counts.read == 0  # incremental: nothing newer than the watermark
    finally:
        server.stop()

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
    assert coops == sum(c["clean"] for c in counts["koperasi"].values())
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

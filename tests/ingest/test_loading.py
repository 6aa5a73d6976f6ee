"""Loading: the same file twice changes nothing, re-sent figures become revisions, a crash leaves nothing partial."""
from sqlalchemy import func, select

from ingest.pipeline import ingest_file
from tests.ingest.conftest import GOOD_ROW_1, GOOD_ROW_2, REGISTRY_CSV, REPORT_HEADER, write
from warehouse.models import Cooperative, FinancialReport, IngestRun
from warehouse import db


def snapshot(engine):
    with engine.connect() as conn:
        reports = conn.execute(select(FinancialReport.nik, FinancialReport.period_end, FinancialReport.revision,
                                      FinancialReport.is_current, FinancialReport.total_assets,
                                      FinancialReport.members).order_by(FinancialReport.id)).all()
        coops = conn.execute(select(Cooperative.nik, Cooperative.name, Cooperative.status)
                             .order_by(Cooperative.nik)).all()
    return reports, coops


def test_the_same_file_twice_changes_nothing(engine, loaded_registry, tmp_path):
    path = write(tmp_path / "laporan_keuangan_2024-06.csv", "\n".join([REPORT_HEADER, GOOD_ROW_1, GOOD_ROW_2]) + "\n")
    first = ingest_file(engine, path)
    assert (first.counts.loaded, first.counts.unchanged) == (2, 0)
    before = snapshot(engine)
    with engine.connect() as conn:
        version = db.data_version(conn)
    second = ingest_file(engine, path)
    assert (second.counts.read, second.counts.loaded, second.counts.revised, second.counts.unchanged) == (2, 0, 0, 2)
    assert snapshot(engine) == before
    with engine.connect() as conn:
        assert db.data_version(conn) == version  # nothing changed, caches stay valid


def test_re_sent_figures_become_a_new_current_revision(engine, loaded_registry, tmp_path):
    first = write(tmp_path / "laporan_keuangan_v1.csv", "\n".join([REPORT_HEADER, GOOD_ROW_1, GOOD_ROW_2]) + "\n")
    ingest_file(engine, first)
    corrected = GOOD_ROW_2.replace("300,200000000", "310,210000000")
    second = write(tmp_path / "laporan_keuangan_v2.csv", "\n".join([REPORT_HEADER, GOOD_ROW_1, corrected]) + "\n")
    result = ingest_file(engine, second)
    assert (result.counts.loaded, result.counts.revised, result.counts.unchanged) == (0, 1, 1)
    with engine.connect() as conn:
        rows = conn.execute(select(FinancialReport.revision, FinancialReport.is_current, FinancialReport.members,
                                   FinancialReport.total_assets, FinancialReport.ingest_run_id)
                            .where(FinancialReport.nik == "5371000000002").order_by(FinancialReport.revision)).all()
    assert [(r.revision, r.is_current, r.members, r.total_assets) for r in rows] == [
        (1, False, 300, 200_000_000), (2, True, 310, 210_000_000)]
    assert rows[1].ingest_run_id == result.run_id  # lineage: the figure points at the run that brought it


def test_a_registry_change_updates_the_cooperative(engine, loaded_registry, tmp_path):
    path = write(tmp_path / "koperasi_update.csv", REGISTRY_CSV.replace("5307,produsen,KSU,aktif", "5307,produsen,KSU,tidak_aktif"))
    result = ingest_file(engine, path)
    assert (result.counts.loaded, result.counts.revised, result.counts.unchanged) == (0, 1, 2)
    with engine.connect() as conn:
        assert conn.execute(select(Cooperative.status).where(Cooperative.nik == "5307000000003")).scalar() == "inactive"


def test_a_failure_half_way_leaves_nothing_from_that_file(engine, loaded_registry, tmp_path):
    earlier = write(tmp_path / "laporan_keuangan_may.csv",
                    "\n".join([REPORT_HEADER, GOOD_ROW_2.replace("2024-06-30", "2024-05-31")]) + "\n")
    ingest_file(engine, earlier)
    before = snapshot(engine)
    header = ("nik,name,regency_code,type,status\n5371000000020,Koperasi Baru,5371,jasa,active\n")
    book = tmp_path / "kiriman.xlsx"
    import pandas as pd

    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        pd.DataFrame([l.split(",") for l in header.strip().split("\n")[1:]],
                     columns=header.split("\n")[0].split(",")).to_excel(writer, sheet_name="koperasi", index=False)
        pd.DataFrame([GOOD_ROW_1.split(","), GOOD_ROW_2.split(",")],
                     columns=REPORT_HEADER.split(",")).to_excel(writer, sheet_name="laporan_keuangan", index=False)
    # The registry sheet loads, the reports load, then the run dies before it commits.
    result = ingest_file(engine, book, fail_after="laporan_keuangan")
    assert result.status == "failed" and "injected failure" in result.message
    assert snapshot(engine) == before  # neither the new cooperative nor the reports remain
    with engine.connect() as conn:
        run = conn.execute(select(IngestRun.__table__).where(IngestRun.id == result.run_id)).one()
        # The run's error is a short reason naming the error's type, never its text (which may quote a cell).
        assert run.status == "failed" and run.rows_loaded == 0 and "(RuntimeError)" in run.error
        assert "injected failure" not in run.error
        assert conn.execute(select(func.count()).select_from(Cooperative)).scalar() == 3
    retry = ingest_file(engine, book)
    assert retry.ok and retry.counts.loaded == 3  # 1 cooperative + 2 reports


def test_the_registry_export_joins_on_nik_and_counts_changes(engine, loaded_registry, tmp_path):
    export = write(tmp_path / "registry_export.csv",
                   "nik,certificate_status,grade,last_rat_date\n"
                   "5371000000001,bersertifikat,A,2026-03-14\n5371000000002,belum_bersertifikat,D,\n"
                   "5371999999999,bersertifikat,B,2025-04-01\n")
    first = ingest_file(engine, export)
    assert (first.counts.revised, first.counts.unchanged, first.counts.rejected) == (2, 0, 1)
    again = ingest_file(engine, export)
    assert (again.counts.revised, again.counts.unchanged) == (0, 2)
    with engine.connect() as conn:
        rows = dict(conn.execute(select(Cooperative.nik, Cooperative.registry_grade)).all())
    assert rows["5371000000001"] == "A" and rows["5371000000002"] == "D" and rows["5307000000003"] is None

"""Browser uploads through the real pipeline: the worker loads a queued batch as ingest runs of source `upload` with
the user, a kabupaten officer's rows of another kabupaten are quarantined with that reason, every quarantined row
keeps its file row, column, value and rule (with a code a page translates), the corrections file loads once fixed,
and the size and row limits refuse a file whole with a reason."""
from __future__ import annotations

import io
import json
import time

import openpyxl
import pandas as pd
from sqlalchemy import select

from ingest import uploads as worker
from tests.ingest.conftest import GOOD_ROW_1, REPORT_HEADER
from warehouse import audit, uploads
from warehouse.models import FinancialReport, IngestRun, Upload

BAD_ROW = GOOD_ROW_1.replace("5371000000001", "5371000000002").replace(",1200,", ",banyak,")
OTHER_ROW = GOOD_ROW_1.replace("5371000000001", "5307000000003")
FILE = "\n".join([REPORT_HEADER, GOOD_ROW_1, BAD_ROW, OTHER_ROW]) + "\n"


def send(engine, settings, name: str, text: bytes | str, user="kota.kupang", scope="5371", lang="id") -> list[dict]:
    content = text.encode("utf-8") if isinstance(text, str) else text
    batch = uploads.store(engine, [uploads.Sent(name, content)], user, scope, lang,
                          int(settings.UPLOAD_MAX_MB * 1_000_000), ip="127.0.0.1")
    assert worker.process_queue(engine, settings) == 1
    return uploads.batch_files(engine, batch, user)


def test_an_officer_s_file_loads_their_rows_and_quarantines_the_rest_with_reasons(engine, loaded_registry,
                                                                                  settings_for, db_url):
    settings = settings_for(db_url)
    [item] = send(engine, settings, "laporan_keuangan_2024-06_5371.csv", FILE)
    assert item["status"] == "done" and item["result"]["status"] == "success"
    assert item["result"]["counts"] == {"read": 3, "loaded": 1, "revised": 0, "unchanged": 0, "rejected": 2}
    with engine.connect() as conn:
        run = conn.execute(select(IngestRun).where(IngestRun.id == item["ingest_run_id"])).one()
        loaded = conn.execute(select(FinancialReport.nik)).scalars().all()
    assert (run.source, run.username, run.target, run.status) == ("upload", "kota.kupang",
                                                                   "laporan_keuangan_2024-06_5371.csv", "success")
    assert loaded == ["5371000000001"]
    rows = uploads.quarantined(engine, item["ingest_run_id"])
    by_row = {int(r.row_number): r.reasons for r in rows.itertuples()}
    assert by_row[3] == [{"column": "members", "value": "banyak", "rule": "must be a number", "code": "number",
                          "params": {}}]
    [outside] = by_row[4]
    assert outside["code"] == "outside_scope" and outside["column"] == "nik" and outside["value"] == "5307000000003"
    assert outside["params"] == {"regency": "5307", "scope": "5371"}
    assert "belongs to kabupaten/kota 5307" in outside["rule"]
    [entry] = audit.read_audit(engine, action="upload").itertuples()
    assert entry.username == "kota.kupang" and json.loads(entry.detail)["files"] == [
        {"name": "laporan_keuangan_2024-06_5371.csv", "bytes": len(FILE.encode())}]


def test_the_corrections_file_fixed_and_sent_again_loads(engine, loaded_registry, settings_for, db_url):
    settings = settings_for(db_url)
    [item] = send(engine, settings, "laporan_keuangan_2024-06_5371.csv", FILE)
    rows = uploads.quarantined(engine, item["ingest_run_id"])
    data = uploads.corrections_workbook(rows, ["alasan"] * len(rows), "id")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["laporan_keuangan"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["nik", "period_end", "period_type"] and header[-1] == "alasan_karantina"
    assert [sheet.cell(r, 1).value for r in (2, 3)] == ["5371000000002", "5307000000003"]
    sheet.cell(2, header.index("members") + 1).value = "300"  # the officer fixes the number
    sheet.delete_rows(3)  # and drops the other kabupaten's row
    fixed = io.BytesIO()
    book.save(fixed)
    [again] = send(engine, settings, "perbaikan.xlsx", fixed.getvalue())
    assert again["result"]["status"] == "success"
    assert again["result"]["counts"]["loaded"] == 1 and again["result"]["counts"]["rejected"] == 0
    assert not any("alasan_karantina" in n for n in again["result"]["notes"])  # the reasons column is not "unknown"


def test_a_province_official_may_send_every_kabupaten_s_rows(engine, loaded_registry, settings_for, db_url):
    [item] = send(engine, settings_for(db_url), "laporan_keuangan_2024-06.csv", FILE, user="pejabat", scope=None)
    assert item["result"]["counts"]["loaded"] == 2 and item["result"]["counts"]["rejected"] == 1


def test_size_and_row_limits_refuse_a_file_whole_with_its_reason(engine, loaded_registry, settings_for, db_url):
    settings = settings_for(db_url, UPLOAD_MAX_MB=0.0005, UPLOAD_MAX_ROWS=2)  # 500 bytes, 2 rows
    [big] = send(engine, settings, "laporan_keuangan_besar.csv", FILE + "#" * 600)
    assert big["result"]["status"] == "rejected" and big["result"]["code"] == "too_large"
    assert big["result"]["params"]["file"] == "laporan_keuangan_besar.csv"
    with engine.connect() as conn:
        kept = conn.execute(select(Upload.content, Upload.size).where(Upload.id == big["id"])).one()
    assert kept.content is None and kept.size == len(FILE) + 600  # the bytes of a refused file are not kept
    ends = [f"{d:%Y-%m-%d}" for d in pd.date_range("2022-01-31", periods=20, freq="ME")]
    many = "\n".join([REPORT_HEADER] + [GOOD_ROW_1.replace("2024-06-30", end) for end in ends]) + "\n"
    settings = settings_for(db_url, UPLOAD_MAX_ROWS=2)  # (a file may carry ten title lines above its header)
    [long] = send(engine, settings, "laporan_keuangan_panjang.csv", many)
    assert long["result"]["status"] == "rejected" and long["result"]["code"] == "too_many_rows"
    assert "UPLOAD_MAX_ROWS" in long["result"]["message"]
    with engine.connect() as conn:
        statuses = conn.execute(select(IngestRun.status).where(IngestRun.source == "upload")).scalars().all()
    assert statuses == ["rejected", "rejected"]


def test_a_batch_loads_the_registry_before_the_reports_whatever_order_it_was_sent_in(engine, settings_for, db_url):
    settings = settings_for(db_url)
    registry = "nik,name,regency_code,type,status\n5371000000001,KSP Kopdit Sehati,5371,simpan_pinjam,active\n"
    batch = uploads.store(engine, [uploads.Sent("laporan_keuangan_2024-06.csv", (REPORT_HEADER + "\n" + GOOD_ROW_1 +
                                                                                 "\n").encode()),
                                   uploads.Sent("koperasi_baru.csv", registry.encode())], "kota.kupang", "5371", "id",
                          10_000_000)
    worker.process_queue(engine, settings)
    items = {i["filename"]: i["result"] for i in uploads.batch_files(engine, batch, "kota.kupang")}
    assert items["koperasi_baru.csv"]["counts"]["loaded"] == 1
    assert items["laporan_keuangan_2024-06.csv"]["counts"]["loaded"] == 1


def test_the_worker_thread_picks_up_a_queued_batch(engine, loaded_registry, settings_for, db_url):
    thread = worker.start_worker(settings_for(db_url), poll=0.2)
    try:
        batch = uploads.store(engine, [uploads.Sent("laporan_keuangan_2024-06.csv", FILE.encode())], "pejabat",
                              None, "en", 10_000_000)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            items = uploads.batch_files(engine, batch, "pejabat")
            if items and items[0]["status"] == "done":
                break
            time.sleep(0.2)
        assert items[0]["status"] == "done" and items[0]["result"]["counts"]["loaded"] == 2
    finally:
        thread.stop()

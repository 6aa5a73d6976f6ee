"""Kirim Laporan in headless Chromium, as the Kota Kupang officer: a file with a good row, a bad row and another
kabupaten's row goes through the real route, the real upload worker and the real pipeline; the page follows it to
the answer (counts, every quarantined row with its reason in Indonesian), the corrections file downloads, and the
same answer reads in English on the switch. Nothing breaks the Content-Security-Policy."""
from __future__ import annotations

import io
import time

import openpyxl
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from ingest.uploads import start_worker
from layouts import access
from tests.conftest import build_province
from tests.support.auth import PASSWORD, cheap_hashes  # noqa: F401 - the fixture, used through pytestmark
from tests.support.browser import allow_downloads, console_errors, in_english, open_page, wait_for_file
from tests.support.server import app_served
from warehouse import audit, users
from warehouse.db import engine_for
from warehouse.models import Cooperative, IngestRun

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("cheap_hashes")]
HEADER = "nik,period_end,period_type,members,total_assets,total_liabilities,equity"


@pytest.fixture(scope="module")
def own_province(tmp_path_factory):
    """A private copy of the small province (this test loads into it)."""
    base = tmp_path_factory.mktemp("upload-province")
    return build_province(f"sqlite:///{base / 'province.db'}", base / "files")


def report_file(engine, folder):
    with engine.connect() as conn:
        kupang = conn.execute(select(Cooperative.nik).where(Cooperative.regency_code == "5371",
                                                            Cooperative.status == "active")
                              .order_by(Cooperative.nik).limit(2)).scalars().all()
        sikka = conn.execute(select(Cooperative.nik).where(Cooperative.regency_code == "5310")
                             .order_by(Cooperative.nik).limit(1)).scalar()
    rows = [f"{kupang[0]},2026-10-31,month,150,250000000,100000000,150000000",  # good
            f"{kupang[1]},2026-10-31,month,banyak,250000000,100000000,150000000",  # members is not a number
            f"{sikka},2026-10-31,month,90,120000000,20000000,100000000"]  # Sikka's cooperative
    path = folder / "laporan_keuangan_2026-10_5371.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path, kupang, sikka


def upload(browser, base, path):
    open_page(browser, f"{base}/kirim", ready_css="#up-files")
    browser.find_element(By.CSS_SELECTOR, "#up-files input[type=file]").send_keys(str(path))
    WebDriverWait(browser, 90).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#up-progress-box[data-done=true]"))
    counts = {cell.get_attribute("data-count"): int(cell.get_attribute("data-value"))
              for cell in browser.find_elements(By.CSS_SELECTOR, "[data-count]")}
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".ag-row"))
    rows = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "[id*='up-quarantine'] .ag-center-cols-container .ag-row")]
    return counts, rows


def test_the_kota_kupang_officer_uploads_good_bad_and_other_kabupaten_rows(own_province, settings_for, browser,
                                                                           tmp_path):
    engine = engine_for(own_province)
    users.add_user(engine, "kota.kupang", PASSWORD, "official", "5371", email="kota.kupang@example.org")
    path, kupang, sikka = report_file(engine, tmp_path)
    settings = settings_for(own_province)
    worker = start_worker(settings, poll=0.2)
    try:
        with app_served(settings, access.install) as (base, _app):
            browser.delete_all_cookies()
            browser.get_log("browser")
            browser.get(f"{base}/login?next=/kirim")
            browser.find_element(By.ID, "username").send_keys("kota.kupang")
            browser.find_element(By.ID, "password").send_keys(PASSWORD)
            browser.find_element(By.ID, "login-submit").click()
            WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "up-files"))
            assert "Kota Kupang" in browser.find_element(By.ID, "up-scope").text
            started = time.monotonic()
            counts, rows = upload(browser, base, path)
            seconds = time.monotonic() - started
            assert counts == {"read": 3, "loaded": 1, "revised": 0, "unchanged": 0, "rejected": 2}
            assert browser.find_element(By.CSS_SELECTOR, "[id^='up-status-']").text == "Diterima"
            text = "\n".join(rows)
            assert "members" in text and "banyak" in text and "harus berupa angka" in text
            assert sikka in text and "milik kabupaten/kota 5310" in text
            assert seconds < 60, seconds
            folder = tmp_path / "downloads"
            allow_downloads(browser, folder)
            button = browser.find_element(By.CSS_SELECTOR, "[id*='up-corrections']")
            browser.save_screenshot(str(tmp_path / "kirim-after.png"))
            browser.execute_script("arguments[0].click()", button)  # (below the fold, under the grid's pager)
            run_id = _newest_run(engine)
            wait_for_file(folder / f"perbaikan_{run_id}.xlsx")
            book = openpyxl.load_workbook(io.BytesIO((folder / f"perbaikan_{run_id}.xlsx").read_bytes()))
            sheet = book["laporan_keuangan"]
            assert [sheet.cell(r, 1).value for r in (2, 3)] == [kupang[1], sikka]
            assert "harus berupa angka" in sheet.cell(2, sheet.max_column).value
            errors = console_errors(browser)
            assert errors == [], errors

            with in_english(browser):
                counts, rows = upload(browser, base, path)
                assert counts["unchanged"] == 1 and counts["rejected"] == 2  # the same good row again
                assert browser.find_element(By.CSS_SELECTOR, "[id^='up-status-']").text == "Accepted"
                text = "\n".join(rows)
                assert "must be a number" in text and "belongs to kabupaten/kota 5310" in text
    finally:
        worker.stop()
    with engine.connect() as conn:
        runs = conn.execute(select(IngestRun.source, IngestRun.username).where(IngestRun.source == "upload")).all()
    assert runs == [("upload", "kota.kupang"), ("upload", "kota.kupang")]
    actions = audit.read_audit(engine)["action"].tolist()
    assert actions.count("upload") == 2 and "export" in actions  # the corrections download is audited too


def _newest_run(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(IngestRun.id).where(IngestRun.source == "upload")
                            .order_by(IngestRun.id.desc()).limit(1)).scalar()

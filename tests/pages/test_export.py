"""Ekspor / Export page: row count and preview from the warehouse, the download is the API's answer byte for byte,
the API URL and command line match the selection, the data dictionary, and the URL round trip."""
from __future__ import annotations

import time
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import text

from warehouse import export as ex
from tests.support.components import find


def report_count(url: str, regency: str, period) -> int:
    from warehouse.db import engine_for

    with engine_for(url).connect() as conn:
        return conn.execute(text(
            "select count(*) from financial_reports r join cooperatives c on c.nik = r.nik "
            "where r.is_current = :t and c.regency_code = :kab and r.period_end = :pe"),
            {"t": True, "kab": regency, "pe": period}).scalar_one()


def render(url: str, settings_for, path: str, lang: str = "id", **query):
    from app import create_app
    from layouts.i18n import LANG_COOKIE
    from layouts.pages import export

    app = create_app(settings_for(url))
    with app.server.test_request_context(path, headers={"Cookie": f"{LANG_COOKIE}={lang}"}):
        return export.layout(**query), app


def test_page_shows_the_count_preview_api_url_cli_line_and_dictionary_of_the_selection(province_url, settings_for):
    from datetime import date

    page, app = render(province_url, settings_for, "/ekspor", dataset="reports", kab="5371", periode="2026-09")
    expected = report_count(province_url, "5371", date(2026, 9, 30))
    assert expected > 0
    assert find(page, "export-count").children == f"{expected} baris"
    assert find(page, "export-download").href == "/api/v1/reports.csv?kab=5371&periode=2026-09"
    assert find(page, "export-api-url").children.endswith("/api/v1/reports.csv?kab=5371&periode=2026-09")
    assert find(page, "export-cli").children == (
        "python app.py export reports --out pantau-koperasi_reports_kab-5371_2026-09.csv --regency 5371 "
        "--period 2026-09")
    # the preview is the file's first rows, cell for cell
    preview = find(page, "export-preview")
    api = app.server.test_client().get("/api/v1/reports.csv?kab=5371&periode=2026-09").data.decode("utf-8-sig")
    import csv
    import io

    file_rows = list(csv.reader(io.StringIO(api.split("\n", 1)[1])))
    assert [c["headerName"] for c in preview.columnDefs] == file_rows[0] == ex.DATASETS["reports"].columns
    assert len(preview.rowData) == min(200, expected) == len(file_rows) - 1
    assert list(preview.rowData[0].values()) == file_rows[1]
    # the dictionary lists every column with its Indonesian meaning
    dictionary = find(page, "export-dictionary")
    body_rows = dictionary.children[1].children
    assert len(body_rows) == len(ex.DATASETS["reports"].fields)
    assert body_rows[5].children[3].children == "Total aset pada akhir periode"
    assert find(page, "export-simulated-note") is not None


def test_page_in_english_and_a_bad_link_parameter_is_dropped_with_the_apis_message(province_url, settings_for):
    page, _ = render(province_url, settings_for, "/ekspor", lang="en", dataset="rat", kab="9999", tahun="2024")
    problem = find(page, {"type": "export-problem", "index": 0})
    assert "parameter 'kab' = '9999'" in problem.children and "22 NTT Kemendagri codes" in problem.children
    assert find(page, "export-download").href == "/api/v1/rat.csv?tahun=2024"
    assert find(page, "export-count").children.endswith(" rows")
    body_rows = find(page, "export-dictionary").children[1].children
    assert body_rows[1].children[3].children == "Fiscal year"
    unknown, _ = render(province_url, settings_for, "/ekspor", dataset="laporan")
    assert "'dataset' = 'laporan': dataset tidak dikenal" in find(unknown, {"type": "export-problem", "index": 0}).children
    assert find(unknown, "export-download").href == "/api/v1/registry.csv"


@pytest.mark.parametrize("search,changes,changed,expected", [
    # a new dataset keeps only the filters it takes
    ("?dataset=reports&kab=5371&periode=2026-09", {"dataset": "rat"}, "dataset", "?dataset=rat&kab=5371"),
    ("?dataset=reports&kab=5371&jenis=jasa&periode=2026-09", {"dataset": "registry"}, "dataset",
     "?dataset=registry&kab=5371&jenis=jasa"),
    ("?kab=5371", {"dataset": "scores"}, "dataset", "?dataset=scores&kab=5371"),
    # one month and a range exclude each other
    ("?dataset=reports&periode=2026-09", {"periode_dari": "2026-01"}, "periode_dari",
     "?dataset=reports&periode_dari=2026-01"),
    ("?dataset=reports&periode_dari=2026-01&periode_sampai=2026-03", {"periode": "2026-02"}, "periode",
     "?dataset=reports&periode=2026-02"),
    # clearing a control removes its parameter
    ("?dataset=rat&tahun=2024", {"tahun": None}, "tahun", "?dataset=rat"),
])
def test_controls_rewrite_the_url(search, changes, changed, expected):
    from layouts.pages.export import url_search

    assert url_search(search, changes, changed) == expected


@pytest.mark.browser
def test_download_is_the_api_answer_and_the_url_round_trips(province_app, province_url, browser, tmp_path):
    from datetime import date

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.support.browser import console_errors, open_page

    url = f"{province_app}/ekspor?dataset=reports&kab=5371&periode=2026-09"
    open_page(browser, url, ready_css="#export-page")
    expected = report_count(province_url, "5371", date(2026, 9, 30))
    assert browser.find_element(By.ID, "export-count").text == f"{expected} baris"
    assert browser.find_elements(By.CSS_SELECTOR, "#export-preview .ag-row")

    # the download button saves exactly what the API answers
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.find_element(By.ID, "export-download").click()
    target = downloads / "pantau-koperasi_reports_kab-5371_2026-09.csv"
    deadline = time.time() + 30
    while not target.exists() and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(0.3)
    with urllib.request.urlopen(f"{province_app}/api/v1/reports.csv?kab=5371&periode=2026-09") as answer:
        api = answer.read()
    assert target.read_bytes() == api
    assert api.decode("utf-8-sig").count("\n") == expected + 2  # DATA SIMULASI line + header + rows

    # a new dataset through the picker: the URL keeps the kabupaten, drops the month (RAT has fiscal years)
    browser.find_element(By.CSS_SELECTOR, "button.dash-dropdown[id*='export-control'][id*='dataset']").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[role='option']"))
    option = next(o for o in browser.find_elements(By.CSS_SELECTOR, "[role='option']")
                  if o.text.strip() == "RAT (rapat anggota tahunan)")
    option.click()
    WebDriverWait(browser, 20).until(lambda d: parse_qs(urlparse(d.current_url).query).get("dataset") == ["rat"])
    assert parse_qs(urlparse(browser.current_url).query) == {"dataset": ["rat"], "kab": ["5371"]}
    open_page(browser, browser.current_url, ready_css="#export-page")
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "export-download").get_attribute("href").endswith("/api/v1/rat.csv?kab=5371"))
    # the same link opened afresh shows the same selection
    browser.get(browser.current_url)
    open_page(browser, browser.current_url, ready_css="#export-page")
    assert browser.find_element(By.ID, "export-download").get_attribute("href").endswith("/api/v1/rat.csv?kab=5371")
    assert "Kota Kupang" in browser.find_element(By.CSS_SELECTOR, "button.dash-dropdown[id*='kab']").text
    assert not console_errors(browser)

"""Ekspor / Export rendered in-process on the small province: row count and preview from the warehouse, the API URL
and command line of the selection, the data dictionary, the page in English, a bad link parameter dropped with the
API's message, and how the controls rewrite the URL."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.support.components import find
from tests.support.pages import render
from tests.support.sql import current_report_count
from warehouse import export as ex


def test_page_shows_the_count_preview_api_url_cli_line_and_dictionary_of_the_selection(page_app, province_url):
    page = render(page_app, "export", "/ekspor", dataset="reports", kab="5371", periode="2026-09")
    expected = current_report_count(province_url, "5371", date(2026, 9, 30))
    assert expected > 0
    assert find(page, "export-count").children == f"{expected} baris"
    assert find(page, "export-download").href == "/api/v1/reports.csv?kab=5371&periode=2026-09"
    assert find(page, "export-api-url").children.endswith("/api/v1/reports.csv?kab=5371&periode=2026-09")
    assert find(page, "export-cli").children == (
        "python app.py export reports --out pantau-koperasi_reports_kab-5371_2026-09.csv --regency 5371 "
        "--period 2026-09")
    # the preview is the file's first rows, cell for cell
    preview = find(page, "export-preview")
    api = page_app.server.test_client().get("/api/v1/reports.csv?kab=5371&periode=2026-09").data.decode("utf-8-sig")
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


def test_page_in_english_and_a_bad_link_parameter_is_dropped_with_the_apis_message(page_app):
    page = render(page_app, "export", "/ekspor", lang="en", dataset="rat", kab="9999", tahun="2024")
    problem = find(page, {"type": "export-problem", "index": 0})
    assert "parameter 'kab' = '9999'" in problem.children and "22 NTT Kemendagri codes" in problem.children
    assert find(page, "export-download").href == "/api/v1/rat.csv?tahun=2024"
    assert find(page, "export-count").children.endswith(" rows")
    body_rows = find(page, "export-dictionary").children[1].children
    assert body_rows[1].children[3].children == "Fiscal year"
    unknown = render(page_app, "export", "/ekspor", dataset="laporan")
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

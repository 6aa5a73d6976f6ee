"""Ekspor / Export in headless Chromium on the small province: the download is the API's answer byte for byte, a new
dataset through the picker rewrites the URL, and the same link opened afresh shows the same selection."""
from __future__ import annotations

import time
import urllib.request
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.browser import allow_downloads, choose_option, console_errors, open_page, wait_for_file
from tests.support.sql import current_report_count

pytestmark = pytest.mark.browser


def test_download_is_the_api_answer_and_the_url_round_trips(province_app, province_url, browser, tmp_path):
    url = f"{province_app}/ekspor?dataset=reports&kab=5371&periode=2026-09"
    open_page(browser, url, ready_css="#export-page")
    expected = current_report_count(province_url, "5371", date(2026, 9, 30))
    assert browser.find_element(By.ID, "export-count").text == f"{expected} baris"
    assert browser.find_elements(By.CSS_SELECTOR, "#export-preview .ag-row")

    # the download button saves exactly what the API answers
    downloads = tmp_path / "downloads"
    allow_downloads(browser, downloads)
    browser.find_element(By.ID, "export-download").click()
    target = downloads / "pantau-koperasi_reports_kab-5371_2026-09.csv"
    wait_for_file(target)
    time.sleep(0.3)
    with urllib.request.urlopen(f"{province_app}/api/v1/reports.csv?kab=5371&periode=2026-09") as answer:
        api = answer.read()
    assert target.read_bytes() == api
    assert api.decode("utf-8-sig").count("\n") == expected + 2  # DATA SIMULASI line + header + rows

    # a new dataset through the picker: the URL keeps the kabupaten, drops the month (RAT has fiscal years)
    choose_option(browser, "button.dash-dropdown[id*='export-control'][id*='dataset']", "RAT (rapat anggota tahunan)")
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

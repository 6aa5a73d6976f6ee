"""Belum Melapor on the small province (SQLite and PostgreSQL): the list is the stored reporting status of one
kabupaten and period with the registry's contacts, its length is the stored missing_reports figure, and the call
list and the chat message hold exactly those cooperatives."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from layouts.pages import missing as page
from warehouse import queries, read_missing
from warehouse.db import engine_for
from warehouse.models import ReportingStatus


def test_the_list_is_the_stored_missing_reports_of_one_kabupaten_with_contacts(province_url):
    engine = engine_for(province_url)
    periods = read_missing.periods(engine)
    assert periods == sorted(periods, reverse=True) and len(periods) > 1
    for period in periods[:3]:
        for regency in ("5371", "5310"):
            rows = read_missing.missing(engine, period, regency)
            figure = queries.area_row(engine, period, regency)["missing_reports"]
            assert len(rows) == figure  # the list and the stored figure count the same cooperatives
            assert set(rows["regency_code"]) <= {regency}
            with engine.connect() as conn:
                stored = set(conn.execute(select(ReportingStatus.nik).where(
                    ReportingStatus.period_end == period, ReportingStatus.regency_code == regency,
                    ReportingStatus.status == "missing")).scalars())
            assert set(rows["nik"]) <= stored  # (the ministry's cooperatives are left out by default)
    row = queries.area_row(engine, periods[1])
    assert row["missing_reports"] == row["expected"] - row["received"]
    rows = read_missing.missing(engine, periods[1], "5371")
    assert rows["contact_phone"].notna().any() and rows["contact_phone"].dropna().str.startswith("0000-").all()


def test_the_call_list_and_the_chat_message_hold_exactly_the_list(province_url):
    engine = engine_for(province_url)
    period = read_missing.periods(engine)[1]
    rows = read_missing.missing(engine, period, "5371")
    assert len(rows) > 0
    text = page.call_list_csv(rows, "id", simulated=True)
    lines = text.splitlines()
    assert lines[0].startswith("DATA SIMULASI")
    assert lines[1].split(",")[:3] == ["Koperasi", "NIK", "Kabupaten/kota"]
    table = pd.read_csv(__import__("io").StringIO("\n".join(lines[1:])), dtype=str)
    assert sorted(table["NIK"]) == sorted(rows["nik"])
    message = page.chat_message(rows, period, "Kota Kupang", "id", "Dinas Koperasi dan UKM Provinsi NTT")
    assert f"dari {len(rows)} koperasi di Kota Kupang" in message
    assert all(f"(NIK {nik})" in message for nik in rows["nik"])
    assert "20 " in message and message.rstrip().endswith("Dinas Koperasi dan UKM Provinsi NTT")
    english = page.call_list_csv(rows, "en", simulated=False).splitlines()[0]
    assert english.startswith("Cooperative,NIK,Kabupaten/kota,District")


def test_a_formula_in_a_contact_is_neutralised_in_the_call_list():
    rows = pd.DataFrame([{"nik": "5371000000001", "name": "=HYPERLINK(\"x\")", "regency": "Kota Kupang",
                          "district": None, "type": "jasa", "contact_name": "@bad", "contact_phone": "+62 812 1",
                          "contact_email": None, "last_received": None}])
    text = page.call_list_csv(rows, "id", simulated=False)
    assert "'=HYPERLINK" in text and "'@bad" in text and "'+62 812 1" in text

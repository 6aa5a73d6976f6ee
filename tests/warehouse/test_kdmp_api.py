"""The KDMP figures and datasets on the small province (SQLite and PostgreSQL): every stage count of the stored
roll-up is the count of the villages' latest kdmp rows the ingestors loaded (our own SQL, written apart from
warehouse/), the API's kdmp, pendampingan, kdmp_indicators and kdmp_villages honour kab and periode, the data
dictionary describes them, and the two populations of regency_indicators differ by the national primary."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.support.sql import read_frame

# the milestone counts of kdmp_indicators and what they count in a village's latest row
COUNTS = {"kdmp_villages": "1 = 1", "kdmp_legal": "ahu_on IS NOT NULL", "kdmp_nib": "nib_on IS NOT NULL",
          "kdmp_npwp": "npwp_on IS NOT NULL", "kdmp_simkopdes": "simkopdes_on IS NOT NULL",
          "kdmp_land": "land_ready_on IS NOT NULL", "kdmp_construction": "construction_pct > 0",
          "kdmp_handover": "handover_on IS NOT NULL", "kdmp_operating": "outlets IS NOT NULL",
          "kdmp_first_rat": "first_rat_on IS NOT NULL", "kdmp_desa": "village_type = 'desa'"}
LATEST_ROWS = """
    SELECT k.* FROM kdmp_progress k
    WHERE k.is_current = :t AND k.as_of <= :ref AND k.as_of = (
        SELECT MAX(k2.as_of) FROM kdmp_progress k2
        WHERE k2.village_code = k.village_code AND k2.is_current = :t AND k2.as_of <= :ref)"""


@pytest.fixture
def client(province_url, settings_for):
    from app import create_app

    return create_app(settings_for(province_url)).server.test_client()


def latest(url: str) -> tuple:
    frame = read_frame(url, "SELECT period_end, reference_date FROM kdmp_indicators WHERE regency_code = '53' "
                            "ORDER BY period_end DESC")
    return pd.Timestamp(frame["period_end"].iloc[0]).date(), pd.Timestamp(frame["reference_date"].iloc[0]).date()


def test_every_stage_count_is_the_count_of_the_villages_latest_loaded_rows(province_url):
    period, ref = latest(province_url)
    for code in ("53", "5310", "5371"):
        stored = read_frame(province_url, "SELECT * FROM kdmp_indicators WHERE regency_code = :c AND period_end = :p",
                            c=code, p=period).iloc[0]
        where = "" if code == "53" else f" AND village_code LIKE '{code}%'"
        for figure, condition in COUNTS.items():
            ours = read_frame(province_url, f"SELECT COUNT(*) AS n FROM ({LATEST_ROWS}) x WHERE {condition}{where}",
                              t=True, ref=ref)["n"].iloc[0]
            assert stored[figure] == ours, (code, figure)
    assert read_frame(province_url, "SELECT kdmp_villages FROM kdmp_indicators WHERE regency_code = '53' AND "
                                    "period_end = :p", p=period)["kdmp_villages"].iloc[0] == 36  # 12 per kabupaten


def test_each_village_row_names_the_ingest_run_that_loaded_its_latest_row(province_url):
    period, ref = latest(province_url)
    joined = read_frame(province_url, f"""
        SELECT v.village_code, v.as_of, v.ingest_run_id AS shown, x.ingest_run_id AS loaded, r.target
        FROM kdmp_villages v JOIN ({LATEST_ROWS}) x ON x.village_code = v.village_code
        JOIN ingest_runs r ON r.id = x.ingest_run_id WHERE v.period_end = :p""", t=True, ref=ref, p=period)
    assert len(joined) == 36 and (joined["shown"] == joined["loaded"]).all() and set(joined["target"]) == {"kdmp.csv"}


@pytest.mark.parametrize("dataset,query,sql", [
    ("kdmp", "kab=5310", "SELECT COUNT(*) AS n FROM kdmp_progress WHERE is_current = :t AND village_code LIKE '5310%'"),
    ("kdmp", "kab=5371&periode=2026-03", "SELECT COUNT(*) AS n FROM kdmp_progress WHERE is_current = :t AND "
     "village_code LIKE '5371%' AND as_of >= '2026-03-01' AND as_of <= '2026-03-31'"),
    ("pendampingan", "kab=5303", "SELECT COUNT(*) AS n FROM mentoring WHERE is_current = :t AND (village_code LIKE "
     "'5303%' OR nik IN (SELECT nik FROM cooperatives WHERE regency_code = '5303'))"),
    ("kdmp_villages", "kab=5371", "SELECT COUNT(*) AS n FROM kdmp_villages WHERE regency_code = '5371'"),
    ("kdmp_indicators", "kab=53", "SELECT COUNT(*) AS n FROM kdmp_indicators WHERE regency_code = '53'"),
])
def test_the_kdmp_datasets_honour_their_filters(client, province_url, dataset, query, sql):
    expected = read_frame(province_url, sql, t=True)["n"].iloc[0]
    answer = client.get(f"/api/v1/{dataset}.json?{query}&limit=10000").get_json()
    assert answer["total"] == len(answer["rows"]) == expected > 0
    body = client.get(f"/api/v1/{dataset}.csv?{query}").data
    assert body.startswith(b"\xef\xbb\xbfDATA SIMULASI") and body.count(b"\n") == expected + 2


def test_the_data_dictionary_describes_the_kdmp_datasets_with_their_template_headers(client):
    rows = client.get("/api/v1/dictionary.json?dataset=kdmp").get_json()["columns"]
    by_column = {r["column"]: r for r in rows}
    assert by_column["village_code"]["alias_template"] == "kode_desa"
    assert by_column["construction_pct"]["alias_template"] == "persen_pembangunan"
    assert "10 digit" in by_column["village_code"]["description_id"]
    figures = {r["column"]: r for r in client.get("/api/v1/dictionary.json?dataset=kdmp_indicators").get_json()[
        "columns"]}
    assert figures["pct_kdmp_land"]["unit"] == "%" and "[pct_kdmp_land]" in figures["pct_kdmp_land"]["description_en"]
    assert client.get("/api/v1/kdmp.json?jenis=konsumen").status_code == 400  # no type for villages


def test_the_two_populations_of_the_roll_ups_differ_by_the_national_primary(client, province_url):
    period = read_frame(province_url, "SELECT MAX(period_end) AS p FROM regency_indicators")["p"].iloc[0]
    month = pd.Timestamp(period).strftime("%Y-%m")
    regional = client.get(f"/api/v1/regency_indicators.json?kab=5371&periode={month}").get_json()["rows"][0]
    everyone = client.get(f"/api/v1/regency_indicators.json?kab=5371&periode={month}&cakupan=semua").get_json()[
        "rows"][0]
    assert (regional["scope"], everyone["scope"]) == ("daerah", "semua")
    assert everyone["cooperatives"] == regional["cooperatives"] + 1
    assert (everyone["supervised_ministry"], regional["supervised_ministry"]) == (1, 0)
    assert client.get("/api/v1/regency_indicators.json?cakupan=nasional").status_code == 400

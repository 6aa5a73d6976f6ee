"""The read-only data API /api/v1: every dataset as CSV and JSON honours kab/jenis/periode (counted against our own
SQL), CSV framing (BOM, DATA SIMULASI, header, formula guard), bad parameters answer 400/404 naming them, and an
unchanged warehouse answers 304."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text

from warehouse import export as ex

KAB, JENIS, PERIODE, TAHUN = "5310", "simpan_pinjam", "2026-09", "2024"
SIMULATED_LINE = "DATA SIMULASI — Data ini disimulasikan untuk demonstrasi; bukan data koperasi yang sebenarnya."

COOP = "select nik from cooperatives where regency_code = :kab and type = :jenis"
COOP_KAB = "select nik from cooperatives where regency_code = :kab"
# Our own count of each dataset under its filters (written apart from warehouse/export/ on purpose).
EXPECTED_SQL = {
    "registry": ({"kab": KAB, "jenis": JENIS},
                 "select count(*) from cooperatives where regency_code = :kab and type = :jenis"),
    "reports": ({"kab": KAB, "jenis": JENIS, "periode": PERIODE},
                f"select count(*) from financial_reports where is_current = :t and period_end = :pe and nik in ({COOP})"),
    "scores": ({"kab": KAB, "jenis": JENIS, "periode": PERIODE},
               f"select count(*) from scores where period_end = :pe and nik in ({COOP})"),
    "snapshots": ({"kab": KAB, "jenis": JENIS, "periode": PERIODE},
                  "select count(*) from cooperative_snapshots where period_end = :pe and regency_code = :kab "
                  "and type = :jenis and (supervisor is null or supervisor not in ('kementerian', 'ojk'))"),
    "rat": ({"kab": KAB, "jenis": JENIS, "tahun": TAHUN},
            "select (select count(*) from annual_meetings where is_current = :t and fiscal_year = :y "
            f"        and nik in ({COOP})) + "
            "       (select count(*) from rat_status s where s.fiscal_year = :y and s.nik in "
            f"        ({COOP}) and not exists (select 1 from annual_meetings m where m.nik = s.nik "
            "        and m.fiscal_year = s.fiscal_year and m.is_current = :t))"),
    "digital": ({"kab": KAB, "periode_dari": "2024-01", "periode_sampai": "2026-09"},
                f"select count(*) from digital_status where is_current = :t and stage_date >= :d0 "
                f"and stage_date <= :pe and nik in ({COOP_KAB})"),
    "rejections": ({"kab": KAB}, f"select count(*) from rejections where nik in ({COOP_KAB})"),
    "regency_indicators": ({"kab": KAB, "jenis": JENIS, "periode": PERIODE},
                           "select count(*) from regency_indicators where regency_code = :kab and period_end = :pe "
                           "and type = :jenis and scope = 'daerah'"),
}


def expected_count(url: str, dataset: str) -> int:
    from datetime import date

    from warehouse.db import engine_for

    with engine_for(url).connect() as conn:
        return conn.execute(text(EXPECTED_SQL[dataset][1]), {
            "kab": KAB, "jenis": JENIS, "pe": date(2026, 9, 30), "y": int(TAHUN), "t": True,
            "d0": date(2024, 1, 1)}).scalar_one()


def read_csv(body: bytes, simulated: bool = True) -> tuple[list[str], list[dict]]:
    """The CSV's header and rows; asserts the BOM and the DATA SIMULASI line."""
    assert body.startswith(b"\xef\xbb\xbf"), body[:20]
    lines = body.decode("utf-8-sig").split("\n", 1)
    if simulated:
        assert lines[0] == SIMULATED_LINE
        body_text = lines[1]
    else:
        body_text = "\n".join(lines)
    reader = csv.DictReader(io.StringIO(body_text))
    return reader.fieldnames, list(reader)


@pytest.fixture
def client(province_url, settings_for):
    from app import create_app

    return create_app(settings_for(province_url)).server.test_client()


@pytest.mark.parametrize("dataset", list(EXPECTED_SQL))
def test_every_dataset_as_csv_and_json_honours_its_filters(client, province_url, dataset):
    params, _ = EXPECTED_SQL[dataset]
    expected = expected_count(province_url, dataset)
    assert expected > 0 or dataset == "rejections"  # the small province has no bad rows
    query = "&".join(f"{k}={v}" for k, v in params.items())
    answer = client.get(f"/api/v1/{dataset}.csv?{query}")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="pantau-koperasi_{dataset}_' in answer.headers["Content-Disposition"]
    header, rows = read_csv(answer.data)
    assert header == ex.DATASETS[dataset].columns
    assert len(rows) == expected
    page = client.get(f"/api/v1/{dataset}.json?{query}&limit=10000").get_json()
    assert page["total"] == expected and page["count"] == expected and len(page["rows"]) == expected
    assert page["dataset"] == dataset and page["simulated"] is True and page["filters"] == params
    assert page["next"] is None
    # The rows really are the filtered ones, not just as many.
    everything = client.get(f"/api/v1/{dataset}.json?limit=10000").get_json()
    if dataset not in ("rejections",):
        assert everything["total"] > expected
    if "regency_code" in header:
        assert {r["regency_code"] for r in rows} <= {KAB}
    if dataset == "reports":
        assert {r["period_end"] for r in rows} == {"2026-09-30"}
        niks = {r["nik"] for r in client.get(f"/api/v1/registry.json?kab={KAB}&jenis={JENIS}&limit=10000")
                .get_json()["rows"]}
        assert {r["nik"] for r in rows} <= niks and rows
        # the CSV and the JSON hold the same values (numbers as numbers, dates as ISO text)
        first = page["rows"][0]
        assert rows[0]["nik"] == first["nik"] and float(rows[0]["total_assets"]) == first["total_assets"]
    if dataset == "rat":
        assert {r["fiscal_year"] for r in rows} == {TAHUN}


def test_dataset_list_and_dictionary_describe_every_column(client):
    listing = client.get("/api/v1/datasets.json").get_json()
    assert [d["name"] for d in listing["datasets"]] == list(ex.DATASETS)
    dictionary = client.get("/api/v1/dictionary.json").get_json()["columns"]
    for spec in listing["datasets"]:
        described = [c for c in dictionary if c["dataset"] == spec["name"]]
        assert [c["column"] for c in described] == spec["columns"]
        assert all(c["description_id"] and c["description_en"] and c["type"] for c in described)
    amounts = {c["column"]: c for c in dictionary if c["dataset"] == "reports"}
    assert amounts["total_assets"]["unit"] == "Rupiah" and amounts["total_assets"]["alias_template"] == "total_aset"
    as_csv = client.get("/api/v1/dictionary.csv?dataset=rat")
    assert as_csv.data.startswith(b"\xef\xbb\xbf")
    header, rows = read_csv(as_csv.data, simulated=False)
    assert header[:4] == ["dataset", "column", "type", "unit"] and [r["column"] for r in rows] == ex.DATASETS["rat"].columns


def test_the_province_row_and_type_rows_are_served_as_stored(client, province_url):
    """kab=53 is the province's own row (computed by the refresh over every cooperative, never a sum made here);
    without jenis the rows are all types, with jenis the type's rows."""
    rows = client.get(f"/api/v1/regency_indicators.json?periode={PERIODE}&limit=10000").get_json()["rows"]
    assert len(rows) == 23 and {r["type"] for r in rows} == {""}
    province = next(r for r in rows if r["regency_code"] == "53")
    assert province["regency_name"] == "Provinsi Nusa Tenggara Timur"
    stored = read_sql(province_url, "select * from regency_indicators where regency_code = '53' and type = '' "
                                    "and period_end = :pe and scope = 'daerah'")
    for column in ("pct_sehat", "members", "reporting_rate", "roa_pooled", "members_change"):
        value = stored[column].iloc[0]
        assert province[column] == (None if value != value else pytest.approx(value)), column
    only = client.get(f"/api/v1/regency_indicators.json?periode={PERIODE}&kab=53&jenis={JENIS}").get_json()["rows"]
    assert len(only) == 1 and only[0]["type"] == JENIS and only[0]["regency_code"] == "53"


def test_the_indicator_registry_is_public_and_complete(province_url, settings_for):
    """/api/v1/indicators.json answers without a log-in (definitions only) and lists every published figure."""
    from app import create_app
    from indicators import registry

    app = create_app(settings_for(province_url, ACCESS_CONTROL="on"))
    client = app.server.test_client()
    assert client.get("/api/v1/reports.json").status_code == 401  # data still needs an analyst
    answer = client.get("/api/v1/indicators.json")
    assert answer.status_code == 200
    body = answer.get_json()
    by_id = {i["id"]: i for i in body["indicators"]}
    assert set(by_id) == set(registry.load().indicators)
    for name in ("roa", "npl_ratio", "equity_ratio", "current_ratio", "pct_sehat", "reporting_rate"):
        item = by_id[name]
        assert item["formula_id"] and item["formula_en"] and item["unit"] and item["population"] in body["populations"]
        assert item["confidence"] in ("confirmed", "uncertain") and item["published"]
    assert by_id["roa"]["definition"] == {"numerator": "shu_after_tax", "denominator": "total_assets",
                                          "annualise": "numerator"}
    assert body["lookback_months"] == 12


def read_sql(url: str, sql: str):
    import pandas as pd
    from datetime import date

    from warehouse.db import engine_for

    with engine_for(url).connect() as conn:
        return pd.read_sql(text(sql), conn, params={"pe": date(2026, 9, 30)})


def test_json_pages_chain_through_next_to_the_whole_dataset(client, province_url):
    whole = client.get(f"/api/v1/registry.json?kab={KAB}&limit=10000").get_json()
    seen, url = [], f"/api/v1/registry.json?kab={KAB}&limit=7"
    while url:
        page = client.get(url).get_json()
        assert page["count"] == len(page["rows"]) <= 7 and page["total"] == whole["total"]
        seen += page["rows"]
        # a path on this site, never built from the request's Host header (which a client can set)
        assert page["next"] is None or page["next"].startswith("/api/v1/registry.json?")
        url = page["next"]
    assert seen == whole["rows"] and len(seen) == 30


def test_the_next_link_ignores_a_forged_host_header(client):
    page = client.get(f"/api/v1/registry.json?kab={KAB}&limit=7", headers={"Host": "evil.example"}).get_json()
    assert page["next"].startswith("/api/v1/registry.json?") and "evil" not in page["next"]


BAD = [
    ("/api/v1/reports.csv?kab=9999", 400, "kab", "9999"),
    ("/api/v1/reports.csv?kab=53710", 400, "kab", "53710"),
    ("/api/v1/reports.json?jenis=koperasi", 400, "jenis", "koperasi"),
    ("/api/v1/reports.csv?periode=2026-13", 400, "periode", "2026-13"),
    ("/api/v1/reports.csv?periode=September", 400, "periode", "September"),
    ("/api/v1/reports.csv?periode_dari=2026-09&periode_sampai=2026-01", 400, "periode_sampai", "2026-01"),
    ("/api/v1/reports.csv?periode=2026-09&periode_dari=2026-01", 400, "periode_dari", "2026-01"),
    ("/api/v1/reports.csv?kabupaten=5371", 400, "kabupaten", "5371"),
    ("/api/v1/reports.csv?kab=5371&kab=5310", 400, "kab", "5310"),
    ("/api/v1/registry.csv?periode=2026-09", 400, "periode", "2026-09"),
    ("/api/v1/rat.csv?periode=2024-12", 400, "periode", "2024-12"),
    ("/api/v1/rat.csv?tahun=24", 400, "tahun", "24"),
    ("/api/v1/scores.csv?kerangka=camel", 400, "kerangka", "camel"),
    ("/api/v1/regency_indicators.csv?jenis=ksp", 400, "jenis", "ksp"),
    ("/api/v1/snapshots.csv?kab=53", 400, "kab", "53"),
    ("/api/v1/reports.json?limit=0", 400, "limit", "0"),
    ("/api/v1/reports.json?limit=50000", 400, "limit", "50000"),
    ("/api/v1/reports.json?offset=-1", 400, "offset", "-1"),
    ("/api/v1/koperasi.csv", 404, "dataset", "koperasi"),
    ("/api/v1/reports.xlsx", 404, "format", "xlsx"),
    ("/api/v1/dictionary.json?dataset=nope", 404, "dataset", "nope"),
]


@pytest.mark.parametrize("url,status,parameter,value", BAD)
def test_bad_parameters_are_refused_with_a_message_naming_them(client, url, status, parameter, value):
    answer = client.get(url)
    assert answer.status_code == status
    body = answer.get_json()
    assert body["parameter"] == parameter and body["value"] == value
    assert f"'{parameter}'" in body["error"] and value in body["error"] and body["rule"] in body["error"]
    assert body["pesan"] != body["error"]  # Indonesian too


def test_unchanged_warehouse_answers_304_and_a_new_data_version_a_fresh_answer(engine, app_settings, tmp_path):
    from app import create_app
    from ingest.pipeline import ingest_file
    from tests.ingest.conftest import REGISTRY_CSV, write
    from warehouse import db

    ingest_file(engine, write(tmp_path / "koperasi.csv", REGISTRY_CSV))
    client = create_app(app_settings).server.test_client()
    first = client.get("/api/v1/registry.csv?kab=5371")
    tag = first.headers["ETag"]
    assert first.status_code == 200 and "no-cache" in first.headers["Cache-Control"]
    header, rows = read_csv(first.data, simulated=False)  # real data: no DATA SIMULASI line
    assert [r["nik"] for r in rows] == ["5371000000001", "5371000000002"]
    again = client.get("/api/v1/registry.csv?kab=5371", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/api/v1/registry.csv?kab=5307", headers={"If-None-Match": tag})
    assert other.status_code == 200  # another selection, another tag
    with engine.begin() as conn:
        db.set_meta(conn, "simulated", "true")
        db.bump_data_version(conn)
    fresh = client.get("/api/v1/registry.csv?kab=5371", headers={"If-None-Match": tag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != tag
    read_csv(fresh.data, simulated=True)
    as_json = client.get("/api/v1/registry.json")
    assert client.get("/api/v1/registry.json", headers={"If-None-Match": as_json.headers["ETag"]}).status_code == 304


def test_text_that_looks_like_a_formula_is_neutralised_in_csv_but_numbers_are_not(engine, app_settings, tmp_path):
    """The contract refuses a formula in any free-text column at ingest (the rejection's NIK cell is guarded in the
    CSV too); a value that reached the warehouse otherwise (an older load, another tool) is still neutralised in CSV,
    while a negative number stays a number."""
    from sqlalchemy import update

    from app import create_app
    from ingest.pipeline import ingest_file
    from tests.ingest.conftest import write
    from tests.support.sql import add_cooperatives
    from warehouse.models import Cooperative

    registry = ("nik,name,regency_code,district,type,status,legal_entity_number,latitude,longitude\n"
                '5371000000008,KSP Aman,5371,"=HYPERLINK(""http://x.example"",""klik"")",simpan_pinjam,active,'
                ",,\n"
                "=1+2,=HYPERLINK(1),5371,,jasa,active,,,\n")
    result = ingest_file(engine, write(tmp_path / "koperasi.csv", registry))
    assert result.counts.loaded == 0 and result.counts.rejected == 2
    add_cooperatives(engine, {"5371000000009": "5371"})
    with engine.begin() as conn:
        conn.execute(update(Cooperative).values(name="KSP Aman", district='=HYPERLINK("http://x.example","klik")',
                                                legal_entity_number="+62-BH-1", latitude=-10.17, longitude=123.6))
    client = create_app(app_settings).server.test_client()
    _, rows = read_csv(client.get("/api/v1/registry.csv").data, simulated=False)
    assert rows[0]["district"] == "'=HYPERLINK(\"http://x.example\",\"klik\")"
    assert rows[0]["legal_entity_number"] == "'+62-BH-1"
    assert rows[0]["latitude"] == "-10.17"  # a negative number stays a number
    assert rows[0]["name"] == "KSP Aman"
    _, rejected = read_csv(client.get("/api/v1/rejections.csv").data, simulated=False)
    by_nik = {r["nik"]: r["reasons"] for r in rejected}
    assert "district==HYPERLINK" in by_nik["5371000000008"]
    assert "name==HYPERLINK(1)" in by_nik["'=1+2"]
    # JSON is data, not a spreadsheet: values as they are
    assert client.get("/api/v1/registry.json").get_json()["rows"][0]["district"].startswith("=HYPERLINK")


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_json_goes_out_compressed_when_asked_and_its_etag_still_answers_304(client, encoding):
    import gzip

    import brotli
    from backports import zstd

    plain = client.get("/api/v1/reports.json?limit=500")
    packed = client.get("/api/v1/reports.json?limit=500", headers={"Accept-Encoding": encoding})
    assert plain.headers.get("Content-Encoding") is None and packed.headers["Content-Encoding"] == encoding
    unpack = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress}[encoding]
    assert unpack(packed.data) == plain.data and len(packed.data) * 4 < len(plain.data)
    assert "Accept-Encoding" in packed.headers["Vary"]
    # The browser sends back the tag it got ("<tag>:<encoding>"): the same data, so 304 without rebuilding it.
    assert packed.headers["ETag"] == plain.headers["ETag"].rstrip('"') + f':{encoding}"'
    again = client.get("/api/v1/reports.json?limit=500", headers={"Accept-Encoding": encoding,
                                                                   "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == plain.headers["ETag"]  # answered by the API's own check, not after rebuilding
    # CSV downloads stream uncompressed (analysts' tools, resumable files).
    assert client.get("/api/v1/registry.csv", headers={"Accept-Encoding": encoding}).headers.get(
        "Content-Encoding") is None

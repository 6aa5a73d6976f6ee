"""The files `write` produces: layout, dialects, aliases, channels, labels and the manifest."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

import openpyxl
import pandas as pd
import pytest

from ingest.simulator import write
from ingest.simulator.contract import ALIASES, KOPERASI_COLUMNS, RAT_COLUMNS

from .conftest import AS_OF
from .readback import canonical, read_platform


def test_layout_has_the_four_places(written):
    manifest, out = written
    names = set(manifest.files)
    assert {f"inbox/koperasi_{code}.xlsx" for code in pd.read_csv(out / "registry" / "registry_export.csv", dtype=str)["nik"].str[:4]} <= names
    assert len([n for n in names if n.startswith("inbox/koperasi_")]) == 22
    monthly = sorted(n for n in names if n.startswith("inbox/laporan_keuangan_2") and "-" in n.split("_")[2])
    months = sorted({n.split("_")[2] for n in monthly})
    assert months == ["2026-05", "2026-06"]  # the last two months: a file per kabupaten and month
    assert len(monthly) == 2 * 22
    # older months: one backlog file per year for the whole province (few large files), and the one kabupaten-year
    # an office re-sent on its own (with a broken header)
    yearly = sorted(n for n in names if n.startswith("inbox/laporan_keuangan_") and "-" not in n.split("_")[2])
    assert [n for n in yearly if n.endswith("_provinsi.csv")] == [
        f"inbox/laporan_keuangan_{y}_provinsi.csv" for y in range(2019, 2027)]
    broken = [f["file"] for f in manifest.rejected_files if f["column"] == "nik"]
    assert [n for n in yearly if not n.endswith("_provinsi.csv")] == broken
    assert manifest.files["inbox/laporan_keuangan_2024_provinsi.csv"]["rows"] > 10_000
    assert {"platform/cooperatives.json", "platform/reports.json", "platform/meetings.json", "platform/digital.json",
            "registry/registry_export.csv", "DATA_SIMULASI.txt"} <= names
    assert "DATA SIMULASI" in (out / "DATA_SIMULASI.txt").read_text(encoding="utf-8")


def test_manifest_hashes_counts_and_label(written, province):
    manifest, out = written
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert data["label"] == "DATA SIMULASI" and data["seed"] == 2023 and data["as_of"] == AS_OF.isoformat()
    for rel, info in data["files"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == info["sha256"], rel
    counts = data["counts"]["laporan_keuangan"]
    assert counts["inbox"]["clean"] + counts["platform"]["clean"] + sum(f["rows"] for f in data["rejected_files"]) == len(province.reports)
    assert counts["inbox"]["faulty"] + counts["platform"]["faulty"] == len(data["faults"]) == len(province.faults)
    assert data["counts"]["koperasi"]["inbox"]["rows"] + data["counts"]["koperasi"]["platform"]["rows"] == len(province.cooperatives)
    assert data["counts"]["rat"]["inbox"]["rows"] + data["counts"]["rat"]["platform"]["rows"] == len(province.meetings)
    assert {f["kind"] for f in data["faults"]} == {
        "negative_total_assets", "loans_at_risk_exceeds_loans", "current_assets_exceed_total_assets",
        "period_in_future", "unknown_nik", "text_in_number"}
    assert [f["kind"] for f in data["rejected_files"]] == ["missing_required_column"] * 2
    assert all({"file", "row", "nik", "period_end", "kind"} <= set(f) for f in data["faults"])


def test_half_the_kabupaten_write_indonesian_excel_csv(written):
    manifest, out = written
    excel = manifest.data["dialects"]["excel_indonesian"]
    assert len(excel) == 11
    code = excel[0]
    rel = next(n for n in sorted(manifest.files) if n.startswith("inbox/laporan_keuangan_2026-05_") and n.endswith(f"_{code}.csv"))
    blob = (out / rel).read_bytes()
    assert blob.startswith(b"\xef\xbb\xbf") and b"\r\n" in blob
    frame = pd.read_csv(out / rel, sep=";", thousands=".", decimal=",", encoding="utf-8-sig", dtype={"nik": str, "nomor_induk_koperasi": str})
    frame = canonical(frame, "laporan_keuangan")
    assert frame["total_assets"].dtype.kind == "i" and (frame["total_assets"] > 1000).all()
    assert "." in blob.decode("utf-8-sig").splitlines()[1].split(";")[4]  # 1.234.567
    plain = next(n for n in sorted(manifest.files) if n.startswith("inbox/laporan_keuangan_2026-05_") and n[-8:-4] not in excel)
    text = (out / plain).read_text(encoding="utf-8")
    assert not text.startswith("\ufeff") and "\r" not in text and text.count(";") == 0


def test_a_few_kabupaten_use_indonesian_column_names_everywhere(written):
    manifest, out = written
    aliased = manifest.data["dialects"]["indonesian_aliases"]
    assert 3 <= len(aliased) <= 5
    code = aliased[0]
    rel = next(n for n in sorted(manifest.files) if n.startswith("inbox/laporan_keuangan_2026-05_") and n.endswith(f"_{code}.csv"))
    header = (out / rel).read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(";" if ";" in header else ",")[:4] == ["nomor_induk_koperasi", "akhir_periode", "jenis_periode", "jumlah_anggota"]
    assert ",bulanan," in (out / rel).read_text(encoding="utf-8-sig").replace(";", ",")
    sheet = openpyxl.load_workbook(out / f"inbox/koperasi_{code}.xlsx", read_only=True)["koperasi"]
    first = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert first == [ALIASES["koperasi"].get(c, c) for c in KOPERASI_COLUMNS]


def test_workbooks_hold_text_niks_real_dates_and_no_formula(written, province):
    manifest, out = written
    book = openpyxl.load_workbook(out / "inbox/koperasi_5371.xlsx")
    assert book.sheetnames == ["koperasi", "rat"]
    assert book.properties.title.startswith("DATA SIMULASI")
    rows = list(book["koperasi"].iter_rows(values_only=True))
    header = rows[0]
    if header[0] == "nik":
        assert list(header) == list(KOPERASI_COLUMNS)
    assert all(isinstance(r[0], str) and r[0].isdigit() and len(r[0]) == 13 for r in rows[1:])
    assert all(r[8] is None or isinstance(r[8], datetime) for r in rows[1:])
    rat = list(book["rat"].iter_rows(values_only=True))
    assert len(rat[0]) == len(RAT_COLUMNS) and isinstance(rat[1][2], datetime)
    assert not any(isinstance(v, str) and v.startswith("=") for r in rows for v in r)


def test_each_cooperative_reports_through_exactly_one_channel(written, province, file_reports):
    manifest, out = written
    platform = province.platform_niks
    inbox_niks = set(file_reports.loc[file_reports["file"].str.startswith("inbox/"), "nik"].dropna())
    api_niks = set(file_reports.loc[file_reports["file"].str.startswith("platform/"), "nik"].dropna())
    known = set(province.cooperatives["nik"])
    assert not (inbox_niks & platform)
    assert (api_niks & known) <= platform
    cooperatives = read_platform(out, "cooperatives")
    assert set(cooperatives["nik"]) == platform
    meetings = read_platform(out, "meetings")
    assert set(meetings["nik"]) <= platform
    digital = read_platform(out, "digital")
    assert len(digital) == len(province.digital)  # stage rows of everyone come through the API
    assert len(set(digital["nik"]) - platform) > 0


def test_platform_items_carry_updated_at_with_timezone_before_as_of(written):
    _, out = written
    for endpoint in ("cooperatives", "reports", "meetings", "digital"):
        items = json.loads((out / "platform" / f"{endpoint}.json").read_text(encoding="utf-8"))
        stamps = [datetime.fromisoformat(i["updated_at"]) for i in items]
        assert all(s.utcoffset() == timedelta(hours=8) for s in stamps)
        assert all(s < datetime.fromisoformat(f"{AS_OF.isoformat()}T00:00:00+08:00") for s in stamps)
        assert stamps == sorted(stamps)


def test_registry_export_csv(written, province):
    _, out = written
    export = pd.read_csv(out / "registry" / "registry_export.csv", dtype=str, keep_default_na=False)
    assert list(export.columns) == ["nik", "name", "certificate_status", "grade", "last_rat_date"]
    assert set(export["nik"]) <= set(province.cooperatives["nik"])
    assert len(export) == (province.cooperatives["status"] != "dissolved").sum()


def test_write_refuses_to_overwrite_an_earlier_simulation(written, province):
    _, out = written
    with pytest.raises(FileExistsError):
        write(province, out)

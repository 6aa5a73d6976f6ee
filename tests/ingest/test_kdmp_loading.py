"""The kdmp and pendampingan datasets through the real ingest path, on SQLite and PostgreSQL: one named reason per
broken rule (file, row, column, value, rule), the good rows of the same file loaded, the same file twice changing
nothing, a later as_of a new state beside the old one, a re-sent row a revision; the registry's KDMP columns."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
from sqlalchemy import func, select

from ingest.pipeline import ingest_file
from warehouse.models import Cooperative, KdmpProgress, Mentoring, Rejection

TODAY = date(2025, 12, 1)
KDMP_HEADER = ("village_code,village_name,village_type,nik,as_of,musdesus_on,deed_on,ahu_on,nib_on,npwp_on,"
               "bank_account_on,simkopdes_on,land_ready_on,handover_on,first_rat_on,ahu_number,construction_pct,"
               "outlets,members,financing_scheme,financing_plafond,financing_disbursed,business_assistant")
# the good row, then one row per rule (each breaks exactly that rule)
GOOD = ("5321012001,Barene,desa,5321000000001,2025-11-13,2025-05-10,2025-06-20,2025-07-15,2025-09-01,2025-09-10,"
        "2025-08-01,2025-10-01,2025-11-01,,,AHU-0000001.AH.01.29.TAHUN 2025,10,Sembako; Kantor,150,agrinas,"
        "3000000000,500000000,BA-5321-01")
BAD = {
    "prefix": "9921012003,Salah,desa,,2025-11-13,,,,,,,,,,,,,,,,,,",
    "type": "5321011004,Tipe,desa,,2025-11-13,,,,,,,,,,,,,,,,,,",
    "order": "5321012005,Urutan,desa,,2025-11-13,2025-07-10,2025-06-20,2025-07-25,2025-07-20,,,,,,,,,,,,,,",
    "bank": "5321012006,Bank,desa,,2025-11-13,,,2025-07-15,,,2025-07-01,,,,,,,,,,,,",
    "handover": "5321012007,Serah,desa,,2025-11-13,,,,,,,,,2025-10-01,,,,,,,,,",
    "pct": "5321012008,Persen,desa,,2025-11-13,,,,,,,,,,,,150,,,,,,",
    "outlet": "5321012009,Gerai,desa,,2025-11-13,,,,,,,,,,,,,sembako;bengkel,,,,,",
    "disbursed": "5321012010,Cair,desa,,2025-11-13,,,,,,,,,,,,,,,pmk49,100,200,",
    "after_as_of": "5321012011,Kemudian,desa,,2025-11-13,2025-11-20,,,,,,,,,,,,,,,,,",
    "future": "5321012012,Nanti,desa,,2025-12-24,,,,,,,,,,,,,,,,,,",
}
DUPLICATES = ["5321012013,Ganda,desa,,2025-11-13,,,,,,,,,,,,,,,,,,",
              "5321012013,Ganda,desa,,2025-11-13,2025-05-01,,,,,,,,,,,,,,,,,"]


def write(path, lines: list[str]):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def registry(engine, tmp_path):
    """One KDMP in the registry (programme kdmp, its village code) and one credit union."""
    path = write(tmp_path / "koperasi.csv", [
        "nik,name,regency_code,type,status,established_year,membership_area,programme,village_code",
        "5321000000001,Koperasi Desa Merah Putih Barene,5321,konsumen,aktif,2025,kabupaten,kdmp,5321012001",
        "5371000000002,KSP Uji,5371,simpan_pinjam,aktif,2000,nasional,,"])
    assert ingest_file(engine, path, today=TODAY).ok


def reasons(engine, dataset: str) -> dict[int, list[tuple]]:
    with engine.connect() as conn:
        rows = conn.execute(select(Rejection.row_number, Rejection.source_file, Rejection.reasons)
                            .where(Rejection.dataset == dataset)).all()
    return {r.row_number: [(x["column"], x["value"], x["rule"]) for x in json.loads(r.reasons)] for r in rows}


def test_a_kdmp_file_with_bad_rows_gets_one_named_reason_per_rule_and_the_good_row_loads(engine, tmp_path):
    registry(engine, tmp_path)
    path = write(tmp_path / "kdmp_malaka.csv", [KDMP_HEADER, GOOD, *BAD.values(), *DUPLICATES])
    result = ingest_file(engine, path, today=TODAY)
    assert result.ok and (result.counts.loaded, result.counts.rejected) == (1, len(BAD) + 2)
    got = reasons(engine, "kdmp")
    row = {name: i + 3 for i, name in enumerate(BAD)}  # the header is row 1, the good row 2
    assert got[row["prefix"]] == [("village_code", "9921012003",
                                   "its first four digits must be an NTT kabupaten/kota code (5301–5321, 5371)")]
    assert got[row["type"]] == [("village_type", "desa / 5321011004",
                                 "a kelurahan's code has 1 and a desa's code 2 as its 7th digit (Kemendagri)")]
    order = "must not be before the earlier milestone (musdesus ≤ akta ≤ SK AHU ≤ NIB; SK AHU ≤ rekening bank)"
    assert got[row["order"]] == [("deed_on", "2025-06-20 < musdesus_on 2025-07-10", order),
                                 ("nib_on", "2025-07-20 < ahu_on 2025-07-25", order)]
    assert got[row["bank"]] == [("bank_account_on", "2025-07-01 < ahu_on 2025-07-15", order)]
    assert got[row["handover"]] == [("handover_on", "2025-10-01", "a handover needs land_ready_on (land ready first)")]
    assert got[row["pct"]] == [("construction_pct", 150.0, "must be between 0 and 100")]
    assert got[row["outlet"]] == [("outlets", "bengkel", "must list only these, separated by ';': kantor, "
                                   "simpan_pinjam, sembako, apotek, klinik, gudang, cold_storage, logistik, elpiji, "
                                   "lainnya")]
    assert got[row["disbursed"]] == [("financing_disbursed", "200.0 > financing_plafond 100.0",
                                      "must be ≤ financing_plafond")]
    assert got[row["after_as_of"]] == [("musdesus_on", "2025-11-20 > as_of 2025-11-13",
                                        "must not be after as_of (the date the row describes)")]
    assert got[row["future"]] == [("as_of", "2025-12-24", "must not be in the future")]
    conflict = "conflicting rows for the same village_code and as_of: rows 13, 14"
    assert got[13] == got[14] == [("village_code+as_of", "5321012013", conflict)]
    with engine.connect() as conn:
        loaded = conn.execute(select(KdmpProgress.village_code, KdmpProgress.outlets, KdmpProgress.nik,
                                     KdmpProgress.construction_pct)).all()
        files = {f for (f,) in conn.execute(select(Rejection.source_file).where(Rejection.dataset == "kdmp"))}
    assert [tuple(r) for r in loaded] == [("5321012001", "sembako;kantor", "5321000000001", 10.0)]
    assert files == {"kdmp_malaka.csv"}


def test_the_same_kdmp_file_twice_changes_nothing_and_a_later_as_of_is_a_new_state(engine, tmp_path):
    registry(engine, tmp_path)
    first = write(tmp_path / "kdmp_1.csv", [KDMP_HEADER, GOOD])
    assert ingest_file(engine, first, today=TODAY).counts.loaded == 1
    again = ingest_file(engine, first, today=TODAY)
    assert (again.counts.loaded, again.counts.revised, again.counts.unchanged) == (0, 0, 1)
    later = GOOD.replace("2025-11-13", "2025-11-28").replace(",10,", ",35,")
    assert ingest_file(engine, write(tmp_path / "kdmp_2.csv", [KDMP_HEADER, later]), today=TODAY).counts.loaded == 1
    # a re-sent row with new figures for the same village and as_of: a revision, the old one kept
    fixed = GOOD.replace(",150,", ",160,")
    resent = ingest_file(engine, write(tmp_path / "kdmp_3.csv", [KDMP_HEADER, fixed]), today=TODAY)
    assert (resent.counts.loaded, resent.counts.revised) == (0, 1)
    with engine.connect() as conn:
        rows = conn.execute(select(KdmpProgress.as_of, KdmpProgress.revision, KdmpProgress.is_current,
                                   KdmpProgress.members, KdmpProgress.construction_pct)
                            .order_by(KdmpProgress.as_of, KdmpProgress.revision)).all()
    assert [(str(r.as_of), r.revision, bool(r.is_current), r.members, r.construction_pct) for r in rows] == [
        ("2025-11-13", 1, False, 150, 10.0), ("2025-11-13", 2, True, 160, 10.0), ("2025-11-28", 1, True, 150, 35.0)]


def test_a_kdmp_row_with_an_unknown_nik_is_quarantined(engine, tmp_path):
    registry(engine, tmp_path)
    row = GOOD.replace("5321000000001", "5321999999999")
    result = ingest_file(engine, write(tmp_path / "kdmp.csv", [KDMP_HEADER, row]), today=TODAY)
    assert result.counts.rejected == 1
    assert reasons(engine, "kdmp")[2] == [("nik", "5321999999999", "not in the registry (load the koperasi sheet first)")]


def test_pendampingan_rows_name_a_cooperative_or_a_known_kdmp_village_and_the_good_ones_load(engine, tmp_path):
    registry(engine, tmp_path)
    assert ingest_file(engine, write(tmp_path / "kdmp.csv", [KDMP_HEADER, GOOD]), today=TODAY).ok
    path = write(tmp_path / "pendampingan_2025.csv", [
        "nomor_induk_koperasi,kode_desa,tanggal,jenis_kegiatan,topik,pendamping,jam",  # Indonesian headers
        "5371000000002,,2025-10-01,pelatihan,Laporan keuangan digital,Dinas Koperasi dan UKM Provinsi NTT,6",
        ",5321012001,2025-10-02,kunjungan,,BA-5321-01,2",
        ",,2025-10-02,pelatihan,Dokumen RAT,Dinas,6",
        ",5321019999,2025-10-02,pelatihan,Dokumen RAT,Dinas,6",
        "5371000000002,,2025-10-03,rapat,Rencana,Dinas,0",
        "5399999999999,,2025-10-04,kunjungan,Monitoring,Dinas,1",
    ])
    result = ingest_file(engine, path, today=TODAY)
    assert (result.counts.loaded, result.counts.rejected) == (2, 4)
    got = reasons(engine, "pendampingan")
    assert got[4] == [("nik/village_code", None, "one of nik or village_code is required")]
    assert got[5] == [("village_code", "5321019999", "not a KDMP village of the warehouse (load its kdmp rows first)")]
    assert got[6] == [("kind", "rapat", "must be one of pelatihan, pendampingan, kunjungan"), ("hours", 0.0, "must be > 0")]
    assert got[7] == [("nik", "5399999999999", "not in the registry (load the koperasi sheet first)")]
    with engine.connect() as conn:
        rows = conn.execute(select(Mentoring.subject, Mentoring.nik, Mentoring.village_code, Mentoring.topic,
                                   Mentoring.hours).order_by(Mentoring.activity_date)).all()
    assert [tuple(r) for r in rows] == [
        ("5371000000002", "5371000000002", None, "Laporan keuangan digital", 6.0),
        ("5321012001", None, "5321012001", "", 2.0)]  # an empty topic is stored as ''
    again = ingest_file(engine, path, today=TODAY)
    assert (again.counts.loaded, again.counts.unchanged) == (0, 2)


def test_a_kdmp_in_the_registry_needs_its_village_code_in_its_own_kabupaten(engine, tmp_path):
    path = write(tmp_path / "koperasi.csv", [
        "nik,name,regency_code,type,status,programme,village_code,membership_area",
        "5321000000001,Kopdes A,5321,konsumen,aktif,kdmp,,kabupaten",
        "5321000000002,Kopdes B,5321,konsumen,aktif,kdmp,5301012001,kabupaten",
        "5321000000003,Kopdes C,5321,konsumen,aktif,kdmp,5321012003,kabupaten/kota",
        "5321000000004,KSP D,5321,simpan_pinjam,aktif,,,lintas negara",
    ])
    result = ingest_file(engine, path, today=TODAY)
    assert (result.counts.loaded, result.counts.rejected) == (1, 3)
    got = reasons(engine, "koperasi")
    assert got[2] == [("village_code", None, "is required for a KDMP (programme kdmp)")]
    assert got[3] == [("village_code", "5301012001 / regency_code 5321", "must start with the cooperative's regency_code")]
    assert got[5] == [("membership_area", "lintas negara", "must be one of kabupaten, provinsi, nasional")]
    with engine.connect() as conn:
        kept = conn.execute(select(Cooperative.nik, Cooperative.membership_area, Cooperative.programme,
                                   Cooperative.village_code)).all()
    assert [tuple(r) for r in kept] == [("5321000000003", "kabupaten", "kdmp", "5321012003")]  # alias kabupaten/kota


def test_a_kdmp_workbook_sheet_loads_like_the_csv(engine, tmp_path):
    registry(engine, tmp_path)
    frame = pd.read_csv(pd.io.common.StringIO("\n".join([KDMP_HEADER, GOOD])), dtype=str)
    path = tmp_path / "templat.xlsx"
    with pd.ExcelWriter(path) as book:
        frame.to_excel(book, sheet_name="kdmp", index=False)
    result = ingest_file(engine, path, today=TODAY)
    assert result.ok and result.counts.loaded == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(KdmpProgress)).scalar() == 1

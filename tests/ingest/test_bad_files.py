"""A corpus of bad files: each gets an exact, actionable reason; bad rows are quarantined, good rows load."""
import json
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from ingest.pipeline import ingest_file
from tests.ingest.conftest import GOOD_ROW_1, GOOD_ROW_2, REPORT_HEADER, write
from warehouse.models import Cooperative, FinancialReport, IngestRun, Rejection


def reasons(engine, run_id):
    """(row, nik, [{column, value, rule}]) of a run's quarantined rows (the rule's code and params, which layouts
    translate, are tested in tests/ingest/test_reason_codes.py)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Rejection.row_number, Rejection.nik, Rejection.reasons)
                            .where(Rejection.ingest_run_id == run_id).order_by(Rejection.row_number)).all()
    return [(r.row_number, r.nik, [{k: x[k] for k in ("column", "value", "rule")} for x in json.loads(r.reasons)])
            for r in rows]


def report_count(engine):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(FinancialReport)).scalar()


def test_missing_required_column_rejects_the_whole_file(engine, loaded_registry, tmp_path):
    path = write(tmp_path / "laporan_keuangan_2024-06_5371.csv",
                 REPORT_HEADER.replace("period_type,", "") + "\n" + GOOD_ROW_1.replace("month,", "") + "\n")
    result = ingest_file(engine, path)
    assert result.status == "rejected"
    assert result.message.startswith("laporan_keuangan_2024-06_5371.csv: missing required column(s) period_type")
    assert report_count(engine) == 0
    [(row, nik, why)] = reasons(engine, result.run_id)
    assert row is None and why[0]["rule"] == result.message
    with engine.connect() as conn:
        assert conn.execute(select(IngestRun.status).where(IngestRun.id == result.run_id)).scalar() == "rejected"


@pytest.mark.parametrize(
    "row, expected",
    [
        (GOOD_ROW_2.replace("200000000,150000000", "banyak,150000000"),
         {"column": "total_assets", "value": "banyak", "rule": "must be a number"}),
        (GOOD_ROW_2.replace("200000000,150000000", "-5,0"),
         {"column": "total_assets", "value": -5.0, "rule": "must be ≥ 0"}),
        (GOOD_ROW_1.replace("600000000,50000000", "40000000,50000000"),
         {"column": "loans_at_risk", "value": "50000000.0 > loans_outstanding 40000000.0",
          "rule": "must be ≤ loans_outstanding"}),
        (GOOD_ROW_1.replace("600000000,50000000,10000000,5000000,2000000", "600000000,50000000,300000000,200000000,200000000"),
         {"column": "loans_substandard+loans_doubtful+loans_loss", "value": 700000000.0,
          "rule": "kurang lancar + diragukan + macet must be ≤ loans_outstanding"}),
        (GOOD_ROW_2.replace("5371000000002", "5371999999999"),
         {"column": "nik", "value": "5371999999999", "rule": "not in the registry (load the koperasi sheet first)"}),
        (GOOD_ROW_2.replace("2024-06-30,month", "2024-06-30,quarter").replace("2024-06-30", "2024-05-31"),
         {"column": "period_type", "value": "quarter / 2024-05-31",
          "rule": "must match period_end (quarter ends in Mar/Jun/Sep/Dec, year ends in December)"}),
        (GOOD_ROW_2.replace("2024-06-30", "2024-06-29"),
         {"column": "period_end", "value": "2024-06-29", "rule": "must be the last day of a month"}),
    ],
    ids=["text-in-number", "negative-amount", "at-risk-above-outstanding", "arrears-classes-above-outstanding",
         "unknown-nik", "period-type-mismatch", "not-month-end"],
)
def test_a_bad_row_is_quarantined_with_its_reason_and_good_rows_load(engine, loaded_registry, tmp_path, row, expected):
    good = GOOD_ROW_2 if row.split(",")[0] == GOOD_ROW_1.split(",")[0] else GOOD_ROW_1
    path = write(tmp_path / "laporan_keuangan_2024-06_5371.csv", "\n".join([REPORT_HEADER, good, row]) + "\n")
    result = ingest_file(engine, path)
    assert result.ok and result.counts.loaded == 1 and result.counts.rejected == 1
    [(row_number, nik, why)] = reasons(engine, result.run_id)
    assert row_number == 3  # header is row 1, the good row is row 2
    assert expected in why
    assert report_count(engine) == 1


def test_a_future_period_is_refused(engine, loaded_registry, tmp_path):
    future = (pd.Timestamp(date.today()) + pd.offsets.MonthEnd(2)).date()
    row = GOOD_ROW_2.replace("2024-06-30", future.isoformat())
    path = write(tmp_path / "laporan_keuangan_x.csv", "\n".join([REPORT_HEADER, row]) + "\n")
    result = ingest_file(engine, path)
    [(_, _, why)] = reasons(engine, result.run_id)
    assert {"column": "period_end", "value": future.isoformat(), "rule": "must not be in the future"} in why


def test_duplicate_rows_in_one_file(engine, loaded_registry, tmp_path):
    changed = GOOD_ROW_2.replace("300,200000000", "301,200000000")
    path = write(tmp_path / "laporan_keuangan_dup.csv",
                 "\n".join([REPORT_HEADER, GOOD_ROW_1, GOOD_ROW_1, GOOD_ROW_2, changed]) + "\n")
    result = ingest_file(engine, path)
    assert result.counts.loaded == 1 and result.counts.rejected == 3
    got = {row: why[0]["rule"] for row, _, why in reasons(engine, result.run_id)}
    assert got == {
        3: "duplicate of row 2 (identical; the first copy is loaded)",
        4: "conflicting rows for the same nik and period_end and period_type: rows 4, 5",
        5: "conflicting rows for the same nik and period_end and period_type: rows 4, 5",
    }


def test_an_unreadable_workbook_is_rejected_whole(engine, tmp_path):
    path = tmp_path / "laporan_juni.xlsx"
    path.write_bytes(b"this is not a zip file at all")
    result = ingest_file(engine, path)
    assert result.status == "rejected"
    assert result.message.startswith("laporan_juni.xlsx: unreadable XLSX workbook (")


def test_a_csv_named_after_no_dataset_is_rejected_whole(engine, tmp_path):
    path = write(tmp_path / "data_juni.csv", REPORT_HEADER + "\n")
    result = ingest_file(engine, path)
    assert result.status == "rejected"
    assert "must start with koperasi, laporan_keuangan, rat, digital, kdmp or pendampingan" in result.message


def test_an_xlsx_with_an_extra_title_row_loads_and_says_so(engine, loaded_registry, tmp_path):
    header = REPORT_HEADER.split(",")
    rows = [["Laporan keuangan Juni 2024 — Kota Kupang"] + [None] * (len(header) - 1), header,
            GOOD_ROW_1.split(","), GOOD_ROW_2.split(",")]
    path = tmp_path / "laporan_kupang.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame(rows).to_excel(writer, sheet_name="laporan_keuangan", header=False, index=False)
    result = ingest_file(engine, path)
    assert result.ok and result.counts.loaded == 2
    assert ("laporan_kupang.xlsx, sheet laporan_keuangan: header found on row 2; the 1 row(s) above it were skipped"
            in result.warnings)


def test_a_workbook_names_the_rows_it_quarantines(engine, loaded_registry, tmp_path):
    """A plain sheet (header in row 1, no blank row): a bad middle row and a bad last row are quarantined with their
    own row numbers, and the good rows around them load with theirs (the sheet's rows kept their labels below the
    header once: the last bad row failed the whole run and a middle one was named one row off)."""
    header = REPORT_HEADER.split(",")
    bad_date = GOOD_ROW_2.replace("2024-06-30", "2024-06-31").split(",")
    bad_number = GOOD_ROW_1.replace("2024-06-30", "2024-05-31").replace(",1200,", ",banyak,").split(",")
    rows = [header, GOOD_ROW_1.split(","), bad_date, GOOD_ROW_2.split(","), bad_number]
    path = tmp_path / "laporan_kupang.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame(rows).to_excel(writer, sheet_name="laporan_keuangan", header=False, index=False)
    result = ingest_file(engine, path)
    assert result.ok and (result.counts.loaded, result.counts.rejected) == (2, 2)
    assert [(row, nik) for row, nik, _ in reasons(engine, result.run_id)] == [(3, "5371000000002"),
                                                                             (5, "5371000000001")]
    with engine.connect() as conn:
        loaded = conn.execute(select(FinancialReport.source_row, FinancialReport.nik)
                              .order_by(FinancialReport.source_row)).all()
    assert loaded == [(2, "5371000000001"), (4, "5371000000002")]


def test_a_name_starting_with_a_formula_is_refused(engine, tmp_path):
    path = write(tmp_path / "koperasi_bad.csv",
                 "nik,name,regency_code,type,status\n5371000000010,=HYPERLINK(\"x\"),5371,jasa,active\n"
                 "5371000000011,Koperasi Jasa Baik,5371,jasa,active\n")
    result = ingest_file(engine, path)
    assert result.counts.loaded == 1 and result.counts.rejected == 1
    [(row, nik, why)] = reasons(engine, result.run_id)
    assert (row, nik) == (2, "5371000000010")
    assert why == [{"column": "name", "value": '=HYPERLINK("x")',
                    "rule": "must not start with =, +, -, @, tab or CR (spreadsheet formula)"}]


def test_every_free_text_column_refuses_a_formula_and_a_lone_dash_stays(engine, tmp_path):
    """district, legal_entity_number (koperasi) and platform (digital) as well as name: a JSON reader gets no
    `=HYPERLINK(…)` either; "-" (a spreadsheet's "none") is plain text and loads."""
    path = write(tmp_path / "koperasi_formulas.csv",
                 "nik,name,regency_code,type,status,district,legal_entity_number\n"
                 "5371000000020,Koperasi A,5371,jasa,active,=HYPERLINK(\"http://x\"),\n"
                 "5371000000021,Koperasi B,5371,jasa,active,Oebobo,@SUM(A1)\n"
                 "5371000000022,Koperasi C,5371,jasa,active,-,-\n")
    result = ingest_file(engine, path)
    assert result.counts.loaded == 1 and result.counts.rejected == 2
    why = {nik: [r["column"] for r in reasons_] for _, nik, reasons_ in reasons(engine, result.run_id)}
    assert why == {"5371000000020": ["district"], "5371000000021": ["legal_entity_number"]}
    with engine.connect() as conn:
        assert conn.execute(select(Cooperative.district)).scalar_one() == "-"
    digital = write(tmp_path / "digital_formula.csv",
                    "nik,stage_date,platform,stage\n5371000000022,2026-01-31,+cmd|' /C calc'!A0,identified\n")
    result = ingest_file(engine, digital)
    assert result.counts.loaded == 0 and result.counts.rejected == 1
    [(_, _, [reason])] = reasons(engine, result.run_id)
    assert reason["column"] == "platform" and "formula" in reason["rule"]


def test_indonesian_numbers_aliases_and_semicolons_are_read(engine, loaded_registry, tmp_path):
    path = write(tmp_path / "laporan_keuangan_id.csv",
                 "Nomor Induk Koperasi;AKHIR_PERIODE;jenis_periode;Total Aset;modal_sendiri;total_kewajiban\n"
                 "5371000000002 ;30/06/2024;bulanan;1.234.567,89;1.000.000;234.567,89\n;;;;;\n")
    result = ingest_file(engine, path)
    assert result.ok and result.counts.loaded == 1 and result.counts.rejected == 0
    with engine.connect() as conn:
        row = conn.execute(select(FinancialReport.total_assets, FinancialReport.equity, FinancialReport.period_type,
                                  FinancialReport.period_end)).one()
    assert row.total_assets == pytest.approx(1234567.89) and row.equity == 1_000_000
    assert row.period_type == "month" and row.period_end == date(2024, 6, 30)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_text_encodings_excel_writes_are_read(engine, tmp_path, encoding):
    # Excel on Windows saves "CSV" as cp1252 and "CSV UTF-8" with a byte-order mark; both must read the same.
    path = tmp_path / "koperasi_ende.csv"
    path.write_bytes(("nik;nama koperasi;kode_kabupaten;jenis;status\n"
                      "5308000000021;Koperasi Café Moni Sejahtera;5308;konsumen;aktif\n").encode(encoding))
    result = ingest_file(engine, path)
    assert result.ok and result.counts.loaded == 1, result
    with engine.connect() as conn:
        assert conn.execute(select(Cooperative.name)).scalar_one() == "Koperasi Café Moni Sejahtera"


def test_a_csv_in_neither_utf8_nor_cp1252_is_rejected_whole(engine, tmp_path):
    path = tmp_path / "koperasi_rusak.csv"
    path.write_bytes(b"nik,name,regency_code,type,status\n5371000000010,Koperasi \x81\x8d,5371,jasa,active\n")
    result = ingest_file(engine, path)
    assert result.status == "rejected"
    assert result.message == ("koperasi_rusak.csv: the text is neither UTF-8 nor Windows-1252; "
                              "save it as CSV UTF-8")


@pytest.mark.parametrize("content, message", [
    (b"", "koperasi_t.csv: the file is empty"),
    (b"PK\x03\x04\x00\x00\x08\x00binary", "koperasi_t.csv: not a text CSV file (binary content); save it as CSV UTF-8"),
    (b'nik,name,regency_code,type,status\n5371000000010,A,5371,jasa,active\n5371000000011,"B,5371,jasa,active\n',
     'koperasi_t.csv: a double quote (") opened in row 3 is never closed'),
    (b"nik,name,regency_code,type,status\n5371000000010,A,5371,jasa,active\n5371000000011,B" + b",x" * 30 + b"\n",
     "koperasi_t.csv: row 3 has 32 cells, far more than the 5 columns of the header; a value containing ',' must "
     "be in double quotes"),
], ids=["empty", "binary", "unclosed-quote", "far-too-many-cells"])
def test_an_unreadable_csv_is_rejected_whole_with_the_reason(engine, tmp_path, content, message):
    path = tmp_path / "koperasi_t.csv"
    path.write_bytes(content)
    result = ingest_file(engine, path)
    assert (result.status, result.message) == ("rejected", message)
    [(row, _, why)] = reasons(engine, result.run_id)
    assert row is None and why == [{"column": None, "value": None, "rule": message}]


def test_a_header_only_csv_loads_nothing_and_is_not_an_error(engine, loaded_registry, tmp_path):
    path = write(tmp_path / "laporan_keuangan_kosong.csv", REPORT_HEADER + "\n")
    result = ingest_file(engine, path)
    assert result.ok and (result.counts.read, result.counts.loaded, result.counts.rejected) == (0, 0, 0)
    assert report_count(engine) == 0


def test_a_csv_title_line_trailing_separators_and_shifted_rows(engine, tmp_path):
    # A title line above the header (narrower than it), Excel's trailing empty cells (fine), a name with an
    # unquoted comma that shifts its row, and a row whose only value sits beyond the header (never dropped as blank).
    path = write(tmp_path / "koperasi_kupang.csv",
                 "Daftar koperasi Kota Kupang\n"
                 "nik,name,regency_code,type,status\n"
                 "5371000000010,Koperasi Satu,5371,jasa,active,,\n"
                 "5371000000011,Koperasi Maju, Jaya,5371,jasa,active\n"
                 ",,,,\n"
                 ",,,,,,lupa\n"
                 "5371000000012,Koperasi Tiga,5371,konsumen,active\n")
    result = ingest_file(engine, path)
    assert result.ok and (result.counts.loaded, result.counts.rejected) == (2, 2), result
    assert "koperasi_kupang.csv: header found on row 2; the 1 row(s) above it were skipped" in result.warnings
    rule = "more cells than the 5 columns of the header; a value containing ',' must be in double quotes"
    got = {row: why for row, _, why in reasons(engine, result.run_id)}
    assert sorted(got) == [4, 6]
    assert got[4][0] == {"column": "(extra cells)", "value": "active", "rule": rule}
    assert [r["column"] for r in got[4]] == ["(extra cells)", "regency_code", "type", "status"]  # every reason
    assert got[6][0] == {"column": "(extra cells)", "value": "lupa", "rule": rule}
    with engine.connect() as conn:
        assert sorted(conn.execute(select(Cooperative.nik)).scalars()) == ["5371000000010", "5371000000012"]

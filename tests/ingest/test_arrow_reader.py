"""A big comma CSV file is read by Arrow's multi-threaded reader (ingest.readers._arrow_body); the raw table it gives
is the one pandas' C parser gives — same text, numbers, empty cells, row numbers and reasons — and a file that is not
regular enough for it (ragged rows, cells beyond the header, Windows-1252 text) is read by the C parser."""
from __future__ import annotations

import pandas as pd
import pytest

import ingest.readers
from ingest.readers import read_file

HEADER = "nik,name,regency_code,type,group,status,established_year,latitude,longitude"
REGULAR = "\ufeff" + "\n".join([
    HEADER,
    '5371000000001,KSP Kopdit Sehati,5371,simpan_pinjam,Kopdit,active,1995,-10.17,123.6',
    '5371000000002,"Koperasi ""Maju"", Kupang",5371,konsumen,,active,2001,,',
    '5307000000003,"KSU Sikka\nSejahtera", 5307 ,produsen,KSU,aktif,n/a,-8.6,122.2',
    '5307000000004,  spaced  ,5307,produsen,KSU,active,2010,-8.61,122.21',
    '5307000000005,"",5307,"produsen",KSU,active,"2012","",122.3',  # (quoted: empty is empty, a number a number)
]) + "\n"
# Each of these the C parser reads (Arrow's reader refuses it).
IRREGULAR = {
    "ragged": HEADER + "\n5371000000001,KSP A,5371,simpan_pinjam,Kopdit,active\n5371000000002,KSP B,5371,konsumen,,active,2001,1,2\n",
    "cells beyond the header": HEADER + "\n5371000000001,KSP A,5371,simpan_pinjam,Kopdit,active,1995,1,2,geser\n"
                                        "5371000000002,KSP B,5371,konsumen,,active,2001,1,2\n",
}


def both_ways(path, monkeypatch):
    """The raw table read with Arrow's reader allowed for any size, and with the C parser only; and whether Arrow's
    reader gave the body."""
    used = []
    real = ingest.readers._arrow_body

    def spy(*args):
        body = real(*args)
        used.append(body is not None)
        return body

    monkeypatch.setattr(ingest.readers, "_arrow_body", spy)
    monkeypatch.setattr(ingest.readers, "ARROW_BYTES", 0)
    arrow = read_file(path)[0]
    monkeypatch.setattr(ingest.readers, "ARROW_BYTES", 10**12)
    c_parser = read_file(path)[0]
    return arrow, c_parser, used


def assert_same(a, b):
    pd.testing.assert_frame_equal(a.frame, b.frame)
    pd.testing.assert_series_equal(a.row_numbers, b.row_numbers)
    assert (a.problems, a.notes, a.number_dialect) == (b.problems, b.notes, b.number_dialect)


def test_arrow_reads_a_regular_file_as_the_c_parser(tmp_path, monkeypatch):
    path = tmp_path / "koperasi_x.csv"
    path.write_text(REGULAR, encoding="utf-8")
    arrow, c_parser, used = both_ways(path, monkeypatch)
    assert used == [True]
    assert_same(arrow, c_parser)
    frame = arrow.frame
    assert frame["name"].tolist()[1:3] == ['Koperasi "Maju", Kupang', "KSU Sikka\nSejahtera"]
    assert frame["established_year"].tolist()[2] == "n/a"  # (a column with a non-number stays text)
    assert frame["latitude"].dtype == "float64" and pd.isna(frame["latitude"][1])
    assert frame["name"][3] == "spaced" and frame["regency_code"][2] == "5307"
    assert pd.isna(frame["name"][4]) and pd.isna(frame["latitude"][4]) and frame["longitude"][4] == 122.3


def test_a_blank_line_is_skipped_and_counted_both_ways(tmp_path, monkeypatch):
    path = tmp_path / "koperasi_x.csv"
    path.write_text(HEADER + "\n5371000000001,KSP A,5371,simpan_pinjam,Kopdit,active,1995,1,2\n\n"
                    "5371000000002,KSP B,5371,konsumen,,active,2001,1,2\n", encoding="utf-8")
    arrow, c_parser, used = both_ways(path, monkeypatch)
    assert used == [True]
    assert_same(arrow, c_parser)
    assert arrow.row_numbers.tolist() == [2, 4]


def test_a_big_monthly_history_reads_the_same_both_ways(tmp_path, monkeypatch):
    header = "nik,period_end,period_type,members,total_assets,equity,loans_outstanding"
    rows = [f"53710000{i:05d},2024-{m:02d}-28,month,{100 + i},{1e9 + i * 1000.5:.2f},{5e8:.0f},"
            for i in range(300) for m in range(1, 13)]
    path = tmp_path / "laporan_keuangan_x.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    arrow, c_parser, used = both_ways(path, monkeypatch)
    assert used == [True]
    assert_same(arrow, c_parser)
    assert arrow.frame["members"].dtype == "int64" and arrow.frame["total_assets"].dtype == "float64"


@pytest.mark.parametrize("case", sorted(IRREGULAR))
def test_an_irregular_file_is_read_by_the_c_parser(tmp_path, monkeypatch, case):
    path = tmp_path / "koperasi_x.csv"
    path.write_text(IRREGULAR[case], encoding="utf-8")
    arrow, c_parser, used = both_ways(path, monkeypatch)
    assert used == [False]
    assert_same(arrow, c_parser)


def test_windows_text_is_read_by_the_c_parser(tmp_path, monkeypatch):
    rows = [f"5371000{i:06d},Koperasi {i},5371,konsumen,,active,2001,1,2" for i in range(8000)]
    rows.append("5371000000099,Koperasi Nusa Cendana Ñ,5371,konsumen,,active,2001,1,2")  # (past what the header search decodes)
    path = tmp_path / "koperasi_x.csv"
    path.write_bytes("\n".join([HEADER, *rows, ""]).encode("cp1252"))
    arrow, c_parser, used = both_ways(path, monkeypatch)
    assert used == [False]  # (Arrow's reader refuses text that is not UTF-8; the C parser reads it as cp1252)
    assert_same(arrow, c_parser)
    assert arrow.frame["name"].iloc[-1] == "Koperasi Nusa Cendana Ñ"

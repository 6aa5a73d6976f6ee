"""Small hand-written input files for the ingest tests."""
import pytest

REGISTRY_CSV = """nik,name,regency_code,type,group,status,established_year,legal_entity_number
5371000000001,KSP Kopdit Sehati,5371,simpan_pinjam,Kopdit,active,1995,BH-001/1995
5371000000002,Koperasi Konsumen Maju,5371,konsumen,,active,2001,
5307000000003,KSU Sikka Sejahtera,5307,produsen,KSU,aktif,2010,BH-77/2010
"""

REPORT_HEADER = ("nik,period_end,period_type,members,total_assets,current_assets,cash_and_bank,total_liabilities,"
                 "current_liabilities,equity,loans_outstanding,loans_at_risk,loans_substandard,loans_doubtful,loans_loss")
GOOD_ROW_1 = "5371000000001,2024-06-30,month,1200,1000000000,400000000,60000000,500000000,300000000,500000000,600000000,50000000,10000000,5000000,2000000"
GOOD_ROW_2 = "5371000000002,2024-06-30,month,300,200000000,150000000,20000000,80000000,50000000,120000000,,,,,"


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def registry_file(tmp_path):
    return write(tmp_path / "koperasi_5371.csv", REGISTRY_CSV)


@pytest.fixture
def loaded_registry(engine, registry_file):
    from ingest.pipeline import ingest_file

    result = ingest_file(engine, registry_file)
    assert result.ok and result.counts.loaded == 3
    return result

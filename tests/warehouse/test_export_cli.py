"""`python app.py export DATASET --out FILE ...`: the same bytes as the API, rows counted, bad parameters exit 2."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner


@pytest.fixture
def run(province_url, tmp_path, monkeypatch):
    import app

    monkeypatch.setenv("DATABASE_URL", province_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SCHEDULER", "off")

    def invoke(*args):
        return CliRunner().invoke(app.cli, ["export", *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def api(province_url, settings_for):
    from app import create_app

    return create_app(settings_for(province_url)).server.test_client()


@pytest.mark.parametrize("dataset,options,query", [
    ("reports", ["--regency", "5371", "--period", "2026-09"], "kab=5371&periode=2026-09"),
    ("reports", [], ""),
    ("rat", ["--type", "simpan_pinjam", "--year", "2024"], "jenis=simpan_pinjam&tahun=2024"),
    ("scores", ["--from", "2026-01", "--to", "2026-03", "--framework", "ksp2016"],
     "periode_dari=2026-01&periode_sampai=2026-03&kerangka=ksp2016"),
    ("regency_indicators", ["--regency", "5303"], "kab=5303"),
])
def test_cli_writes_the_same_bytes_as_the_api(run, api, tmp_path, dataset, options, query):
    out = tmp_path / "out.csv"
    result = run(dataset, "--out", str(out), *options)
    assert result.exit_code == 0, result.output
    answer = api.get(f"/api/v1/{dataset}.csv?{query}")
    assert out.read_bytes() == answer.data
    rows = answer.data.decode("utf-8-sig").count("\n") - 2  # DATA SIMULASI line and header
    assert rows > 0
    assert result.output.startswith(f"{rows:,} rows of {dataset} written to {out}")
    assert "DATA SIMULASI" in result.output


def test_cli_json_holds_every_row_with_the_api_envelope(run, api, tmp_path):
    out = tmp_path / "registry.json"
    result = run("registry", "--out", str(out), "--regency", "5310", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    page = api.get("/api/v1/registry.json?kab=5310&limit=10000").get_json()
    assert document == page  # same envelope, same rows (30 in the small province), next null
    assert document["count"] == document["total"] == 30


@pytest.mark.parametrize("args,needle", [
    (["reports", "--regency", "9999"], "parameter 'kab' = '9999'"),
    (["reports", "--period", "2026-9"], "parameter 'periode' = '2026-9'"),
    (["registry", "--period", "2026-09"], "does not apply to dataset registry"),
    (["laporan"], "unknown dataset"),
    (["rat", "--year", "tahun"], "parameter 'tahun' = 'tahun'"),
])
def test_cli_bad_parameter_exits_2_with_the_message(run, tmp_path, args, needle):
    out = tmp_path / "never.csv"
    result = run(*args[:1], "--out", str(out), *args[1:])
    assert result.exit_code == 2
    assert needle in result.output
    assert not out.exists()

"""Page content built from the warehouse: real values, and the DATA SIMULASI label on demo data and its exports."""
from ingest.pipeline import ingest_file
from tests.ingest.conftest import REGISTRY_CSV, write
from warehouse import db
from tests.support.components import find


def test_grid_exports_of_demo_data_carry_the_label(engine, app_settings, tmp_path):
    from app import create_app
    from layouts.pages import data_quality

    ingest_file(engine, write(tmp_path / "koperasi.csv", REGISTRY_CSV))
    app = create_app(app_settings)
    with app.server.test_request_context("/pelaporan"):
        plain = find(data_quality.layout(tab="impor"), "dq-runs-grid")
    assert "prependContent" not in plain.csvExportParams  # real data carries no label (AG Grid adds the BOM)
    with engine.begin() as conn:
        db.set_meta(conn, "simulated", "true")
        db.bump_data_version(conn)
    with app.server.test_request_context("/pelaporan"):
        grid = find(data_quality.layout(tab="impor"), "dq-runs-grid")
    assert grid.csvExportParams["prependContent"].startswith("DATA SIMULASI — Data ini disimulasikan")
    assert grid.rowData[0]["target"] == "koperasi.csv" and grid.rowData[0]["rows_loaded"] == 3

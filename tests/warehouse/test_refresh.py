"""The score refresh: ingest triggers it, it writes scores per framework and the kabupaten and province roll-ups with
the data version."""
import json

from sqlalchemy import select

from ingest.pipeline import ingest_file
from tests.ingest.conftest import GOOD_ROW_1, GOOD_ROW_2, REGISTRY_CSV, REPORT_HEADER, write
from warehouse import db
from warehouse.models import RegencyIndicator, Score
from warehouse.refresh import refresh


def test_ingest_scores_what_it_loaded(engine, tmp_path):
    ingest_file(engine, write(tmp_path / "koperasi.csv", REGISTRY_CSV))
    result = ingest_file(engine, write(tmp_path / "laporan_keuangan.csv",
                                       "\n".join([REPORT_HEADER, GOOD_ROW_1, GOOD_ROW_2]) + "\n"))
    assert result.ok
    with engine.connect() as conn:
        scores = {(r.nik, r.framework): r for r in conn.execute(select(Score.__table__))}
        version = db.data_version(conn)
        ri = RegencyIndicator.__table__
        latest = conn.execute(select(ri.c.period_end).order_by(ri.c.period_end.desc()).limit(1)).scalar()
        rollups = {(r.regency_code, r.type): r for r in conn.execute(select(ri).where(ri.c.period_end == latest,
                                                                                        ri.c.scope == "daerah"))}
    # The Kopdit (savings and loans) gets the 2016 and 2021 methods and PEARLS; the consumer cooperative the
    # general finance score. Nothing is scored twice.
    assert set(scores) == {("5371000000001", "ksp2016"), ("5371000000001", "ksp2021"), ("5371000000001", "pearls"),
                           ("5371000000002", "finance")}
    ksp = scores[("5371000000001", "ksp2016")]
    parts = json.loads(ksp.components)
    # equity / assets = 500 / 1000 = 50 % → the top band (nilai 100 × weight 6 = 6 points of permodalan's 15)
    assert parts["ratio_equity_to_assets"] == 50.0 and 6.0 <= parts["permodalan"] <= 15.0
    assert "management" in ksp.unscored  # no questionnaire score was reported: listed, not scored as zero
    assert ksp.data_version == version
    assert rollups[("5371", "")].cooperatives == 2 and rollups[("5371", "")].members == 1500
    assert rollups[("5307", "")].cooperatives == 1
    # the province row counts the same cooperatives, computed by the refresh (not summed by a page)
    assert rollups[("53", "")].cooperatives == 3 and rollups[("53", "")].members == 1500
    assert rollups[("53", "")].data_version == version


def test_full_refresh_is_idempotent(engine, tmp_path):
    ingest_file(engine, write(tmp_path / "koperasi.csv", REGISTRY_CSV))
    ingest_file(engine, write(tmp_path / "laporan_keuangan.csv", "\n".join([REPORT_HEADER, GOOD_ROW_1]) + "\n"))
    first = refresh(engine)
    second = refresh(engine)
    assert (first.scores, first.rollups) == (second.scores, second.rollups)
    assert second.data_version == first.data_version + 1

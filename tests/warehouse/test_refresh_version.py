"""Scores record the data version they were computed for (meta scores_version, in the refresh's transaction); a
partial refresh also rescored what an earlier, interrupted refresh left behind, so it never hides stale scores."""
from sqlalchemy import select

from ingest.pipeline import ingest_file
from tests.ingest.conftest import GOOD_ROW_1, GOOD_ROW_2, REGISTRY_CSV, REPORT_HEADER, write
from warehouse import db
from warehouse.models import Score
from warehouse.refresh import refresh, scores_are_stale, scores_version


def test_a_partial_refresh_also_scores_what_an_interrupted_refresh_left(engine, tmp_path):
    assert ingest_file(engine, write(tmp_path / "koperasi_5371.csv", REGISTRY_CSV)).ok
    # The first cooperative's report is loaded, its refresh never ran (killed): the scores are stale.
    assert ingest_file(engine, write(tmp_path / "laporan_keuangan_a.csv", f"{REPORT_HEADER}\n{GOOD_ROW_1}\n"),
                       refresh=False).ok
    assert scores_are_stale(engine)
    # A later load refreshes only the cooperative it changed…
    assert ingest_file(engine, write(tmp_path / "laporan_keuangan_b.csv", f"{REPORT_HEADER}\n{GOOD_ROW_2}\n")).ok
    with engine.connect() as conn:
        scored = set(conn.execute(select(Score.nik).distinct()).scalars())
        # …and the first one's scores as well; the scores are current.
        assert scored == {"5371000000001", "5371000000002"}
        assert scores_version(conn) == db.data_version(conn)
    assert not scores_are_stale(engine)
    refresh(engine)
    assert not scores_are_stale(engine)

"""The planner's statistics follow big loads (the server's autovacuum may be off): a load that wrote many rows
relative to the table's last count analyses that table, small loads do not. SQLite and PostgreSQL."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import event

from ingest.pipeline import ingest_file
from warehouse import db


def estimate(engine, table: str) -> float:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return float(conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                                              (table,)).scalar())
        if not conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar():
            return -1.0
        stat = conn.exec_driver_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", (table,)).scalar()
        return float(str(stat).split()[0]) if stat else -1.0


def registry(path, start: int, n: int):
    frame = pd.DataFrame({"nik": [f"5371{i:09d}" for i in range(start, start + n)],
                          "name": [f"Koperasi Statistik {i}" for i in range(start, start + n)],
                          "regency_code": "5371", "type": "simpan_pinjam", "group": "KSP", "status": "active"})
    frame.to_csv(path, index=False)
    return path


def test_a_big_load_is_analysed_and_a_small_one_is_not(db_url, tmp_path):
    engine = db.make_engine(db_url)
    with engine.begin() as conn:  # (the emptied warehouse may keep an earlier test's statistics)
        conn.exec_driver_sql("ANALYZE cooperatives")
    assert estimate(engine, "cooperatives") <= 0  # counted empty (PostgreSQL: 0 or -1; SQLite: no statistics)
    assert ingest_file(engine, registry(tmp_path / "koperasi_a.csv", 0, 1500), refresh=False).ok
    assert estimate(engine, "cooperatives") == 1500
    assert ingest_file(engine, registry(tmp_path / "koperasi_b.csv", 1500, 40), refresh=False).ok
    assert estimate(engine, "cooperatives") == 1500  # 40 rows: below the floor, not worth an ANALYZE
    assert db.analyze_if_grown(engine, {"cooperatives": 1200}) == ["cooperatives"]  # 1,200 > 10 % of 1,540
    assert estimate(engine, "cooperatives") == 1540
    engine.dispose()


def test_the_reports_table_gets_statistics_for_the_columns_it_is_selected_on(db_url, tmp_path):
    """PostgreSQL: after a big load the reports table is counted and its key columns (and the platform filter on
    source) have statistics; the figure columns, never selected on, are not analysed. SQLite analyses whole tables."""
    engine = db.make_engine(db_url)
    assert ingest_file(engine, registry(tmp_path / "koperasi_a.csv", 0, 100), refresh=False).ok
    niks = [f"5371{i:09d}" for i in range(100)]
    periods = pd.date_range("2020-01-31", periods=12, freq="ME").strftime("%Y-%m-%d")
    reports = pd.DataFrame({"nik": [n for n in niks for _ in periods], "period_end": list(periods) * 100,
                            "period_type": "month", "members": 50, "total_assets": 1_000_000.0})
    reports.to_csv(tmp_path / "laporan_keuangan_a.csv", index=False)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: statements.append(statement))
    assert ingest_file(engine, tmp_path / "laporan_keuangan_a.csv", refresh=False).ok
    assert estimate(engine, "financial_reports") == 1200
    analyse = [s for s in statements if s.startswith("ANALYZE") and "financial_reports" in s]
    if engine.dialect.name == "postgresql":
        assert analyse == ['ANALYZE "financial_reports" ("id", "nik", "period_end", "period_type", "revision", '
                           '"is_current", "ingest_run_id", "source")']
        with engine.connect() as conn:  # (an earlier whole-database ANALYZE may have left the others' statistics)
            analysed = {c for (c,) in conn.exec_driver_sql(
                "SELECT attname FROM pg_stats WHERE tablename = 'financial_reports'")}
        assert {"nik", "period_end", "is_current", "ingest_run_id", "source"} <= analysed
    else:
        assert analyse == ['ANALYZE "financial_reports"']
    engine.dispose()

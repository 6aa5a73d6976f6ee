"""The warehouse schema on SQLite and PostgreSQL: migrations, reference data, constraints, data version."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from warehouse import db, migrate
from warehouse.models import Base, Cooperative, IngestRun, Regency


def test_migration_creates_every_table_and_is_current(engine):
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    ok, message = migrate.check(engine)
    assert ok, message
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_the_22_regencies_carry_both_codes(engine):
    with engine.connect() as conn:
        rows = {r.code: r for r in conn.execute(select(Regency))}
    assert len(rows) == 22
    assert rows["5371"].name == "Kota Kupang" and rows["5371"].type == "Kota"
    assert rows["5321"].short_name == "Malaka"
    by_bps = {r.bps_code: r.code for r in rows.values()}
    assert by_bps["5301"] == "5312"  # BPS 5301 is Sumba Barat, Kemendagri 5312
    assert rows["5312"].short_name == "Sumba Barat"
    assert sum(r.pop_2020 for r in rows.values()) == 5_325_566  # BPS SP2020 provincial total


def test_foreign_keys_are_enforced(engine):
    run = {"source": "test", "target": "t", "started_at": datetime.now(timezone.utc), "status": "success",
           "rows_read": 0, "rows_loaded": 0, "rows_revised": 0, "rows_unchanged": 0, "rows_rejected": 0}
    with engine.begin() as conn:
        run_id = conn.execute(IngestRun.__table__.insert().values(**run)).inserted_primary_key[0]
    coop = {"nik": "5371000000001", "name": "KSP Uji", "regency_code": "9999", "type": "simpan_pinjam",
            "status": "active", "source": "test", "ingest_run_id": run_id, "row_hash": 1}
    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            conn.execute(Cooperative.__table__.insert().values(**coop))


def test_sqlite_runs_in_wal_mode(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_data_version_moves_only_when_bumped(engine):
    with engine.begin() as conn:
        assert db.data_version(conn) == 0
        assert db.bump_data_version(conn) == 1
        assert db.bump_data_version(conn) == 2
    with engine.connect() as conn:
        assert db.data_version(conn) == 2


def test_an_old_database_is_upgraded(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    assert not migrate.check(engine)[0]
    migrate.upgrade(engine)
    assert migrate.check(engine)[0]
    migrate.upgrade(engine)  # idempotent
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from regencies")).scalar() == 22

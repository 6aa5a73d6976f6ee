"""The command line: one entry point, every command listed, db upgrade/check on both databases."""
import os
import subprocess
import sys

from settings import PROJECT_DIR


def run_cli(*args, env=None, timeout=120):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "app.py", *args], cwd=PROJECT_DIR, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def test_help_lists_every_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("serve", "db"):
        assert f"  {command}" in result.stdout


def test_db_upgrade_then_check_reports_current(tmp_path, pg_database):
    # A fresh database of each kind, upgraded and checked through the real command line.
    from sqlalchemy import create_engine, text

    from tests.conftest import PG_ADMIN_URL

    fresh_pg = pg_database + "_cli"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = fresh_pg.rsplit("/", 1)[1]
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        for url in (f"sqlite:///{tmp_path / 'cli.db'}", fresh_pg):
            env = {"DATABASE_URL": url, "DATA_DIR": str(tmp_path / "data")}
            before = run_cli("db", "check", env=env)
            assert before.returncode == 1 and "db upgrade" in before.stdout
            up = run_cli("db", "upgrade", env=env)
            assert up.returncode == 0, up.stderr
            after = run_cli("db", "check", env=env)
            assert after.returncode == 0 and "schema current" in after.stdout
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_a_bad_setting_stops_the_cli_with_the_variable_named(tmp_path):
    result = run_cli("db", "check", env={"PORT": "not-a-port", "DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "PORT='not-a-port'" in result.stderr

"""Schema migrations (Alembic) driven from code: upgrade on start-up, check that a database is current."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (an empty database gets every table and the reference data)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def prepare(settings) -> Engine:
    """Create the data folder and bring the configured warehouse to the current migration; returns its engine
    (what every command and the server do first)."""
    from warehouse.db import engine_for

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    engine = engine_for(settings.database_url)
    upgrade(engine)
    return engine


def check(engine: Engine) -> tuple[bool, str]:
    """(is current, message): the database is at head and the models match the migrations."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        return False, f"schema at revision {current or '(empty)'}, code expects {head}: run `python app.py db upgrade`"
    from alembic.autogenerate import compare_metadata

    from warehouse.models import Base

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    if diff:
        return False, f"schema at head {head} but differs from the models: {diff[:3]}"
    return True, f"schema current (revision {head})"

"""How far the first start's demo build is: written by the builder (ingest/demo.py) into the warehouse, read by the
web app's start-up gate and `/status.json` (layouts/building.py), so any process can tell whether the warehouse is
ready to be shown."""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass

from sqlalchemy import Engine

from warehouse import db

KEY = "build"  # meta key
PHASES = ("generate", "write", "inbox", "platform", "registry", "score", "ready", "failed")


@dataclass(frozen=True)
class BuildStatus:
    """One moment of the build. `progress` is 0–1 over the whole build; `seconds_left` an estimate from the pace so
    far (None until there is one)."""

    state: str  # running | ready | failed
    phase: str  # one of PHASES
    progress: float
    files_done: int = 0
    files_total: int = 0
    rows: int = 0
    started_at: float = 0.0  # time.time() of the start
    seconds_left: float | None = None
    pid: int | None = None
    message: str = ""

    @property
    def ready(self) -> bool:
        return self.state != "running"

    def public(self, data_version: int) -> dict:
        """The answer of GET /status.json."""
        return {"ready": self.ready, "phase": self.phase, "progress": round(self.progress, 3),
                "data_version": data_version, "files_done": self.files_done, "files_total": self.files_total,
                "rows_loaded": self.rows,
                "seconds_left": None if self.seconds_left is None else round(self.seconds_left),
                "seconds_elapsed": round(time.time() - self.started_at) if self.started_at else None}


NOT_BUILDING = BuildStatus("ready", "ready", 1.0)


def write(engine: Engine, status: BuildStatus) -> None:
    """Record `status` in its own short transaction (the builder's loads run in theirs)."""
    with engine.begin() as conn:
        db.set_meta(conn, KEY, json.dumps(asdict(status)))


def read(engine: Engine) -> tuple[BuildStatus, int]:
    """(the build's status, the warehouse's data version); a warehouse that never built a demo is ready."""
    with engine.connect() as conn:
        raw = db.get_meta(conn, KEY)
        version = db.data_version(conn)
    if raw is None:
        return NOT_BUILDING, version
    return BuildStatus(**json.loads(raw)), version

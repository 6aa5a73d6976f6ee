"""The demo province on the embedded default: simulate NTT, feed it through the real ingestors, score it."""
from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine, func, select

from ingest.pipeline import RunResult
from ingest.platform import PlatformConfig, run_platform
from ingest.simulator import generate, kdmp, write
from ingest.simulator.platform_server import PlatformServer, load_platform_dir
from ingest.sources import run_source
from settings import Settings
from warehouse import build_state, db
from warehouse.models import Cooperative, IngestRun

log = logging.getLogger(__name__)

DEMO_TOKEN = "simulasi-token"  # the simulated platform's token; it guards nothing real
DEMO_SEED = 2023


@dataclass
class DemoLoad:
    files: int
    rejected_files: int
    rows_loaded: int
    rows_rejected: int
    seconds: float


def warehouse_is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not conn.execute(select(func.count()).select_from(Cooperative)).scalar() and \
            not conn.execute(select(func.count()).select_from(IngestRun)).scalar()


def is_demo(engine: Engine) -> bool:
    with engine.connect() as conn:
        return db.get_meta(conn, "simulated") == "true"


def demo_dir(settings: Settings) -> Path:
    return settings.DATA_DIR / "demo"


def start_platform(settings: Settings) -> PlatformServer | None:
    """Serve the simulated platform API on loopback (so the scheduler can keep pulling it)."""
    folder = demo_dir(settings) / "platform"
    if not folder.is_dir():
        return None
    return PlatformServer(load_platform_dir(folder), token=DEMO_TOKEN).start()


# Share of the whole build each phase takes on a 2-core machine (the progress bar and its time-left estimate).
PHASE_WEIGHTS = {"generate": 0.08, "write": 0.16, "inbox": 0.38, "platform": 0.12, "registry": 0.02, "score": 0.24}


class Progress:
    """Writes the build's status into the warehouse (warehouse/build_state.py) as it goes, at most twice a second
    within a phase, so the start-up page and /status.json can show it from any process."""

    def __init__(self, engine: Engine, say: Callable[[str], None] = print):
        self.engine, self.say = engine, say
        self.started = time.time()
        self.phase_name, self.done_weight = "generate", 0.0
        self.files_done = self.files_total = self.rows = 0
        self.fraction, self.written = 0.0, 0.0

    def phase(self, name: str, files_total: int = 0) -> None:
        if self.phase_name in PHASE_WEIGHTS and name != self.phase_name:
            self.done_weight += PHASE_WEIGHTS[self.phase_name]
        self.phase_name, self.fraction = name, 0.0
        if files_total:
            self.files_total, self.files_done = files_total, 0
        self._write(force=True)

    def step(self, fraction: float, files_done: int | None = None, rows: int = 0) -> None:
        self.fraction = min(max(fraction, 0.0), 1.0)
        if files_done is not None:
            self.files_done = files_done
        self.rows += rows
        self._write()

    @property
    def progress(self) -> float:
        return min(self.done_weight + PHASE_WEIGHTS.get(self.phase_name, 0.0) * self.fraction, 1.0)

    def finish(self, state: str = "ready", message: str = "") -> None:
        self.phase_name = "ready" if state == "ready" else "failed"
        self._write(force=True, state=state, message=message)

    def _write(self, force: bool = False, state: str = "running", message: str = "") -> None:
        now = time.time()
        if not force and now - self.written < 0.5:
            return
        self.written = now
        elapsed, progress = now - self.started, (1.0 if state == "ready" else self.progress)
        left = elapsed * (1 - progress) / progress if 0.05 < progress < 1 else None
        build_state.write(self.engine, build_state.BuildStatus(
            state=state, phase=self.phase_name, progress=progress, files_done=self.files_done,
            files_total=self.files_total, rows=self.rows, started_at=self.started, seconds_left=left,
            pid=os.getpid(), message=message[:500]))


def build_and_load(settings: Settings, engine: Engine, seed: int = DEMO_SEED,
                   say: Callable[[str], None] = print, progress: Progress | None = None) -> tuple[DemoLoad, PlatformServer]:
    """Generate the province, drop its files into the inbox and registry folders, serve its platform API, run the
    three real sources without scoring, then score everything once; the progress goes into the warehouse as it
    goes (a failure is recorded there too, and raised)."""
    progress = progress or Progress(engine, say)
    try:
        return _build_and_load(settings, engine, seed, say, progress)
    except BaseException as exc:
        progress.finish("failed", f"{type(exc).__name__}: {exc}")
        raise


def _build_and_load(settings: Settings, engine: Engine, seed: int, say: Callable[[str], None],
                    progress: Progress) -> tuple[DemoLoad, PlatformServer]:
    from warehouse.refresh import refresh

    started = time.perf_counter()
    say("Membangun provinsi simulasi (DATA SIMULASI) / building the simulated province …")
    progress.phase("generate")
    province = generate(seed=seed)
    progress.phase("write")
    out = demo_dir(settings)
    if out.exists():
        shutil.rmtree(out)
    manifest = write(province, out)
    # Koperasi Desa/Kelurahan Merah Putih and the mentoring log: a few large files (ingest/simulator/kdmp.py)
    kdmp_files = kdmp.write(kdmp.simulate(seed, province.as_of), province.mentoring, out)
    say(f"KDMP: {kdmp_files.get('inbox/kdmp_ntt.csv', 0) + kdmp_files.get('platform/kdmp.json', 0):,} baris / rows "
        f"(3.442 desa/kelurahan), {kdmp_files.get('inbox/pendampingan_ntt.csv', 0):,} kegiatan pendampingan")
    for folder in ("inbox", "registry"):
        target = settings.DATA_DIR / folder
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted((out / folder).iterdir()):
            shutil.copy2(path, target / path.name)
    with engine.begin() as conn:
        db.set_meta(conn, "simulated", "true")
        db.set_meta(conn, "simulated_seed", str(seed))
    total = len(list((settings.DATA_DIR / "inbox").iterdir()))
    done = {"n": 0}

    def on_file(result: RunResult) -> None:
        done["n"] += 1
        progress.step(done["n"] / total, files_done=done["n"], rows=result.counts.loaded + result.counts.revised)
        if done["n"] % 25 == 0 or done["n"] == total or result.status != "success":
            say(f"  [{done['n']}/{total}] {result.target}: {result.status}"
                + (f" — {result.message}" if result.message else ""))

    say(f"Memuat {total} berkas kotak masuk / loading {total} inbox files …")
    progress.phase("inbox", files_total=total)
    # No refresh per source: the province is scored once, when everything is in.
    results = run_source(engine, settings, "inbox", on_file, refresh=False)
    progress.phase("platform")
    server = PlatformServer(load_platform_dir(out / "platform"), token=DEMO_TOKEN).start()
    say(f"Menarik API platform simulasi / pulling the simulated platform API at {server.base_url} …")
    # the largest pages the server allows: a first full sync of the province in tens of requests, not hundreds
    pulled = run_platform(engine, PlatformConfig(server.base_url, DEMO_TOKEN, page_size=server.max_page_size),
                          refresh=False)
    results.append(pulled)
    progress.step(1.0, rows=pulled.counts.loaded + pulled.counts.revised)
    # The registry export last: it is joined on NIK, so every cooperative from both channels must be known.
    progress.phase("registry")
    results += run_source(engine, settings, "registry", refresh=False)
    progress.phase("score")
    say("Menghitung skor dan indikator / scoring the province …")
    refresh(engine)
    loaded = sum(r.counts.loaded + r.counts.revised for r in results)
    rejected = sum(r.counts.rejected for r in results)
    summary = DemoLoad(len(results), sum(r.status != "success" for r in results), loaded, rejected,
                       time.perf_counter() - started)
    progress.finish()
    say(f"Selesai / done: {summary.files} runs, {loaded:,} rows loaded, {rejected:,} rows quarantined, "
        f"{summary.rejected_files} file(s) rejected whole, {summary.seconds:.0f} s (seed {seed}, "
        f"{manifest.data['label']})")
    return summary, server


def unfinished_build(engine: Engine) -> bool:
    """A demo build that a process started and never finished (killed, or failed): its partial data must go."""
    status, _ = build_state.read(engine)
    if status.state == "failed":
        return True
    return status.state == "running" and (status.pid is None or status.pid == os.getpid() or not _alive(status.pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# kept when a half-built demo is discarded: the schema, the reference table, people and their audit trail, and
# the data version (the query cache is keyed on it, so it must only ever grow)
KEEP_ON_DISCARD = {"alembic_version", "regencies", "users", "user_sessions", "api_tokens", "audit_log"}


def discard_partial(settings: Settings, engine: Engine) -> None:
    """Empty what a killed or failed demo build loaded, and its files in the inbox and registry folders, so the
    next build starts from an empty warehouse."""
    from sqlalchemy import delete

    from warehouse.models import Base, Meta

    log.warning("the demo build of an earlier start did not finish: discarding its partial data and building again")
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "meta":
                conn.execute(delete(Meta).where(Meta.key != "data_version"))
            elif table.name not in KEEP_ON_DISCARD:
                conn.execute(delete(table))
        db.bump_data_version(conn)
    out = demo_dir(settings)
    for folder in ("inbox", "registry"):
        if not (out / folder).is_dir():
            continue
        for path in (out / folder).iterdir():
            (settings.DATA_DIR / folder / path.name).unlink(missing_ok=True)


def start_build(settings: Settings, engine: Engine) -> Progress:
    """Before the web server starts: discard a half-built demo, and record that a build is starting, so the very
    first request already sees the start-up page."""
    if unfinished_build(engine):
        discard_partial(settings, engine)
    progress = Progress(engine)
    progress.phase("generate")
    return progress


def needs_build(settings: Settings, engine: Engine) -> bool:
    """Whether `python app.py` builds the demo province: DEMO=auto outside production, on an empty warehouse or
    one whose earlier demo build never finished."""
    if settings.DEMO != "auto" or settings.ENVIRONMENT == "production":
        return False
    return warehouse_is_empty(engine) or unfinished_build(engine)

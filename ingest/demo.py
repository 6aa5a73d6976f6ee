"""The demo province on the embedded default: simulate NTT, feed it through the real ingestors, score it."""
from __future__ import annotations

import logging
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
from warehouse import db
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


def build_and_load(settings: Settings, engine: Engine, seed: int = DEMO_SEED,
                   say: Callable[[str], None] = print) -> tuple[DemoLoad, PlatformServer]:
    """Generate the province, drop its files into the inbox and registry folders, serve its platform API,
    and run the three real sources; then score everything once."""
    started = time.perf_counter()
    say("Membangun provinsi simulasi (DATA SIMULASI) / building the simulated province …")
    province = generate(seed=seed)
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

    def progress(result: RunResult) -> None:
        done["n"] += 1
        if done["n"] % 25 == 0 or done["n"] == total or result.status != "success":
            say(f"  [{done['n']}/{total}] {result.target}: {result.status}"
                + (f" — {result.message}" if result.message else ""))

    say(f"Memuat {total} berkas kotak masuk / loading {total} inbox files …")
    results = run_source(engine, settings, "inbox", progress)
    server = PlatformServer(load_platform_dir(out / "platform"), token=DEMO_TOKEN).start()
    say(f"Menarik API platform simulasi / pulling the simulated platform API at {server.base_url} …")
    results.append(run_platform(engine, PlatformConfig(server.base_url, DEMO_TOKEN)))
    # The registry export last: it is joined on NIK, so every cooperative from both channels must be known.
    results += run_source(engine, settings, "registry")
    loaded = sum(r.counts.loaded + r.counts.revised for r in results)
    rejected = sum(r.counts.rejected for r in results)
    summary = DemoLoad(len(results), sum(r.status != "success" for r in results), loaded, rejected,
                       time.perf_counter() - started)
    say(f"Selesai / done: {summary.files} runs, {loaded:,} rows loaded, {rejected:,} rows quarantined, "
        f"{summary.rejected_files} file(s) rejected whole, {summary.seconds:.0f} s (seed {seed}, "
        f"{manifest.data['label']})")
    return summary, server

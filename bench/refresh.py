"""Benchmark: the full score refresh of the simulated province on SQLite and PostgreSQL.

    python bench/refresh.py [--backend sqlite|postgresql|both] [--repeat 2]

The province (seed 2023, every cooperative, 60 monthly periods, no injected faults) is loaded once per backend
through the real file ingestor without refreshing, then `warehouse.refresh.refresh` runs `--repeat` times on
the same warehouse; the baseline in the same run is reading the frames the refresh needs (the part no scoring
change can remove), so the ratio shows what scoring, roll-ups and the writes cost on top of the reads.
"""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest import drop, fresh_database  # noqa: E402
from ingest.pipeline import ingest_file  # noqa: E402
from warehouse import migrate  # noqa: E402

AS_OF = date(2026, 11, 1)


def province_files(folder: Path) -> list[Path]:
    """The simulated province's datasets as one CSV each, in load order."""
    from ingest.simulator import generate

    province = generate(seed=2023, scale="province", as_of=AS_OF, fault_rate=0.0)
    paths = []
    for name, frame in (("koperasi", province.cooperatives), ("laporan_keuangan", province.reports),
                        ("rat", province.meetings), ("digital", province.digital)):
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        paths.append(path)
    return paths


def read_inputs(engine) -> float:
    """Seconds to read the frames a full refresh starts from (registry, current reports, meetings, digital)."""
    from warehouse import refresh as r

    t0 = time.perf_counter()
    with engine.connect() as conn:
        r.read_registry(conn)
        r.read_reports(conn)
        r.read_meetings(conn)
        r.read_digital(conn)
    return time.perf_counter() - t0


def run(backend: str, folder: Path, paths: list[Path], repeat: int) -> dict:
    from warehouse.refresh import refresh

    engine, handle = fresh_database(backend, folder)
    try:
        migrate.upgrade(engine)
        for path in paths:
            result = ingest_file(engine, path, refresh=False, today=AS_OF)
            assert result.ok, result
        reads = [read_inputs(engine) for _ in range(repeat)]
        times = [refresh(engine).seconds for _ in range(repeat)]
    finally:
        drop(handle, engine)
    return {"backend": backend, "read_s": statistics.median(reads), "refresh_s": statistics.median(times),
            "runs": times}


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory(prefix="pantau-bench-") as tmp:
        folder = Path(tmp)
        paths = province_files(folder)
        print(f"{'backend':<11} {'read inputs s':>14} {'full refresh s (median)':>24} {'refresh/read':>13}  runs")
        for backend in backends:
            r = run(backend, folder, paths, args.repeat)
            runs = ", ".join(f"{s:.1f}" for s in r["runs"])
            print(f"{r['backend']:<11} {r['read_s']:>14.2f} {r['refresh_s']:>24.1f} "
                  f"{r['refresh_s'] / r['read_s']:>12.1f}x  {runs}")


if __name__ == "__main__":
    main()

"""Benchmark at national scale on PostgreSQL: ~127,000 cooperatives × 60 months through the real loader, the full
and the incremental refresh, and the pages under 20 users on the README's multi-worker deployment.

    .venv/bin/python bench/national.py [--months 60] [--sample N] [--users 20] [--seconds 60] [--workers 4]
                                       [--keep]
    .venv/bin/python bench/national.py --database URL   (steps 3-5 on a warehouse an earlier run kept)

1. The simulator's nation (`ingest.simulator.generate(scale="national", months=60, complete_reporting=True)`: 514
   kabupaten/kota-sized units — NTT's 22 and synthetic ones, which are not real places — and every registered
   cooperative reporting every month, the upper bound) is written, in a child process (it peaks near 12 GB), as
   CSV files per province prefix: registry, RAT, digital stages, and reports per year (each under the inbox's
   row limit); and the Koperasi Desa/Kelurahan Merah Putih of every unit (`ingest.simulator.kdmp` with
   `national_villages`: 82,780 villages, NTT's 3,442 as counted, the rest shared by population) — their tracker
   rows (`kdmp_XX.csv`) and the registry rows of those with a NIK. `--sample N` keeps N cooperatives and NTT's KDMP
   only (a quick run of the same steps).
2. A new PostgreSQL database (dropped at the end unless --keep) is migrated and seeded with the 514 units, and
   every file goes through `ingest.pipeline.ingest_file`, the loader the inbox uses, without scoring.
3. The full refresh (`warehouse.refresh.refresh`), then one kabupaten's (Kota Kupang's) latest month re-sent with
   changed figures: its load and the incremental refresh it triggers.
4. bench/load.py against `gunicorn -w 4` (gthread, 4 threads each) with a Redis query cache (db 1, emptied
   first) and one `python app.py scheduler` process beside it: 20 logged-in officials × 60 s, every page's
   callbacks with median and p95; the workers' peak memory (VmHWM).
5. The warehouse's size on disk.
Prints each figure beside its target from issue 15; exits 1 when the load had errors.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_ADMIN = os.environ.get("PANTAU_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("PANTAU_BENCH_REDIS", "redis://127.0.0.1:6379/1")
AS_OF = date(2026, 12, 1)
KABUPATEN = "5371"  # the kabupaten whose latest monthly file is re-sent (Kota Kupang)


# --------------------------------------------------------------------------------------------- the files
def write_files(folder: Path, months: int, sample: int | None) -> dict:
    """(child process) Simulate the nation and write its CSV files; returns counts."""
    import numpy as np

    from ingest.simulator import generate, kdmp
    from ingest.simulator.contract import DIGITAL_COLUMNS, KOPERASI_COLUMNS, LAPORAN_COLUMNS, RAT_COLUMNS
    from ingest.simulator.regencies import national_units

    started = time.perf_counter()
    nation = generate(seed=2023, scale="national", as_of=AS_OF, fault_rate=0.0, months=months,
                      complete_reporting=True)
    coops, reports, meetings, stages = nation.cooperatives, nation.reports, nation.meetings, nation.digital
    if sample:
        rng = np.random.default_rng(1)
        keep = set(rng.choice(coops["nik"].to_numpy(), size=min(sample, len(coops)), replace=False))
        keep |= set(coops.loc[coops["regency_code"] == KABUPATEN, "nik"].head(50))
        coops = coops[coops["nik"].isin(keep)]
        reports, meetings, stages = (f[f["nik"].isin(keep)] for f in (reports, meetings, stages))
    simulated = time.perf_counter() - started
    folder.mkdir(parents=True, exist_ok=True)
    units = national_units(np.random.default_rng(0))
    units.to_csv(folder / "units.csv", index=False)
    prefix = coops.set_index("nik")["regency_code"].astype(str).str[:2]

    def save(frame, columns, name):
        frame[list(columns)].to_csv(folder / name, index=False, date_format="%Y-%m-%d")

    for code, part in coops.groupby(coops["regency_code"].astype(str).str[:2]):
        save(part, KOPERASI_COLUMNS, f"koperasi_{code}.csv")
    years = reports["period_end"].dt.year
    for (code, year), part in reports.groupby([reports["nik"].map(prefix), years]):
        save(part, LAPORAN_COLUMNS, f"laporan_keuangan_{year}_{code}.csv")
    for code, part in meetings.groupby(meetings["nik"].map(prefix)):
        save(part, RAT_COLUMNS, f"rat_{code}.csv")
    for code, part in stages.groupby(stages["nik"].map(prefix)):
        save(part, DIGITAL_COLUMNS, f"digital_{code}.csv")
    # the Koperasi Desa/Kelurahan Merah Putih of every unit (the national count, NTT's as the province counts them):
    # the tracker's rows and the registry rows of those with a NIK, per province prefix
    world = kdmp.simulate(2023, AS_OF, None if sample else kdmp.national_villages(units))  # a sample: NTT's 3,442
    tracker = world.rows.assign(construction_pct=world.rows["construction_pct"].round(0))
    for code, part in tracker.groupby(tracker["village_code"].str[:2]):
        part.to_csv(folder / f"kdmp_{code}.csv", index=False, date_format="%Y-%m-%d")
    kdmp_registry = world.registry
    for code, part in kdmp_registry.groupby(kdmp_registry["regency_code"].str[:2]):
        part.to_csv(folder / f"koperasi_kdmp_{code}.csv", index=False, date_format="%Y-%m-%d")
    latest = reports["period_end"].max()
    month = reports[(reports["period_end"] == latest) & reports["nik"].str.startswith(KABUPATEN)].copy()
    month["members"] = month["members"] + 1  # a re-sent month with changed figures: new revisions
    (folder / "resent").mkdir(exist_ok=True)
    save(month, LAPORAN_COLUMNS, f"resent/laporan_keuangan_{latest:%Y-%m}_{KABUPATEN}.csv")
    return {"cooperatives": len(coops), "reports": len(reports), "meetings": len(meetings), "digital": len(stages),
            "villages": len(world.villages), "kdmp_rows": len(tracker), "kdmp_registry": len(kdmp_registry),
            "units": int(coops["regency_code"].nunique()), "resent": len(month), "simulate_s": simulated,
            "write_s": time.perf_counter() - started - simulated}


# ------------------------------------------------------------------------------------------- the warehouse
def new_database(name: str) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_database(name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed_units(engine, units_csv: Path) -> int:
    """The 492 synthetic units beside NTT's 22 (reference data the first migration seeded)."""
    import pandas as pd
    from sqlalchemy import select

    from warehouse.models import Regency

    units = pd.read_csv(units_csv, dtype={"code": str})
    with engine.begin() as conn:
        known = {c for (c,) in conn.execute(select(Regency.code))}
        extra = units[~units["code"].isin(known)]
        rows = [{"code": r.code, "bps_code": r.code, "name": r.name, "short_name": r.short_name, "type": r.type,
                 "capital": r.capital, "pop_2020": int(r.pop_2020), "area_km2": 1000.0, "lat": 0.0, "lon": 0.0,
                 "label_lat": 0.0, "label_lon": 0.0} for r in extra.itertuples()]
        if rows:
            conn.execute(Regency.__table__.insert(), rows)
    return len(rows)


def load_files(engine, folder: Path) -> tuple[int, float, int]:
    """Every file through the real loader (no scoring); (rows loaded, seconds, files)."""
    from ingest.pipeline import ingest_file

    started, rows, files = time.perf_counter(), 0, 0
    order = ("koperasi_", "laporan_keuangan_", "rat_", "digital_", "kdmp_")  # the registry first, as the inbox loads
    paths = sorted((p for p in folder.glob("*.csv") if p.name.startswith(order) and p.parent == folder),
                   key=lambda p: (next(i for i, o in enumerate(order) if p.name.startswith(o)), p.name))
    for path in paths:
        result = ingest_file(engine, path, source="inbox", refresh=False, today=AS_OF)
        if result.status != "success" or result.counts.rejected:
            raise SystemExit(f"{path.name}: {result.status} {result.counts} {result.message[:300]}")
        rows += result.counts.loaded + result.counts.revised
        files += 1
        print(f"  {path.name}: {result.counts.loaded:,} rows ({time.perf_counter() - started:.0f} s)", flush=True)
    return rows, time.perf_counter() - started, files


def warehouse_size(engine) -> int:
    from sqlalchemy import text

    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar())


# ------------------------------------------------------------------------------------------------ the web
def worker_peaks(port: int) -> list[int]:
    """Peak resident memory (VmHWM, bytes) of each gunicorn worker serving `port` (not the master)."""
    import psutil

    peaks = []
    for process in psutil.process_iter(["cmdline", "ppid"]):
        cmd = " ".join(process.info["cmdline"] or [])
        if "gunicorn" in cmd and f"127.0.0.1:{port}" in cmd:
            try:
                parent = psutil.Process(process.info["ppid"])
            except psutil.Error:
                continue
            if "gunicorn" in " ".join(parent.cmdline()):  # a worker (its parent is the master)
                status = Path(f"/proc/{process.pid}/status").read_text()
                peaks.append(int(next(line.split()[1] for line in status.splitlines()
                                      if line.startswith("VmHWM"))) * 1024)
    return peaks


def web_load(database_url: str, users: int, seconds: float, workers: int, out: Path) -> dict:
    """bench/load.py on gunicorn workers with Redis, one scheduler process beside them; the summary and peaks."""
    import redis

    print(f"web: {users} users × {seconds:.0f} s on {workers} gunicorn workers, Redis, one scheduler …", flush=True)
    redis.Redis.from_url(REDIS).flushdb()
    env = {**os.environ, "DATABASE_URL": database_url, "CACHE_URL": REDIS, "SCHEDULER": "off", "DEMO": "off",
           "DATA_DIR": tempfile.mkdtemp(prefix="pantau-national-")}
    scheduler = subprocess.Popen([sys.executable, "app.py", "scheduler"], cwd=ROOT, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        from bench.load_record import visit_urls

        pages = visit_urls(database_url, kab=KABUPATEN)
        load = subprocess.Popen(
            [sys.executable, "-m", "bench.load", "--database", database_url, "--users", str(users), "--seconds",
             str(seconds), "--workers", str(workers), "--threads", "4", "--cache", REDIS, "--json", str(out),
             "--pages", ",".join(pages)], cwd=ROOT, env={**os.environ}, stdout=subprocess.PIPE, text=True)
        peaks, port = [], None
        for line in load.stdout:
            print("  " + line.rstrip(), flush=True)
            if "app served at http://127.0.0.1:" in line:
                port = int(line.split("127.0.0.1:")[1].split()[0])
            if port and "users (spawn rate" in line:
                time.sleep(seconds * 0.9)
                peaks = worker_peaks(port)
        load.wait()
    finally:
        os.killpg(scheduler.pid, signal.SIGTERM)
        scheduler.wait(timeout=30)
    summary = json.loads(out.read_text()) if out.exists() else {"rows": [], "errors": -1}
    summary["peaks"] = peaks
    summary["exit"] = load.returncode
    return summary


# ------------------------------------------------------------------------------------------------- main
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--sample", type=int, help="keep this many cooperatives (a quick run of the same steps)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the database (its URL is printed)")
    parser.add_argument("--files", help="(internal) write the files into this folder and print their counts")
    parser.add_argument("--database", help="a warehouse an earlier run loaded and kept (--keep): skip simulating and "
                                           "loading, measure the refresh, the incremental refresh and the pages on it")
    args = parser.parse_args(argv)
    if args.files:
        print(json.dumps(write_files(Path(args.files), args.months, args.sample)))
        return 0
    if args.database:
        return measure_kept(args)

    import logging

    from warehouse import migrate
    from warehouse.db import make_engine

    logging.basicConfig(level=logging.WARNING)
    folder = Path(tempfile.mkdtemp(prefix="pantau-national-files-"))
    print(f"simulating the nation and writing its files into {folder} …", flush=True)
    child = subprocess.run([sys.executable, __file__, "--files", str(folder), "--months", str(args.months),
                            *(["--sample", str(args.sample)] if args.sample else [])], capture_output=True, text=True)
    if child.returncode:
        raise SystemExit(child.stderr[-3000:])
    counts = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"  {counts['cooperatives']:,} cooperatives in {counts['units']} units, {counts['reports']:,} reports, "
          f"{counts['meetings']:,} RAT rows, {counts['digital']:,} digital stages, {counts['villages']:,} KDMP villages "
          f"({counts['kdmp_rows']:,} tracker rows, {counts['kdmp_registry']:,} with a NIK in the registry) "
          f"(simulated in {counts['simulate_s']:.0f} s, written in {counts['write_s']:.0f} s)", flush=True)

    name = f"pantau_national_{uuid.uuid4().hex[:6]}"
    url = new_database(name)
    engine = make_engine(url)
    results: dict = {"counts": counts}
    try:
        migrate.upgrade(engine)
        seed_units(engine, folder / "units.csv")
        print("loading through the real loader …", flush=True)
        rows, seconds, files = load_files(engine, folder)
        results["load"] = {"rows": rows, "seconds": seconds, "files": files}
        results["full"] = full_refresh(engine)
        results["incremental"] = resend(engine, next((folder / "resent").glob("*.csv")))
        results["size"] = warehouse_size(engine)
        engine.dispose()
        results["web"] = web_load(url, args.users, args.seconds, args.workers, folder / "load.json")
    finally:
        engine.dispose()
        if args.keep:
            print(f"warehouse kept: {url}")
        else:
            drop_database(name)
    report(results)
    return 0 if results["web"].get("errors") == 0 and results["web"].get("exit") == 0 else 1


def full_refresh(engine) -> dict:
    """The full refresh, timed, with the refreshing process's peak memory."""
    from warehouse.refresh import refresh

    print("full refresh …", flush=True)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    full = refresh(engine)
    return {"seconds": full.seconds, "scores": full.scores, "rollups": full.rollups,
            "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "rss_before": before * 1024}


def resend(engine, path: Path) -> dict:
    """Load a kabupaten's re-sent month and time the incremental refresh it triggers."""
    from ingest.pipeline import ingest_file
    from warehouse.refresh import refresh

    started = time.perf_counter()
    loaded = ingest_file(engine, path, source="inbox", refresh=False, today=AS_OF)
    load_s = time.perf_counter() - started
    incremental = refresh(engine, loaded.changed_niks)
    return {"load_s": load_s, "seconds": incremental.seconds, "scope": incremental.scope,
            "revised": loaded.counts.revised}


def stored_counts(engine) -> dict:
    """The counts report() prints, read from a kept warehouse."""
    from sqlalchemy import text

    others = "programme IS DISTINCT FROM 'kdmp'"  # (the simulated nation's cooperatives; the KDMP counted below)
    queries = {"cooperatives": f"SELECT count(*) FROM cooperatives WHERE {others}",
               "units": f"SELECT count(DISTINCT regency_code) FROM cooperatives WHERE {others}",
               "reports": "SELECT count(*) FROM financial_reports WHERE is_current",
               "meetings": "SELECT count(*) FROM annual_meetings WHERE is_current",
               "digital": "SELECT count(*) FROM digital_status WHERE is_current",
               "villages": "SELECT count(DISTINCT village_code) FROM kdmp_progress",
               "kdmp_rows": "SELECT count(*) FROM kdmp_progress",
               "kdmp_registry": "SELECT count(*) FROM cooperatives WHERE programme = 'kdmp'"}
    with engine.connect() as conn:
        return {name: int(conn.execute(text(sql)).scalar()) for name, sql in queries.items()}


def measure_kept(args) -> int:
    """The refresh, the incremental refresh after a re-sent month (written from the warehouse: the kabupaten's latest
    month of current reports, every `members` + 1) and the pages, on a warehouse an earlier run kept."""
    import logging

    from bench.incremental import latest_month
    from warehouse.db import make_engine

    logging.basicConfig(level=logging.WARNING)
    engine = make_engine(args.database)
    results: dict = {"counts": stored_counts(engine), "load": None}
    results["full"] = full_refresh(engine)
    month, latest = latest_month(engine, KABUPATEN)
    month["members"] = month["members"] + 1
    folder = Path(tempfile.mkdtemp(prefix="pantau-national-resent-"))
    path = folder / f"laporan_keuangan_{latest:%Y-%m}_{KABUPATEN}.csv"
    month.to_csv(path, index=False, date_format="%Y-%m-%d")
    results["incremental"] = resend(engine, path)
    results["size"] = warehouse_size(engine)
    engine.dispose()
    results["web"] = web_load(args.database, args.users, args.seconds, args.workers, folder / "load.json")
    report(results)
    return 0 if results["web"].get("errors") == 0 and results["web"].get("exit") == 0 else 1


def report(r: dict) -> None:
    c, load, full, inc, web = r["counts"], r["load"], r["full"], r["incremental"], r["web"]
    gb = 1024 ** 3
    print("\n=== national scale (PostgreSQL) ===")
    print(f"cooperatives {c['cooperatives']:,} in {c['units']} units; reports {c['reports']:,}; RAT {c['meetings']:,}; "
          f"digital stages {c['digital']:,}; KDMP villages {c['villages']:,} ({c['kdmp_rows']:,} tracker rows, "
          f"{c['kdmp_registry']:,} in the registry)")
    if load:
        print(f"load through the real loader: {load['rows']:,} rows in {load['seconds']:.0f} s "
              f"({load['rows'] / load['seconds']:,.0f} rows/s, {load['files']} files)")
    else:
        print("load: not in this run (a warehouse an earlier run loaded and kept; current rows counted above)")
    print(f"full refresh: {full['seconds']:.0f} s (target < 900 s); {full['scores']:,} scores, {full['rollups']:,} "
          f"roll-up rows; peak memory of the refreshing process {full['peak_rss'] / gb:.1f} GB")
    print(f"incremental refresh after {KABUPATEN}'s re-sent month ({inc['revised']:,} revisions, loaded in "
          f"{inc['load_s']:.1f} s): {inc['seconds']:.1f} s (target < 30 s), {inc['scope']}")
    print(f"warehouse size: {r['size'] / gb:.2f} GB")
    rows = [row for row in web.get("rows", []) if row["name"].startswith("cb ")]
    print(f"pages with {web.get('rows') and 'the load' or 'no load'}: callbacks by page (targets: median < 300 ms, "
          "p95 < 1,000 ms)")
    for row in rows:
        print(f"  {row['name'][:64]:<64} n={row['requests']:>5} median {row['median_ms']:>6.0f} ms "
              f"p95 {row['p95_ms']:>6.0f} ms")
    if rows:
        every = sorted(rows, key=lambda row: -row["p95_ms"])[0]
        print(f"  worst p95: {every['p95_ms']:.0f} ms ({every['name'][:60]})")
    print(f"errors: {web.get('errors')}; gunicorn workers' peak memory: "
          + ", ".join(f"{p / gb:.2f} GB" for p in web.get("peaks", [])))


if __name__ == "__main__":
    sys.exit(main())

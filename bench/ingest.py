"""Benchmark: load 260 k report rows (4,301 cooperatives × 60 months) from CSV, next to two raw-insert baselines.

    python bench/ingest.py [--backend sqlite|postgresql|both] [--cooperatives 4301] [--months 60] [--repeat 3]
                           [--bound]

All three are timed in the same run, on the same rows, in `--repeat` interleaved rounds (medians; on a 2-core
virtual machine one round's ratio moved between 0.52 and 0.70):

- loader: the real path, `ingest_file` from the CSV file (read → pandera validation → hashing → bulk insert with
  revisions, one transaction) into a warehouse with the registry loaded; on PostgreSQL a big first load is
  validated in slices and sent while it is checked (ingest.loader.load_streamed);
- indexed baseline: the same rows, already parsed, written by `warehouse.bulk.bulk_insert` (COPY on PostgreSQL, one
  raw executemany on SQLite) into the real financial_reports table, with its indexes and foreign keys;
- bare baseline: the same rows and the same bulk_insert into a table of the same columns without any index or
  constraint (`CREATE TABLE … (LIKE financial_reports INCLUDING DEFAULTS)` on PostgreSQL; only the id's sequence
  default is kept, so the COPY sends the same columns) — the most a bulk write of these rows can do.

`loader/indexed` and `loader/bare` are throughput ratios (the loader's rows/s ÷ the baseline's): what validation,
bookkeeping and index maintenance cost. `same file again` re-sends the file (every row unchanged). Under the table,
where the loader's time goes: each phase timed around its real call, as a multiple of the bare COPY's time.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import MetaData, create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from warehouse.bulk import bulk_insert  # noqa: E402
from ingest.pipeline import ingest_file  # noqa: E402
from warehouse import migrate  # noqa: E402
from warehouse.db import make_engine  # noqa: E402
from warehouse.models import FinancialReport  # noqa: E402

PG_ADMIN = os.environ.get("PANTAU_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CODES = ["5301", "5302", "5303", "5304", "5305", "5306", "5307", "5308", "5309", "5310", "5311", "5312", "5313",
         "5314", "5315", "5316", "5317", "5318", "5319", "5320", "5321", "5371"]


def make_files(folder: Path, n_coops: int, months: int, seed: int = 7) -> tuple[Path, Path, int]:
    rng = np.random.default_rng(seed)
    niks = np.array([f"{CODES[i % 22]}{i:09d}" for i in range(n_coops)])
    registry = pd.DataFrame({"nik": niks, "name": [f"Koperasi Uji {i}" for i in range(n_coops)],
                             "regency_code": [CODES[i % 22] for i in range(n_coops)], "type": "simpan_pinjam",
                             "group": "KSP", "status": "active"})
    reg_path = folder / "koperasi_bench.csv"
    registry.to_csv(reg_path, index=False)
    periods = pd.date_range("2020-01-31", periods=months, freq="ME")
    n = n_coops * months
    assets = rng.lognormal(20, 1.5, n).round(0)
    frame = pd.DataFrame({
        "nik": np.repeat(niks, months), "period_end": np.tile(periods.strftime("%Y-%m-%d"), n_coops),
        "period_type": "month", "members": rng.integers(20, 5000, n), "total_assets": assets,
        "current_assets": (assets * 0.6).round(0), "cash_and_bank": (assets * 0.1).round(0),
        "total_liabilities": (assets * 0.5).round(0), "current_liabilities": (assets * 0.3).round(0),
        "equity": (assets * 0.5).round(0), "share_capital_principal": (assets * 0.05).round(0),
        "share_capital_mandatory": (assets * 0.2).round(0), "reserves": (assets * 0.1).round(0),
        "voluntary_savings": (assets * 0.2).round(0), "time_deposits": (assets * 0.1).round(0),
        "funds_received": (assets * 0.45).round(0), "loans_outstanding": (assets * 0.55).round(0),
        "loans_to_members": (assets * 0.5).round(0), "loans_at_risk": (assets * 0.05).round(0),
        "loans_substandard": (assets * 0.01).round(0), "loans_doubtful": (assets * 0.005).round(0),
        "loans_loss": (assets * 0.005).round(0), "loan_loss_reserve": (assets * 0.01).round(0),
        "gross_participation": (assets * 0.08).round(0), "net_participation": (assets * 0.03).round(0),
        "revenue": (assets * 0.1).round(0), "non_member_revenue": (assets * 0.01).round(0),
        "operating_expenses": (assets * 0.06).round(0), "staff_costs": (assets * 0.02).round(0),
        "shu_gross": (assets * 0.04).round(0), "shu_before_tax": (assets * 0.03).round(0),
        "management_score": rng.uniform(5, 15, n).round(2),
    })
    path = folder / "laporan_keuangan_bench.csv"
    frame.to_csv(path, index=False)
    return reg_path, path, n


def fresh_database(backend: str, folder: Path):
    if backend == "sqlite":
        return make_engine(f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:6]}.db'}"), None
    name = f"pantau_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_engine(PG_ADMIN.rsplit("/", 1)[0] + "/" + name), (admin, name)


def drop(handle, engine) -> None:
    engine.dispose()
    if handle:
        admin, name = handle
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


BARE = "bare_reports"


def bare_table(conn):
    """financial_reports' columns without any index, key or foreign key (the id keeps its sequence default)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"CREATE TABLE {BARE} (LIKE {FinancialReport.__tablename__} INCLUDING DEFAULTS)"))
    else:  # (CREATE TABLE … AS SELECT keeps the columns and drops every constraint and index)
        conn.execute(text(f"CREATE TABLE {BARE} AS SELECT * FROM {FinancialReport.__tablename__} WHERE 0"))
    return FinancialReport.__table__.to_metadata(MetaData(), name=BARE)


def baselines(backend: str, folder: Path, reg_path: Path, path: Path, n: int) -> tuple[float, float]:
    """Seconds of one raw bulk insert of the parsed rows (no validation, hashing or bookkeeping) into a bare table
    and into the real, indexed one."""
    engine, handle = fresh_database(backend, folder)
    migrate.upgrade(engine)
    ingest_file(engine, reg_path)
    parsed = pd.read_csv(path, dtype={"nik": str}, parse_dates=["period_end"])
    parsed = parsed.assign(revision=1, is_current=True, source="bench", ingest_run_id=1, source_row=0,
                           received_at=pd.Timestamp.now(tz="UTC"), row_hash=0)
    with engine.begin() as conn:
        bare = bare_table(conn)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        bulk_insert(conn, bare, parsed)
    bare_s = time.perf_counter() - t0
    with engine.begin() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {BARE}")).scalar() == n
        conn.execute(text(f"DROP TABLE {BARE}"))
    t0 = time.perf_counter()
    with engine.begin() as conn:
        bulk_insert(conn, FinancialReport.__table__, parsed)
    indexed_s = time.perf_counter() - t0
    drop(handle, engine)
    return bare_s, indexed_s


def loader_run(backend: str, folder: Path, reg_path: Path, path: Path, n: int, last: bool,
               read_before: bool = False) -> dict:
    """The real path from the CSV file into an empty warehouse with the registry loaded: seconds and phases; on the
    `last` run also the same file again (every row unchanged) and the score refresh. `read_before`: the file is
    read before the clock starts (an upper bound of what hiding the reading, e.g. in chunks, could give)."""
    import ingest.pipeline

    engine, handle = fresh_database(backend, folder)
    migrate.upgrade(engine)
    ingest_file(engine, reg_path)
    real_read = ingest.pipeline.read_file
    if read_before:
        tables = real_read(path)
        ingest.pipeline.read_file = lambda *args, **kwargs: tables
    try:
        t0 = time.perf_counter()
        with phases() as spent:
            result = ingest_file(engine, path, refresh=False)  # the loader alone; the score refresh is timed below
        out = {"loader_s": time.perf_counter() - t0, "phases": spent}
    finally:
        ingest.pipeline.read_file = real_read
    if read_before:
        assert result.ok and result.counts.loaded == n, result
        drop(handle, engine)
        return out
    assert result.ok and result.counts.loaded == n, result
    if last:
        t0 = time.perf_counter()
        again = ingest_file(engine, path, refresh=False)
        out["reload_unchanged_s"] = time.perf_counter() - t0
        assert again.counts.unchanged == n
        from warehouse.refresh import refresh

        scored = refresh(engine)
        out.update(refresh_s=scored.seconds, scores=scored.scores)
    drop(handle, engine)
    return out


def run(backend: str, folder: Path, reg_path: Path, path: Path, n: int, repeat: int, bound: bool = False) -> dict:
    """`repeat` rounds of (baselines, loader), interleaved so that a slow spell of the machine touches both; the
    medians, their spread, and the phases of the median loader run. `bound`: each round also times the loader with
    the file read beforehand."""
    bares, indexed, loads, unread = [], [], [], []
    for i in range(repeat):
        bare_s, indexed_s = baselines(backend, folder, reg_path, path, n)
        bares.append(bare_s)
        indexed.append(indexed_s)
        if bound:
            unread.append(loader_run(backend, folder, reg_path, path, n, last=False, read_before=True)["loader_s"])
        loads.append(loader_run(backend, folder, reg_path, path, n, last=i == repeat - 1))
    extra = loads[-1]
    loads.sort(key=lambda r: r["loader_s"])
    median = loads[len(loads) // 2]
    loader, bare_s, baseline = median["loader_s"], statistics.median(bares), statistics.median(indexed)
    return {"backend": backend, "rows": n, "loader_s": loader, "loader_rows_s": n / loader,
            "phases": median["phases"], "baseline_s": baseline, "baseline_rows_s": n / baseline,
            "ratio": baseline / loader, "bare_s": bare_s, "bare_rows_s": n / bare_s, "bare_ratio": bare_s / loader,
            "spread": {"loader": (loads[0]["loader_s"], loads[-1]["loader_s"]), "bare": (min(bares), max(bares)),
                       "indexed": (min(indexed), max(indexed))},
            "reload_unchanged_s": extra["reload_unchanged_s"], "refresh_s": extra["refresh_s"],
            "scores": extra["scores"], "unread_s": statistics.median(unread) if unread else None}


PHASES = (  # (module, function, label): where the loader's time goes, timed around the real calls
    ("ingest.pipeline", "read_file", "read the CSV"),
    ("ingest.pipeline", "ValidationInSlices", "type the keys, find duplicates (whole file)"),
    ("ingest.pipeline", "validate", "validate"),
    ("ingest.validate", "validate", "validate the slices (during the COPY)"),
    ("ingest.loader", "row_hashes", "hash the figures"),
    ("ingest.loader", "bulk_insert", "COPY (format and send; the server parses)"),
    ("warehouse.db", "analyze_if_grown", "ANALYZE"),
)
DURING_COPY = "(during the COPY)"  # labels of phases that overlap a streamed COPY (not added to the total)


@contextmanager
def phases():
    """Time the loader's phases in place (a perf_counter around each real call; the keys' rebuild is the part of
    keys_built_once after its COPY; a streamed load's COPY runs from copy_stream's start to its end, while the
    slices are validated, hashed and formatted). Yields {label: seconds}, filled when the block ends."""
    import importlib

    import ingest.loader

    spent: dict[str, float] = {}
    saved = []
    streaming = []

    def timed(function, label):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                name = label + (" " + DURING_COPY if streaming and DURING_COPY not in label else "")
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0
        return wrapper

    for module_name, name, label in PHASES:
        module = importlib.import_module(module_name)
        saved.append((module, name, getattr(module, name)))
        setattr(module, name, timed(getattr(module, name), label))
    real_keys, real_stream = ingest.loader.keys_built_once, ingest.loader.copy_stream

    @contextmanager
    def keys(conn, table, rows):
        manager = real_keys(conn, table, rows)
        dropped = manager.__enter__()
        try:
            yield dropped
        except BaseException as exc:
            if not manager.__exit__(type(exc), exc, exc.__traceback__):
                raise
        else:
            t0 = time.perf_counter()
            manager.__exit__(None, None, None)
            spent["rebuild keys and indexes"] = time.perf_counter() - t0

    @contextmanager
    def stream(conn, table, columns):
        t0 = time.perf_counter()
        streaming.append(True)
        try:
            with real_stream(conn, table, columns) as write:
                yield write
        finally:
            streaming.clear()
            spent["streamed COPY, first slice sent to last row stored"] = time.perf_counter() - t0

    saved += [(ingest.loader, "keys_built_once", real_keys), (ingest.loader, "copy_stream", real_stream)]
    ingest.loader.keys_built_once, ingest.loader.copy_stream = keys, stream
    try:
        yield spent
    finally:
        for module, name, function in saved:
            setattr(module, name, function)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--cooperatives", type=int, default=4301)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of baselines and loader; the table gives medians (default 3)")
    parser.add_argument("--bound", action="store_true",
                        help="also time the loader with the file read beforehand (what hiding the reading could give)")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory(prefix="pantau-bench-") as tmp:
        folder = Path(tmp)
        reg_path, path, n = make_files(folder, args.cooperatives, args.months)
        print(f"{n:,} report rows ({args.cooperatives:,} cooperatives × {args.months} months), "
              f"CSV {path.stat().st_size / 1e6:.1f} MB")
        print(f"{'backend':<11} {'loader rows/s':>14} {'loader s':>9} {'indexed rows/s':>15} {'indexed s':>10} "
              f"{'bare rows/s':>12} {'bare s':>7} {'loader/indexed':>15} {'loader/bare':>12} "
              f"{'same file again s':>18} {'score refresh s':>16}")
        results = []
        for backend in backends:
            r = run(backend, folder, reg_path, path, n, args.repeat, args.bound)
            print(f"{r['backend']:<11} {r['loader_rows_s']:>14,.0f} {r['loader_s']:>9.2f} "
                  f"{r['baseline_rows_s']:>15,.0f} {r['baseline_s']:>10.2f} {r['bare_rows_s']:>12,.0f} "
                  f"{r['bare_s']:>7.2f} {r['ratio']:>14.2f}x {r['bare_ratio']:>11.2f}x "
                  f"{r['reload_unchanged_s']:>18.2f} {r['refresh_s']:>16.1f}")
            results.append(r)
        if args.repeat > 1:
            print(f"(medians of {args.repeat} interleaved rounds; ratios of the medians)")
        for r in results:
            if r["unread_s"] is not None:
                print(f"{r['backend']}: the loader with the file read beforehand {r['unread_s']:.2f} s, "
                      f"{r['bare_s'] / r['unread_s']:.2f}x the bare COPY (an upper bound of hiding the reading)")
        for r in results:
            spread = ", ".join(f"{k} {lo:.2f}–{hi:.2f} s" for k, (lo, hi) in r["spread"].items())
            print(f"{r['backend']}: spread over the rounds: {spread}")
        for r in results:
            named = sum(v for k, v in r["phases"].items() if DURING_COPY not in k)
            print(f"\n{r['backend']}: where the median loader run's {r['loader_s']:.2f} s go "
                  f"(bare COPY {r['bare_s']:.2f} s)")
            for label, seconds in r["phases"].items():
                print(f"  {label:<62} {seconds:>6.2f} s  {seconds / r['bare_s']:>5.2f}x bare")
            print(f"  {'the rest (runs, look-ups, the first slice, rejections, commit)':<62} "
                  f"{r['loader_s'] - named:>6.2f} s  {(r['loader_s'] - named) / r['bare_s']:>5.2f}x bare")


if __name__ == "__main__":
    main()

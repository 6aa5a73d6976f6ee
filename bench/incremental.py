"""Benchmark: one kabupaten's monthly file re-sent, loaded and refreshed incrementally, beside a full refresh of the
same warehouse in the same run.

    .venv/bin/python bench/incremental.py [--database sqlite:///data/warehouse.db] [--kabupaten 5371] [--repeat 3]

The warehouse is the demo province `make run` builds (reports, RAT, Go Digital, the 3,442 KDMP and the mentoring
log); a SQLite warehouse is copied first so the original is untouched (a PostgreSQL one gets the new revisions).
Each round writes the kabupaten's latest month of current reports as the CSV a kabupaten office sends
(`laporan_keuangan_<YYYY-MM>_<code>.csv`, every `members` + round, so each row becomes a new revision), loads it
through `ingest.pipeline.ingest_file` without refreshing, and times `warehouse.refresh.refresh(engine, changed)` —
the incremental refresh an ingest triggers (scores, state, roll-ups, snapshots, alerts of that kabupaten; the
province re-added from stored parts). The baseline is `refresh(engine)`, the full refresh (`score --full`).
"""
from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def latest_month(engine, code: str):
    """The kabupaten's current reports of its latest month-end, in the contract's columns."""
    import pandas as pd
    from sqlalchemy import func, select

    from warehouse.contract import DATASETS
    from warehouse.models import Cooperative, FinancialReport

    columns = [c.name for c in DATASETS["laporan_keuangan"].columns]
    table = FinancialReport.__table__
    mine = select(Cooperative.nik).where(Cooperative.regency_code == code)
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(table.c.period_end)).where(
            table.c.is_current.is_(True), table.c.nik.in_(mine), table.c.period_type == "month")).scalar()
        rows = conn.execute(select(*[table.c[c] for c in columns]).where(
            table.c.is_current.is_(True), table.c.nik.in_(mine), table.c.period_end == latest)).all()
    return pd.DataFrame.from_records([tuple(r) for r in rows], columns=columns), pd.Timestamp(latest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'data' / 'warehouse.db'}")
    parser.add_argument("--kabupaten", default="5371")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    from ingest.pipeline import ingest_file
    from warehouse.db import make_engine
    from warehouse.refresh import refresh

    with tempfile.TemporaryDirectory(prefix="pantau-incremental-") as tmp:
        url = args.database
        if url.startswith("sqlite:///"):
            source = Path(url.removeprefix("sqlite:///"))
            if not source.exists():
                raise SystemExit(f"{source}: no warehouse (run `make run` first, or pass --database)")
            copy = Path(tmp) / "warehouse.db"
            shutil.copyfile(source, copy)
            url = f"sqlite:///{copy}"
        engine = make_engine(url)
        full = refresh(engine)
        print(f"full refresh (baseline): {full.seconds:.2f} s — {full.cooperatives:,} cooperatives, "
              f"{full.scores:,} scores, {full.rollups:,} roll-up rows")
        rounds = []
        for k in range(1, args.repeat + 1):
            frame, month = latest_month(engine, args.kabupaten)
            frame["members"] = frame["members"] + k
            path = Path(tmp) / f"laporan_keuangan_{month:%Y-%m}_{args.kabupaten}.csv"
            frame.to_csv(path, index=False, date_format="%Y-%m-%d")
            started = time.perf_counter()
            loaded = ingest_file(engine, path, source="inbox", refresh=False)
            load_s = time.perf_counter() - started
            assert loaded.ok and loaded.counts.revised == len(frame), loaded
            result = refresh(engine, loaded.changed_niks)
            rounds.append(result.seconds)
            print(f"  round {k}: {len(frame)} rows of {month:%Y-%m} re-sent, loaded in {load_s:.2f} s; "
                  f"incremental refresh {result.seconds:.2f} s ({result.scope})")
        median = statistics.median(rounds)
        print(f"incremental refresh after kabupaten {args.kabupaten}'s monthly file: median {median:.2f} s "
              f"(target < 2 s) = {median / full.seconds:.2f} × the full refresh ({full.seconds:.2f} s)")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: `python -m ingest.simulator --out data/demo [--seed 2023] [--scale national] [--as-of 2026-06-30]`."""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from . import generate, kdmp, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.simulator", description="Write a simulated (DATA SIMULASI) province.")
    parser.add_argument("--out", required=True, help="output folder (gets inbox/, platform/, registry/, manifest.json)")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--scale", choices=("province", "national"), default="province")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="observation date (default: today)")
    parser.add_argument("--fault-rate", type=float, default=0.005)
    parser.add_argument("--overwrite", action="store_true", help="replace an earlier simulation in --out")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    province = generate(seed=args.seed, scale=args.scale, as_of=args.as_of, fault_rate=args.fault_rate)
    generated = time.perf_counter()
    try:
        manifest = write(province, args.out, overwrite=args.overwrite)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.scale == "province":  # Koperasi Desa/Kelurahan Merah Putih and the mentoring log
        kdmp.write(kdmp.simulate(args.seed, province.as_of), province.mentoring, args.out)
    done = time.perf_counter()
    counts = manifest.data["counts"]["laporan_keuangan"]
    print(f"DATA SIMULASI: seed {args.seed}, {args.scale}, as of {province.as_of.isoformat()}")
    print(f"  {len(province.cooperatives):,} cooperatives ({len(province.platform_niks):,} on the platform), "
          f"{counts['inbox']['rows'] + counts.get('platform', {}).get('rows', 0):,} report rows, "
          f"{len(manifest.faults):,} faulty rows, {len(manifest.rejected_files)} faulty files")
    print(f"  generated in {generated - start:.1f} s, written in {done - generated:.1f} s to {manifest.path.parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Demo-province simulator: a calibrated, clearly labelled ("DATA SIMULASI") NTT cooperative sector.

    from ingest.simulator import generate, write, snapshot
    province = generate(seed=2023)               # DataFrames, deterministic for the seed
    manifest = write(province, "data/demo")      # inbox/, platform/, registry/, manifest.json
    snapshot(province, date(2023, 12, 31))       # published-style counts on a date

See README.md in this folder for the model, the calibration and the file layout.
"""
from . import kdmp
from .province import Province, generate, rat_routine_holders, snapshot
from .writer import Manifest, write

__all__ = ["Manifest", "Province", "generate", "kdmp", "rat_routine_holders", "snapshot", "write"]

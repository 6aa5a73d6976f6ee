"""A small simulated province for page tests: three kabupaten/kota, a few dozen cooperatives each, loaded through
the real CSV ingest path and scored. Built once per test session and backend; tests only read it."""
from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from ingest.pipeline import ingest_file
from ingest.simulator import generate
from warehouse import db, refresh

AS_OF = date(2026, 11, 1)
REGENCIES = ("5371", "5310", "5303")  # Kota Kupang, Sikka, Timor Tengah Selatan
PER_REGENCY = 30


@functools.lru_cache(maxsize=1)
def _province():
    return generate(seed=2023, scale="province", as_of=AS_OF, fault_rate=0.0)


def small_province_frames(regencies=REGENCIES, per_regency=PER_REGENCY) -> dict:
    """The subset as canonical frames keyed by dataset name (koperasi, laporan_keuangan, rat, digital,
    registry_export)."""
    province = _province()
    coops = province.cooperatives
    chosen = (coops.loc[coops["regency_code"].astype(str).isin(regencies)]
              .sort_values("nik").groupby("regency_code", group_keys=False).head(per_regency))
    niks = set(chosen["nik"].astype(str))

    def only(frame):
        return frame.loc[frame["nik"].astype(str).isin(niks)]

    return {
        "koperasi": chosen,
        "laporan_keuangan": only(province.reports),
        "rat": only(province.meetings),
        "digital": only(province.digital),
        "registry_export": only(province.registry_export),
    }


def load_small_province(engine, folder: Path) -> dict:
    """Write the subset as CSV files named after their datasets, ingest them in contract order (the registry export
    last), score everything, and mark the warehouse as simulated. Returns the frames."""
    frames = small_province_frames()
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        result = ingest_file(engine, path, source="inbox", today=AS_OF, refresh=False)
        assert result.status == "success", (name, result)
    with engine.begin() as conn:
        db.set_meta(conn, "simulated", "true")
    refresh.refresh(engine)
    return frames

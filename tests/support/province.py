"""A small simulated province for page tests: three kabupaten/kota, a few dozen cooperatives each (and the national
primary of Kota Kupang, which only the "semua" population counts), a dozen KDMP villages each with their mentoring,
loaded through the real CSV ingest path and scored. Built once per test session and backend; tests only read it."""
from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import pandas as pd

from ingest.pipeline import ingest_file
from ingest.simulator import generate, kdmp
from warehouse import db, refresh

AS_OF = date(2026, 11, 1)
REGENCIES = ("5371", "5310", "5303")  # Kota Kupang, Sikka, Timor Tengah Selatan
PER_REGENCY = 30
KDMP_PER_REGENCY = 12


@functools.lru_cache(maxsize=1)
def _province():
    return generate(seed=2023, scale="province", as_of=AS_OF, fault_rate=0.0)


@functools.lru_cache(maxsize=1)
def _kdmp():
    return kdmp.simulate(2023, AS_OF)


def small_province_frames(regencies=REGENCIES, per_regency=PER_REGENCY) -> dict:
    """The subset as canonical frames keyed by dataset name (koperasi, laporan_keuangan, rat, digital,
    registry_export)."""
    province = _province()
    coops = province.cooperatives
    here = coops.loc[coops["regency_code"].astype(str).isin(regencies)]
    chosen = here.sort_values("nik").groupby("regency_code", group_keys=False).head(per_regency)
    # a national primary (supervised by the ministry): in the "semua" roll-ups only
    national = here.loc[here["membership_area"].eq("nasional")].head(1)
    chosen = pd.concat([chosen, national]).drop_duplicates("nik").sort_values("nik")
    niks = set(chosen["nik"].astype(str))

    def only(frame):
        return frame.loc[frame["nik"].astype(str).isin(niks)]

    return {
        "koperasi": chosen,
        "laporan_keuangan": only(province.reports),
        "rat": only(province.meetings),
        "digital": only(province.digital),
        "registry_export": only(province.registry_export),
        **small_kdmp_frames(regencies, mentoring=only(province.mentoring)),
    }


def small_kdmp_frames(regencies=REGENCIES, per_regency=KDMP_PER_REGENCY, mentoring=None) -> dict:
    """A dozen KDMP villages per kabupaten: their kdmp rows (without NIK, so the registry stays the cooperatives
    above) and their mentoring, named by village code; with the digital cooperatives' `mentoring` in the same log."""
    world = _kdmp()
    villages = (world.villages.loc[world.villages["regency_code"].isin(regencies)]
                .groupby("regency_code", group_keys=False).head(per_regency))
    codes = set(villages["village_code"])
    by_nik = dict(zip(villages["nik"], villages["village_code"]))
    rows = world.rows.loc[world.rows["village_code"].isin(codes)].assign(nik=None)
    log = world.mentoring.assign(village_code=world.mentoring["village_code"].fillna(world.mentoring["nik"].map(by_nik)))
    log = log.loc[log["village_code"].isin(codes)].assign(nik=None)
    if mentoring is not None and len(mentoring):
        log = pd.concat([log, mentoring.assign(village_code=None)], ignore_index=True)
    return {"kdmp": rows, "pendampingan": log}


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

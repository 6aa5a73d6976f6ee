"""Koperasi Desa/Kelurahan Merah Putih in the simulated province: one KDMP in each of NTT's 3,442 villages (3,137 desa
+ 305 kelurahan, spread over the kabupaten as Kemendagri counts them), their milestones from the special village
meeting in April 2025 to outlets and the first RAT in 2026, how often each village's data is updated, the mentoring
of the Business Assistants, and the files the real ingestors read: the KDMP tracker (`kdmp`), the registry rows of
the KDMP that have a NIK (`koperasi`, programme kdmp), their first RAT (`rat`) and the mentoring log
(`pendampingan`). Calibration figures and their sources: README.md in this folder.

    world = simulate(seed, as_of)                  # deterministic for the seed; observed at the start of as_of
    files = write(world, province_mentoring, out)  # inbox/*.csv and platform/{kdmp,mentoring}.json
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from . import dates as D
from .sampling import stream

# Villages per kabupaten/kota: (kecamatan, desa, kelurahan), Kepmendagri 300.2.2-2138/2025 (Kode dan Data Wilayah
# Administrasi Pemerintahan), counted from the compilation in github.com/cahyadsn/wilayah db/wilayah.sql (commit
# d68e8d5, 13 Feb 2026): 3,137 desa and 305 kelurahan, 3,442 villages — the 3,442 KDMP the province formed.
VILLAGES = {
    "5301": (24, 160, 17), "5302": (32, 266, 12), "5303": (24, 182, 11), "5304": (12, 69, 12),
    "5305": (18, 158, 17), "5306": (19, 229, 21), "5307": (21, 181, 13), "5308": (21, 255, 23),
    "5309": (12, 190, 16), "5310": (12, 145, 26), "5311": (22, 140, 16), "5312": (6, 63, 11),
    "5313": (9, 144, 7), "5314": (11, 112, 7), "5315": (12, 164, 5), "5316": (7, 97, 16),
    "5317": (6, 65, 0), "5318": (11, 173, 2), "5319": (12, 159, 17), "5320": (6, 58, 5),
    "5321": (12, 127, 0), "5371": (6, 0, 51),
}

# Calibration points (research/landscape-2025-26.md): exact counts of the simulated tracker's rows on those dates.
ALL_AHU_BY = date(2025, 7, 31)  # every KDMP with deed and SK AHU by 1 August 2025 (prontt.com, 7 Aug 2025)
FIRST_UPLOAD = date(2025, 8, 1)  # the province's first list: every village, as recorded in the ODS
CALIBRATION = {
    # kabupaten: (date, {milestone: villages reached by then}) — "land" counts villages whose land is ready
    "5321": ((date(2025, 8, 22), {"nib": 59, "npwp": 66}),      # Malaka, kupang.tribunnews.com 22 Aug 2025
             (date(2025, 11, 13), {"simkopdes": 85, "land": 127 - 33})),  # 13 Nov 2025: 33 without land
    "5315": ((date(2026, 1, 24), {"construction": 26, "land": 169 - 22}),),  # Manggarai Barat, florespos Jan 2026
    "5307": ((date(2025, 12, 15), {"land": 194 - 80}),),  # Sikka: ~80 villages without land (Dec 2025)
    "5318": ((date(2025, 8, 31), {"outlets": 20}),),  # Sumba Barat Daya: 20 KDMP running outlets (Aug 2025)
}
VILLAGES_PER_BA = 10  # a Business Assistant mentors about ten KDMP (indonesiasatu.co)
OUTLETS = ("kantor", "sembako", "simpan_pinjam", "elpiji", "apotek", "klinik", "gudang", "cold_storage", "logistik",
           "lainnya")
OUTLET_WEIGHTS = (0.95, 0.85, 0.6, 0.45, 0.2, 0.12, 0.3, 0.08, 0.15, 0.1)  # chance a running KDMP runs each
SYLLABLES = ("ba", "be", "bo", "da", "de", "do", "fa", "fe", "ka", "ke", "ko", "la", "le", "lo", "ma", "me", "mo",
             "na", "ne", "no", "ra", "re", "ro", "sa", "se", "so", "ta", "te", "to", "wa", "we", "wo", "nu", "lu")
WORDS = ("Baru", "Jaya", "Indah", "Makmur", "Raya", "Lestari", "Timur", "Barat", "Utara", "Selatan", "Tengah")
PLATFORM_DAYS = 30
RESERVED = {"none", "nan", "null", "na", "nat", "n/a"}  # rows with an as_of in the last 30 days arrive through the platform API, older ones in the inbox


@dataclass
class KdmpWorld:
    """The simulated KDMP, observed at the start of `as_of`."""

    as_of: date
    villages: pd.DataFrame  # village_code, regency_code, village_type, village_name, nik (issued or not, truth)
    rows: pd.DataFrame  # the tracker's rows (canonical kdmp columns), every update up to the day before as_of
    registry: pd.DataFrame  # koperasi rows of the KDMP with a NIK by then (programme kdmp)
    meetings: pd.DataFrame  # rat rows: the first RAT (fiscal year 2025) of those KDMP
    mentoring: pd.DataFrame  # pendampingan rows of KDMP (nik or village_code)


def _day(d: date) -> int:
    return D.day(d)


def village_frame(rng: np.random.Generator, counts: dict[str, tuple[int, int, int]] | None = None) -> pd.DataFrame:
    """Every village with a Kemendagri-style code: kabupaten (4) + kecamatan (2) + 1xxx kelurahan / 2xxx desa, and a
    fictional name (the real names are not needed for the demo). `counts`: (kecamatan, desa, kelurahan) per
    kabupaten code, NTT's (VILLAGES) unless given."""
    parts = []
    for code, (kecamatan, desa, kelurahan) in (counts or VILLAGES).items():
        for kind, count, first in (("desa", desa, 2001), ("kelurahan", kelurahan, 1001)):
            if not count:
                continue
            district = np.sort(rng.integers(1, kecamatan + 1, count))
            number = np.zeros(count, dtype=np.int64)
            for k in np.unique(district):
                rows = np.flatnonzero(district == k)
                number[rows] = first + np.arange(len(rows))
            codes = [f"{code}{d:02d}{n:04d}" for d, n in zip(district, number)]
            parts.append(pd.DataFrame({"village_code": codes, "regency_code": code, "village_type": kind}))
    frame = pd.concat(parts, ignore_index=True).sort_values("village_code").reset_index(drop=True)
    syl = np.array(SYLLABLES, dtype=object)
    first = syl[rng.integers(0, len(syl), len(frame))] + syl[rng.integers(0, len(syl), len(frame))]
    second = np.where(rng.random(len(frame)) < 0.35, syl[rng.integers(0, len(syl), len(frame))], "")
    word = np.where(rng.random(len(frame)) < 0.2, " " + np.array(WORDS, dtype=object)[rng.integers(0, len(WORDS),
                                                                                                        len(frame))], "")
    names = pd.Series(first + second, dtype=object).str.capitalize() + word
    # a spreadsheet reads "None", "Nan", "Null" as an empty cell: never a village name
    names = names.where(~names.str.lower().isin(RESERVED), names + " Jaya")
    frame["village_name"] = _unique(names).to_numpy()
    return frame


def _unique(names: pd.Series) -> pd.Series:
    k = names.groupby(names).cumcount()
    return names.where(k == 0, names + " " + (k + 1).astype(str))


def _after(rng, start: np.ndarray, median_days: float, sigma: float = 0.8, pace: np.ndarray | float = 1.0) -> np.ndarray:
    return start + np.rint(rng.lognormal(np.log(median_days), sigma, len(start)) * pace).astype(np.int64)


def _force(rng, times: np.ndarray, rows: np.ndarray, k: int, cutoff: int, earliest: np.ndarray) -> None:
    """Exactly `k` of `rows` reach the milestone on or before `cutoff` (the earliest ones stay first; the others
    move just after the cutoff), in place."""
    order = rows[np.argsort(times[rows], kind="stable")]
    early, late = order[:k], order[k:]
    move = early[times[early] > cutoff]
    times[move] = np.maximum(earliest[move], cutoff - rng.integers(0, 20, len(move)))
    times[move] = np.minimum(times[move], cutoff)
    move = late[times[late] <= cutoff]
    times[move] = cutoff + 1 + rng.integers(0, 45, len(move))


def simulate(seed: int, as_of: date, counts: dict[str, tuple[int, int, int]] | None = None) -> KdmpWorld:
    """The KDMP of the province as seen at the start of `as_of` (deterministic for the seed). `counts`: villages per
    kabupaten code (default NTT's, VILLAGES; the national benchmark passes national_villages(...))."""
    per_kabupaten = counts or VILLAGES  # (`counts` is taken by the calibration loop below)
    rng = stream(seed, "kdmp")
    villages = village_frame(stream(seed, "kdmp-villages"), per_kabupaten)
    n = len(villages)
    codes = villages["regency_code"].to_numpy()
    pace = pd.Series(stream(seed, "kdmp-pace").uniform(0.7, 1.4, len(per_kabupaten)), index=list(per_kabupaten))
    slow = pace.reindex(codes).to_numpy()  # > 1: a slower kabupaten office

    musdesus = rng.integers(_day(date(2025, 4, 10)), _day(date(2025, 6, 20)) + 1, n)
    deed = np.minimum(musdesus + rng.integers(7, 36, n), _day(date(2025, 7, 20)))
    ahu = np.minimum(np.maximum(deed + rng.integers(3, 26, n), deed), _day(ALL_AHU_BY))
    never = D.NEVER
    nik_day = np.where(rng.random(n) < 0.97, ahu + rng.integers(5, 60, n), never)
    bank = np.where(rng.random(n) < 0.95, _after(rng, ahu, 20, 0.7, slow), never)
    npwp = np.where(rng.random(n) < 0.96, _after(rng, ahu, 28, 0.9, slow), never)
    nib = np.where(rng.random(n) < 0.94, np.maximum(_after(rng, ahu, 38, 0.9, slow), ahu + 1), never)
    simkopdes = np.where(rng.random(n) < 0.97, _after(rng, ahu, 65, 0.8, slow), never)
    land = np.where(rng.random(n) < 0.9, _after(rng, ahu, 95, 0.9, slow), never)
    outlets_early = never * np.ones(n, dtype=np.int64)
    early = rng.random(n) < 0.05
    outlets_early[early] = rng.integers(_day(date(2025, 8, 5)), _day(date(2025, 12, 31)), int(early.sum()))

    for code, points in CALIBRATION.items():
        rows = np.flatnonzero(codes == code)
        for when, counts in points:
            cutoff = _day(when)
            for milestone, k in counts.items():
                target = {"nib": nib, "npwp": npwp, "simkopdes": simkopdes, "land": land,
                          "outlets": outlets_early}.get(milestone)
                if target is not None:
                    _force(rng, target, rows, k, cutoff, ahu + 1)
    nib = np.maximum(nib, ahu)  # (the order musdesus ≤ akta ≤ SK AHU ≤ NIB, SK AHU ≤ bank account holds)
    bank = np.maximum(bank, ahu)

    # construction by PT Agrinas (Inpres 17/2025) on villages with land: a first wave from November 2025 due
    # April–May 2026, a second from March 2026 due August–September 2026, the rest later
    start = np.full(n, never, dtype=np.int64)
    wave = rng.choice(3, n, p=[0.42, 0.36, 0.22])
    w1 = _day(date(2025, 11, 15)) + rng.integers(0, 105, n)
    w2 = _day(date(2026, 3, 1)) + rng.integers(0, 150, n)
    w3 = _day(date(2026, 8, 1)) + rng.integers(0, 240, n)
    start = np.select([wave == 0, wave == 1], [w1, w2], w3)
    start = np.where(land < never, np.maximum(start, land + 14), never)
    duration = np.where(wave == 0, rng.integers(140, 200, n), rng.integers(150, 220, n))
    duration = duration + np.where(rng.random(n) < 0.25, rng.integers(60, 150, n), 0)  # delays
    finish = np.where(start < never, start + duration, never)
    mb = np.flatnonzero(codes == "5315")
    _force(rng, start, mb, CALIBRATION["5315"][0][1]["construction"], _day(date(2026, 1, 24)), land + 14)
    finish = np.where(start < never, np.maximum(finish, start + 120), never)
    handover = np.where((finish < never) & (rng.random(n) < 0.9), finish + rng.integers(20, 90, n), never)
    operating = np.where((handover < never) & (rng.random(n) < 0.8), handover + rng.integers(0, 60, n), never)
    operating = np.minimum(operating, outlets_early)
    held = rng.random(n)
    first_rat = np.where(held < 0.45, _day(date(2026, 2, 1)) + rng.integers(0, 150, n),
                         np.where(held < 0.55, _day(date(2026, 7, 1)) + rng.integers(0, 150, n), never))
    first_rat = np.where(nik_day < never, np.maximum(first_rat, nik_day + 30), never)
    run = rng.random((n, len(OUTLETS))) < np.array(OUTLET_WEIGHTS)[None, :]
    run[:, 0] |= ~run.any(axis=1)  # a running KDMP runs at least its office
    outlet_text = np.array([";".join(o for o, on in zip(OUTLETS, flags) if on) for flags in run], dtype=object)
    members0 = np.rint(rng.lognormal(np.log(60), 0.6, n)).astype(np.int64) + 20
    growth = rng.uniform(0.5, 2.0, n)  # more members a year, as a multiple of the founders
    pmk49 = rng.random(n) < 0.08  # proposals under PMK 49/2025 before the Agrinas scheme replaced it
    plafond_agrinas = np.round(rng.uniform(1.0, 3.0, n), 1) * 1e9
    plafond_pmk49 = np.round(rng.uniform(0.2, 0.5, n), 2) * 1e9
    ba_day = _day(date(2025, 11, 1)) + rng.integers(0, 75, n)
    ba_id = _business_assistants(villages)
    visit_rate = stream(seed, "kdmp-visit-rate").beta(1.5, 2.0, n)  # how often each village's BA comes, a month

    seen = _day(as_of) - 1
    truth = pd.DataFrame({"village_code": villages["village_code"], "musdesus": musdesus, "deed": deed, "ahu": ahu,
                          "nik_day": nik_day, "nib": nib, "npwp": npwp, "bank": bank, "simkopdes": simkopdes,
                          "land": land, "start": start, "finish": finish, "handover": handover,
                          "operating": operating, "first_rat": first_rat, "outlets": outlet_text,
                          "members0": members0, "growth": growth, "pmk49": pmk49, "plafond_agrinas": plafond_agrinas,
                          "plafond_pmk49": plafond_pmk49, "ba_day": ba_day, "ba": ba_id, "visit_rate": visit_rate})
    villages = villages.assign(nik=_niks(stream(seed, "kdmp-nik"), villages))
    visits = _ba_visits(stream(seed, "kdmp-visits"), truth, seen)
    update_days = _update_days(stream(seed, "kdmp-updates"), villages, truth, visits, seen, list(per_kabupaten))
    rows = _rows(villages, truth, update_days)
    has_nik = truth["nik_day"].to_numpy() <= seen
    registry = _registry(villages[has_nik], truth[has_nik])
    meetings = _first_rat(stream(seed, "kdmp-rat"), villages, truth, has_nik, seen)
    mentoring = _mentoring(stream(seed, "kdmp-mentoring"), villages, truth, visits, seen)
    return KdmpWorld(as_of, villages, rows, registry, meetings, mentoring)


NATIONAL_KDMP = 82_780  # KDMP formed nationally by 21 Nov 2025 (research/landscape-2025-26.md)
KELURAHAN_SHARE = 0.10  # about one village in ten is a kelurahan nationally (Kepmendagri 300.2.2-2138/2025)


def national_villages(units: pd.DataFrame, total: int = NATIONAL_KDMP) -> dict[str, tuple[int, int, int]]:
    """Villages per unit for the national benchmark: NTT's 22 as counted (VILLAGES), the synthetic units sharing the
    rest of the national KDMP count in proportion to their population (largest remainders), one kelurahan in ten,
    a kecamatan per twelve villages. `units`: regencies.national_units(...) (code, pop_2020)."""
    out = {code: VILLAGES[code] for code in units["code"] if code in VILLAGES}
    others = units.loc[~units["code"].isin(list(VILLAGES))]
    rest = max(total - sum(d + k for _, d, k in out.values()), 0)
    share = others["pop_2020"].to_numpy(dtype="float64")
    exact = share / share.sum() * rest
    count = np.floor(exact).astype(np.int64)
    count[np.argsort(count - exact, kind="stable")[: rest - int(count.sum())]] += 1
    for code, villages in zip(others["code"], count):
        kelurahan = int(round(villages * KELURAHAN_SHARE))
        out[str(code)] = (min(99, max(1, int(villages) // 12)), int(villages) - kelurahan, kelurahan)
    return out


def _business_assistants(villages: pd.DataFrame) -> np.ndarray:
    """BA IDs: about ten villages each, neighbours (by code) sharing one, numbered per kabupaten."""
    out = np.empty(len(villages), dtype=object)
    for code, group in villages.groupby("regency_code", sort=True):
        k = np.arange(len(group)) // VILLAGES_PER_BA + 1
        out[group.index.to_numpy()] = [f"BA-{code}-{i:02d}" for i in k]
    return out


def _niks(rng, villages: pd.DataFrame) -> np.ndarray:
    """16-digit NIKs (kabupaten code + 12 digits): longer than the older cooperatives' 13, so never the same."""
    suffix = rng.choice(900_000_000_000, size=len(villages), replace=False) + 100_000_000_000
    return (villages["regency_code"].astype(str) + pd.Series(suffix).astype(str)).to_numpy()


def _ba_visits(rng, truth: pd.DataFrame, seen: int) -> pd.DataFrame:
    """Business Assistants' visits and mentoring: each village has its own rate (how often its BA comes)."""
    rate = truth["visit_rate"].to_numpy()  # visits a month
    rows = []
    months = pd.date_range("2025-11-01", D.to_date(seen), freq="MS")
    for m in months:
        base = D.day(m.date())
        due = (truth["ba_day"].to_numpy() <= base + 27) & (rng.random(len(truth)) < rate)
        idx = np.flatnonzero(due)
        if len(idx):
            rows.append(pd.DataFrame({"row": idx, "day": base + rng.integers(0, 28, len(idx))}))
    visits = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame({"row": [], "day": []}, dtype=np.int64)
    visits = visits.loc[visits["day"] <= seen].reset_index(drop=True)
    return visits.assign(rate=rate[visits["row"].to_numpy()]) if len(visits) else visits.assign(rate=[])


def _update_days(rng, villages: pd.DataFrame, truth: pd.DataFrame, visits: pd.DataFrame, seen: int,
                 kabupaten: list[str]) -> pd.DataFrame:
    """When each village's row is sent: the first upload (1 August 2025), sweeps of whole kabupaten (the dates the
    calibration names, and one to three more each), and the villages' own updates — rare for most (registration
    high, updating low), more often where the Business Assistant comes often."""
    n = len(villages)
    codes = villages["regency_code"].to_numpy()
    parts = [pd.DataFrame({"row": np.arange(n), "day": _day(FIRST_UPLOAD)})]
    sweeps: dict[str, list[int]] = {code: [_day(when) for when, _ in points] for code, points in CALIBRATION.items()}
    for code in kabupaten:
        extra = rng.integers(1, 4)
        sweeps.setdefault(code, []).extend(rng.integers(_day(date(2025, 9, 1)), _day(date(2026, 11, 30)), extra))
    for code, days in sweeps.items():
        rows = np.flatnonzero(codes == code)
        for d in days:
            parts.append(pd.DataFrame({"row": rows, "day": int(d)}))
    own = rng.beta(0.8, 4.0, n)  # the chance a village updates itself in a month (mean ≈ 0.17)
    own = np.clip(own + 0.25 * truth["visit_rate"].to_numpy(), 0, 0.95)  # a BA who comes often gets updates sent
    for m in pd.date_range("2025-09-01", D.to_date(seen), freq="MS"):
        rows = np.flatnonzero(rng.random(n) < own)
        parts.append(pd.DataFrame({"row": rows, "day": D.day(m.date()) + rng.integers(0, 28, len(rows))}))
    days = pd.concat(parts, ignore_index=True)
    return days.loc[days["day"] <= seen].drop_duplicates().sort_values(["day", "row"]).reset_index(drop=True)


def _rows(villages: pd.DataFrame, truth: pd.DataFrame, updates: pd.DataFrame) -> pd.DataFrame:
    """The tracker's rows: the true state of each village on each update day."""
    t = truth.iloc[updates["row"].to_numpy()].reset_index(drop=True)
    v = villages.iloc[updates["row"].to_numpy()].reset_index(drop=True)
    day = updates["day"].to_numpy()

    def on(column: np.ndarray) -> pd.Series:
        return D.days_to_timestamps(np.where(column <= day, column, D.NEVER))

    start, finish = t["start"].to_numpy(), t["finish"].to_numpy()
    span = np.maximum(finish - start, 1)
    pct = np.where(day < start, np.nan, np.clip(np.floor((day - start) / span * 100), 0, 100))
    pct = np.where(day >= finish, 100.0, pct)
    operating = t["operating"].to_numpy() <= day
    years = np.maximum(day - t["ahu"].to_numpy(), 0) / 365.0
    members = np.rint(t["members0"].to_numpy() * (1 + t["growth"].to_numpy() * years)).astype(np.int64)
    agrinas = start <= day
    pmk49 = t["pmk49"].to_numpy() & (day >= _day(date(2025, 8, 1)))
    scheme = np.where(agrinas, "agrinas", np.where(pmk49, "pmk49", "none"))
    plafond = np.where(agrinas, t["plafond_agrinas"].to_numpy(), np.where(pmk49, t["plafond_pmk49"].to_numpy(), np.nan))
    disbursed = np.where(agrinas, np.round(plafond * np.nan_to_num(pct) / 100 / 1e6) * 1e6,
                         np.where(pmk49 & (day >= _day(date(2026, 3, 1))), np.round(plafond * 0.5 / 1e6) * 1e6,
                                  np.where(pmk49, 0.0, np.nan)))
    nik_known = t["nik_day"].to_numpy() <= day
    return pd.DataFrame({
        "village_code": v["village_code"], "village_name": v["village_name"], "village_type": v["village_type"],
        "nik": np.where(nik_known, v["nik"], None),
        "as_of": D.days_to_timestamps(day),
        "musdesus_on": on(t["musdesus"].to_numpy()), "deed_on": on(t["deed"].to_numpy()), "ahu_on": on(t["ahu"].to_numpy()),
        "nib_on": on(t["nib"].to_numpy()), "npwp_on": on(t["npwp"].to_numpy()), "bank_account_on": on(t["bank"].to_numpy()),
        "simkopdes_on": on(t["simkopdes"].to_numpy()), "land_ready_on": on(t["land"].to_numpy()),
        "handover_on": on(t["handover"].to_numpy()), "first_rat_on": on(t["first_rat"].to_numpy()),
        "ahu_number": _ahu_numbers(v["village_code"]),
        "construction_pct": pct,
        "outlets": np.where(operating, t["outlets"].to_numpy(), None),
        "members": members,
        "financing_scheme": scheme,
        "financing_plafond": plafond,
        "financing_disbursed": disbursed,
        "business_assistant": np.where(t["ba_day"].to_numpy() <= day, t["ba"].to_numpy(), None),
    })


def _ahu_numbers(codes: pd.Series) -> np.ndarray:
    digits = codes.astype(str).str[-7:]
    return ("AHU-" + digits + ".AH.01.29.TAHUN 2025").to_numpy()


def _registry(villages: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """koperasi rows of the KDMP with a NIK: multi-purpose village cooperatives (type konsumen, group KSU — an
    assumption), active, supervised by their kabupaten (members in one village), programme kdmp."""
    kind = np.where(villages["village_type"] == "kelurahan", "Koperasi Kelurahan Merah Putih", "Koperasi Desa Merah Putih")
    return pd.DataFrame({
        "nik": villages["nik"].to_numpy(), "name": kind + " " + villages["village_name"].to_numpy(),
        "regency_code": villages["regency_code"].to_numpy(), "district": None, "type": "konsumen", "group": "KSU",
        "savings_loan_unit": False, "legal_entity_number": _ahu_numbers(villages["village_code"]),
        "legal_entity_date": D.days_to_timestamps(truth["ahu"].to_numpy()).to_numpy(), "established_year": 2025,
        "status": "active", "open_loop": False, "latitude": None, "longitude": None, "membership_area": "kabupaten",
        "programme": "kdmp", "village_code": villages["village_code"].to_numpy(),
    }).sort_values("nik").reset_index(drop=True)


def _first_rat(rng, villages: pd.DataFrame, truth: pd.DataFrame, has_nik: np.ndarray, seen: int) -> pd.DataFrame:
    """rat rows: the first RAT (fiscal year 2025) of the KDMP in the registry that held it, reported one to six
    weeks later (drawn for every village, so a later observation date shows the same meetings)."""
    held = truth["first_rat"].to_numpy()
    reported = held + rng.integers(7, 42, len(held))
    ok = (held <= seen) & has_nik
    return pd.DataFrame({
        "nik": villages["nik"].to_numpy()[ok], "fiscal_year": 2025,
        "held_on": D.days_to_timestamps(held[ok]).to_numpy(),
        "reported_on": D.days_to_timestamps(np.where(reported[ok] <= seen, reported[ok], D.NEVER)).to_numpy(),
    }).sort_values("nik").reset_index(drop=True)


def _mentoring(rng, villages: pd.DataFrame, truth: pd.DataFrame, visits: pd.DataFrame, seen: int) -> pd.DataFrame:
    """pendampingan rows of KDMP: the office's RAT-documents training of October 2025 (dinkopukm.nttprov.go.id,
    13 Oct 2025), the Business Assistants' visits, and Pintu Air and TLM mentoring KDMP in 2026 (koranntt). A row
    names the KDMP's NIK when it had one on that day, else its village code."""
    n = len(villages)
    parts = []
    trained = np.flatnonzero(rng.random(n) < 0.6)
    day = _day(date(2025, 10, 6)) + rng.integers(0, 20, len(trained))
    parts.append(pd.DataFrame({"row": trained, "day": day, "kind": "pelatihan",
                               "topic": "Dokumen RAT dan laporan keuangan",
                               "mentor": "Dinas Koperasi dan UKM Provinsi NTT", "hours": 6.0}))
    if len(visits):
        kinds = np.where(rng.random(len(visits)) < 0.6, "kunjungan", "pendampingan")
        topics = np.array(("SIMKOPDES", "Rencana bisnis", "Administrasi anggota", "Lahan dan pembangunan",
                           "Pembukuan gerai"), dtype=object)[rng.integers(0, 5, len(visits))]
        ba = truth["ba"].to_numpy()[visits["row"].to_numpy()]
        parts.append(pd.DataFrame({"row": visits["row"].to_numpy(), "day": visits["day"].to_numpy(), "kind": kinds,
                                   "topic": topics, "mentor": ba,
                                   "hours": np.round(rng.uniform(1, 4, len(visits)) * 2) / 2}))
    codes = villages["regency_code"].to_numpy()
    for mentor, area in (("KSP Kopdit Pintu Air", ("5307", "5306", "5308")), ("Koperasi TLM Indonesia",
                                                                            ("5301", "5302", "5303"))):
        pool = np.flatnonzero(np.isin(codes, area))
        chosen = rng.choice(pool, size=min(40, len(pool)), replace=False)
        day = _day(date(2026, 2, 1)) + rng.integers(0, 240, len(chosen))
        parts.append(pd.DataFrame({"row": chosen, "day": day, "kind": "pendampingan",
                                   "topic": "Tata kelola simpan pinjam", "mentor": mentor, "hours": 3.0}))
    acts = pd.concat(parts, ignore_index=True)
    acts = acts.loc[acts["day"] <= seen].reset_index(drop=True)
    rows = acts["row"].to_numpy()
    has_nik = truth["nik_day"].to_numpy()[rows] <= acts["day"].to_numpy()
    out = pd.DataFrame({
        "nik": np.where(has_nik, villages["nik"].to_numpy()[rows], None),
        "village_code": np.where(has_nik, None, villages["village_code"].to_numpy()[rows]),
        "activity_date": D.days_to_timestamps(acts["day"].to_numpy()).to_numpy(),
        "kind": acts["kind"].to_numpy(), "topic": acts["topic"].to_numpy(), "mentor": acts["mentor"].to_numpy(),
        "hours": acts["hours"].to_numpy(dtype="float64"),
    })
    return out.drop_duplicates(["nik", "village_code", "activity_date", "kind", "mentor", "topic"]).sort_values(
        ["activity_date", "village_code", "nik"], na_position="first", kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------------------------------- files
PENDAMPINGAN_HEADERS = {"nik": "nomor_induk_koperasi", "village_code": "kode_desa", "activity_date": "tanggal",
                        "kind": "jenis_kegiatan", "topic": "topik", "mentor": "pendamping", "hours": "jam"}


def write(world: KdmpWorld, mentoring: pd.DataFrame, out_dir: str | Path) -> dict[str, int]:
    """The files the real ingestors read, few and large: inbox/koperasi_kdmp.csv, inbox/rat_kdmp.csv,
    inbox/kdmp_ntt.csv and inbox/pendampingan_ntt.csv (Indonesian headers), and the last 30 days of the tracker
    and the mentoring log as platform/kdmp.json and platform/mentoring.json. `mentoring`: the digital cooperatives'
    log (Province.mentoring). Returns {relative path: rows}."""
    out = Path(out_dir)
    (out / "inbox").mkdir(parents=True, exist_ok=True)
    (out / "platform").mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    cutoff = pd.Timestamp(world.as_of) - pd.Timedelta(days=PLATFORM_DAYS)

    def csv(rel: str, frame: pd.DataFrame) -> None:
        body = frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d", float_format="%.15g")
        (out / rel).write_bytes(body.encode("utf-8"))
        written[rel] = len(frame)

    def platform(rel: str, frame: pd.DataFrame, stamp: pd.Series, key: list[str]) -> None:
        items = frame.assign(updated_at=(pd.to_datetime(stamp) + pd.Timedelta(hours=10)).dt.strftime(
            "%Y-%m-%dT%H:%M:%S+08:00").to_numpy())
        items = items.sort_values(["updated_at", *key], kind="stable")
        text = items.to_json(orient="records", lines=True, date_format="iso", force_ascii=False).replace("\\/", "/")
        lines = [json.dumps(_dates_only(json.loads(line)), ensure_ascii=False) for line in text.splitlines() if line]
        (out / rel).write_bytes(("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n").encode("utf-8"))
        written[rel] = len(lines)

    csv("inbox/koperasi_kdmp.csv", world.registry)
    csv("inbox/rat_kdmp.csv", world.meetings)
    rows = world.rows.assign(construction_pct=world.rows["construction_pct"].round(0))
    csv("inbox/kdmp_ntt.csv", rows.loc[rows["as_of"] < cutoff])
    recent = rows.loc[rows["as_of"] >= cutoff]
    platform("platform/kdmp.json", recent, recent["as_of"], ["village_code", "as_of"])
    # the KDMP log: older activities in the inbox, the last 30 days through the platform; the digital cooperatives'
    # log comes through the platform (their registry rows do too, so they are known when it loads)
    log = world.mentoring[list(PENDAMPINGAN_HEADERS)]
    csv("inbox/pendampingan_ntt.csv", log.loc[log["activity_date"] < cutoff].rename(columns=PENDAMPINGAN_HEADERS))
    digital = mentoring.assign(village_code=None)[list(PENDAMPINGAN_HEADERS)] if len(mentoring) else None
    recent = pd.concat([log.loc[log["activity_date"] >= cutoff], digital], ignore_index=True)
    recent = recent.sort_values(["activity_date", "mentor"], kind="stable").reset_index(drop=True)
    platform("platform/mentoring.json", recent, recent["activity_date"], ["activity_date", "mentor"])
    files = {rel: {"rows": rows, "sha256": hashlib.sha256((out / rel).read_bytes()).hexdigest()}
             for rel, rows in sorted(written.items())}
    summary = {"label": "DATA SIMULASI", "as_of": world.as_of.isoformat(), "villages": int(len(world.villages)),
               "desa": int((world.villages["village_type"] == "desa").sum()),
               "kelurahan": int((world.villages["village_type"] == "kelurahan").sum()),
               "registry_rows": int(len(world.registry)), "files": files}
    (out / "kdmp-manifest.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return written


def _dates_only(item: dict) -> dict:
    """ISO timestamps of date columns cut to the day (pandas writes midnight)."""
    return {k: (v[:10] if isinstance(v, str) and k.endswith(("_on", "as_of", "_date")) and "T00:00:00" in v else v)
            for k, v in item.items()}

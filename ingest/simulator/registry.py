"""The simulated cooperative registry: who exists when, where, of which type, and under which name and NIK.

Time-stamped state per cooperative (day numbers, `dates.NEVER` = did not happen):
`established_day`, `legal_day` (legal entity since), `inactive_day` / `reactivated_day` (at most one
inactive spell), `dissolved_day`. Events are drawn as exact quotas per interval of `targets.INTERVALS`, so the
published counts at the interval ends hold for every seed.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from indicators import vocabulary
from . import dates as D
from . import names as N
from . import targets as T
from .sampling import uniform_days, weighted_sample

THREE_YEARS = 3 * 365 + 1

TYPES = vocabulary.COOP_TYPES
# Kabupaten where sharia savings-and-loan cooperatives (KSPPS) are plausible (Muslim communities).
KSPPS_REGENCIES = {"5371": 4.0, "5308": 3.0, "5306": 2.0, "5305": 2.0, "5315": 2.0, "5301": 1.0, "5313": 1.0}
# Credit unions are strongest on Flores and in Timor.
KOPDIT_WEIGHT = {
    "5307": 3.0, "5308": 2.5, "5306": 2.5, "5309": 2.0, "5310": 2.0, "5319": 1.5, "5315": 1.2, "5316": 1.5,
    "5313": 1.5, "5371": 2.0, "5301": 1.2, "5302": 1.2, "5303": 1.5, "5304": 1.5, "5321": 1.2,
}


def _scaled(value: int, factor: float) -> int:
    return int(round(value * factor))


def build_timeline(rng: np.random.Generator, units: pd.DataFrame, factor: float, horizon: date) -> pd.DataFrame:
    """Draw the cooperatives and their life events up to `horizon` (registry size scaled by `factor`)."""
    intervals = [iv for iv in T.INTERVALS if iv.end <= horizon] or [T.INTERVALS[0]]
    if intervals[-1].end < horizon:
        raise ValueError(f"the simulator's event plan ends {intervals[-1].end}; horizon {horizon} is too late")
    n0 = _scaled(T.INITIAL_COOPERATIVES, factor)
    births = [_scaled(iv.births, factor) for iv in intervals]
    n = n0 + sum(births)
    start_day = D.day(T.START)

    established = np.empty(n, dtype=np.int64)
    # Pre-2019 stock: founding years skewed toward recent decades.
    years = 1965 + np.floor(53.999 * rng.beta(2.6, 1.25, size=n0)).astype(np.int64)
    established[:n0] = D.day(date(1970, 1, 1)) + np.rint((years - 1970) * 365.25 + rng.uniform(0, 364, n0)).astype(np.int64)
    established[:n0] = np.minimum(established[:n0], start_day - 1)
    pos = n0
    prev_end = start_day - 1
    for iv, b in zip(intervals, births):
        established[pos : pos + b] = np.sort(uniform_days(rng, prev_end + 1, D.day(iv.end), b))
        pos += b
        prev_end = D.day(iv.end)

    # Anchors (the largest credit unions) are the first rows of the initial stock.
    n_anchor = len(T.ANCHORS) if factor == 1.0 else 0
    for k, anchor in enumerate(T.ANCHORS[:n_anchor]):
        established[k] = D.day(date(anchor["established_year"], 3, 1)) + k * 37

    regency = _assign_regencies(rng, units, n, n_anchor)
    remote = units.set_index("code")["remoteness"].reindex(regency).to_numpy(dtype=float)

    # Discipline (0..1): the latent "how well run" of a cooperative. Drives reporting, RAT, health, digital.
    good_share = np.clip(0.33 - 0.25 * remote, 0.05, 0.6)
    good = rng.random(n) < good_share
    discipline = np.where(good, rng.beta(5.0, 1.8, n), rng.beta(1.3, 4.0, n))
    discipline[:n_anchor] = 0.97

    inactive = np.full(n, D.NEVER, dtype=np.int64)
    reactivated = np.full(n, D.NEVER, dtype=np.int64)
    dissolved = np.full(n, D.NEVER, dtype=np.int64)
    protected = np.zeros(n, dtype=bool)
    protected[:n_anchor] = True

    # Inactive on 31 Dec 2018: cooperatives at least three years old, the less disciplined more likely.
    i0 = _scaled(T.INITIAL_INACTIVE, factor)
    old_enough = np.flatnonzero((established[:n0] <= start_day - 1 - THREE_YEARS) & ~protected[:n0])
    chosen = weighted_sample(rng, old_enough, (1.0 - discipline[old_enough]) ** 3, i0)
    lo = np.maximum(established[chosen] + THREE_YEARS, D.day(date(2011, 1, 1)))
    inactive[chosen] = uniform_days(rng, np.minimum(lo, start_day - 30), start_day - 1)

    prev_end = start_day - 1
    for iv in intervals:
        s, e = prev_end + 1, D.day(iv.end)
        alive = (established <= s - 1) & (dissolved == D.NEVER)
        is_inactive = alive & (inactive <= s - 1) & (reactivated == D.NEVER)
        active = alive & ~is_inactive
        # dissolutions of inactive cooperatives: the longest inactive first (weighted)
        cand = np.flatnonzero(is_inactive)
        dead_in = weighted_sample(rng, cand, (s - inactive[cand]) / 365.0 + 0.2, _scaled(iv.deaths_inactive, factor))
        dissolved[dead_in] = uniform_days(rng, s, e, len(dead_in))
        # revivals: an inactive cooperative holds a RAT again
        cand = np.setdiff1d(cand, dead_in)
        revived = weighted_sample(rng, cand, discipline[cand] + 0.1, _scaled(iv.reactivations, factor))
        reactivated[revived] = uniform_days(rng, s, e, len(revived))
        # new inactive: old enough, never inactive before, the least disciplined most likely
        cand = np.flatnonzero(active & (inactive == D.NEVER) & ~protected & (established <= s - 1 - THREE_YEARS))
        fallen = weighted_sample(rng, cand, (1.0 - discipline[cand]) ** 3, _scaled(iv.new_inactive, factor))
        inactive[fallen] = uniform_days(rng, s, e, len(fallen))
        # dissolutions of active cooperatives (mergers, voluntary)
        cand = np.setdiff1d(np.flatnonzero(active & ~protected), fallen)
        dead_act = weighted_sample(rng, cand, (1.0 - discipline[cand]) ** 2, _scaled(iv.deaths_active, factor))
        dissolved[dead_act] = uniform_days(rng, s, e, len(dead_act))
        prev_end = e

    legal = _legal_entity_days(rng, established, inactive, reactivated, dissolved, n0, factor)
    return pd.DataFrame(
        {
            "row": np.arange(n),
            "regency_code": regency,
            "remoteness": remote,
            "established_day": established,
            "legal_day": legal,
            "inactive_day": inactive,
            "reactivated_day": reactivated,
            "dissolved_day": dissolved,
            "discipline": discipline,
            "anchor": [T.ANCHORS[k]["key"] if k < n_anchor else "" for k in range(n)],
        }
    )


def _assign_regencies(rng: np.random.Generator, units: pd.DataFrame, n: int, n_anchor: int) -> np.ndarray:
    """Spread cooperatives over the units in proportion to population, with noise and an urban bonus."""
    weight = units["pop_2020"].to_numpy(float) * np.exp(rng.normal(0.0, 0.15, len(units)))
    weight *= np.where(units["type"].to_numpy() == "Kota", 1.35, 1.0)
    counts = rng.multinomial(n - n_anchor, weight / weight.sum())
    codes = np.repeat(units["code"].to_numpy(), counts)
    rng.shuffle(codes)
    anchors = np.array([a["regency_code"] for a in T.ANCHORS[:n_anchor]], dtype=object)
    return np.concatenate([anchors, codes]).astype(object)


def _legal_entity_days(rng, established, inactive, reactivated, dissolved, n0, factor) -> np.ndarray:
    """Legal-entity dates, adjusted so that exactly the published number are active but not yet legal on 31 Dec 2023."""
    n = len(established)
    lag = np.where(np.arange(n) < n0, rng.exponential(300, n), rng.exponential(170, n)).astype(np.int64)
    legal = established + lag
    never = rng.random(n) < np.where(np.arange(n) < n0, 0.002, 0.03)
    legal[never] = D.NEVER
    legal[:n0] = np.where(legal[:n0] >= D.day(T.START), np.minimum(legal[:n0], D.day(T.START) - 1), legal[:n0])
    legal[:n0] = np.where(never[:n0], D.NEVER, np.maximum(legal[:n0], established[:n0]))

    check = D.day(T.LEGAL_CHECK_DATE)
    alive = (established <= check) & (dissolved > check)
    active = alive & ~((inactive <= check) & (reactivated > check))
    target = _scaled(T.ACTIVE_NOT_LEGAL_2023, factor)
    not_legal = np.flatnonzero(active & (legal > check))
    if len(not_legal) > target:
        # the oldest of them got their legal entity before the check date
        fix = weighted_sample(rng, not_legal, 1.0 + (check - established[not_legal]) / 30.0, len(not_legal) - target)
        legal[fix] = uniform_days(rng, established[fix], np.full(len(fix), check))
    elif len(not_legal) < target:
        recent = np.flatnonzero(active & (legal <= check) & (established > check - 400) & (established <= check))
        fix = weighted_sample(rng, recent, None, target - len(not_legal))
        legal[fix] = check + 1 + rng.integers(20, 300, len(fix))
    return legal


def assign_types(rng: np.random.Generator, tl: pd.DataFrame, factor: float) -> pd.DataFrame:
    """Type, group and savings-and-loan unit; the mix of the cooperatives registered on 31 May 2020 is exact."""
    n = len(tl)
    check = D.day(T.TYPE_MIX_DATE)
    alive = (tl["established_day"].to_numpy() <= check) & (tl["dissolved_day"].to_numpy() > check)
    disc = tl["discipline"].to_numpy()
    regency = tl["regency_code"].to_numpy()
    anchor = tl["anchor"].to_numpy() != ""
    urban = np.isin(regency, ["5371"])
    kind = np.full(n, "", dtype=object)

    quota = {t: _scaled(v, factor) for t, v in T.TYPE_MIX.items()}
    idx = np.flatnonzero(alive)
    kind[anchor] = "simpan_pinjam"
    remaining = np.setdiff1d(idx, np.flatnonzero(anchor))
    weights = {
        "simpan_pinjam": 0.5 + disc,
        "jasa": 1.0 + 2.0 * urban,
        "produsen": 1.5 - disc + 0.5 * ~urban,
        "pemasaran": 1.2 - 0.5 * disc,
    }
    for t in ("simpan_pinjam", "jasa", "produsen", "pemasaran"):
        k = quota[t] - int((kind[idx] == t).sum())
        pick = weighted_sample(rng, remaining, weights[t][remaining], k)
        kind[pick] = t
        remaining = np.setdiff1d(remaining, pick)
    kind[remaining] = "konsumen"
    # cooperatives not registered on the check date: the same proportions
    others = np.flatnonzero(~alive & (kind == ""))
    shares = np.array([quota[t] for t in TYPES], dtype=float)
    kind[others] = rng.choice(np.array(TYPES, dtype=object), size=len(others), p=shares / shares.sum())

    # USP: exactly SAVINGS_LOAN_2020 run savings and loans on the check date
    usp = np.zeros(n, dtype=bool)
    non_sp = np.flatnonzero(alive & (kind != "simpan_pinjam"))
    usp_weight = np.select(
        [kind[non_sp] == "konsumen", kind[non_sp] == "produsen", kind[non_sp] == "pemasaran"], [3.0, 1.5, 1.0], 0.4
    )
    k = _scaled(T.SAVINGS_LOAN_2020, factor) - int((alive & (kind == "simpan_pinjam")).sum())
    usp[weighted_sample(rng, non_sp, usp_weight, k)] = True
    later = np.flatnonzero(~alive & (kind != "simpan_pinjam"))
    usp[later] = rng.random(len(later)) < k / max(len(non_sp), 1)

    group = _assign_groups(rng, tl, kind, usp, factor)
    out = tl.copy()
    out["type"] = kind.astype(str)
    out["savings_loan_unit"] = usp
    out["group"] = group
    # KUD are old village cooperatives (1970s-1990s): make them older, never younger
    kud = (group == "KUD") & (out["established_day"].to_numpy() < D.day(T.START))
    old = D.day(date(1973, 1, 1)) + rng.integers(0, 26 * 365, n)
    out["established_day"] = np.where(kud, np.minimum(out["established_day"].to_numpy(), old), out["established_day"].to_numpy())
    out["legal_day"] = np.where(
        kud & (out["legal_day"].to_numpy() < D.NEVER),
        np.maximum(np.minimum(out["legal_day"].to_numpy(), out["established_day"].to_numpy() + 400), out["established_day"].to_numpy()),
        out["legal_day"].to_numpy(),
    )
    return out


def _assign_groups(rng, tl, kind, usp, factor) -> np.ndarray:
    n = len(tl)
    regency = tl["regency_code"].to_numpy()
    disc = tl["discipline"].to_numpy()
    anchor = tl["anchor"].to_numpy() != ""
    clean_life = (tl["inactive_day"].to_numpy() == D.NEVER) & (tl["dissolved_day"].to_numpy() == D.NEVER)
    group = np.full(n, "lainnya", dtype=object)
    sp = np.flatnonzero(kind == "simpan_pinjam")
    group[sp] = "KSP"
    # credit unions: disciplined savings-and-loan cooperatives that never lapse, mostly on Flores and Timor
    n_kopdit = _scaled(80, factor) - int(anchor.sum())
    cand = sp[~anchor[sp] & clean_life[sp]]
    w = np.array([KOPDIT_WEIGHT.get(r, 0.6) for r in regency[cand]]) * disc[cand] ** 2
    kopdit = weighted_sample(rng, cand, w, min(n_kopdit, len(cand)))
    group[kopdit] = "Kopdit"
    group[anchor] = "Kopdit"
    cand = np.flatnonzero((group == "KSP"))
    w = np.array([KSPPS_REGENCIES.get(r, 0.05) for r in regency[cand]])
    group[weighted_sample(rng, cand, w, _scaled(16, factor))] = "KSPPS"

    u = rng.random(n)
    other = kind != "simpan_pinjam"
    group[other & usp & (u < 0.62)] = "KSU"
    prod = other & np.isin(kind, ["produsen", "pemasaran"])
    group[prod & (u >= 0.62) & (u < 0.85)] = "KUD"
    group[prod & ~usp & (u < 0.15)] = "KSU"
    return group


def add_identity(rng: np.random.Generator, reg: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """NIK, name, district, coordinates, legal-entity number, established year, open loop."""
    n = len(reg)
    out = reg.copy()
    regency = out["regency_code"].to_numpy()
    # NIK: 13 digits = the unit's 4-digit Kemendagri code + 9 random digits, unique.
    suffix = np.empty(n, dtype=np.int64)
    order = np.argsort(regency, kind="stable")
    codes, starts, counts = np.unique(regency[order], return_index=True, return_counts=True)
    for code, start, count in zip(codes, starts, counts):
        suffix[order[start : start + count]] = rng.choice(900_000_000, size=count, replace=False) + 100_000_000
    out["nik"] = pd.Series(regency, dtype=str).str.cat(pd.Series(suffix).astype(str))

    place = N.places(rng, regency, units)
    out["district"] = place["district"]
    out["name"] = N.cooperative_names(rng, out["type"].to_numpy(), out["group"].to_numpy(), place["place"])
    anchor_rows = np.flatnonzero(out["anchor"].to_numpy() != "")
    by_key = {a["key"]: a for a in T.ANCHORS}
    for r in anchor_rows:
        a = by_key[out.at[r, "anchor"]]
        out.at[r, "name"] = a["name"]
        out.at[r, "district"] = a["district"]
    out["name"] = N.make_unique(out["name"])

    centre = units.set_index("code")[["lat", "lon"]]
    lat = centre["lat"].reindex(regency).to_numpy() + rng.normal(0, 0.07, n)
    lon = centre["lon"].reindex(regency).to_numpy() + rng.normal(0, 0.09, n)
    has_coords = rng.random(n) < 0.7
    out["latitude"] = np.where(has_coords, np.clip(lat, -11.09, -8.01).round(5), np.nan)
    out["longitude"] = np.where(has_coords, np.clip(lon, 118.81, 125.29).round(5), np.nan)

    est = out["established_day"].to_numpy()
    out["established_year"] = D.year_of_days(est)
    legal = out["legal_day"].to_numpy()
    legal_year = D.year_of_days(np.minimum(legal, D.day(date(2200, 1, 1))))
    seq = rng.integers(1, 9999, n)
    old_style = pd.Series(seq).astype(str) + "/BH/" + pd.Series(N.roman(rng.integers(1, 30, n))) + "/" + pd.Series(legal_year).astype(str)
    ahu = "AHU-" + pd.Series(rng.integers(1, 9_999_999, n)).astype(str).str.zfill(7) + ".AH.01.26.TAHUN " + pd.Series(legal_year).astype(str)
    number = np.where(legal_year >= 2015, ahu, old_style)
    out["legal_entity_number"] = np.where(legal < D.NEVER, number, "")
    out["open_loop"] = False
    return out

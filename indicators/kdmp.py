"""Koperasi Desa/Kelurahan Merah Putih (KDMP): every village's KDMP at every reference date, and the kabupaten and
province roll-ups of the registry's KDMP area figures (level ``kdmp_area``). Frames in, frames out.

A village's state at a reference date comes from its latest ``kdmp`` row with ``as_of`` on or before that date
(norms/kdmp.toml). The reference dates are the month-ends from the first ``as_of`` to the newest one, the running
month's being the newest ``as_of`` itself (the warehouse knows nothing later), so "days since the data was updated"
is measured against what the warehouse knows.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import norms as norm_files
from indicators import registry, vocabulary

METHOD = "kdmp"
DATE_STAGES = {  # the milestones a date column records (nib_npwp_rekening: all three, the latest of them)
    "musdesus": ("musdesus_on",),
    "badan_hukum": ("ahu_on",),
    "nib_npwp_rekening": ("nib_on", "npwp_on", "bank_account_on"),
    "simkopdes": ("simkopdes_on",),
    "lahan": ("land_ready_on",),
    "serah_terima": ("handover_on",),
    "rat_pertama": ("first_rat_on",),
}
STAGE_DATE_COLUMNS = ("musdesus_on", "deed_on", "ahu_on", "nib_on", "npwp_on", "bank_account_on", "simkopdes_on",
                      "land_ready_on", "handover_on", "first_rat_on")
KEYS = ["period_end", "regency_code"]


def load_norms() -> dict:
    return norm_files.load_norms(METHOD)


def reference_dates(kdmp_rows: pd.DataFrame) -> pd.DataFrame:
    """The periods of the KDMP roll-ups: ``period_end`` (every month-end from the month of the first as_of to the
    month of the newest) and ``reference_date`` (that month-end, or the newest as_of for the newest month)."""
    if kdmp_rows.empty:
        return pd.DataFrame({"period_end": pd.Series(dtype="datetime64[ns]"),
                             "reference_date": pd.Series(dtype="datetime64[ns]")})
    as_of = pd.to_datetime(kdmp_rows["as_of"])
    first, last = as_of.min(), as_of.max()
    ends = pd.date_range(first + pd.offsets.MonthEnd(0), last + pd.offsets.MonthEnd(0), freq="ME")
    ends = pd.DatetimeIndex(ends).normalize()
    refs = np.minimum(ends.to_numpy(dtype="datetime64[ns]"), np.datetime64(last.normalize(), "ns"))
    return pd.DataFrame({"period_end": ends, "reference_date": refs})


def _month_key(values) -> np.ndarray:
    d = pd.to_datetime(pd.Series(values))
    return (d.dt.year * 12 + d.dt.month - 1).to_numpy(dtype="float64")


def mentoring_by_village(mentoring: pd.DataFrame, kdmp_rows: pd.DataFrame,
                         registry_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The mentoring activities of KDMP as (village_code, activity_date, hours): those naming the village, and
    those naming the NIK a kdmp row or the registry gives the village."""
    if mentoring.empty:
        return pd.DataFrame({"village_code": pd.Series(dtype=str), "activity_date": pd.Series(dtype="datetime64[ns]"),
                             "hours": pd.Series(dtype="float64")})
    nik_to_village: dict[str, str] = {}
    if registry_frame is not None and "village_code" in registry_frame:
        reg = registry_frame.dropna(subset=["village_code"])
        nik_to_village.update(zip(reg["nik"].astype(str), reg["village_code"].astype(str)))
    rows = kdmp_rows.dropna(subset=["nik"])
    nik_to_village.update(zip(rows["nik"].astype(str), rows["village_code"].astype(str)))
    village = mentoring["village_code"].astype(object)
    by_nik = mentoring["nik"].astype(object).map(nik_to_village)
    village = village.where(village.notna(), by_nik)
    out = pd.DataFrame({"village_code": village, "activity_date": pd.to_datetime(mentoring["activity_date"]),
                        "hours": pd.to_numeric(mentoring["hours"], errors="coerce")})
    return out.dropna(subset=["village_code"]).reset_index(drop=True)


def village_state(kdmp_rows: pd.DataFrame, mentoring: pd.DataFrame | None = None,
                  registry_frame: pd.DataFrame | None = None, norms: dict | None = None) -> pd.DataFrame:
    """One row per village × reference date (villages appear from their first as_of): the latest row's columns,
    the milestone flags (``kdmp_musdesus`` … ``kdmp_first_rat``), the current ``stage`` (the last milestone of the
    unbroken run from the first: a village with SIMKOPDES but no land stands at SIMKOPDES, whatever it did later)
    and ``stage_since``,
    ``days_in_stage``, ``days_since_update``, the flags ``kdmp_stuck_nib``, ``kdmp_no_land``, ``kdmp_fresh``,
    ``kdmp_stale``, ``kdmp_with_nik``, ``kdmp_mentored``, the outlet flags ``kdmp_outlet_<type>``, the financing
    flags ``kdmp_financed_<scheme>``, ``mentoring_hours`` (12 months) and ``last_mentored_on``."""
    norms = norm_files.resolve_norms(norms, METHOD)
    periods = reference_dates(kdmp_rows)
    if periods.empty:
        return pd.DataFrame()
    rows = kdmp_rows.copy()
    rows["as_of"] = pd.to_datetime(rows["as_of"]).astype("datetime64[ns]")
    for col in STAGE_DATE_COLUMNS:
        rows[col] = pd.to_datetime(rows[col]).astype("datetime64[ns]")
    rows["construction_pct"] = pd.to_numeric(rows["construction_pct"], errors="coerce")
    rows["outlets"] = rows["outlets"].astype(object).where(rows["outlets"].notna(), None)
    rows = rows.sort_values(["as_of", "village_code"], kind="stable")
    # When a milestone that has no date of its own was first seen: the first as_of showing it.
    started = rows.loc[rows["construction_pct"].fillna(0) > 0].groupby("village_code")["as_of"].min()
    operating = rows.loc[rows["outlets"].fillna("").astype(str).str.len() > 0].groupby("village_code")["as_of"].min()

    grid = periods.assign(_ref=periods["reference_date"].astype("datetime64[ns]")).sort_values("_ref")
    villages = rows[["village_code"]].drop_duplicates()
    grid = grid.merge(villages, how="cross").sort_values("_ref", kind="stable")
    state = pd.merge_asof(grid, rows, left_on="_ref", right_on="as_of", by="village_code", direction="backward")
    state = state.loc[state["as_of"].notna()].reset_index(drop=True)
    ref = state["_ref"]
    state["regency_code"] = state["village_code"].astype(str).str[:4]
    state["village"] = True
    state["village_desa"] = state["village_type"].eq("desa")
    state["village_kelurahan"] = state["village_type"].eq("kelurahan")

    reached = {}
    for stage, cols in DATE_STAGES.items():
        reached[stage] = state[list(cols)].notna().all(axis=1)
    reached["pembangunan"] = state["construction_pct"].fillna(0) > 0
    reached["gerai"] = state["outlets"].fillna("").astype(str).str.len() > 0
    since = {stage: state[list(cols)].max(axis=1).where(reached[stage]) for stage, cols in DATE_STAGES.items()}
    since["pembangunan"] = state["village_code"].map(started).astype("datetime64[ns]").where(reached["pembangunan"])
    since["gerai"] = state["village_code"].map(operating).astype("datetime64[ns]").where(reached["gerai"])
    order = list(norms["stages"]["order"])
    stage = pd.Series(None, index=state.index, dtype=object)
    stage_since = pd.Series(pd.NaT, index=state.index, dtype="datetime64[ns]")
    unbroken = pd.Series(True, index=state.index)
    for key in order:  # the last milestone of the unbroken run from the start: where the village stands
        unbroken &= reached[key]
        stage = stage.where(~unbroken, key)
        stage_since = stage_since.where(~unbroken, since[key])
    state["stage"] = stage
    state["stage_since"] = stage_since
    state["days_in_stage"] = (ref - stage_since).dt.days.astype("float64")
    state["days_since_update"] = (ref - state["as_of"]).dt.days.astype("float64")

    flags = {"kdmp_musdesus": "musdesus", "kdmp_legal": "badan_hukum", "kdmp_nib_npwp_bank": "nib_npwp_rekening",
             "kdmp_simkopdes": "simkopdes", "kdmp_land": "lahan", "kdmp_construction": "pembangunan",
             "kdmp_handover": "serah_terima", "kdmp_operating": "gerai", "kdmp_first_rat": "rat_pertama"}
    for flag, key in flags.items():
        state[flag] = reached[key].to_numpy(dtype=bool)
    state["kdmp_nib"] = state["nib_on"].notna()
    state["kdmp_npwp"] = state["npwp_on"].notna()
    state["kdmp_bank"] = state["bank_account_on"].notna()
    state["kdmp_built"] = state["construction_pct"].fillna(0) >= 100
    days = int(norms["stuck_nib"]["days"])
    state["kdmp_stuck_nib"] = state["kdmp_legal"] & state["nib_on"].isna() & ((ref - state["ahu_on"]).dt.days > days)
    state["kdmp_no_land"] = state["kdmp_legal"] & state["land_ready_on"].isna()
    state["kdmp_fresh"] = state["days_since_update"] <= float(norms["freshness"]["fresh_days"])
    state["kdmp_stale"] = state["days_since_update"] > float(norms["freshness"]["stale_days"])
    nik = state["nik"].astype(object).where(state["nik"].notna(), None)
    if registry_frame is not None and "village_code" in registry_frame:
        reg = registry_frame.dropna(subset=["village_code"]).drop_duplicates("village_code")
        nik = nik.where(nik.notna(), state["village_code"].map(dict(zip(reg["village_code"].astype(str),
                                                                          reg["nik"].astype(str)))))
    state["nik"] = nik
    state["kdmp_with_nik"] = nik.notna().to_numpy(dtype=bool)
    items = state["outlets"].fillna("").astype(str).str.split(";")
    for outlet in vocabulary.KDMP_OUTLETS:
        state[f"kdmp_outlet_{outlet}"] = items.map(lambda xs, o=outlet: o in xs).to_numpy(dtype=bool)
    for scheme in ("pmk49", "agrinas", "lainnya"):
        state[f"kdmp_financed_{scheme}"] = state["financing_scheme"].eq(scheme).to_numpy(dtype=bool)
    for col in ("members", "financing_plafond", "financing_disbursed"):
        state[col] = pd.to_numeric(state[col], errors="coerce").astype("float64")
    state = _with_mentoring(state, mentoring_by_village(mentoring if mentoring is not None else pd.DataFrame(),
                                                        kdmp_rows, registry_frame), norms)
    return state.drop(columns="_ref").sort_values(["period_end", "village_code"]).reset_index(drop=True)


def _with_mentoring(state: pd.DataFrame, activities: pd.DataFrame, norms: dict) -> pd.DataFrame:
    """``mentoring_hours`` (activities in the 12 calendar months up to the reference date), ``last_mentored_on``
    and ``kdmp_mentored`` (an activity in the last 90 days) of each village at each reference date."""
    keys = state[["village_code", "reference_date"]].drop_duplicates()
    if activities.empty:
        state["mentoring_hours"] = 0.0
        state["last_mentored_on"] = pd.NaT
        state["kdmp_mentored"] = False
        return state
    months = int(norms["mentoring"]["hours_months"])
    window = int(norms["mentoring"]["kdmp_days"])
    pairs = keys.merge(activities, on="village_code", how="inner")
    pairs = pairs.loc[pairs["activity_date"] <= pairs["reference_date"]]
    in_year = _month_key(pairs["activity_date"]) > _month_key(pairs["reference_date"]) - months
    hours = pairs.loc[in_year].groupby(["village_code", "reference_date"])["hours"].sum().rename("mentoring_hours")
    last = pairs.groupby(["village_code", "reference_date"])["activity_date"].max().rename("last_mentored_on")
    state = state.merge(hours.reset_index(), on=["village_code", "reference_date"], how="left")
    state = state.merge(last.reset_index(), on=["village_code", "reference_date"], how="left")
    state["mentoring_hours"] = state["mentoring_hours"].fillna(0.0)
    state["kdmp_mentored"] = ((state["reference_date"] - state["last_mentored_on"]).dt.days < window).fillna(False)
    state["kdmp_mentored"] = state["kdmp_mentored"].astype(bool)
    return state


def area_rollups(state: pd.DataFrame, regency_codes: list[str]) -> pd.DataFrame:
    """One row per period × area (the kabupaten/kota and the province "53") with ``reference_date`` and one column
    per KDMP area figure of the registry (counts 0 where an area has no KDMP yet; sums and means empty then)."""
    reg = registry.load()
    ids = reg.kdmp_area_ids()
    if state.empty:
        return pd.DataFrame(columns=[*KEYS, "reference_date", *ids])
    parts: dict[str, np.ndarray] = {}
    for ind in reg.level("kdmp_area"):
        s = ind.spec
        if ind.kind == "count":
            parts[f"n:{s['of']}"] = state[s["of"]].to_numpy(dtype=bool).astype("float64")
        elif ind.kind in ("sum", "mean"):
            over = state[s["over"]].to_numpy(dtype=bool)
            value = np.where(over, pd.to_numeric(state[s["of"]], errors="coerce").to_numpy(dtype="float64"), np.nan)
            parts[f"s:{s['of']}|{s['over']}"] = value
            parts[f"c:{s['of']}|{s['over']}"] = (~np.isnan(value)).astype("float64")
    base = pd.DataFrame({"period_end": state["period_end"].to_numpy(), "regency_code": state["regency_code"].to_numpy(),
                         **parts})
    counts = [c for c in base.columns if c.startswith(("n:", "c:"))]
    values = [c for c in base.columns if c.startswith("s:")]

    def summed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        g = frame.groupby(keys, sort=False)
        out = g[counts].sum()
        if values:
            out = out.join(g[values].sum(min_count=1))
        return out.reset_index()

    by_regency = summed(base, KEYS)
    province = summed(base.drop(columns="regency_code"), ["period_end"]).assign(regency_code=vocabulary.PROVINCE_CODE)
    periods = state[["period_end", "reference_date"]].drop_duplicates("period_end")
    full = pd.MultiIndex.from_product([pd.DatetimeIndex(periods["period_end"]),
                                       [*map(str, regency_codes), vocabulary.PROVINCE_CODE]],
                                      names=KEYS).to_frame(index=False)
    sums = full.merge(pd.concat([by_regency, province], ignore_index=True), on=KEYS, how="left")
    sums[counts] = sums[counts].fillna(0.0)
    out = sums[KEYS].merge(periods, on="period_end", how="left")
    figures: dict[str, np.ndarray] = {}
    for ind in reg.level("kdmp_area"):
        s = ind.spec
        if ind.kind == "count":
            v = sums[f"n:{s['of']}"].to_numpy(dtype="float64")
        elif ind.kind == "sum":
            v = sums[f"s:{s['of']}|{s['over']}"].to_numpy(dtype="float64")
        elif ind.kind == "mean":
            v = _ratio(sums[f"s:{s['of']}|{s['over']}"], sums[f"c:{s['of']}|{s['over']}"], 1.0)
        else:  # share
            v = _ratio(figures[s["numerator"]], figures[s["denominator"]])
        figures[ind.id] = v
    for name, v in figures.items():
        out[name] = v
    return out.sort_values(KEYS).reset_index(drop=True)


def _ratio(num, den, scale: float = 100.0) -> np.ndarray:
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(~np.isnan(den) & (den != 0), num / den * scale, np.nan)

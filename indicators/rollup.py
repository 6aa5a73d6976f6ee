"""Kabupaten/kota and province roll-ups of the cooperative state, computed from the registry's definitions.

Every area figure of ``registry.toml`` is computed here and nowhere else: counts of a flag, sums and means over a
population, shares of two figures, pooled ratios (Σ numerator / Σ denominator), per-capita figures, like-with-like
changes over 12 months, the Go Digital target and its projection. The rows are every kabupaten/kota and the
province (``regency_code`` "53"), each for all cooperative types (``type`` "") and for each type, at every
month-end of the state. Counts and sums are additive, so the province and the all-types rows are sums of the same
per-kabupaten-and-type parts the kabupaten rows are made of: the figures add up by construction.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import digital, registry, vocabulary

KEYS = ["period_end", "regency_code", "type"]


def _parts(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The additive parts every area figure is made of, per state row (flags as 0/1, values NaN outside the
    population)."""
    reg = registry.load()
    parts: dict[str, np.ndarray] = {}

    def flag(name: str) -> np.ndarray:
        return frame[name].to_numpy(dtype=bool)

    def value(name: str, suffix: str = "") -> np.ndarray:
        return pd.to_numeric(frame[f"{name}{suffix}"], errors="coerce").to_numpy(dtype="float64")

    for ind in reg.level("area"):
        s = ind.spec
        if ind.kind == "count":
            parts[f"n:{s['of']}"] = flag(s["of"]).astype("float64")
        elif ind.kind in ("sum", "mean"):
            over = flag(s["over"])
            v = np.where(over, value(s["of"]), np.nan)
            parts[f"s:{s['of']}|{s['over']}"] = v
            parts[f"c:{s['of']}|{s['over']}"] = (~np.isnan(v)).astype("float64")
        elif ind.kind == "pooled":
            over = flag(s["over"])
            parts[f"pn:{ind.id}"] = np.where(over, value(f"_num_{ind.id}"), np.nan)
            parts[f"pd:{ind.id}"] = np.where(over, value(f"_den_{ind.id}"), np.nan)
        elif ind.kind == "change":
            over = flag(s["over"])
            if s["compare"] == "points":
                now, before = flag(s["of"]), frame[f"{s['of']}_prev"].to_numpy(dtype=bool)
                parts[f"cn:{ind.id}"] = (over & now).astype("float64")
                parts[f"cp:{ind.id}"] = (over & before).astype("float64")
                parts[f"cd:{ind.id}"] = over.astype("float64")
            else:
                now, before = value(s["of"]), value(s["of"], "_prev")
                both = over & ~np.isnan(now) & ~np.isnan(before)
                parts[f"cn:{ind.id}"] = np.where(both, now, np.nan)
                parts[f"cp:{ind.id}"] = np.where(both, before, np.nan)
                parts[f"cd:{ind.id}"] = both.astype("float64")
    return parts


def _sum(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Group sums: counts add (0 when empty), value sums stay NaN when no row has a value."""
    counts = [c for c in frame.columns if c.startswith(("n:", "c:", "cd:"))]
    values = [c for c in frame.columns if c not in counts and c not in KEYS]
    g = frame.groupby(keys, sort=False)
    out = g[counts].sum()
    if values:
        out = out.join(g[values].sum(min_count=1))
    return out.reset_index()


def _ratio(num, den, scale: float = 100.0) -> np.ndarray:
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(~np.isnan(den) & (den != 0), num / den * scale, np.nan)


def area_rollups(state: pd.DataFrame, regencies: pd.DataFrame, targets: pd.Series | None = None,
                 province_target: float | None = None) -> pd.DataFrame:
    """One row per month-end × area (the 22 kabupaten/kota and the province "53") × type ("" = all types, then
    each cooperative type), with one column per area figure of the registry (in registry order).

    ``regencies``: ``code`` and ``pop_2020`` (members per 1,000 inhabitants; the province's population is their
    sum). ``targets``: the Go Digital target per kabupaten code (:func:`indicators.digital.regency_targets`);
    ``province_target`` the province's (default: ``norms/digital.toml``). Targets and the projection exist for
    the all-types rows only.
    """
    return area_figures(area_parts(state), regencies, targets, province_target)


def area_parts(state: pd.DataFrame) -> pd.DataFrame:
    """The additive parts of every area figure summed per month-end × kabupaten/kota × cooperative type: what a
    kabupaten's cooperatives contribute. The figures of every area (the province and all-types rows are sums of
    these) follow from them alone, so an incremental refresh recomputes the parts of the kabupaten it touched
    and keeps the others'."""
    if state.empty:
        return pd.DataFrame(columns=KEYS)
    base = pd.DataFrame({"period_end": state["period_end"].to_numpy(), "regency_code": state["regency_code"].astype(str).to_numpy(),
                         "type": state["type"].astype(str).to_numpy(), **_parts(state)})
    return _sum(base, KEYS)


def area_figures(by_type: pd.DataFrame, regencies: pd.DataFrame, targets: pd.Series | None = None,
                 province_target: float | None = None, areas: list[str] | None = None) -> pd.DataFrame:
    """The roll-up rows (see :func:`area_rollups`) from the parts of every kabupaten/kota × type
    (:func:`area_parts`); with ``areas``, only those kabupaten codes' rows (and the province's, "53" in the list)."""
    reg = registry.load()
    ids = reg.area_ids()
    codes = [str(c) for c in regencies["code"]]
    periods = sorted(pd.to_datetime(by_type["period_end"]).unique()) if not by_type.empty else []
    if not periods:
        return pd.DataFrame(columns=[*KEYS, *ids])
    # one summation order whatever order the parts came in (a float sum's last bit depends on it): the province
    # from the kabupaten in code order, in a full refresh and in an incremental one alike
    by_type = by_type.sort_values(KEYS, kind="stable").reset_index(drop=True)
    wanted = None if areas is None else {str(a) for a in areas}
    # the kabupaten rows summed are only the wanted kabupaten's (each sums its own rows, in the same order); the
    # province's always come from every kabupaten
    local = by_type if wanted is None else by_type.loc[by_type["regency_code"].isin(wanted).to_numpy()]
    frames = [_sum(local.drop(columns="type"), ["period_end", "regency_code"]).assign(type=vocabulary.ALL_TYPES),
              local]
    if wanted is None or vocabulary.PROVINCE_CODE in wanted:
        frames += [_sum(by_type.drop(columns=["regency_code", "type"]), ["period_end"]).assign(
                       regency_code=vocabulary.PROVINCE_CODE, type=vocabulary.ALL_TYPES),
                   _sum(by_type.drop(columns="regency_code"), ["period_end", "type"]).assign(
                       regency_code=vocabulary.PROVINCE_CODE)]
    sums = pd.concat(frames, ignore_index=True)
    # every area × type × month-end has a row, even with no cooperatives (counts 0, the rest empty)
    types = [vocabulary.ALL_TYPES, *vocabulary.COOP_TYPES]
    shown = [c for c in [*codes, vocabulary.PROVINCE_CODE] if wanted is None or c in wanted]
    full = pd.MultiIndex.from_product([pd.DatetimeIndex(periods), shown, types], names=KEYS).to_frame(index=False)
    sums = full.merge(sums, on=KEYS, how="left")
    if areas is not None:  # every figure is computed within its own area's rows (projections per area series)
        sums = sums.loc[sums["regency_code"].isin([str(a) for a in areas])].reset_index(drop=True)
    count_cols = [c for c in sums.columns if c.startswith(("n:", "c:", "cd:"))]
    sums[count_cols] = sums[count_cols].fillna(0.0)

    pop = pd.Series(pd.to_numeric(regencies["pop_2020"], errors="coerce").to_numpy(dtype="float64"), index=codes)
    pop[vocabulary.PROVINCE_CODE] = pop.sum()
    out = sums[KEYS].copy()
    values: dict[str, np.ndarray] = {}
    projected: pd.DataFrame | None = None
    for ind in reg.level("area"):
        s = ind.spec
        if ind.kind == "count":
            v = sums[f"n:{s['of']}"].to_numpy()
        elif ind.kind == "sum":
            v = sums[f"s:{s['of']}|{s['over']}"].to_numpy()
        elif ind.kind == "mean":
            v = _ratio(sums[f"s:{s['of']}|{s['over']}"], sums[f"c:{s['of']}|{s['over']}"], 1.0)
        elif ind.kind == "share":
            v = _ratio(values[s["numerator"]], values[s["denominator"]])
        elif ind.kind == "pooled":
            v = _ratio(sums[f"pn:{ind.id}"], sums[f"pd:{ind.id}"])
        elif ind.kind == "per_capita":
            v = _ratio(values[s["numerator"]], sums["regency_code"].map(pop).to_numpy(dtype="float64"), 1000.0)
        elif ind.kind == "change":
            now, before, n = sums[f"cn:{ind.id}"], sums[f"cp:{ind.id}"], sums[f"cd:{ind.id}"]
            if s["compare"] == "relative":
                v = _ratio(now - before, before.abs())
            elif s["compare"] == "points":
                v = _ratio(now - before, n)
            else:
                v = _ratio(now - before, n, 1.0)
            v = np.where(n.to_numpy() > 0, v, np.nan)
        elif ind.kind == "difference":
            v = _year_earlier_difference(sums[KEYS], values[s["of"]])
        elif ind.kind == "target":
            v = _targets(sums, targets, province_target)
        elif ind.kind == "remaining":
            v = np.maximum(values[s["target"]] - values[s["of"]], 0.0)
        elif ind.kind == "projection":
            if projected is None:  # one projection of every series serves the pace, date and reached fields
                projected = digital.projections(pd.DataFrame({
                    "area": sums["regency_code"].to_numpy() + "|" + sums["type"].to_numpy(),
                    "period_end": sums["period_end"].to_numpy(), "go_digital": values["go_digital"],
                    "target": values["digital_target"]}))
            v = projected[s["field"]].to_numpy()
        else:  # pragma: no cover - registry.build refuses unknown kinds
            raise ValueError(f"area figure {ind.id}: unknown kind {ind.kind}")
        values[ind.id] = v
    for name, v in values.items():
        out[name] = v
    return out.sort_values(KEYS, kind="stable").reset_index(drop=True)


def _year_earlier_difference(keys: pd.DataFrame, value: np.ndarray) -> np.ndarray:
    frame = keys.assign(_v=value)
    before = frame.assign(period_end=frame["period_end"] + pd.offsets.MonthEnd(12)).rename(columns={"_v": "_b"})
    merged = frame.merge(before, on=KEYS, how="left")
    return (merged["_v"] - merged["_b"]).to_numpy(dtype="float64")


def _targets(sums: pd.DataFrame, targets: pd.Series | None, province_target: float | None) -> np.ndarray:
    norms = digital.load_norms()
    total = float(norms["target"]["province"] if province_target is None else province_target)
    per = {} if targets is None else {str(k): float(v) for k, v in targets.items()}
    per[vocabulary.PROVINCE_CODE] = total
    target = sums["regency_code"].map(per).to_numpy(dtype="float64")
    return np.where(sums["type"].to_numpy() == vocabulary.ALL_TYPES, target, np.nan)

"""Kabupaten roll-ups: pooled ratios (Σ numerators / Σ denominators), counts, shares and per-capita figures."""

from __future__ import annotations

import logging
from typing import Mapping

import numpy as np
import pandas as pd

from indicators import core

log = logging.getLogger(__name__)

# Pooled ratios (same formula fields as the norm files). Kept here: they aggregate, they do not score.
RATIOS: dict[str, dict] = {
    "equity_to_assets": {"numerator": "equity", "denominator": "total_assets"},
    "current_ratio": {"numerator": "current_assets", "denominator": "current_liabilities"},
    "cash_ratio": {"numerator": "cash_and_bank", "denominator": "current_liabilities"},
    "npl": {"numerator": {"loans_substandard": 1.0, "loans_doubtful": 1.0, "loans_loss": 1.0},
            "denominator": "loans_outstanding"},
    "loans_to_funds_received": {"numerator": "loans_outstanding", "denominator": "funds_received"},
    "roa": {"numerator": "shu_after_tax", "denominator": "total_assets", "annualise": "numerator"},
}

ACTIVE_STATUS = ("active", "aktif")


def _regency_of(frame: pd.DataFrame, registry: pd.DataFrame) -> pd.Series:
    lookup = registry.assign(nik=registry["nik"].astype("str")).drop_duplicates("nik").set_index("nik")["regency_code"]
    return frame["nik"].astype("str").map(lookup.astype("str")).rename("regency_code")


def _keys(frame: pd.DataFrame, period_col: str | None) -> list[str]:
    return ["regency_code"] + ([period_col] if period_col and period_col in frame else [])


def ratio_rollup(reports: pd.DataFrame, registry: pd.DataFrame, ratios: Mapping[str, Mapping] | None = None,
                 period_col: str | None = "period_end") -> pd.DataFrame:
    """Pooled ratio per ``regency_code`` (× ``period_col`` when present): Σ numerator / Σ denominator × 100.

    A kabupaten's ratio is the ratio of its sums over the cooperatives that report both parts (a pair with
    either part missing is left out of both sums), not a mean of the cooperatives' ratios, so large
    cooperatives weigh in proportion to their size (FFIEC UBPR peer averages work the same way). A flow over
    a stock is annualised per report before summing (× 12 / month of ``period_end``). NaN when the summed
    denominator is zero. Columns: keys, ``<ratio>`` (percent) and ``<ratio>_n`` (cooperatives pooled).
    """
    ratios = RATIOS if ratios is None else ratios
    panel = core.Panel(reports)
    frame = pd.DataFrame({"regency_code": _regency_of(reports, registry).to_numpy()}, index=reports.index)
    keys = _keys(reports, period_col)
    if len(keys) > 1:
        frame[period_col] = reports[period_col].to_numpy()
    for name, spec in ratios.items():
        num = panel.combo(spec["numerator"])
        den = panel.combo(spec["denominator"])
        if spec.get("annualise") == "numerator":
            num = num * 12.0 / panel.months
        both = ~np.isnan(num) & ~np.isnan(den)
        frame[f"_n_{name}"] = np.where(both, num, np.nan)
        frame[f"_d_{name}"] = np.where(both, den, np.nan)
    g = frame.groupby(keys, dropna=True)
    sums = g.sum(min_count=1)
    counts = g.count()
    out = pd.DataFrame(index=sums.index)
    for name in ratios:
        d = sums[f"_d_{name}"]
        out[name] = (sums[f"_n_{name}"] / d.where(d != 0)) * 100.0
        out[f"{name}_n"] = counts[f"_d_{name}"].astype("int64")
    return out.reset_index()


def mean_of_ratios(reports: pd.DataFrame, registry: pd.DataFrame, ratios: Mapping[str, Mapping] | None = None,
                   period_col: str | None = "period_end") -> pd.DataFrame:
    """The unweighted mean of the cooperatives' own ratios per kabupaten — shown only for comparison with
    :func:`ratio_rollup` (which the dashboard uses); it lets one tiny cooperative count as much as a large one."""
    ratios = RATIOS if ratios is None else ratios
    panel = core.Panel(reports)
    frame = pd.DataFrame({"regency_code": _regency_of(reports, registry).to_numpy()}, index=reports.index)
    keys = _keys(reports, period_col)
    if len(keys) > 1:
        frame[period_col] = reports[period_col].to_numpy()
    for name, spec in ratios.items():
        frame[name] = panel.compute(spec)[0]
    return frame.groupby(keys, dropna=True)[list(ratios)].mean().reset_index()


def regency_summary(
    registry: pd.DataFrame,
    regencies: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    health: pd.DataFrame | None = None,
    rat: pd.DataFrame | None = None,
    digital: pd.DataFrame | None = None,
    period_col: str | None = None,
    rat_flag: str = "held_on_time",
    ratios: Mapping[str, Mapping] | None = None,
) -> pd.DataFrame:
    """One row per kabupaten (× ``period_col`` when a frame carries it) with counts, shares and sizes.

    Inputs (all frames carry ``nik``; each is joined to the registry's ``regency_code``):
    - ``registry``: ``cooperatives`` (all rows), ``active`` (status active).
    - ``regencies``: ``code``, ``pop_2020`` → ``members_per_1000`` = Σ members / pop_2020 × 1000.
    - ``reports``: one report per cooperative (× period) → ``members`` and ``total_assets`` (sums of the
      reported values; ``reporting_cooperatives`` counts the rows) and the pooled ratios of
      :func:`ratio_rollup` (``ratios``, default :data:`RATIOS`; needs ``period_end`` for annualising).
    - ``health``: a scorer's output with ``nik``, ``total``, ``category`` → ``scored`` (category present),
      ``sehat``, ``pct_sehat`` = sehat / scored × 100, ``avg_health_score`` = mean total of scored rows.
    - ``rat``: ``nik`` and a boolean ``rat_flag`` column (default ``held_on_time`` from
      :func:`indicators.accountability.rat_compliance` for one fiscal year) → ``rat_compliant`` (active
      cooperatives with the flag true), ``pct_rat_compliant`` = rat_compliant / active × 100.
    - ``digital``: ``nik`` and ``go_digital`` (:func:`indicators.digital.current_stage`) → ``go_digital``
      (active cooperatives Go Digital), ``pct_go_digital`` = go_digital / active × 100.
    A frame with ``period_col`` is grouped by it; frames without it apply to every period. Shares are NaN
    when their denominator is zero. All kabupaten of ``regencies`` appear, even with no cooperatives.
    """
    reg = pd.DataFrame({
        "nik": registry["nik"].astype("str").to_numpy(),
        "regency_code": registry["regency_code"].astype("str").to_numpy(),
        "active": registry["status"].astype("str").str.strip().str.lower().isin(ACTIVE_STATUS).to_numpy(),
    }).drop_duplicates("nik")
    active_set = reg.loc[reg["active"], "nik"].to_numpy()
    base = pd.DataFrame({"regency_code": regencies["code"].astype("str").to_numpy(),
                         "_pop": core.to_float(regencies["pop_2020"])})
    counts = reg.groupby("regency_code").agg(cooperatives=("nik", "size"), active=("active", "sum"))
    base = base.merge(counts, left_on="regency_code", right_index=True, how="left")
    base[["cooperatives", "active"]] = base[["cooperatives", "active"]].fillna(0).astype("int64")
    parts: list[pd.DataFrame] = []

    def with_regency(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
        f = frame[["nik"] + cols + ([period_col] if period_col and period_col in frame else [])].copy()
        f["nik"] = f["nik"].astype("str")
        return f.merge(reg[["nik", "regency_code"]], on="nik", how="inner")

    if reports is not None:
        f = with_regency(reports, [c for c in ("members", "total_assets") if c in reports])
        for c in ("members", "total_assets"):
            f[c] = core.to_float(f[c]) if c in f else np.nan
        g = f.groupby(_keys(f, period_col))
        parts.append(pd.DataFrame({"reporting_cooperatives": g.size(),
                                   "members": g["members"].sum(min_count=1),
                                   "total_assets": g["total_assets"].sum(min_count=1)}))
        if "period_end" in reports:
            pooled = ratio_rollup(reports, registry, ratios, period_col)
            parts.append(pooled.set_index(_keys(pooled, period_col)))
    if health is not None:
        f = with_regency(health, ["total", "category"])
        f["_scored"] = f["category"].notna()
        f["_sehat"] = f["category"].eq("sehat")
        f["_total"] = np.where(f["_scored"], core.to_float(f["total"]), np.nan)
        g = f.groupby(_keys(f, period_col))
        part = pd.DataFrame({"scored": g["_scored"].sum(), "sehat": g["_sehat"].sum(),
                             "avg_health_score": g["_total"].mean()})
        part["pct_sehat"] = part["sehat"] / part["scored"].where(part["scored"] > 0) * 100.0
        parts.append(part)
    if rat is not None:
        f = with_regency(rat, [rat_flag])
        f = f.loc[f["nik"].isin(active_set)]
        f["_ok"] = core.to_bool(f[rat_flag]).fillna(False).astype(bool).to_numpy()
        f = f.drop_duplicates(["nik"] + ([period_col] if period_col in f else []))
        parts.append(f.groupby(_keys(f, period_col)).agg(rat_compliant=("_ok", "sum")))
    if digital is not None:
        f = with_regency(digital, ["go_digital"])
        f = f.loc[f["nik"].isin(active_set)]
        f["_ok"] = core.to_bool(f["go_digital"]).fillna(False).astype(bool).to_numpy()
        f = f.drop_duplicates(["nik"] + ([period_col] if period_col in f else []))
        parts.append(f.groupby(_keys(f, period_col)).agg(go_digital=("_ok", "sum")))

    parts = [p.reset_index() for p in parts]
    periods = [p[period_col] for p in parts if period_col and period_col in p]
    out = base
    if periods:
        # every kabupaten × every period seen in any frame, so empty kabupaten still get a row per period
        grid = pd.DataFrame({period_col: pd.concat(periods).drop_duplicates().sort_values().to_numpy()})
        out = base.merge(grid, how="cross")
    for part in parts:
        on = ["regency_code"] + ([period_col] if period_col and period_col in part else [])
        out = out.merge(part, on=on, how="left")
    counts_cols = ["reporting_cooperatives", "scored", "sehat", "rat_compliant", "go_digital"]
    counts_cols += [c for c in out.columns if c.endswith("_n")]
    for c in counts_cols:
        if c in out:
            out[c] = out[c].fillna(0).astype("int64")
    if "members" in out:
        out["members_per_1000"] = out["members"] / out["_pop"].where(out["_pop"] > 0) * 1000.0
    act = out["active"].where(out["active"] > 0)
    if "rat_compliant" in out:
        out["pct_rat_compliant"] = out["rat_compliant"] / act * 100.0
    if "go_digital" in out:
        out["pct_go_digital"] = out["go_digital"] / act * 100.0
    out = out.drop(columns="_pop")
    sort = ["regency_code"] + ([period_col] if period_col and period_col in out else [])
    return out.sort_values(sort).reset_index(drop=True)

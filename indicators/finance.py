"""General financial health (liquidity, solvency, profitability, growth) of cooperatives without savings and loans."""

from __future__ import annotations

import logging
from typing import Any, Mapping

import pandas as pd

from indicators import core, norms as norm_files

log = logging.getLogger(__name__)

METHOD = "finance"
ASPECTS = ("liquidity", "solvency", "profitability", "growth")


def load_norms() -> dict:
    """The points scheme of ``indicators/norms/finance.toml`` (a project proposal, every band uncertain)."""
    return norm_files.load_norms(METHOD)


def is_savings_loan(registry: pd.DataFrame, norms: Mapping | None = None) -> pd.Series:
    """True for cooperatives scored as KSP/USP: ``type`` simpan_pinjam or ``savings_loan_unit`` true."""
    norms = norm_files.resolve_norms(norms, METHOD)
    types = set(norms.get("eligibility", {}).get("savings_loan_types", ["simpan_pinjam"]))
    by_type = registry["type"].isin(types) if "type" in registry else pd.Series(False, index=registry.index)
    if "savings_loan_unit" in registry:
        usp = core.to_bool(registry["savings_loan_unit"]).fillna(False).astype(bool)
    else:
        usp = pd.Series(False, index=registry.index)
    return (by_type | usp).rename("savings_loan")


def score(reports: pd.DataFrame, registry: pd.DataFrame | None = None, norms: Mapping | None = None) -> pd.DataFrame:
    """Points score of cooperatives without savings and loans (project proposal; categories as Perdep 06/2016).

    Components (percent; nilai 0–100 from the bands of ``finance.toml``; points = nilai × weight / 100):
    liquidity — current ratio = current_assets / current_liabilities (25);
    solvency — equity / total_assets (25; negative equity → 0);
    profitability — ROA = shu_after_tax × 12/m / total_assets (15), ROE = shu_after_tax × 12/m / equity
    (15; negative equity → lowest nilai);
    growth — total_assets and members against the report 12 months earlier, (x − x₋₁₂)/|x₋₁₂| (10 each).
    Total, ``unscored``, ``coverage`` and the NA-below-half-coverage rule as in :func:`indicators.ksp2016.score`.

    With ``registry`` given, only rows of cooperatives that are not savings-and-loan (see
    :func:`is_savings_loan`) are scored. Returns the aspect columns (``liquidity``, ``solvency``,
    ``profitability``, ``growth``; points), ``total``, ``category``, ``unscored``, ``coverage``,
    ``ratio_<component>`` and ``points_<component>``.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    if registry is not None:
        sl = registry.loc[is_savings_loan(registry, norms), "nik"].astype("str")
        reports = reports.loc[~reports["nik"].astype("str").isin(sl.to_numpy())]
    return core.score_points(reports, norms)


def category(total: Any, norms: Mapping | None = None) -> pd.Series:
    """Category from the 80 / 66 / 51 cut-offs (``sehat`` … ``dalam_pengawasan_khusus``)."""
    norms = norm_files.resolve_norms(norms, METHOD)
    return core.categorize(total, norms["categories"])

"""WOCCU PEARLS ratios for credit unions (Kopdit), each flagged against its WOCCU goal."""

from __future__ import annotations

import logging
from typing import Mapping

import numpy as np
import pandas as pd

from indicators import core, norms as norm_files

log = logging.getLogger(__name__)

METHOD = "pearls"
FLAGS = ("pass", "warn", "fail")


def load_norms() -> dict:
    """The PEARLS formulas and goals (``indicators/norms/pearls.toml``)."""
    return norm_files.load_norms(METHOD)


def flag_codes(values: np.ndarray, goal: Mapping) -> np.ndarray:
    """Position in :data:`FLAGS` of each value's flag (see :func:`flag`); -1 for NaN."""
    x = np.asarray(values, dtype="float64")
    lo = float(goal.get("min", -np.inf))
    hi = float(goal.get("max", np.inf))
    margin = float(goal.get("warn_margin", 0.0))
    distance = np.maximum(lo - x, x - hi)  # > 0 outside the goal
    code = np.where(distance <= 0, 0, np.where(distance <= margin, 1, 2))
    code[np.isnan(x)] = -1
    return code


def flag(values: np.ndarray, goal: Mapping) -> np.ndarray:
    """``pass`` when min ≤ x ≤ max, ``warn`` when outside by ≤ warn_margin points, else ``fail``; None for NaN."""
    return np.array([*FLAGS, None], dtype=object)[flag_codes(values, goal)]


def ratios(reports: pd.DataFrame, norms: Mapping | None = None) -> pd.DataFrame:
    """PEARLS ratios (percent) and flags for every report row, credit union or not.

    E1 = (loans_outstanding − loan_loss_reserve) / total_assets; E5 = (voluntary_savings + time_deposits) /
    total_assets; E6 ≈ (total_liabilities − voluntary_savings − time_deposits) / total_assets; E7 =
    (share_capital_principal + share_capital_mandatory) / total_assets; E8 = reserves / total_assets;
    E9 = (reserves + loan_loss_reserve − loans_loss − 0.35·(loans_substandard + loans_doubtful)) / total_assets
    (institutional capital = reserves only); A1 = (substandard + doubtful + loss) / loans_outstanding;
    R9 = operating_expenses × 12/m / ((total_assets + total_assets at the previous December) / 2);
    L1 ≈ cash_and_bank / (voluntary_savings + time_deposits); S10, S11 = year-on-year growth of members and
    total_assets against the report 12 months earlier (WOCCU PEARLS, Richardson 2009; goals woccu.org).
    Not computable (missing numerator, missing or zero denominator, no prior report) → NaN, flag NA, listed
    in ``unscored``.

    Returns on ``reports.index``: ``<code>`` and ``<code>_flag`` for each ratio, and ``unscored``.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    panel = core.Panel(reports)
    out: dict[str, object] = {}
    missing = []
    for code, spec in norms["ratios"].items():
        value, _ = panel.compute(spec)
        out[code] = value
        out[f"{code}_flag"] = core.labels_at(list(FLAGS), flag_codes(value, spec["goal"]), index=reports.index)
        missing.append(np.isnan(value))
    frame = pd.DataFrame(out, index=reports.index)
    frame["unscored"] = core.joined_keys(missing, list(norms["ratios"]), index=reports.index)
    return frame


def score(reports: pd.DataFrame, registry: pd.DataFrame, norms: Mapping | None = None) -> pd.DataFrame:
    """PEARLS ratios and flags for the credit unions only: rows whose registry ``group`` is ``Kopdit``.

    The registry is joined on ``nik``; the result keeps the index of the kept report rows (see :func:`ratios`
    for the formulas and columns). Year-on-year and prior-December lookups use the kept rows of the same
    cooperative, so filtering does not change any ratio.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    groups = set(norms.get("registry", {}).get("group_values", ["Kopdit"]))
    cu_niks = registry.loc[registry["group"].isin(groups), "nik"].astype("str")
    keep = reports["nik"].astype("str").isin(cu_niks.to_numpy())
    log.debug("PEARLS: %d of %d report rows belong to credit unions", int(keep.sum()), len(reports))
    columns = core.formula_columns(norms["ratios"])
    return ratios(reports.loc[keep.to_numpy(), [c for c in reports.columns if c in columns]], norms)


def codes(norms: Mapping | None = None) -> list[str]:
    """The PEARLS codes computed, in the order of the norm file."""
    return list(norm_files.resolve_norms(norms, METHOD)["ratios"])

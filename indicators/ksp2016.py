"""Health score of savings-and-loan cooperatives (KSP/USP) under Perdep KUKM 06/Per/Dep.6/IV/2016."""

from __future__ import annotations

import logging
from typing import Any, Mapping

import pandas as pd

from indicators import core, norms as norm_files

log = logging.getLogger(__name__)

METHOD = "ksp2016"
ASPECTS = (
    "permodalan",
    "kualitas_aktiva_produktif",
    "manajemen",
    "efisiensi",
    "likuiditas",
    "kemandirian_pertumbuhan",
    "jatidiri",
)


def load_norms() -> dict:
    """The 2016 band tables, weights and categories (``indicators/norms/ksp2016.toml``)."""
    return norm_files.load_norms(METHOD)


def score(reports: pd.DataFrame, norms: Mapping | None = None) -> pd.DataFrame:
    """Score each financial report with the 2016 method (Perdep 06/Per/Dep.6/IV/2016, tables of Permen 14/2009).

    Seven aspects, weights Permodalan 15, Kualitas Aktiva Produktif 25, Manajemen 15, Efisiensi 10,
    Likuiditas 15, Kemandirian & Pertumbuhan 10, Jatidiri 10. Each component ratio r (percent) maps to a
    nilai kredit 0–100 through the bands of ``ksp2016.toml``; points = nilai × bobot / 100:

    - Permodalan: equity / total_assets (6); equity / loans_at_risk (6);
      weighted_capital / risk_weighted_assets (3).
    - KAP: loans_to_members / loans_outstanding (10); RPM / loans_outstanding with
      RPM = 0.5·loans_substandard + 0.75·loans_doubtful + 1.0·loans_loss (5); loan_loss_reserve / RPM (5);
      loans_at_risk / loans_outstanding (5).
    - Manajemen: ``management_score`` (0–15) is the aspect's points directly.
    - Efisiensi: member_operating_expenses / gross_participation (4); operating_expenses / shu_gross (4);
      staff_costs × 12/m / loans_outstanding (2).
    - Likuiditas: cash_and_bank / current_liabilities (10); loans_outstanding / funds_received (5).
    - Kemandirian & Pertumbuhan: shu_before_tax × 12/m / total_assets (3); shu_member_share × 12/m / equity (3);
      net_participation / (operating_expenses + cooperative_expenses) (4).
    - Jatidiri: gross_participation / (gross_participation + non_member_revenue) (7);
      (member_economic_benefit + shu_member_share) × 12/m / (share_capital_principal + share_capital_mandatory) (3).

    m is the month of ``period_end`` (flows are fiscal-year-to-date; flow/stock ratios are annualised).
    A negative gross SHU or negative equity in a denominator gives that component its lowest nilai.

    Not-scored rule (a project decision, stated in the methodology): a component whose numerator is missing
    or whose denominator is missing or zero gets 0 points and its key is listed in ``unscored``; the
    ``total`` is rescaled over the scored components, total = Σ points / Σ weight(scored) × 100, rounded to
    2 decimals; ``coverage`` = Σ weight(scored) / 100. With coverage < ``scoring.min_coverage`` (0.5) the
    ``category`` is NA.

    Returns a frame on ``reports.index`` with: the 7 aspect columns (points, NaN when none of the aspect's
    components could be scored), ``total`` (0–100), ``category`` (see :func:`category`), ``unscored``,
    ``coverage``, ``ratio_<component>`` (percent; for ``management`` the score as percent of 15) and
    ``points_<component>``.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    return core.score_points(reports, norms)


def category(total: Any, norms: Mapping | None = None) -> pd.Series:
    """Final predicate of Perdep 06/2016: ``sehat`` 80 ≤ x ≤ 100; ``cukup_sehat`` 66 ≤ x < 80;
    ``dalam_pengawasan`` 51 ≤ x < 66; ``dalam_pengawasan_khusus`` x < 51 (NaN stays NaN)."""
    norms = norm_files.resolve_norms(norms, METHOD)
    return core.categorize(total, norms["categories"])


def component_keys(norms: Mapping | None = None) -> list[str]:
    """The component keys, in the order of the norm file."""
    return list(norm_files.resolve_norms(norms, METHOD)["components"])

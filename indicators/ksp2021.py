"""Quantitative health indicators of Juknis Deputi Perkoperasian 15/2021 (Permenkop UKM 9/2020), nilai 1–4."""

from __future__ import annotations

import logging
from typing import Any, Mapping

import numpy as np
import pandas as pd

from indicators import core, norms as norm_files

log = logging.getLogger(__name__)

METHOD = "ksp2021"


def load_norms() -> dict:
    """The 2021 indicator bands, aspects and (provisional) composite (``indicators/norms/ksp2021.toml``)."""
    return norm_files.load_norms(METHOD)


def nilai(reports: pd.DataFrame, norms: Mapping | None = None) -> pd.DataFrame:
    """Per indicator: the ratio (``ratio_<key>``, percent) and its nilai 1 (Sehat) .. 4 (Tidak Sehat).

    Ratios follow the formulas of ``ksp2021.toml`` (e.g. ROA = SHU after tax × 12/m / total assets; NPL =
    (substandard + doubtful + loss) / loans outstanding). Growth indicators compare each report with the same
    cooperative's report whose ``period_end`` is 12 months earlier: (x − x₋₁₂) / |x₋₁₂| × 100; a missing
    prior report, like a missing numerator or a missing/zero denominator, leaves the nilai NaN (not scored).
    A negative denominator where the file says ``negative_denominator = "worst"`` gives nilai 4.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    panel = core.Panel(reports)
    out: dict[str, np.ndarray] = {}
    for key, spec in norms["components"].items():
        ratio, worst = panel.compute(spec)
        value = norm_files.band_lookup(ratio, spec["bands"])
        if worst.any():
            value[worst] = max(b["value"] for b in spec["bands"])
        out[f"nilai_{key}"] = value
        out[f"ratio_{key}"] = ratio
    return pd.DataFrame(out, index=reports.index)


def score(reports: pd.DataFrame, norms: Mapping | None = None) -> pd.DataFrame:
    """Juknis 15/2021 indicators, per-aspect percentages and a provisional composite for each report.

    skor = 5 − nilai. Aspect % = Σ skor / (4 × n scored in the aspect) × 100 (public implementations [C]).
    Composite (``[composite]`` in the norm file, NOT YET CONFIRMED by the Juknis):
    ``mean_score`` (default) total = Σ skor / (4 × n scored) × 100 over all scored indicators;
    ``weighted_aspects`` total = Σ wₐ·aspect%ₐ / Σ wₐ over aspects with at least one scored indicator.
    Category from the 80 / 66 / 51 cut-offs (``sehat`` … ``dalam_pengawasan_khusus``). Indicators that cannot
    be computed are listed in ``unscored`` and left out of n (the rescaling rule of the 2016 scorer);
    ``coverage`` = share of indicators scored (weighted by aspect weight in ``weighted_aspects``); with
    coverage < ``scoring.min_coverage`` the category is NA. Tata Kelola is qualitative and not computed.

    Returns on ``reports.index``: ``nilai_<indicator>``, ``ratio_<indicator>``, one percentage column per
    aspect (``profil_risiko``, ``kinerja_keuangan``, ``permodalan``), ``total``, ``category``, ``unscored``,
    ``coverage`` and ``composite_confirmed`` (from the norm file, False); the frame's
    ``attrs["composite_confirmed"]`` says the same.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    comps = norms["components"]
    composite = norms.get("composite", {})
    scoring = norms.get("scoring", {})
    detail = nilai(reports, norms)
    n = len(reports)
    skor = {k: 5.0 - detail[f"nilai_{k}"].to_numpy() for k in comps}
    aspects: dict[str, np.ndarray] = {}
    share: dict[str, np.ndarray] = {}
    all_sum, all_n = np.zeros(n), np.zeros(n)
    for aspect in norms["aspects"]:
        keys = [k for k, s in comps.items() if s["aspect"] == aspect]
        s_sum, s_n = np.zeros(n), np.zeros(n)
        for k in keys:
            ok = ~np.isnan(skor[k])
            s_sum += np.where(ok, skor[k], 0.0)
            s_n += ok
        with np.errstate(divide="ignore", invalid="ignore"):
            aspects[aspect] = np.where(s_n > 0, s_sum / (4.0 * s_n) * 100.0, np.nan)
        share[aspect] = s_n / len(keys) if keys else np.zeros(n)
        all_sum += s_sum
        all_n += s_n
    method = composite.get("method", "mean_score")
    if method == "mean_score":
        with np.errstate(divide="ignore", invalid="ignore"):
            total = np.where(all_n > 0, all_sum / (4.0 * all_n) * 100.0, np.nan)
        coverage = all_n / len(comps)
    elif method == "weighted_aspects":
        weights = composite["aspect_weights"]
        num, den, cov = np.zeros(n), np.zeros(n), np.zeros(n)
        for aspect, w in weights.items():
            ok = ~np.isnan(aspects[aspect])
            num += np.where(ok, w * np.nan_to_num(aspects[aspect]), 0.0)
            den += np.where(ok, w, 0.0)
            cov += w * share[aspect]
        with np.errstate(divide="ignore", invalid="ignore"):
            total = np.where(den > 0, num / den, np.nan)
        coverage = cov / sum(weights.values())
    else:
        raise ValueError(f"unknown composite method {method!r}")
    total = np.round(total, int(scoring.get("total_decimals", 2)))
    out = pd.DataFrame(aspects, index=reports.index)
    out["total"] = total
    cat = core.categorize(total, norms["categories"], index=reports.index)
    out["category"] = cat.where(coverage >= float(scoring.get("min_coverage", 0.5))).astype("str")
    missing = [np.isnan(skor[k]) for k in comps]
    out["unscored"] = pd.Series(core.join_keys(missing, list(comps)), index=reports.index, dtype="str")
    out["coverage"] = coverage
    confirmed = bool(composite.get("confirmed", False))
    out["composite_confirmed"] = confirmed
    out = pd.concat([detail, out], axis=1)
    out.attrs["composite_confirmed"] = confirmed
    out.attrs["composite_method"] = method
    return out


def category(total: Any, norms: Mapping | None = None) -> pd.Series:
    """Composite category (80 / 66 / 51 cut-offs re-used from 2016; not yet confirmed for 2021)."""
    norms = norm_files.resolve_norms(norms, METHOD)
    return core.categorize(total, norms["categories"])


def indicator_keys(norms: Mapping | None = None) -> list[str]:
    """The indicator keys, in the order of the norm file."""
    return list(norm_files.resolve_norms(norms, METHOD)["components"])

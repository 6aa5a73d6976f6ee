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


def _detail_block(reports: pd.DataFrame, norms: Mapping, extra: int = 0) -> tuple[list[str], np.ndarray]:
    """(column names, block): rows ``nilai_<key>``, ``ratio_<key>`` for each indicator, then ``extra`` rows left
    for the caller (the block becomes the frame without a copy)."""
    panel = core.Panel(reports)
    comps = norms["components"]
    names = [name for key in comps for name in (f"nilai_{key}", f"ratio_{key}")]
    block = np.empty((len(names) + extra, panel.n))
    for i, (key, spec) in enumerate(comps.items()):
        ratio, worst = panel.compute(spec)
        value = norm_files.band_lookup(ratio, spec["bands"])
        if worst.any():
            value[worst] = max(b["value"] for b in spec["bands"])
        block[2 * i] = value
        block[2 * i + 1] = ratio
    return names, block


def nilai(reports: pd.DataFrame, norms: Mapping | None = None) -> pd.DataFrame:
    """Per indicator: the ratio (``ratio_<key>``, percent) and its nilai 1 (Sehat) .. 4 (Tidak Sehat).

    Ratios follow the formulas of ``ksp2021.toml`` (e.g. ROA = SHU after tax × 12/m / total assets; NPL =
    (substandard + doubtful + loss) / loans outstanding). Growth indicators compare each report with the same
    cooperative's report whose ``period_end`` is 12 months earlier: (x − x₋₁₂) / |x₋₁₂| × 100; a missing
    prior report, like a missing numerator or a missing/zero denominator, leaves the nilai NaN (not scored).
    A negative denominator where the file says ``negative_denominator = "worst"`` gives nilai 4.
    """
    norms = norm_files.resolve_norms(norms, METHOD)
    names, block = _detail_block(reports, norms)
    return pd.DataFrame(block.T, index=reports.index, columns=names, copy=False)


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
    keys = list(comps)
    composite = norms.get("composite", {})
    scoring = norms.get("scoring", {})
    aspect_names = list(norms["aspects"])
    detail_names, block = _detail_block(reports, norms, extra=len(aspect_names) + 2)
    names = [*detail_names, *aspect_names, "total", "coverage"]
    row = {name: i for i, name in enumerate(names)}
    n = len(reports)
    skor = {k: 5.0 - block[row[f"nilai_{k}"]] for k in keys}
    scored = {k: ~np.isnan(skor[k]) for k in keys}
    aspects: dict[str, np.ndarray] = {}
    share: dict[str, np.ndarray] = {}
    all_sum, all_n = np.zeros(n), np.zeros(n)
    for aspect in aspect_names:
        members = [k for k, s in comps.items() if s["aspect"] == aspect]
        s_sum, s_n = np.zeros(n), np.zeros(n)
        for k in members:
            np.add(s_sum, skor[k], out=s_sum, where=scored[k])
            np.add(s_n, scored[k], out=s_n)
        pct = aspects[aspect] = block[row[aspect]]
        with np.errstate(divide="ignore", invalid="ignore"):
            np.multiply(s_n, 4.0, out=pct)
            np.divide(s_sum, pct, out=pct)
            np.multiply(pct, 100.0, out=pct)
        pct[~(s_n > 0)] = np.nan
        share[aspect] = s_n / len(members) if members else np.zeros(n)
        all_sum += s_sum
        all_n += s_n
    method = composite.get("method", "mean_score")
    total = block[row["total"]]
    if method == "mean_score":
        with np.errstate(divide="ignore", invalid="ignore"):
            np.multiply(all_n, 4.0, out=total)
            np.divide(all_sum, total, out=total)
            np.multiply(total, 100.0, out=total)
        total[~(all_n > 0)] = np.nan
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
            total[:] = np.where(den > 0, num / den, np.nan)
        coverage = cov / sum(weights.values())
    else:
        raise ValueError(f"unknown composite method {method!r}")
    np.round(total, int(scoring.get("total_decimals", 2)), out=total)
    block[row["coverage"]] = coverage
    code = core.category_codes(total, norms["categories"])
    code[~(coverage >= float(scoring.get("min_coverage", 0.5)))] = -1
    out = pd.DataFrame(block.T, index=reports.index, columns=names, copy=False)
    at = row["total"] + 1
    out.insert(at, "category", core.labels_at([str(c["key"]) for c in norms["categories"]], code, index=reports.index))
    out.insert(at + 1, "unscored", core.joined_keys([~scored[k] for k in keys], keys, index=reports.index))
    confirmed = bool(composite.get("confirmed", False))
    out["composite_confirmed"] = confirmed
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

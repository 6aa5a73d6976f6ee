"""The health methods behind the profile's scores: the method and score row shown, and what the norm files say.

Aspects and their weights, PEARLS ratios and category bands are read from the norm files (the Dinas owns them),
never copied into the page."""
from __future__ import annotations

import functools
import json

import pandas as pd

from indicators import norms as norm_files
from layouts.i18n import N_

SCORE_MAX = 100.0  # every health method scores 0–100
FRAMEWORKS = {"ksp2016": N_("pf.framework.ksp2016"), "ksp2021": N_("pf.framework.ksp2021"),
              "finance": N_("pf.framework.finance"), "pearls": N_("pf.framework.pearls")}


def main_framework(scores: pd.DataFrame, snap=None) -> str:
    """The snapshot's health method (what the refresh scored it with: 2016 for savings and loans, the general
    finance score otherwise); without a snapshot, 2016 when the cooperative has such scores."""
    if snap is not None and isinstance(snap.get("health_framework"), str):
        return snap["health_framework"]
    return "ksp2016" if scores["framework"].eq("ksp2016").any() else "finance"


def latest(scores: pd.DataFrame, framework: str, snap=None):
    """The score row whose aspects the health card draws: the snapshot period's own report when the cooperative
    reported for it, else its latest scored report up to the snapshot period (each labelled with its period)."""
    rows = scores.loc[scores["framework"].eq(framework)]
    if snap is not None:
        rows = rows.loc[pd.to_datetime(rows["period_end"]) <= pd.Timestamp(snap["period_end"])]
        if bool(snap.get("reported")):
            own = rows.loc[pd.to_datetime(rows["period_end"]) == pd.Timestamp(snap["period_end"])]
            rows = own if not own.empty else rows
    scored = rows.loc[rows["total"].notna()]
    rows = scored if not scored.empty else rows
    return None if rows.empty else rows.iloc[-1]


def stored_components(raw) -> dict:
    """A score row's components (stored as JSON text); nothing when there are none or they do not parse."""
    if not isinstance(raw, str):
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        return {}


@functools.lru_cache(maxsize=4)
def category_bands(method: str) -> tuple[tuple[str, float, float], ...]:
    """(category, lower, upper) score bands of a health method, best first, from its norm file's [[categories]]:
    the cut-offs the Dinas owns are never copied into the page."""
    cats = sorted(norm_files.load_norms(method)["categories"], key=lambda c: -float(c["min"]))
    bands, upper = [], SCORE_MAX
    for cat in cats:
        lower = max(float(cat["min"]), 0.0)  # the lowest category starts at -inf: the chart starts at 0
        bands.append((cat["key"], lower, upper))
        upper = lower
    return tuple(bands)


@functools.lru_cache(maxsize=8)
def aspects(method: str, lang: str) -> tuple[tuple[str, str, float | None], ...]:
    """(key, label, maximum points) of a method's aspects, from its norm file (the Dinas may change weights)."""
    norms = norm_files.load_norms(method)
    field = "label_en" if lang == "en" else "label_id"
    return tuple((key, spec.get(field, key), spec.get("weight")) for key, spec in norms.get("aspects", {}).items())


@functools.lru_cache(maxsize=2)
def pearls_labels(lang: str) -> dict[str, str]:
    """PEARLS ratio code → its name in the reader's language, from the norm file."""
    field = "label_en" if lang == "en" else "label_id"
    return {code: spec.get(field, code) for code, spec in norm_files.load_norms("pearls").get("ratios", {}).items()}

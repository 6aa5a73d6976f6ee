"""The norm files (``norms/*.toml``): loading, validation, formulas named from the registry, and band ranges.

A norm file holds one method's bands, weights and categories — data the Dinas can adjust without a code change —
each row with its source and confidence. Scorers read them through :func:`load_norms` / :func:`resolve_norms`.
"""
from __future__ import annotations

import copy
import functools
import logging
import math
import re
import tomllib
from pathlib import Path
from typing import Any, Mapping

import numpy as np

log = logging.getLogger(__name__)

NORMS_DIR = Path(__file__).with_name("norms")
METHODS = ("ksp2016", "ksp2021", "pearls", "finance", "accountability", "digital", "peers", "supervision", "kdmp",
           "alerts")
CONFIDENCE_VALUES = ("confirmed", "uncertain")


@functools.lru_cache(maxsize=None)
def _load_cached(method: str) -> dict:
    path = NORMS_DIR / f"{method}.toml"
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    resolve_formulas(data, method)
    validate_norms(data, method)
    log.debug("loaded norms %s from %s", method, path)
    return data


def load_norms(method: str) -> dict:
    """Return the norm table of ``method`` (a deep copy: the caller may edit it and pass it back)."""
    if method not in METHODS:
        raise ValueError(f"unknown norm method {method!r}; expected one of {METHODS}")
    return copy.deepcopy(_load_cached(method))


def resolve_norms(norms: Mapping | None, method: str) -> Mapping:
    """The norms to use: the caller's override (validated) or the cached file."""
    if norms is None:
        return _load_cached(method)
    validate_norms(norms, method)
    return norms


def resolve_formulas(data: dict, method: str) -> None:
    """Fill in the formula of every component (or PEARLS ratio) that names a registry indicator
    (``indicator = "roa"``): the formula is defined once, in ``indicators/registry.toml``. A component that names
    one and also writes formula fields of its own is refused (two definitions of one figure)."""
    from indicators import registry

    for section in ("components", "ratios"):
        for key, spec in data.get(section, {}).items():
            name = spec.get("indicator")
            if name is None:
                continue
            try:
                formula = registry.formula(name)
            except KeyError as exc:
                raise ValueError(f"{method}: {section}.{key}.indicator: {exc.args[0]}") from None
            own = {f: spec[f] for f in registry.FORMULA_FIELDS if f in spec}
            if own and any(formula.get(f) != v for f, v in own.items()):
                raise ValueError(f"{method}: {section}.{key} names indicator {name!r} and writes its own formula "
                                 f"({', '.join(own)}); define the formula once, in indicators/registry.toml")
            spec.update(formula)


def validate_norms(data: Mapping, method: str) -> None:
    """Check the rules every norm file follows: each band/goal row cites a source and a confidence."""

    def walk(node: Any, path: str) -> None:
        if isinstance(node, Mapping):
            if "confidence" in node:
                if node["confidence"] not in CONFIDENCE_VALUES:
                    raise ValueError(f"{method}: {path}.confidence must be one of {CONFIDENCE_VALUES}")
                if not str(node.get("source", "")).strip():
                    raise ValueError(f"{method}: {path} has a confidence but no source")
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(data, method)
    for key, spec in data.get("components", {}).items():
        for i, band in enumerate(spec.get("bands", [])):
            for field in ("range", "value", "source", "confidence"):
                if field not in band:
                    raise ValueError(f"{method}: components.{key}.bands[{i}] lacks {field!r}")
            parse_range(band["range"])
    for key, spec in data.get("ratios", {}).items():
        goal = spec.get("goal")
        if goal is None or "source" not in goal or "confidence" not in goal:
            raise ValueError(f"{method}: ratios.{key}.goal must cite a source and a confidence")


# --------------------------------------------------------------------------- bands
_RANGE = re.compile(r"^\s*([\[(])\s*([^,\s]+)\s*,\s*([^\])\s]+)\s*([\])])\s*$")


@functools.lru_cache(maxsize=4096)
def parse_range(text: str) -> tuple[float, float, bool, bool]:
    """Parse interval notation such as ``"[40, 60)"`` or ``"(-inf, 0]"`` into (lo, hi, lo_closed, hi_closed)."""
    m = _RANGE.match(str(text))
    if not m:
        raise ValueError(f"bad band range {text!r}; write it like '[40, 60)' or '(-inf, 0]'")
    lo, hi = float(m.group(2).replace("_", "")), float(m.group(3).replace("_", ""))
    if lo > hi:
        raise ValueError(f"bad band range {text!r}: lower bound above upper bound")
    return lo, hi, m.group(1) == "[", m.group(4) == "]"


def format_range(text: str, var: str = "x") -> str:
    """Render a band range as an inequality, e.g. ``"[40, 60)"`` -> ``"40 ≤ x < 60"``."""
    lo, hi, lo_c, hi_c = parse_range(text)

    def num(v: float) -> str:
        return f"{v:g}" if abs(v) < 1e6 else f"{v:,.0f}".replace(",", ".")

    if lo == hi:
        return f"{var} = {num(lo)}"
    parts = []
    if not math.isinf(lo):
        parts.append(f"{num(lo)} {'≤' if lo_c else '<'} ")
    parts.append(var)
    if not math.isinf(hi):
        parts.append(f" {'≤' if hi_c else '<'} {num(hi)}")
    return "".join(parts)


def band_lookup(x: np.ndarray, bands: list[Mapping], field: str = "value") -> np.ndarray:
    """Map each value to ``field`` of the first band (in file order) whose range contains it; NaN if none."""
    x = np.asarray(x, dtype="float64")
    out = np.full(x.shape, np.nan)
    free = ~np.isnan(x)
    for band in bands:
        lo, hi, lo_c, hi_c = parse_range(band["range"])
        inside = (x >= lo if lo_c else x > lo) & (x <= hi if hi_c else x < hi) & free
        out[inside] = band[field]
        free &= ~inside
    return out

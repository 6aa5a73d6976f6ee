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


def _same(a: float, b: float) -> bool:
    """Identical floats (NaN equals NaN; 0.0 and -0.0 differ)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


@functools.lru_cache(maxsize=1024)
def _band_steps(ranges: tuple[str, ...], values: tuple[float, ...]) -> tuple[tuple[tuple[float, bool], ...], np.ndarray]:
    """(steps, levels) for :func:`band_lookup`: a value x sits at level 1 + (number of steps it passes), a step
    (t, True) being passed when x ≥ t and (t, False) when x > t; ``levels[0]`` (NaN) is for NaN x.

    The sorted distinct band ends e₀ < … < e_k cut the real line into pieces (−∞, e₀), {e₀}, (e₀, e₁), …, {e_k},
    (e_k, ∞); every band is a union of whole pieces, so each piece takes the value of the first band (in file
    order) that contains it, or NaN when none does. A step is kept only where the value changes from one piece
    to the next, so the usual table of k adjacent half-open bands needs k − 1 comparisons per value."""
    parsed = [parse_range(r) for r in ranges]
    ends = sorted({v for lo, hi, _, _ in parsed for v in (lo, hi)})

    def value_of(kind: str, left: float, right: float) -> float:
        for (lo, hi, lo_c, hi_c), value in zip(parsed, values):
            if kind == "point":
                inside = (left >= lo if lo_c else left > lo) and (left <= hi if hi_c else left < hi)
            else:  # the open interval (left, right) lies in the band iff lo ≤ left and right ≤ hi
                inside = lo <= left and right <= hi
            if inside:
                return value
        return math.nan

    levels = [math.nan, value_of("open", -math.inf, ends[0] if ends else math.inf)]
    steps: list[tuple[float, bool]] = []
    for j, end in enumerate(ends):
        right = ends[j + 1] if j + 1 < len(ends) else math.inf
        for step, value in (((end, True), value_of("point", end, end)), ((end, False), value_of("open", end, right))):
            if not _same(value, levels[-1]):
                steps.append(step)
                levels.append(value)
    return tuple(steps), np.array(levels, dtype="float64")


def band_lookup(x: np.ndarray, bands: list[Mapping], field: str = "value") -> np.ndarray:
    """Map each value to ``field`` of the first band (in file order) whose range contains it; NaN if none.

    Counts the steps of :func:`_band_steps` each value passes (one comparison per step where the value changes)
    and takes the level's value, rather than one pass per band with masks."""
    x = np.asarray(x, dtype="float64")
    if x.ndim == 0:
        return band_lookup(x.reshape(1), bands, field).reshape(())
    steps, levels = _band_steps(tuple(str(b["range"]) for b in bands), tuple(float(b[field]) for b in bands))
    narrow = len(levels) < 255
    level = np.equal(x, x)  # 1 for a number, 0 for NaN (which passes no step)
    level = level.view(np.uint8) if narrow else level.astype(np.intp)
    passed = np.empty(x.shape, dtype=bool)
    for threshold, inclusive in steps:
        (np.greater_equal if inclusive else np.greater)(x, threshold, out=passed)
        np.add(level, passed, out=level)
    return levels.take(level.astype(np.intp) if narrow else level)

"""Shared machinery for the indicator modules: numeric coercion, dates in WITA, the report panel that computes a
formula, categories and the points scheme (norm files: :mod:`indicators.norms`)."""

from __future__ import annotations

import logging
from typing import Any, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from indicators import vocabulary
from indicators.norms import band_lookup

log = logging.getLogger(__name__)


# Month index far larger than any year*12+month, so (cooperative, month) packs into one int64 key.
_KEY_STRIDE = 1_000_000


# --------------------------------------------------------------------------- numbers
def to_float(values: Any) -> np.ndarray:
    """Coerce a column (float, nullable, object/Decimal, text) to float64; anything unreadable is NaN."""
    num = pd.to_numeric(pd.Series(values) if not isinstance(values, pd.Series) else values, errors="coerce")
    return num.to_numpy(dtype="float64", na_value=np.nan)


LOCAL_TZ = vocabulary.WITA_NAME  # WITA: NTT's clock; every date a user reads is in it


def local_dates(values: Any) -> pd.Series:
    """Parse to dates (midnight, no time zone). Time-zone-aware stamps are first converted to WITA, so a
    report sent at 2024-02-20T17:00Z counts as 21 February in Kupang."""
    d = pd.to_datetime(values if isinstance(values, pd.Series) else pd.Series(values), errors="coerce", utc=False)
    if getattr(d.dt, "tz", None) is not None:
        d = d.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
    return d.dt.normalize()


def local_day(value: Any) -> pd.Timestamp:
    """One date (e.g. an ``as_of`` argument) as a naive WITA midnight."""
    return local_dates(pd.Series([value])).iloc[0]


def month_key(dates: pd.Series) -> np.ndarray:
    """year*12 + month-1 as float (NaN for missing dates)."""
    if isinstance(dates, pd.Series) and dates.dtype.kind == "M" and getattr(dates.dtype, "tz", None) is None:
        # naive datetime64: months since 1970-01 straight from the stamps (numpy floors to the month), no parsing
        raw = dates.to_numpy()
        key = raw.astype("datetime64[M]").astype("int64").astype("float64") + 1970 * 12
        key[np.isnat(raw)] = np.nan
        return key
    d = local_dates(dates)
    return (d.dt.year * 12 + d.dt.month - 1).to_numpy(dtype="float64", na_value=np.nan)


def formula_columns(specs: Mapping[str, Mapping]) -> set[str]:
    """The report columns the formulas of ``specs`` read, with ``nik`` and ``period_end`` (what a :class:`Panel`
    needs): a caller that keeps a subset of the rows can copy just these columns."""
    needed = {"nik", "period_end"}
    for spec in specs.values():
        for field in ("numerator", "denominator", "column"):
            part = spec.get(field)
            if isinstance(part, str):
                needed.add(part)
            elif isinstance(part, Mapping):
                needed.update(part)
    return needed


class Panel:
    """A reports frame prepared for ratio arithmetic: float columns, months elapsed, prior-period lookups."""

    def __init__(self, reports: pd.DataFrame):
        if "period_end" not in reports.columns:
            raise KeyError("reports need a 'period_end' column (see DATA_CONTRACT.md, laporan_keuangan)")
        self.frame = reports
        self.n = len(reports)
        self.mkey = month_key(reports["period_end"])
        # months elapsed in the fiscal (= calendar) year: the month number of period_end
        self.months = np.mod(self.mkey, 12) + 1
        self._cols: dict[str, np.ndarray] = {}
        self._positions: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._lookup: tuple[np.ndarray, pd.Index, np.ndarray] | None = None

    # -- columns
    def col(self, name: str) -> np.ndarray:
        """The column as float64 (read-only: a float64 column is the frame's own memory, not a copy)."""
        if name not in self._cols:
            if name in self.frame.columns:
                column = self.frame[name]
                if column.dtype == np.float64:
                    values = column.to_numpy()
                    if values.flags.writeable:  # without copy-on-write protection, guard it ourselves
                        values = values.view()
                        values.flags.writeable = False
                    self._cols[name] = values
                else:
                    self._cols[name] = to_float(column)
            else:
                log.debug("column %s absent: treated as not reported", name)
                self._cols[name] = np.full(self.n, np.nan)
        return self._cols[name]

    def combo(self, spec: str | Mapping[str, float], source: str = "now") -> np.ndarray:
        """A column, or a weighted sum of columns ({column: coefficient}); missing if any part is missing."""
        get = self.col if source == "now" else (lambda c: self.prior(c, source))
        if isinstance(spec, str):
            return get(spec)
        total = np.zeros(self.n)
        for column, coef in spec.items():
            total = total + float(coef) * get(column)
        return total

    # -- prior periods
    def _keys(self) -> tuple[np.ndarray, pd.Index, np.ndarray]:
        if self._lookup is None:
            if "nik" not in self.frame.columns:
                raise KeyError("reports need a 'nik' column for year-on-year indicators")
            codes, _ = pd.factorize(self.frame["nik"].astype("str"))
            ok = (codes >= 0) & ~np.isnan(self.mkey)
            base = codes.astype("int64") * _KEY_STRIDE
            key = np.where(ok, base + np.nan_to_num(self.mkey).astype("int64"), -1)
            # one row per cooperative x month: the last row in the frame wins
            keep = ok & ~pd.Index(key).duplicated(keep="last")
            self._lookup = (base, pd.Index(key[keep]), np.flatnonzero(keep))
        return self._lookup

    def prior(self, name: str, which: str) -> np.ndarray:
        """Value of ``name`` 12 months earlier (``"12m"``) or at the previous December (``"prior_year_end"``)."""
        cache_key = f"{which}:{name}"
        if cache_key not in self._cols:
            found, src = self._prior_rows(which)
            values = self.col(name)
            self._cols[cache_key] = np.where(found, values[src], np.nan)
        return self._cols[cache_key]

    def _prior_rows(self, which: str) -> tuple[np.ndarray, np.ndarray]:
        """(found mask, source row position) of the prior report of each row; one hash lookup per kind."""
        cache_key = f"rows:{which}"
        if cache_key not in self._positions:
            base, index, rows = self._keys()
            if which == "12m":
                target = self.mkey - 12
            elif which == "prior_year_end":
                target = np.floor(self.mkey / 12) * 12 - 1
            else:
                raise ValueError(f"unknown prior period {which!r}")
            query = np.where(~np.isnan(target), base + np.nan_to_num(target).astype("int64"), -2)
            pos = index.get_indexer(query)
            found = pos >= 0
            src = rows[np.where(found, pos, 0)] if len(rows) else np.zeros(self.n, dtype="int64")
            self._positions[cache_key] = (found, src)
        return self._positions[cache_key]

    # -- one indicator
    def compute(self, spec: Mapping) -> tuple[np.ndarray, np.ndarray]:
        """Return (value in percent, mask of rows whose denominator is negative).

        kinds: ``ratio`` (numerator / denominator × scale), ``growth`` ((x − x_prior) / |x_prior| × 100,
        prior = 12 months earlier), ``value`` (a reported score as percent of its maximum).
        A missing numerator, a missing or zero denominator gives NaN (= not scored).
        """
        kind = spec.get("kind", "ratio")
        scale = float(spec.get("scale", 100.0))
        if kind == "value":
            x = self.col(spec["column"])
            top = float(spec["max"])
            valid = (x >= 0) & (x <= top)
            if np.any(~valid & ~np.isnan(x)):
                log.warning("%s outside 0..%g treated as not reported", spec["column"], top)
            return np.where(valid, x / top * 100.0, np.nan), np.zeros(self.n, bool)
        if kind == "growth":
            now = self.combo(spec["column"])
            before = self.combo(spec["column"], source="12m")
            den = np.abs(before)
            with np.errstate(divide="ignore", invalid="ignore"):
                g = np.where(den > 0, (now - before) / den * scale, np.nan)
            return g, np.zeros(self.n, bool)
        if kind != "ratio":
            raise ValueError(f"unknown indicator kind {kind!r}")
        num = self.combo(spec["numerator"])
        den = self.combo(spec["denominator"])
        if spec.get("denominator_average") == "prior_year_end":
            den = (den + self.combo(spec["denominator"], source="prior_year_end")) / 2.0
        annualise = spec.get("annualise", False)
        if annualise == "numerator":
            num = num * 12.0 / self.months
        elif annualise == "denominator":
            den = den * 12.0 / self.months
        elif annualise:
            raise ValueError(f"annualise must be 'numerator', 'denominator' or false, not {annualise!r}")
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(np.isnan(den) | (den == 0), np.nan, num / den * scale)
        negative = den < 0
        if spec.get("negative_denominator", "ratio") == "worst":
            return ratio, negative & ~np.isnan(num)
        return ratio, np.zeros(self.n, bool)


# --------------------------------------------------------------------------- outputs
def labels_at(labels: list[str], codes: np.ndarray, index: pd.Index | None = None, name: str | None = None) -> pd.Series:
    """A ``str`` Series whose row i is ``labels[codes[i]]`` (NaN where the code is -1).

    Same values and dtype as ``pd.Series(object_array, dtype="str")``, but built by Arrow from the few distinct
    labels and one integer code per row (a dictionary array cast to strings) instead of one Python string per row.
    """
    codes = np.asarray(codes)
    n = len(codes)
    if n == 0 or not labels:
        return pd.Series(np.full(n, None, dtype=object), index=index, dtype="str", name=name)
    width = "int8" if len(labels) <= 127 else "int32" if len(labels) < 2**31 else "int64"
    missing = codes < 0
    indices = pa.array(np.where(missing, 0, codes).astype(width), mask=missing if missing.any() else None)
    strings = pa.DictionaryArray.from_arrays(indices, pa.array(labels, pa.large_string())).cast(pa.large_string())
    return pd.Series(pd.array(strings, dtype="str"), index=index, name=name)


def join_key_codes(masks: list[np.ndarray], keys: list[str]) -> tuple[np.ndarray, list[str]]:
    """(code per row, labels): labels[code] is the "; "-joined keys whose mask is True ("" when none).
    Vectorised through bit codes."""
    n = len(masks[0]) if masks else 0
    code = np.zeros(n, dtype=np.int64)
    bit = np.empty(n, dtype=np.int64)
    for i, mask in enumerate(masks):
        np.left_shift(mask, i, out=bit, dtype=np.int64)
        code |= bit
    inverse, uniq = pd.factorize(code)  # hash-based: O(n), unlike a sort
    labels = ["; ".join(k for i, k in enumerate(keys) if (int(u) >> i) & 1) for u in uniq]
    return inverse, labels


def join_keys(masks: list[np.ndarray], keys: list[str]) -> np.ndarray:
    """Per row, the "; "-joined keys whose mask is True ("" when none), as an object array."""
    inverse, labels = join_key_codes(masks, keys)
    return np.array(labels, dtype=object)[inverse] if len(inverse) else np.array([], dtype=object)


def joined_keys(masks: list[np.ndarray], keys: list[str], index: pd.Index | None = None,
                name: str | None = None) -> pd.Series:
    """:func:`join_keys` as a ``str`` Series (the ``unscored`` column of every scorer)."""
    inverse, labels = join_key_codes(masks, keys)
    return labels_at(labels, inverse, index=index, name=name)


def category_codes(total: Any, categories: list[Mapping]) -> np.ndarray:
    """Per total, the position in ``categories`` of the highest category whose ``min`` it reaches (x ≥ min);
    -1 for NaN or a total below every ``min``."""
    x = total if isinstance(total, np.ndarray) and total.dtype == np.float64 else to_float(total)
    code = np.full(x.shape, -1, dtype=np.int64)
    free = ~np.isnan(x)
    order = sorted(range(len(categories)), key=lambda i: -float(categories[i]["min"]))
    for i in order:
        hit = (x >= float(categories[i]["min"])) & free
        code[hit] = i
        free &= ~hit
    return code


def categorize(total: Any, categories: list[Mapping], index: pd.Index | None = None) -> pd.Series:
    """Label each total with the highest category whose ``min`` it reaches (x ≥ min); NaN stays NaN."""
    code = category_codes(total, categories)
    if index is None and isinstance(total, pd.Series):
        index = total.index
    return labels_at([str(c["key"]) for c in categories], code, index=index, name="category")


def nansum_rows(arrays: list[np.ndarray], n: int, out: np.ndarray | None = None) -> np.ndarray:
    """Row-wise sum ignoring NaN; NaN where every part is NaN (added in list order; into ``out`` if given)."""
    total = np.zeros(n) if out is None else out
    if out is not None:
        total[:] = 0.0
    seen = np.zeros(n, dtype=bool)
    for a in arrays:
        ok = ~np.isnan(a)
        np.add(total, a, out=total, where=ok)
        seen |= ok
    total[~seen] = np.nan
    return total


def score_points(reports: pd.DataFrame, norms: Mapping) -> pd.DataFrame:
    """Points scheme shared by the 2016 KSP/USP method and the general-finance method.

    Per component: ratio -> nilai (0–100) from its bands -> points = nilai × weight / 100.
    Unscored components (missing numerator, missing/zero denominator) give 0 points and are listed in
    ``unscored``; total = points / (weight of scored components) × 100; coverage = scored weight / all
    weight; below ``scoring.min_coverage`` the category is NA.

    The float columns are written straight into one 2-D block that becomes the frame (no per-column copies),
    and the two text columns are built from codes (:func:`labels_at`).
    """
    panel = Panel(reports)
    n = panel.n
    comps = norms["components"]
    keys = list(comps)
    aspects = list(norms["aspects"])
    scoring = norms.get("scoring", {})
    decimals = int(scoring.get("total_decimals", 2))
    names = [*aspects, "total", "coverage", *(f"ratio_{k}" for k in keys), *(f"points_{k}" for k in keys)]
    row = {name: i for i, name in enumerate(names)}
    block = np.empty((len(names), n))
    missing, weights = [], {}
    for key, spec in comps.items():
        ratio, worst = panel.compute(spec)
        block[row[f"ratio_{key}"]] = ratio
        if spec.get("kind") == "value":
            nilai = ratio
        else:
            nilai = band_lookup(ratio, spec["bands"])
            if worst.any():
                nilai[worst] = min(b["value"] for b in spec["bands"])
        weight = float(spec["weight"])
        points = block[row[f"points_{key}"]]
        np.multiply(nilai, weight, out=points)
        np.divide(points, 100.0, out=points)
        missing.append(np.isnan(nilai))
        weights[key] = weight
    for aspect in aspects:
        nansum_rows([block[row[f"points_{k}"]] for k, s in comps.items() if s["aspect"] == aspect], n,
                    out=block[row[aspect]])
    total_weight = sum(weights.values())
    scored_weight = np.zeros(n)
    points = np.zeros(n)
    for key, miss in zip(keys, missing):
        scored = ~miss
        np.add(scored_weight, weights[key], out=scored_weight, where=scored)
        np.add(points, block[row[f"points_{key}"]], out=points, where=scored)
    total = block[row["total"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(points, scored_weight, out=total)
        np.multiply(total, 100.0, out=total)
    total[~(scored_weight > 0)] = np.nan
    np.round(total, decimals, out=total)
    coverage = block[row["coverage"]]
    if total_weight:
        np.divide(scored_weight, total_weight, out=coverage)
    else:
        coverage[:] = 0.0
    code = category_codes(total, norms["categories"])
    code[~(coverage >= float(scoring.get("min_coverage", 0.5)))] = -1
    frame = pd.DataFrame(block.T, index=reports.index, columns=names, copy=False)
    at = len(aspects) + 1
    frame.insert(at, "category", labels_at([str(c["key"]) for c in norms["categories"]], code, index=reports.index))
    frame.insert(at + 1, "unscored", joined_keys(missing, keys, index=reports.index))
    return frame


def to_bool(values: Any, index: pd.Index | None = None) -> pd.Series:
    """Coerce bool / 0-1 / yes-no words (``vocabulary.TRUE_WORDS`` / ``FALSE_WORDS``: "ya", "t" = tidak, …) to a
    nullable boolean Series; anything else is NA (unknown)."""
    s = values if isinstance(values, pd.Series) else pd.Series(values, index=index)
    text = s.astype("str").str.strip().str.lower()
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[text.isin(vocabulary.TRUE_WORDS).to_numpy()] = True
    out[text.isin(vocabulary.FALSE_WORDS).to_numpy()] = False
    return out

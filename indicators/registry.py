"""The indicator registry (``registry.toml``): one definition per published figure, its formula text and checks.

Everything that shows, exports or computes a figure finds it here by id: its label, formula, unit, direction,
population, source and confidence. ``formula(id)`` gives the structured formula a cooperative ratio is computed
with (the same one a norm component uses when it names the indicator); ``formula_text(id, lang)`` the sentence the
Metodologi page, the API and every hover show.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from indicators import vocabulary

PATH = Path(__file__).with_name("registry.toml")
# cooperative: one cooperative at one period; area: a kabupaten/kota or the province (regency_indicators); village:
# one Koperasi Desa/Kelurahan Merah Putih at one reference date (kdmp_villages); kdmp_area: the KDMP of a
# kabupaten/kota or the province (kdmp_indicators).
LEVELS = ("cooperative", "area", "village", "kdmp_area")
KINDS = {
    "cooperative": ("ratio", "growth", "value", "rule", "percentile"),
    "area": ("count", "sum", "mean", "share", "pooled", "per_capita", "change", "difference", "target", "remaining",
             "projection"),
    "village": ("rule",),
    "kdmp_area": ("count", "sum", "mean", "share"),
}
UNITS = ("percent", "percentage_points", "count", "rupiah", "points", "percentile", "per_1000", "per_month", "date",
         "flag", "code", "years", "days", "share")
DIRECTIONS = ("higher", "lower", "none")
CONFIDENCE = ("confirmed", "uncertain")
COMPARES = ("relative", "points", "mean")
PROJECTION_FIELDS = ("pace", "reached_on", "reached")
# The fields that make a cooperative formula (what a norm component takes from the registry when it names one).
FORMULA_FIELDS = ("kind", "numerator", "denominator", "annualise", "denominator_average", "column", "scale")
# Figures of the cooperative state a sum, mean or change may take besides the report columns.
STATE_VALUES = {"health_total": ("skor kesehatan", "health score"),
                "mentoring_hours": ("jam pendampingan 12 bulan terakhir", "mentoring hours of the last 12 months")}
# Values of a KDMP (one village) a KDMP area sum or mean may take.
VILLAGE_VALUES = {"members": ("anggota", "members"),
                  "financing_plafond": ("plafon pembiayaan", "financing granted"),
                  "financing_disbursed": ("pembiayaan cair", "financing disbursed"),
                  "days_since_update": ("hari sejak diperbarui", "days since updated"),
                  "mentoring_hours": ("jam pendampingan 12 bulan terakhir", "mentoring hours of the last 12 months")}


class RegistryError(ValueError):
    """The registry file breaks one of its rules (the message names the entry and the field)."""


@dataclass(frozen=True)
class Indicator:
    id: str
    level: str
    kind: str
    label_id: str
    label_en: str
    unit: str
    direction: str
    population: str
    source: str
    confidence: str
    published: tuple[str, ...] = ()
    peer_ranked: bool = False
    spec: Mapping[str, Any] = field(default_factory=dict, repr=False)  # the whole entry as written

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id

    def description(self, lang: str = "id") -> str:
        return str(self.spec.get(f"description_{'en' if lang == 'en' else 'id'}", ""))

    def columns(self, dataset: str) -> list[str]:
        """The columns of API dataset `dataset` that carry this figure."""
        return [p.split(".", 1)[1] for p in self.published if p.split(".", 1)[0] == dataset]


@dataclass(frozen=True)
class Registry:
    indicators: dict[str, Indicator]
    populations: dict[str, dict]
    flags: dict[str, dict]
    sources: dict[str, str]
    meta: dict
    by_column: dict[str, Indicator] = field(default_factory=dict, repr=False)  # "dataset.column" → indicator

    def get(self, indicator_id: str) -> Indicator:
        try:
            return self.indicators[indicator_id]
        except KeyError:
            raise KeyError(f"unknown indicator {indicator_id!r}; see indicators/registry.toml") from None

    def level(self, level: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.level == level]

    def area_ids(self) -> list[str]:
        """The area figures in file order: the columns of `regency_indicators`."""
        return [i.id for i in self.level("area")]

    def kdmp_area_ids(self) -> list[str]:
        """The KDMP area figures in file order: the columns of `kdmp_indicators`."""
        return [i.id for i in self.level("kdmp_area")]

    def formula_ids(self) -> list[str]:
        """Cooperative figures computed from a report by a formula (ratio or growth), in file order."""
        return [i.id for i in self.level("cooperative") if i.kind in ("ratio", "growth")]

    def peer_ranked(self) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.peer_ranked]

    def for_column(self, dataset: str, column: str) -> Indicator | None:
        """The indicator an API column publishes, or None when the column is not a figure (a key, a date, …)."""
        return self.by_column.get(f"{dataset}.{column}")

    def published(self) -> dict[str, str]:
        """`dataset.column` → indicator id, for every published column."""
        return {k: v.id for k, v in self.by_column.items()}

    def population_count(self, indicator_id: str) -> str | None:
        """The area count a figure is taken over, read from its definition: a share's denominator, the count of the
        cooperatives a sum or mean runs over, a per-capita figure's numerator's, else the count of its population;
        None when there is none (what a page names as "computed over N cooperatives")."""
        ind = self.get(indicator_id)
        if ind.kind == "share":
            return ind.spec["denominator"]
        if ind.kind == "per_capita":
            return self.population_count(ind.spec["numerator"])
        flag = ind.spec["over"] if ind.kind in ("sum", "mean") else ind.population
        level = ind.level if ind.level in ("area", "kdmp_area") else "area"
        return next((i.id for i in self.level(level) if i.kind == "count" and i.spec.get("of") == flag), None)

    def population_label(self, key: str, lang: str = "id") -> str:
        return str(self.populations[key][f"label_{'en' if lang == 'en' else 'id'}"])

    def population_description(self, key: str, lang: str = "id") -> str:
        return str(self.populations[key][f"description_{'en' if lang == 'en' else 'id'}"])

    def flag_label(self, key: str, lang: str = "id") -> str:
        return str(self.flags[key][f"label_{'en' if lang == 'en' else 'id'}"])

    def source_text(self, keys: str) -> str:
        """'juknis2021; pearls' → their citations, joined by '; ' (unknown words are kept as written)."""
        return "; ".join(self.sources.get(k.strip(), k.strip()) for k in str(keys).split(";") if k.strip())


# ------------------------------------------------------------------------------------------------------ loading
@functools.lru_cache(maxsize=1)
def load() -> Registry:
    """The registry from ``registry.toml``, validated; the percentile of each peer-ranked figure is added as
    ``pct_<column>`` (published as ``snapshots.pct_<column>``)."""
    with PATH.open("rb") as fh:
        data = tomllib.load(fh)
    return build(data)


def build(data: Mapping) -> Registry:
    """A registry from parsed TOML (tests pass their own); raises RegistryError naming what is wrong."""
    populations = dict(data.get("populations", {}))
    flags = dict(data.get("flags", {}))
    sources = dict(data.get("sources", {}))
    out: dict[str, Indicator] = {}
    for key, spec in data.get("indicators", {}).items():
        out[key] = _indicator(key, spec, populations)
    for ind in list(out.values()):
        if ind.peer_ranked:
            column = _snapshot_column(ind)
            pid = f"pct_{column}"
            out[pid] = Indicator(
                id=pid, level="cooperative", kind="percentile",
                label_id=f"Persentil {ind.label_id[0].lower()}{ind.label_id[1:]} dalam kelompok sebaya",
                label_en=f"Peer-group percentile of {ind.label_en[0].lower()}{ind.label_en[1:]}",
                unit="percentile", direction="none", population="peer_group", source="ncua",
                confidence="confirmed", published=(f"snapshots.{pid}",),
                spec={"of": ind.id, "rule_id": "", "rule_en": ""})
    reg = Registry(out, populations, flags, sources, dict(data.get("meta", {})),
                   {p: i for i in out.values() for p in i.published})
    _check(reg)
    return reg


def _snapshot_column(ind: Indicator) -> str:
    cols = ind.columns("snapshots")
    if len(cols) != 1:
        raise RegistryError(f"indicator {ind.id}: peer_ranked needs exactly one published snapshots column")
    return cols[0]


def _need(key: str, spec: Mapping, name: str, allowed=None):
    if name not in spec:
        raise RegistryError(f"indicator {key}: field {name!r} is required")
    value = spec[name]
    if allowed is not None and value not in allowed:
        raise RegistryError(f"indicator {key}: {name} = {value!r}; must be one of {', '.join(map(str, allowed))}")
    return value


def _indicator(key: str, spec: Mapping, populations: Mapping) -> Indicator:
    level = _need(key, spec, "level", LEVELS)
    kind = _need(key, spec, "kind", KINDS[level])
    for name in ("label_id", "label_en", "source"):
        if not str(spec.get(name, "")).strip():
            raise RegistryError(f"indicator {key}: field {name!r} is required")
    population = _need(key, spec, "population", populations)
    return Indicator(
        id=key, level=level, kind=kind, label_id=spec["label_id"], label_en=spec["label_en"],
        unit=_need(key, spec, "unit", UNITS), direction=_need(key, spec, "direction", DIRECTIONS),
        population=population, source=spec["source"], confidence=_need(key, spec, "confidence", CONFIDENCE),
        published=tuple(spec.get("published", ())), peer_ranked=bool(spec.get("peer_ranked", False)), spec=dict(spec))


def _columns_of(term) -> list[str]:
    return [term] if isinstance(term, str) else list(term)


def _check(reg: Registry) -> None:
    """Cross-references: formula columns exist, flags and area figures referred to exist, published columns are
    unique, area figures only refer to figures defined before them."""
    seen_published: dict[str, str] = {}
    seen_by_level: dict[str, set[str]] = {"area": set(), "kdmp_area": set()}
    for ind in reg.indicators.values():
        s = ind.spec
        for p in ind.published:
            if p in seen_published:
                raise RegistryError(f"{p} is published by both {seen_published[p]} and {ind.id}")
            seen_published[p] = ind.id
        if ind.kind == "ratio":
            for part in ("numerator", "denominator"):
                for col in _columns_of(_need(ind.id, s, part)):
                    if col not in vocabulary.REPORT_FIGURES:
                        raise RegistryError(f"indicator {ind.id}: {part} column {col!r} is not a report column")
            if s.get("annualise", False) not in (False, "numerator", "denominator"):
                raise RegistryError(f"indicator {ind.id}: annualise must be 'numerator', 'denominator' or absent")
        elif ind.kind in ("growth", "value"):
            if _need(ind.id, s, "column") not in vocabulary.REPORT_FIGURES:
                raise RegistryError(f"indicator {ind.id}: column {s['column']!r} is not a report column")
        elif ind.kind == "rule":
            for name in ("rule_id", "rule_en"):
                if not str(s.get(name, "")).strip():
                    raise RegistryError(f"indicator {ind.id}: a rule needs {name}")
        if ind.level == "kdmp_area":
            _check_kdmp_area(reg, ind, seen_by_level["kdmp_area"])
            seen_by_level["kdmp_area"].add(ind.id)
            continue
        if ind.level != "area":
            continue
        area_seen = seen_by_level["area"]
        if ind.kind == "count":
            _need(ind.id, s, "of", reg.flags)
        elif ind.kind in ("sum", "mean"):
            if s.get("of") not in vocabulary.REPORT_FIGURES and s.get("of") not in STATE_VALUES:
                raise RegistryError(f"indicator {ind.id}: of = {s.get('of')!r} is not a report column or state value")
            _need(ind.id, s, "over", reg.flags)
        elif ind.kind == "share":
            for part in ("numerator", "denominator"):
                if _need(ind.id, s, part) not in area_seen:
                    raise RegistryError(f"indicator {ind.id}: {part} {s[part]!r} must be an area figure defined above it")
        elif ind.kind == "per_capita":
            if _need(ind.id, s, "numerator") not in area_seen:
                raise RegistryError(f"indicator {ind.id}: numerator must be an area figure defined above it")
        elif ind.kind == "pooled":
            target = reg.indicators.get(_need(ind.id, s, "indicator"))
            if target is None or target.kind != "ratio":
                raise RegistryError(f"indicator {ind.id}: indicator must name a cooperative ratio")
            _need(ind.id, s, "over", reg.flags)
        elif ind.kind == "change":
            _need(ind.id, s, "compare", COMPARES)
            _need(ind.id, s, "over", reg.flags)
            if s["compare"] == "points":
                _need(ind.id, s, "of", reg.flags)
            elif s.get("of") not in vocabulary.REPORT_FIGURES and s.get("of") not in STATE_VALUES:
                raise RegistryError(f"indicator {ind.id}: of = {s.get('of')!r} is not a report column or state value")
        elif ind.kind == "difference":
            if _need(ind.id, s, "of") not in area_seen:
                raise RegistryError(f"indicator {ind.id}: of must be an area figure defined above it")
        elif ind.kind == "remaining":
            for part in ("of", "target"):
                if _need(ind.id, s, part) not in area_seen:
                    raise RegistryError(f"indicator {ind.id}: {part} must be an area figure defined above it")
        elif ind.kind == "projection":
            _need(ind.id, s, "field", PROJECTION_FIELDS)
        area_seen.add(ind.id)


def _check_kdmp_area(reg: Registry, ind: Indicator, seen: set[str]) -> None:
    """A KDMP area figure counts villages with a flag, sums or averages a village value over a flag, or divides two
    KDMP area figures defined above it."""
    s = ind.spec
    if ind.kind == "count":
        _need(ind.id, s, "of", reg.flags)
    elif ind.kind in ("sum", "mean"):
        if s.get("of") not in VILLAGE_VALUES:
            raise RegistryError(f"indicator {ind.id}: of = {s.get('of')!r} is not a village value")
        _need(ind.id, s, "over", reg.flags)
    elif ind.kind == "share":
        for part in ("numerator", "denominator"):
            if _need(ind.id, s, part) not in seen:
                raise RegistryError(f"indicator {ind.id}: {part} {s[part]!r} must be a KDMP area figure defined above it")


# ------------------------------------------------------------------------------------------------------ formulas
def formula(indicator_id: str) -> dict:
    """The structured formula of a cooperative ratio or growth figure: the fields `indicators.core.Panel.compute`
    reads (kind, numerator, denominator, annualise, column, scale)."""
    ind = load().get(indicator_id)
    if ind.kind not in ("ratio", "growth"):
        raise KeyError(f"indicator {indicator_id!r} is a {ind.kind}, not a formula a norm component can use")
    return {k: ind.spec[k] for k in FORMULA_FIELDS if k in ind.spec}


def as_records(lang: str | None = None) -> list[dict]:
    """The registry as JSON-ready records (both languages unless `lang` is given): what /api/v1/indicators.json
    serves and the Metodologi page lists."""
    from indicators.wording import formula_text

    reg = load()
    langs = ("id", "en") if lang is None else (lang,)
    out = []
    for ind in reg.indicators.values():
        record = {"id": ind.id, "level": ind.level, "kind": ind.kind, "unit": ind.unit, "direction": ind.direction,
                  "population": ind.population, "source": reg.source_text(ind.source),
                  "confidence": ind.confidence, "published": list(ind.published)}
        for code in langs:
            record[f"label_{code}"] = ind.label(code)
            record[f"formula_{code}"] = formula_text(ind, code)
            record[f"population_{code}"] = reg.population_description(ind.population, code)
            if ind.description(code):
                record[f"description_{code}"] = ind.description(code)
        structured = {k: ind.spec[k] for k in ("numerator", "denominator", "annualise", "column", "of", "over",
                                               "compare", "indicator", "target", "field", "defined_by")
                      if k in ind.spec}
        if structured:
            record["definition"] = structured
        if ind.peer_ranked:
            record["percentile"] = f"pct_{_snapshot_column(ind)}"
        out.append(record)
    return out

"""The indicator registry (``registry.toml``): one definition per published figure, its formula text and checks.

Everything that shows, exports or computes a figure finds it here by id: its label, formula, unit, direction,
population, source and confidence. ``formula(id)`` gives the structured formula a cooperative ratio is computed
with (the same one a norm component uses when it names the indicator); ``formula_text(id, lang)`` the sentence the
Metodologi page, the API and every hover show.
"""
from __future__ import annotations

import functools
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from indicators import vocabulary

PATH = Path(__file__).with_name("registry.toml")
LEVELS = ("cooperative", "area")
KINDS = {
    "cooperative": ("ratio", "growth", "value", "rule", "percentile"),
    "area": ("count", "sum", "mean", "share", "pooled", "per_capita", "change", "difference", "target", "remaining",
             "projection"),
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
STATE_VALUES = {"health_total": ("skor kesehatan", "health score")}


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
        return next((i.id for i in self.level("area") if i.kind == "count" and i.spec.get("of") == flag), None)

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
    area_seen: set[str] = set()
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
        if ind.level != "area":
            continue
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


# ------------------------------------------------------------------------------------------------------ formulas
def formula(indicator_id: str) -> dict:
    """The structured formula of a cooperative ratio or growth figure: the fields `indicators.core.Panel.compute`
    reads (kind, numerator, denominator, annualise, column, scale)."""
    ind = load().get(indicator_id)
    if ind.kind not in ("ratio", "growth"):
        raise KeyError(f"indicator {indicator_id!r} is a {ind.kind}, not a formula a norm component can use")
    return {k: ind.spec[k] for k in FORMULA_FIELDS if k in ind.spec}


_WORDS = {
    "id": {"annualised": "disetahunkan (× 12 / bulan ke-)", "ago": "12 bulan sebelumnya", "latest": "dari laporan terakhir",
           "count": "jumlah koperasi {flag}", "sum": "Σ {col}, koperasi {flag}", "mean": "rata-rata {col}, koperasi {flag}",
           "pooled": "Σ {num} / Σ {den} × 100, atas koperasi {flag} yang melaporkan keduanya (rumus {name})",
           "per_capita": "{num} / penduduk 2020 × 1.000",
           "relative": "(Σ {col} sekarang − Σ {col} 12 bulan sebelumnya) / Σ {col} 12 bulan sebelumnya × 100, atas koperasi {flag}",
           "points": "(bagian koperasi {of} sekarang − 12 bulan sebelumnya) × 100, atas koperasi {flag}",
           "mean_change": "rata-rata {col} sekarang − rata-rata {col} 12 bulan sebelumnya, atas koperasi {flag}",
           "difference": "{of} sekarang − {of} 12 bulan sebelumnya",
           "remaining": "maks({target} − {of}, 0)", "percentile": "bagian kelompok sebaya dengan nilai {of} lebih rendah × 100",
           "pace": "laju Go Digital: (nilai sekarang − nilai {w} bulan sebelumnya) / {w} per bulan",
           "reached_on": "akhir bulan saat target tercapai bila laju {w} bulan terakhir berlanjut (kosong bila laju ≤ 0 atau lebih dari 100 tahun lagi)",
           "reached": "Go Digital sudah mencapai target pada atau sebelum periode ini",
           "health_total": "skor kesehatan", "target": "target"},
    "en": {"annualised": "annualised (× 12 / month number)", "ago": "12 months earlier", "latest": "of the latest report",
           "count": "number of cooperatives {flag}", "sum": "Σ {col}, cooperatives {flag}", "mean": "mean {col}, cooperatives {flag}",
           "pooled": "Σ {num} / Σ {den} × 100, over cooperatives {flag} reporting both (formula {name})",
           "per_capita": "{num} / population 2020 × 1,000",
           "relative": "(Σ {col} now − Σ {col} 12 months earlier) / Σ {col} 12 months earlier × 100, over cooperatives {flag}",
           "points": "(share of cooperatives {of} now − 12 months earlier) × 100, over cooperatives {flag}",
           "mean_change": "mean {col} now − mean {col} 12 months earlier, over cooperatives {flag}",
           "difference": "{of} now − {of} 12 months earlier",
           "remaining": "max({target} − {of}, 0)", "percentile": "share of the peer group with a lower {of} × 100",
           "pace": "Go Digital pace: (value now − value {w} months earlier) / {w} per month",
           "reached_on": "the month end the target is reached if the pace of the last {w} months goes on (empty when the pace ≤ 0 or over 100 years away)",
           "reached": "Go Digital reached the target at or before this period",
           "health_total": "health score", "target": "target"},
}


def _number(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "id" else text


def _term(term, lang: str) -> str:
    """A column or a weighted sum of columns as words: '(kurang lancar + diragukan + macet)'."""
    if isinstance(term, str):
        return vocabulary.figure_label(term, lang)
    parts = []
    for i, (col, coef) in enumerate(term.items()):
        name = vocabulary.figure_label(col, lang)
        coef = float(coef)
        sign = "−" if coef < 0 else "+"
        magnitude = abs(coef)
        word = name if math.isclose(magnitude, 1.0) else f"{_number(magnitude, lang)} × {name}"
        parts.append(("−" + word if coef < 0 else word) if i == 0 else f" {sign} {word}")
    return "(" + "".join(parts) + ")"


def _column(col: str, lang: str) -> str:
    if col in STATE_VALUES:
        return STATE_VALUES[col][1 if lang == "en" else 0]
    return vocabulary.figure_label(col, lang)


def formula_text(indicator: str | Indicator, lang: str = "id") -> str:
    """The formula of a figure as one sentence in Indonesian or English, built from its structured definition (so
    the text cannot drift from what is computed)."""
    reg = load()
    ind = indicator if isinstance(indicator, Indicator) else reg.get(indicator)
    w = _WORDS["en" if lang == "en" else "id"]
    s = ind.spec
    if ind.kind == "ratio":
        num = _term(s["numerator"], lang)
        if s.get("annualise") == "numerator":
            num = f"{num} {w['annualised']}"
        den = _term(s["denominator"], lang)
        if s.get("annualise") == "denominator":
            den = f"{den} {w['annualised']}"
        scale = s.get("scale", 100)
        return f"{num} / {den} × {_number(float(scale), lang)}"
    if ind.kind == "growth":
        col = _term(s["column"], lang)
        return f"({col} − {col} {w['ago']}) / |{col} {w['ago']}| × 100"
    if ind.kind == "value":
        return f"{_term(s['column'], lang)} {w['latest']}"
    if ind.kind == "rule":
        return str(s["rule_en" if lang == "en" else "rule_id"])
    if ind.kind == "percentile":
        return w["percentile"].format(of=reg.get(s["of"]).label(lang).lower())
    if ind.kind == "count":
        return w["count"].format(flag=reg.flag_label(s["of"], lang))
    if ind.kind in ("sum", "mean"):
        return w[ind.kind].format(col=_column(s["of"], lang), flag=reg.flag_label(s["over"], lang))
    if ind.kind == "share":
        num, den = reg.get(s["numerator"]).label(lang).lower(), reg.get(s["denominator"]).label(lang).lower()
        return f"{num} / {den} × 100"
    if ind.kind == "pooled":
        base = reg.get(s["indicator"]).spec
        return w["pooled"].format(num=_term(base["numerator"], lang) + (f" {w['annualised']}" if base.get("annualise") == "numerator" else ""),
                                  den=_term(base["denominator"], lang), flag=reg.flag_label(s["over"], lang),
                                  name=s["indicator"])
    if ind.kind == "per_capita":
        return w["per_capita"].format(num=reg.get(s["numerator"]).label(lang).lower())
    if ind.kind == "change":
        flag = reg.flag_label(s["over"], lang)
        if s["compare"] == "relative":
            return w["relative"].format(col=_column(s["of"], lang), flag=flag)
        if s["compare"] == "points":
            return w["points"].format(of=reg.flag_label(s["of"], lang), flag=flag)
        return w["mean_change"].format(col=_column(s["of"], lang), flag=flag)
    if ind.kind == "difference":
        return w["difference"].format(of=reg.get(s["of"]).label(lang).lower())
    if ind.kind == "remaining":
        return w["remaining"].format(target=reg.get(s["target"]).label(lang).lower(), of=reg.get(s["of"]).label(lang).lower())
    if ind.kind == "target":
        return ind.description(lang)
    if ind.kind == "projection":
        from indicators import norms as norm_files

        window = int(norm_files.load_norms("digital")["projection"]["window_months"])
        return w[s["field"]].format(w=window)
    raise RegistryError(f"indicator {ind.id}: no formula text for kind {ind.kind!r}")


def as_records(lang: str | None = None) -> list[dict]:
    """The registry as JSON-ready records (both languages unless `lang` is given): what /api/v1/indicators.json
    serves and the Metodologi page lists."""
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

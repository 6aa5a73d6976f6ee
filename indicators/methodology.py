"""The methodology (formulas, bands, weights, sources, confidence) built from the norm files, as data or Markdown."""

from __future__ import annotations

import logging
import re
from typing import Any, Iterable, Mapping

from indicators import norms as norm_files

log = logging.getLogger(__name__)

SCORED_METHODS = ("ksp2016", "ksp2021", "finance")
RULE_METHODS = ("accountability", "digital", "peers", "supervision", "kdmp", "alerts")

TEXT = {
    "id": {
        "title": "Metodologi indikator Pantau Koperasi NTT",
        "intro": "Dibangun otomatis dari berkas norma di `indicators/norms/`. Baris bertanda "
                 "**belum terkonfirmasi** berasal dari sumber tunggal yang bertentangan atau dari ingatan [M]; "
                 "periksa dengan Dinas sebelum dipakai sebagai dasar keputusan.",
        "uncertain": "⚠ belum terkonfirmasi",
        "regulation": "Dasar",
        "aspect": "Aspek",
        "weight": "Bobot",
        "formula": "Rumus",
        "source": "Sumber",
        "range": "Rentang (x = rasio, %)",
        "value": "Nilai",
        "confidence": "Keyakinan",
        "confirmed": "terkonfirmasi",
        "categories": "Predikat",
        "goal": "Target",
        "pass": "lulus",
        "warn": "waspada (di luar target ≤ {m} poin)",
        "fail": "gagal",
        "composite": "Komposit",
        "sources": "Daftar sumber",
        "rules": "Aturan",
    },
    "en": {
        "title": "Pantau Koperasi NTT indicator methodology",
        "intro": "Built automatically from the norm files in `indicators/norms/`. Rows marked "
                 "**not yet confirmed** come from a single conflicting source or from memory [M]; check them "
                 "with the Dinas before decisions rest on them.",
        "uncertain": "⚠ not yet confirmed",
        "regulation": "Basis",
        "aspect": "Aspect",
        "weight": "Weight",
        "formula": "Formula",
        "source": "Source",
        "range": "Range (x = ratio, %)",
        "value": "Value",
        "confidence": "Confidence",
        "confirmed": "confirmed",
        "categories": "Categories",
        "goal": "Goal",
        "pass": "pass",
        "warn": "warn (outside the goal by ≤ {m} points)",
        "fail": "fail",
        "composite": "Composite",
        "sources": "Sources",
        "rules": "Rules",
    },
}


_PEARLS_GROUPS = {
    "id": {"P": "P — Perlindungan", "E": "E — Struktur keuangan efektif", "A": "A — Kualitas aset",
           "R": "R — Tingkat hasil dan biaya", "L": "L — Likuiditas", "S": "S — Tanda-tanda pertumbuhan"},
    "en": {"P": "P — Protection", "E": "E — Effective financial structure", "A": "A — Asset quality",
           "R": "R — Rates of return and costs", "L": "L — Liquidity", "S": "S — Signs of growth"},
}


def resolve_source(text: str, sources: Mapping[str, str]) -> str:
    """Expand source keys (``"laravel; thesis_x (note)"``) into their full citation from ``[sources]``."""
    out = []
    for token in str(text).split(";"):
        token = token.strip()
        m = re.match(r"^([A-Za-z0-9_]+)(.*)$", token)
        if m and m.group(1) in sources:
            out.append(sources[m.group(1)] + m.group(2))
        elif token:
            out.append(token)
    return "; ".join(out)


def label_of(node: Mapping, field: str, lang: str) -> str:
    """A node's `field` in `lang` (field_id / field_en, else the plain field)."""
    return str(node.get(f"{field}_{lang}", node.get(f"{field}_id", node.get(field, ""))))


_WORST = {"id": " (penyebut negatif → nilai terburuk)", "en": " (a negative denominator → the worst value)"}


def component_formula(spec: Mapping, lang: str) -> str:
    """A component's formula: the registry's sentence when it names an indicator (with the indicator's id), else
    its own text; a negative-denominator rule is said at the end."""
    if spec.get("indicator"):
        from indicators import wording

        text = f"{wording.formula_text(spec['indicator'], lang)} [{spec['indicator']}]"
    else:
        text = label_of(spec, "formula", lang)
    if spec.get("negative_denominator") == "worst":
        text += _WORST["en" if lang == "en" else "id"]
    return text


def _bands(bands: Iterable[Mapping], sources: Mapping[str, str]) -> list[dict]:
    return [{
        "range": b["range"],
        "range_text": norm_files.format_range(b["range"]),
        "value": b["value"],
        "source": resolve_source(b["source"], sources),
        "confidence": b["confidence"],
    } for b in bands]


def _category_bands(categories: list[Mapping], sources: Mapping[str, str], lang: str) -> list[dict]:
    ordered = sorted(categories, key=lambda c: -float(c["min"]))
    out, upper = [], None
    for c in ordered:
        lo = float(c["min"])
        rng = f"[{lo:g}, {'inf' if upper is None else format(upper, 'g')})" if lo != float("-inf") else \
            f"(-inf, {format(upper, 'g') if upper is not None else 'inf'})"
        out.append({"range": rng, "range_text": norm_files.format_range(rng, "total"), "value": label_of(c, "label", lang),
                    "source": resolve_source(c["source"], sources), "confidence": c["confidence"]})
        upper = lo
    return out


def sections(methods: Iterable[str] | None = None, norms: Mapping[str, Mapping] | None = None,
             lang: str = "id") -> list[dict]:
    """Structured methodology: one dict per scored component, ratio, category set or rule.

    Keys: ``method``, ``method_title``, ``regulation``, ``aspect``, ``aspect_label``, ``component``, ``label``,
    ``formula``, ``bands`` (list of {range, range_text, value, source, confidence}), ``weight`` (None when the
    method has no weights), ``source``, ``confidence`` (``uncertain`` when the component or any band is).
    ``norms`` maps a method to an override dict (as :func:`indicators.norms.load_norms` returns).
    """
    methods = list(methods) if methods is not None else list(norm_files.METHODS)
    norms = norms or {}
    out: list[dict] = []
    for method in methods:
        n = norm_files.resolve_norms(norms.get(method), method)
        meta = n.get("meta", {})
        src = n.get("sources", {})
        base = {"method": method, "method_title": label_of(meta, "title", lang),
                "regulation": meta.get("regulation", "")}
        if "categories" in n:
            out.append({**base, "aspect": "categories", "aspect_label": TEXT[lang]["categories"],
                        "component": "category", "label": TEXT[lang]["categories"], "formula": "",
                        "bands": _category_bands(n["categories"], src, lang),
                        "weight": None, "source": resolve_source(n["categories"][0]["source"], src),
                        "confidence": "uncertain" if any(c["confidence"] == "uncertain" for c in n["categories"]) else "confirmed"})
        if "composite" in n:
            comp = n["composite"]
            weights = ", ".join(f"{k} {v}" for k, v in comp.get("aspect_weights", {}).items())
            out.append({**base, "aspect": "composite", "aspect_label": TEXT[lang]["composite"],
                        "component": "composite", "label": TEXT[lang]["composite"],
                        "formula": f"method = {comp.get('method')}; aspect_weights: {weights}; confirmed = {comp.get('confirmed')}",
                        "bands": [], "weight": None, "source": resolve_source(comp["source"], src),
                        "confidence": comp["confidence"]})
        for key, spec in n.get("components", {}).items():
            aspect = spec.get("aspect", "")
            bands = _bands(spec.get("bands", []), src)
            uncertain = spec.get("confidence") == "uncertain" or any(b["confidence"] == "uncertain" for b in bands)
            out.append({**base, "aspect": aspect, "aspect_label": label_of(n.get("aspects", {}).get(aspect, {}), "label", lang),
                        "component": key, "label": label_of(spec, "label", lang), "formula": component_formula(spec, lang),
                        "bands": bands, "weight": spec.get("weight"),
                        "source": resolve_source(spec.get("source", ""), src),
                        "confidence": "uncertain" if uncertain else "confirmed"})
        for code, spec in n.get("ratios", {}).items():
            goal = spec["goal"]
            lo, hi = goal.get("min"), goal.get("max")
            text = (f"{lo:g} ≤ x ≤ {hi:g}" if lo is not None and hi is not None
                    else f"x ≥ {lo:g}" if lo is not None else f"x ≤ {hi:g}")
            out.append({**base, "aspect": code[0], "aspect_label": _PEARLS_GROUPS[lang].get(code[0], code[0]),
                        "component": code,
                        "label": label_of(spec, "label", lang), "formula": component_formula(spec, lang),
                        "bands": [{"range": "", "range_text": text, "value": TEXT[lang]["pass"],
                                   "source": resolve_source(goal["source"], src), "confidence": goal["confidence"],
                                   "warn_margin": goal.get("warn_margin", 0.0)}],
                        "weight": None, "source": resolve_source(goal["source"], src),
                        "confidence": goal["confidence"]})
        if method in RULE_METHODS:
            for key, rule in n.items():
                if key in ("meta", "sources") or not isinstance(rule, Mapping) or "confidence" not in rule:
                    continue
                bands = _bands(rule.get("size_bands", []), src)
                out.append({**base, "aspect": "rules", "aspect_label": TEXT[lang]["rules"], "component": key,
                            "label": label_of(rule, "label", lang), "formula": label_of(rule, "description", lang),
                            "bands": bands, "weight": None, "source": resolve_source(rule["source"], src),
                            "confidence": rule["confidence"]})
            if "size_bands" in n:
                bands = [{"range": b["range"], "range_text": norm_files.format_range(b["range"], "aset" if lang == "id" else "assets"),
                          "value": label_of(b, "label", lang), "source": resolve_source(b["source"], src),
                          "confidence": b["confidence"]} for b in n["size_bands"]]
                out.append({**base, "aspect": "rules", "aspect_label": TEXT[lang]["rules"], "component": "size_bands",
                            "label": "size bands" if lang == "en" else "kelas aset", "formula": "",
                            "bands": bands, "weight": None, "source": resolve_source(n["grouping"]["source"], src),
                            "confidence": "uncertain" if any(b["confidence"] == "uncertain" for b in bands) else "confirmed"})
    return out


def _mark(confidence: str, t: Mapping[str, str]) -> str:
    return f" **{t['uncertain']}**" if confidence == "uncertain" else ""


def _linked(formula: str) -> str:
    """A component formula with its registry id ("… [roa]") linked to the indicator's entry on the same page."""
    from indicators import registry

    known = registry.load().indicators
    return re.sub(r"\[([a-z0-9_]+)\]", lambda m: f"[`{m[1]}`](#ind-{m[1]})" if m[1] in known else m[0], formula)


def render_markdown(lang: str = "id", methods: Iterable[str] | None = None,
                    norms: Mapping[str, Mapping] | None = None, for_page: bool = False) -> str:
    """The methodology as Markdown in Indonesian (``lang="id"``) or English (``"en"``); uncertain rows are
    marked "belum terkonfirmasi" / "not yet confirmed".

    ``for_page=True`` is the Metodologi page's part below the registry list: no title line, headings one level
    deeper, and the registry id after a component's formula links to that indicator's entry (``#ind-<id>``)."""
    if lang not in TEXT:
        raise ValueError("lang must be 'id' or 'en'")
    t = TEXT[lang]
    methods = list(methods) if methods is not None else list(norm_files.METHODS)
    norms = norms or {}
    rows = sections(methods, norms, lang)
    h = "#" if for_page else ""
    lines = ([] if for_page else [f"# {t['title']}", ""]) + [t["intro"], ""]
    for method in methods:
        n = norm_files.resolve_norms(norms.get(method), method)
        meta = n.get("meta", {})
        lines += [f"{h}## {label_of(meta, 'title', lang)}{_mark(meta.get('confidence', 'confirmed'), t)}", ""]
        if meta.get("regulation"):
            lines += [f"*{t['regulation']}:* {meta['regulation']}", ""]
        notes = label_of(meta, "notes", lang).strip()
        if notes:
            lines += [notes, ""]
        current_aspect = None
        for row in (r for r in rows if r["method"] == method):
            if row["aspect"] != current_aspect:
                current_aspect = row["aspect"]
                aspect_weight = n.get("aspects", {}).get(current_aspect, {}).get("weight")
                suffix = f" ({t['weight']} {aspect_weight})" if aspect_weight is not None else ""
                lines += [f"{h}### {row['aspect_label'] or current_aspect}{suffix}", ""]
            weight = f" — {t['weight']} {row['weight']:g}" if row["weight"] is not None else ""
            lines.append(f"**{row['label']}** (`{row['component']}`){weight}{_mark(row['confidence'], t)}")
            lines.append("")
            if row["formula"]:
                lines += [f"- {t['formula']}: {_linked(row['formula']) if for_page else row['formula']}"]
            lines += [f"- {t['source']}: {row['source']}", ""]
            if row["bands"]:
                lines += [f"| {t['range']} | {t['value']} | {t['confidence']} | {t['source']} |", "|---|---|---|---|"]
                for b in row["bands"]:
                    conf = t["uncertain"] if b["confidence"] == "uncertain" else t["confirmed"]
                    value = b["value"]
                    if "warn_margin" in b:
                        margin = format(b["warn_margin"], "g")
                        value = f"{t['pass']}; {t['warn'].format(m=margin)}; {t['fail']}"
                    lines.append(f"| {b['range_text']} | {value} | {conf} | {b['source']} |")
                lines.append("")
        src = n.get("sources", {})
        if src:
            lines += [f"{h}#### {t['sources']}", ""]
            lines += [f"- `{k}`: {v}" for k, v in src.items()]
            lines.append("")
    text = "\n".join(lines).rstrip() + "\n"
    if for_page:
        # Source grades ("[S]", "[P/M]") are not links: the page's Markdown renderer would draw them as empty ones.
        text = re.sub(r"\[([A-Z][A-Za-z/-]*)\](?!\()", r"\\[\1\\]", text)
    return text


def uncertain_items(methods: Iterable[str] | None = None, norms: Mapping[str, Mapping] | None = None) -> list[dict]:
    """The components and rules still marked uncertain (to take to the Dinas)."""
    return [r for r in sections(methods, norms) if r["confidence"] == "uncertain"]


def as_dict(lang: str = "id") -> dict[str, Any]:
    """Sections grouped by method (handy for a JSON endpoint)."""
    grouped: dict[str, list[dict]] = {}
    for row in sections(lang=lang):
        grouped.setdefault(row["method"], []).append(row)
    return grouped

"""The registry's figures in words: each formula as one sentence in Indonesian or English, built from its structured
definition in ``registry.toml`` (so the text a reader sees cannot drift from what is computed), and the registry as
the Metodologi page lists it (records grouped by level and population)."""
from __future__ import annotations

import math

from indicators import norms as norm_files
from indicators import registry, vocabulary
from indicators.methodology import TEXT, label_of
from indicators.registry import STATE_VALUES, VILLAGE_VALUES, Indicator, RegistryError, load

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
           "health_total": "skor kesehatan", "target": "target",
           "village_count": "jumlah KDMP (desa/kelurahan) {flag}", "village_sum": "Σ {col}, KDMP {flag}",
           "village_mean": "rata-rata {col}, KDMP {flag}"},
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
           "health_total": "health score", "target": "target",
           "village_count": "number of KDMP (villages) {flag}", "village_sum": "Σ {col}, KDMP {flag}",
           "village_mean": "mean {col}, KDMP {flag}"},
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
    if ind.level == "kdmp_area" and ind.kind in ("count", "sum", "mean"):
        if ind.kind == "count":
            return w["village_count"].format(flag=reg.flag_label(s["of"], lang))
        col = VILLAGE_VALUES[s["of"]][1 if lang == "en" else 0]
        return w[f"village_{ind.kind}"].format(col=col, flag=reg.flag_label(s["over"], lang))
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
        window = int(norm_files.load_norms("digital")["projection"]["window_months"])
        return w[s["field"]].format(w=window)
    raise RegistryError(f"indicator {ind.id}: no formula text for kind {ind.kind!r}")


# ------------------------------------------------------------------------------ the Metodologi page's registry
_REGISTRY_TEXT = {
    "id": {
        "units": {"percent": "persen (%)", "percentage_points": "poin persen", "count": "jumlah",
                  "rupiah": "rupiah", "points": "poin (0–100)", "percentile": "persentil (0–100)",
                  "per_1000": "per 1.000 penduduk", "per_month": "per bulan", "date": "akhir bulan (tanggal)",
                  "flag": "ya / tidak", "code": "kode", "years": "tahun", "days": "hari", "share": "bagian (0–1)"},
        "directions": {"higher": "lebih tinggi lebih baik", "lower": "lebih rendah lebih baik",
                       "none": "tidak ada arah baik-buruk"},
        "levels": {
            "area": ("Angka wilayah: kabupaten/kota dan provinsi",
                     "Satu nilai per kabupaten/kota, per provinsi (kode 53, dihitung langsung dari koperasinya, "
                     "bukan jumlah baris kabupaten) dan per jenis koperasi, untuk setiap akhir bulan: kolom tabel "
                     "regency_indicators."),
            "cooperative": ("Angka per koperasi",
                            "Satu nilai per koperasi pada satu periode potret, per laporan, per tahun buku, atau "
                            "sebagai persentil dalam kelompok sebayanya."),
            "kdmp_area": ("Angka KDMP per kabupaten/kota dan provinsi",
                          "Satu nilai per kabupaten/kota dan provinsi (kode 53) pada setiap akhir bulan, atas "
                          "Koperasi Desa/Kelurahan Merah Putih yang tercatat: kolom tabel kdmp_indicators."),
            "village": ("Angka per KDMP",
                        "Satu nilai per Koperasi Desa/Kelurahan Merah Putih pada satu tanggal acuan: kolom tabel "
                        "kdmp_villages."),
        },
    },
    "en": {
        "units": {"percent": "percent (%)", "percentage_points": "percentage points", "count": "count",
                  "rupiah": "rupiah", "points": "points (0–100)", "percentile": "percentile (0–100)",
                  "per_1000": "per 1,000 inhabitants", "per_month": "per month", "date": "month end (date)",
                  "flag": "yes / no", "code": "code", "years": "years", "days": "days", "share": "share (0–1)"},
        "directions": {"higher": "higher is better", "lower": "lower is better",
                       "none": "no better or worse direction"},
        "levels": {
            "area": ("Area figures: kabupaten/kota and province",
                     "One value per kabupaten/kota, for the province (code 53, computed from its cooperatives "
                     "directly, not by adding up kabupaten rows) and per cooperative type, at every month end: "
                     "the columns of the regency_indicators table."),
            "cooperative": ("Cooperative figures",
                            "One value per cooperative at one snapshot period, per report, per fiscal year, or as "
                            "a percentile in its peer group."),
            "kdmp_area": ("KDMP figures per kabupaten/kota and the province",
                          "One value per kabupaten/kota and the province (code 53) at every month end, over the "
                          "Koperasi Desa/Kelurahan Merah Putih recorded: the columns of the kdmp_indicators table."),
            "village": ("KDMP figures",
                        "One value per Koperasi Desa/Kelurahan Merah Putih at one reference date: the columns of "
                        "the kdmp_villages table."),
        },
    },
}
# Area figures first: they are what the overview, map and trend pages show.
LEVEL_ORDER = ("area", "cooperative", "kdmp_area", "village")


def _used_by(lang: str) -> dict[str, list[dict]]:
    """indicator id → the norm components (of the scored methods and PEARLS) whose formula is that indicator."""
    out: dict[str, list[dict]] = {}
    for method in ("ksp2016", "ksp2021", "pearls", "finance"):
        n = norm_files.resolve_norms(None, method)
        title = label_of(n.get("meta", {}), "title", lang)
        for key, spec in {**n.get("components", {}), **n.get("ratios", {})}.items():
            if spec.get("indicator"):
                out.setdefault(spec["indicator"], []).append(
                    {"method": method, "method_title": title, "component": key, "label": label_of(spec, "label", lang)})
    return out


def registry_populations(lang: str = "id") -> list[dict]:
    """The registry's populations (who a figure is computed over): key, label and description, in file order."""
    reg = registry.load()
    return [{"key": key, "label": reg.population_label(key, lang), "description": reg.population_description(key, lang)}
            for key in reg.populations]


def indicator_records(lang: str = "id") -> list[dict]:
    """Every registry indicator as the Metodologi page lists it: the record of ``registry.as_records(lang)``
    flattened to this language (label, formula, description, population label and description) plus the words of
    its unit and direction, ``uncertain`` and its mark, and the norm components that use its formula."""
    if lang not in _REGISTRY_TEXT:
        raise ValueError("lang must be 'id' or 'en'")
    reg = registry.load()
    words = _REGISTRY_TEXT[lang]
    used = _used_by(lang)
    out = []
    for rec in registry.as_records(lang):
        ind = reg.get(rec["id"])
        defined_by = ind.spec.get("defined_by", [])
        out.append({
            "id": rec["id"], "level": rec["level"], "kind": rec["kind"],
            "label": rec[f"label_{lang}"], "description": rec.get(f"description_{lang}", ""),
            "formula": rec[f"formula_{lang}"],
            "unit": rec["unit"], "unit_text": words["units"].get(rec["unit"], rec["unit"]),
            "direction": rec["direction"], "direction_text": words["directions"][rec["direction"]],
            "population": rec["population"], "population_label": reg.population_label(rec["population"], lang),
            "population_description": rec[f"population_{lang}"],
            "source": rec["source"], "confidence": rec["confidence"],
            "uncertain": rec["confidence"] == "uncertain",
            "confidence_text": TEXT[lang]["uncertain" if rec["confidence"] == "uncertain" else "confirmed"],
            "published": list(rec["published"]),
            "percentile": rec.get("percentile"),
            "percentile_of": ind.spec.get("of") if ind.kind == "percentile" else None,
            "defined_by": [label_of(norm_files.resolve_norms(None, m).get("meta", {}), "title", lang)
                           for m in defined_by if m in norm_files.METHODS],
            "used_by": used.get(rec["id"], []),
        })
    return out


def indicator_groups(lang: str = "id") -> list[dict]:
    """The registry indicators grouped for the Metodologi page: one group per level (area figures first), inside
    it one subgroup per population in the order the registry first names it, indicators in file order.

    ``[{"level", "title", "intro", "populations": [{"key", "label", "description", "indicators": [record…]}]}]``
    """
    records = indicator_records(lang)
    groups = []
    for level in LEVEL_ORDER:
        title, intro = _REGISTRY_TEXT[lang]["levels"][level]
        subgroups: dict[str, dict] = {}
        for rec in (r for r in records if r["level"] == level):
            sub = subgroups.setdefault(rec["population"], {
                "key": rec["population"], "label": rec["population_label"],
                "description": rec["population_description"], "indicators": []})
            sub["indicators"].append(rec)
        groups.append({"level": level, "title": title, "intro": intro, "populations": list(subgroups.values())})
    return groups

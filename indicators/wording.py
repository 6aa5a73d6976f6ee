"""The registry's figures in words: each formula as one sentence in Indonesian or English, built from its structured
definition in ``registry.toml`` (so the text a reader sees cannot drift from what is computed)."""
from __future__ import annotations

import math

from indicators import vocabulary
from indicators.registry import STATE_VALUES, Indicator, RegistryError, load

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

"""An alert as a reader sees it, on the Notifikasi page and in the daily digest: the rule's name (from
indicators/norms/alerts.toml, like every rule the Metodologi page lists), what the rule saw, and where to look."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from indicators import alerts as alert_rules
from layouts import labels
from layouts.i18n import N_, fmt_date, fmt_period, t_marked

RULES = alert_rules.RULES
DETAILS = {
    "newly_supervised": N_("alert.detail.newly_supervised"),
    "stopped_reporting": N_("alert.detail.stopped_reporting"),
    "rat_overdue": N_("alert.detail.rat_overdue"),
    "stuck_migration": N_("alert.detail.stuck_migration"),
    "kdmp_nib": N_("alert.detail.kdmp_nib"),
    "kdmp_land": N_("alert.detail.kdmp_land"),
}


def rule_label(rule: str, lang: str) -> str:
    spec = alert_rules.load_norms().get(rule, {})
    return str(spec.get("label_en" if lang == "en" else "label_id", rule))


def rule_description(rule: str, lang: str) -> str:
    spec = alert_rules.load_norms().get(rule, {})
    return str(spec.get("description_en" if lang == "en" else "description_id", ""))


def _day(text) -> dt.date | None:
    try:
        return pd.Timestamp(text).date() if text else None
    except (TypeError, ValueError):
        return None


def detail_text(rule: str, detail: dict, lang: str) -> str:
    """What the rule saw, in a sentence of the reader's language."""
    detail = detail or {}
    if rule == "newly_supervised":
        previous = detail.get("previous")
        return t_marked(DETAILS[rule], lang, category=labels.word(labels.HEALTH_CATEGORIES, detail.get("category"), lang),
                        previous=labels.word(labels.HEALTH_CATEGORIES, previous, lang) if previous else "–")
    if rule == "stopped_reporting":
        return t_marked(DETAILS[rule], lang, last=fmt_period(_day(detail.get("last_report")), lang),
                        months=detail.get("months", ""))
    if rule == "rat_overdue":
        return t_marked(DETAILS[rule], lang, year=detail.get("fiscal_year", ""),
                        deadline=fmt_date(_day(detail.get("deadline")), lang))
    if rule == "stuck_migration":
        return t_marked(DETAILS[rule], lang, since=fmt_date(_day(detail.get("since")), lang),
                        days=detail.get("days", ""))
    if rule == "kdmp_stuck":
        key = DETAILS["kdmp_nib" if detail.get("condition") == "nib" else "kdmp_land"]
        return t_marked(key, lang, ahu=fmt_date(_day(detail.get("ahu_on")), lang))
    return ""


def subject_path(subject_kind: str, subject: str, regency_code: str) -> str:
    """Where the reader looks next: the cooperative's profile, or the KDMP page of the village's kabupaten."""
    if subject_kind == "village":
        return f"/kopdes-merah-putih?kab={regency_code}&daftar=tertahan"
    return f"/koperasi/{subject}"

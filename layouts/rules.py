"""Why a row was quarantined or a file refused, in the reader's language: the validation's rule codes
(ingest/validate.py RULE_TEXT) and the readers' whole-file codes (ingest/readers.py StructuralError) as catalogue
texts. A reason stored before the codes existed, or without one, is shown as stored (English)."""
from __future__ import annotations

from layouts.i18n import N_, fmt_int, t_marked

ROW_RULES = {
    "number": N_("rule.number"), "whole_number": N_("rule.whole_number"), "date": N_("rule.date"),
    "bool": N_("rule.bool"), "required": N_("rule.required"), "ge": N_("rule.ge"), "gt": N_("rule.gt"),
    "range": N_("rule.range"), "in": N_("rule.in"), "in_regencies": N_("rule.in_regencies"),
    "digits": N_("rule.digits"), "length": N_("rule.length"), "max_length": N_("rule.max_length"),
    "no_formula": N_("rule.no_formula"), "year_range": N_("rule.year_range"), "month_end": N_("rule.month_end"),
    "not_future": N_("rule.not_future"), "phone": N_("rule.phone"), "email": N_("rule.email"),
    "le_col": N_("rule.le_col"), "loan_classes": N_("rule.loan_classes"), "period_type": N_("rule.period_type"),
    "held_after_fiscal_year": N_("rule.held_after_fiscal_year"), "shu_le_total": N_("rule.shu_le_total"),
    "list_of": N_("rule.list_of"), "village_prefix": N_("rule.village_prefix"),
    "village_type": N_("rule.village_type"), "after_as_of": N_("rule.after_as_of"),
    "stage_order": N_("rule.stage_order"), "handover_needs_land": N_("rule.handover_needs_land"),
    "handover_before_land": N_("rule.handover_before_land"),
    "village_code_in_regency": N_("rule.village_code_in_regency"),
    "kdmp_needs_village_code": N_("rule.kdmp_needs_village_code"),
    "nik_or_village_code": N_("rule.nik_or_village_code"), "unknown_nik": N_("rule.unknown_nik"),
    "unknown_village": N_("rule.unknown_village"), "duplicate": N_("rule.duplicate"),
    "conflict": N_("rule.conflict"), "extra_cells": N_("rule.extra_cells"), "outside_scope": N_("rule.outside_scope"),
}
FILE_RULES = {
    "too_large": N_("file.too_large"), "too_large_unpacked": N_("file.too_large_unpacked"),
    "too_many_rows": N_("file.too_many_rows"), "unreadable_xlsx": N_("file.unreadable_xlsx"),
    "not_found": N_("file.not_found"), "file_name": N_("file.file_name"), "file_type": N_("file.file_type"),
    "empty": N_("file.empty"), "binary": N_("file.binary"), "encoding": N_("file.encoding"),
    "open_quote": N_("file.open_quote"), "too_many_cells": N_("file.too_many_cells"),
    "unreadable_csv": N_("file.unreadable_csv"), "no_sheet": N_("file.no_sheet"),
    "missing_columns": N_("file.missing_columns"), "duplicate_column": N_("file.duplicate_column"),
}


def _values(params: dict, lang: str) -> dict:
    """Whole numbers written the reader's way (50.000 / 50,000); everything else as stored."""
    return {k: fmt_int(v, lang) if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 1000 else
            ("" if v is None else v) for k, v in (params or {}).items()}


def reason_text(reason: dict, lang: str) -> str:
    """One quarantine reason ({column, value, rule[, code, params]}) as the rule in the reader's language."""
    key = ROW_RULES.get(reason.get("code") or "")
    if key is None:
        return str(reason.get("rule") or "")
    try:
        return t_marked(key, lang, **_values(reason.get("params") or {}, lang))
    except (KeyError, IndexError, ValueError):  # a stored reason whose params do not fit the text: as stored
        return str(reason.get("rule") or "")


def file_text(code: str | None, params: dict | None, message: str, lang: str) -> str:
    """Why a whole file was refused, in the reader's language (the stored English message when the code is unknown
    or the run failed for another reason)."""
    key = FILE_RULES.get(code or "")
    if key is None:
        return message
    try:
        return t_marked(key, lang, **_values(params or {}, lang))
    except (KeyError, IndexError, ValueError):
        return message


def row_reasons(reasons: list[dict], lang: str) -> str:
    """Every reason of one row, as one line: "column (value): rule; …"."""
    parts = []
    for reason in reasons:
        column = reason.get("column")
        value = reason.get("value")
        head = f"{column} ({value})" if column and value not in (None, "") else (column or "")
        parts.append(f"{head}: {reason_text(reason, lang)}" if head else reason_text(reason, lang))
    return "; ".join(parts)

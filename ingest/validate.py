"""Validation: typed parsing (Indonesian numbers too) and pandera schemas generated from the data contract.

Every broken rule becomes a reason {column, value, rule, code, params}; a row with any reason is quarantined, the
rest load. `rule` is the English text (the ingest runs, the API, the command line); `code` and `params` let a page
or a corrections file say it in the reader's language (layouts/rules.py; RULE_TEXT below is the English of each).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from indicators import vocabulary
from indicators.vocabulary import VALUE_ALIASES
from warehouse.contract import PATTERNS, Column, Dataset
from ingest.readers import RawTable

log = logging.getLogger(__name__)

_ID_NUMBER = r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$"  # 1.234.567,89 / 12,5
_EN_NUMBER = r"^-?\d{1,3}(,\d{3})+(\.\d+)?$"  # 1,234,567.89
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
STORED_VALUE_CHARS = 200  # a quarantined value is kept to this length (a 3 MB cell must not become 6 MB of JSON)


# Every rule a row can break: its code and its English text ({placeholders} from the reason's params).
RULE_TEXT = {
    "number": "must be a number",
    "whole_number": "must be a whole number",
    "date": "must be a date (YYYY-MM-DD or DD/MM/YYYY)",
    "bool": "must be true/false (ya/tidak)",
    "required": "is required",
    "ge": "must be ≥ {n}",
    "gt": "must be > {n}",
    "range": "must be between {lo} and {hi}",
    "in": "must be one of {values}",
    "in_regencies": "must be a kabupaten/kota code of the warehouse's reference table (regencies)",
    "digits": "must be {lo}–{hi} digits",
    "length": "must be {lo}–{hi} characters",
    "max_length": "must be at most {n} characters",
    "no_formula": "must not start with =, +, -, @, tab or CR (spreadsheet formula)",
    "year_range": "must be a year from {lo} to {hi}",
    "month_end": "must be the last day of a month",
    "not_future": "must not be in the future",
    "phone": "must be a telephone number (digits, spaces, +, - or brackets), e.g. 0812-3456-7890",
    "email": "must be an e-mail address, e.g. nama@contoh.id",
    "le_col": "must be ≤ {other}",
    "loan_classes": "kurang lancar + diragukan + macet must be ≤ loans_outstanding",
    "period_type": "must match period_end (quarter ends in Mar/Jun/Sep/Dec, year ends in December)",
    "held_after_fiscal_year": "RAT cannot be held before the fiscal year ends",
    "shu_le_total": "must be ≤ shu_total",
    "list_of": "must list only these, separated by ';': {values}",
    "village_prefix": "its first four digits must be an NTT kabupaten/kota code (5301–5321, 5371)",
    "village_type": "a kelurahan's code has 1 and a desa's code 2 as its 7th digit (Kemendagri)",
    "after_as_of": "must not be after as_of (the date the row describes)",
    "stage_order": "must not be before the earlier milestone (musdesus ≤ akta ≤ SK AHU ≤ NIB; SK AHU ≤ rekening bank)",
    "handover_needs_land": "a handover needs land_ready_on (land ready first)",
    "handover_before_land": "must not be before land_ready_on",
    "village_code_in_regency": "must start with the cooperative's regency_code",
    "kdmp_needs_village_code": "is required for a KDMP (programme kdmp)",
    "nik_or_village_code": "one of nik or village_code is required",
    "unknown_nik": "not in the registry (load the koperasi sheet first)",
    "unknown_village": "not a KDMP village of the warehouse (load its kdmp rows first)",
    "duplicate": "duplicate of row {row} (identical; the first copy is loaded)",
    "conflict": "conflicting rows for the same {key}: rows {rows}",
    "extra_cells": "more cells than the {columns} columns of the header; a value containing '{sep}' must be in double "
                   "quotes",
    "outside_scope": "belongs to kabupaten/kota {regency}; a kabupaten officer of {scope} may only send rows of {scope}",
}


def rule_text(code: str, **params) -> str:
    """The English text of a rule with its values."""
    return RULE_TEXT[code].format(**params)


def _param(value):
    """A rule's value as JSON keeps it (a tuple of allowed values becomes their list as text)."""
    if isinstance(value, (tuple, list)):
        return ", ".join(map(str, value))
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def clip(value, limit: int = STORED_VALUE_CHARS):
    """A value as stored with a rejection: text longer than `limit` cut, with a note of its full length."""
    if not isinstance(value, str) or len(value) <= limit:
        return value
    note = f"… ({len(value):,} characters)"
    return value[:limit - len(note)] + note


@dataclass
class Validated:
    """The outcome for one raw table: rows to load and rows quarantined with their reasons."""

    dataset: Dataset
    good: pd.DataFrame  # typed, canonical columns + "_row" (file row number)
    rejected: list[dict] = field(default_factory=list)  # {row, nik, reasons: [{column, value, rule}], raw}
    warnings: list[str] = field(default_factory=list)
    rows_read: int = 0


# ---------------------------------------------------------------- parsing ----

def parse_numbers(values: pd.Series, dialect: str = "plain") -> pd.Series:
    """Strings to float64: '1.234.567,89' and '1234567.89' alike; unparseable → NaN (caller reports it).

    Vectorised: plain numbers convert in one pass; only cells that fail are looked at again. In a semicolon CSV
    (the Indonesian Excel dialect) '.' groups thousands and ',' is the decimal mark throughout.
    """
    if pd.api.types.is_numeric_dtype(values):  # the reader's C parser already converted a clean column
        return values.astype("float64")
    text = values.astype("str").str.strip()
    if dialect == "id":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    converted = pd.to_numeric(text, errors="coerce").astype("float64")
    retry = text.notna() & converted.isna()
    if retry.any():
        rest = text[retry].str.replace(r"^Rp\.?\s*", "", regex=True).str.replace(" ", "", regex=False)
        indonesian = rest.str.match(_ID_NUMBER, na=False)
        english = rest.str.match(_EN_NUMBER, na=False) & ~indonesian
        rest = rest.where(~indonesian, rest.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
        rest = rest.where(~english, rest.str.replace(",", "", regex=False))
        converted[retry] = pd.to_numeric(rest, errors="coerce").astype("float64")
    return converted


def parse_dates(values: pd.Series) -> pd.Series:
    """ISO dates (with or without time), or day/month/year as Indonesian spreadsheets write them."""
    text = values.astype("string").str.strip()
    parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=False)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        missing = parsed.isna() & text.notna()
        if not missing.any():
            break
        parsed = parsed.where(~missing, pd.to_datetime(text.where(missing), format=fmt, errors="coerce"))
    return parsed.dt.normalize()


def parse_bools(values: pd.Series) -> pd.Series:
    """Yes/no words (``vocabulary.TRUE_WORDS`` / ``FALSE_WORDS``; "t" is tidak) to a nullable boolean; anything
    else is NA, which the caller reports as a reason."""
    text = values.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[text.isin(vocabulary.TRUE_WORDS)] = True
    out[text.isin(vocabulary.FALSE_WORDS)] = False
    return out


def _typed(table: RawTable, names: set[str] | None = None) -> tuple[pd.DataFrame, list[tuple[int, str, object, str]]]:
    """Convert every column (or only those `names`) to its contract type; cells that cannot be converted become
    reasons (index, column, value, rule code)."""
    raw = table.frame
    typed: dict[str, pd.Series] = {}  # one DataFrame built at the end: consolidated once, not per column
    problems: list[tuple[int, str, object, str]] = []
    for col in table.dataset.columns:
        if names is not None and col.name not in names:
            continue
        if col.name not in raw.columns:
            typed[col.name] = _empty(col, len(raw)).set_axis(raw.index)
            continue
        values = raw[col.name]
        present = values.notna()
        if col.kind in ("amount", "number", "int"):
            converted = parse_numbers(values, table.number_dialect)
            bad = present & converted.isna()
            problems += [(i, col.name, values[i], "number") for i in raw.index[bad]]
            if col.kind == "int":
                fractional = converted.notna() & (converted != np.floor(converted))
                problems += [(i, col.name, values[i], "whole_number") for i in raw.index[fractional]]
                converted = converted.where(~fractional)
            typed[col.name] = converted
        elif col.kind == "date":
            converted = parse_dates(values)
            bad = present & converted.isna()
            problems += [(i, col.name, values[i], "date") for i in raw.index[bad]]
            typed[col.name] = converted
        elif col.kind == "bool":
            converted = parse_bools(values)
            bad = present & converted.isna()
            problems += [(i, col.name, values[i], "bool") for i in raw.index[bad]]
            typed[col.name] = converted
        else:
            text = values.astype("string").str.strip()
            if col.name in ("nik", "village_code"):
                text = text.str.replace(r"\.0$", "", regex=True)  # a code typed into a number cell
            if any(r[0] == "list_of" for r in col.rules):  # "Sembako; Cold storage" → "sembako;cold_storage"
                text = text.map(_list_items, na_action="ignore").astype("string")
            aliases = VALUE_ALIASES.get(col.name)
            enum = next((r[1] for r in col.rules if r[0] == "in"), None)
            if aliases or enum:
                lowered = text.str.lower()
                if aliases:
                    lowered = lowered.replace(aliases)
                if enum:  # accept any letter case of an enumerated value (mapped on the few distinct values)
                    canonical = {v.lower(): v for v in enum}
                    codes, uniques = pd.factorize(lowered)
                    spelled = np.array([canonical.get(v, v) for v in uniques] + [pd.NA], dtype=object)
                    text = pd.Series(spelled[codes], index=lowered.index, dtype="string")
                else:
                    text = lowered
            typed[col.name] = text
    frame = pd.DataFrame(typed, index=raw.index)
    subject = table.dataset.extra.get("subject")
    if subject and all(name in frame for name in subject):
        # the entity a row is about: the first of these columns that is filled (nik, else village_code)
        frame["subject"] = frame[subject[0]].fillna(frame[subject[1]]) if len(subject) > 1 else frame[subject[0]]
    return frame, problems


def _list_items(text: str) -> str:
    """A ';'-separated list as the contract spells it: items trimmed, lower case, spaces as underscores."""
    items = [re.sub(r"[\s\-]+", "_", item.strip().lower()) for item in re.split(r"[;,]", str(text))]
    return ";".join(item for item in items if item)


def _empty(col: Column, n: int) -> pd.Series:
    if col.kind in ("amount", "number", "int"):
        return pd.Series(np.nan, index=range(n), dtype="float64")
    if col.kind == "date":
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    if col.kind == "bool":
        return pd.Series(pd.NA, index=range(n), dtype="boolean")
    return pd.Series(pd.NA, index=range(n), dtype="string")


# ---------------------------------------------------------------- schemas ----

CHECK_CODES: dict[str, tuple[str, dict]] = {}  # a check's English text → (code, params): pandera reports the text


def _check(check_factory, code: str, **params) -> pa.Check:
    """A pandera check whose error is the rule's English text (remembered with its code and params)."""
    params = {k: _param(v) for k, v in params.items()}
    text = rule_text(code, **params)
    CHECK_CODES[text] = (code, params)
    return check_factory(text)


def _column_checks(col: Column, today: date, regencies: frozenset[str] | None = None) -> list[pa.Check]:
    checks = []
    for rule in col.rules:
        kind = rule[0]
        if kind == "in" and col.name == "regency_code" and regencies is not None:
            # the warehouse's own kabupaten/kota (its reference table), when it holds others than NTT's 22
            allowed = sorted(regencies)
            if len(regencies) <= 40:
                checks.append(_check(lambda e, a=allowed: pa.Check.isin(a, error=e), "in", values=tuple(allowed)))
            else:
                checks.append(_check(lambda e, a=allowed: pa.Check.isin(a, error=e), "in_regencies"))
            continue
        if kind == "ge":
            checks.append(_check(lambda e, v=rule[1]: pa.Check.ge(v, error=e), "ge", n=rule[1]))
        elif kind == "gt":
            checks.append(_check(lambda e, v=rule[1]: pa.Check.gt(v, error=e), "gt", n=rule[1]))
        elif kind == "range":
            checks.append(_check(lambda e, lo=rule[1], hi=rule[2]: pa.Check.in_range(lo, hi, error=e), "range",
                                 lo=rule[1], hi=rule[2]))
        elif kind == "in":
            checks.append(_check(lambda e, v=list(rule[1]): pa.Check.isin(v, error=e), "in", values=rule[1]))
        elif kind == "digits":
            checks.append(_check(lambda e, lo=rule[1], hi=rule[2]: pa.Check.str_matches(rf"^\d{{{lo},{hi}}}$", error=e),
                                 "digits", lo=rule[1], hi=rule[2]))
        elif kind == "length":
            checks.append(_check(lambda e, lo=rule[1], hi=rule[2]: pa.Check.str_length(lo, hi, error=e), "length",
                                 lo=rule[1], hi=rule[2]))
        elif kind == "max_length":
            checks.append(_check(lambda e, n=rule[1]: pa.Check.str_length(max_value=n, error=e), "max_length",
                                 n=rule[1]))
        elif kind == "no_formula":
            # (a lone "-", the usual "none" of a spreadsheet, is text to every spreadsheet and stays allowed)
            checks.append(_check(lambda e: pa.Check(lambda s: ~s.str.startswith(FORMULA_START) | (s == "-"), error=e),
                                 "no_formula"))
        elif kind in PATTERNS:
            pattern = PATTERNS[kind][0]
            checks.append(_check(lambda e, p=pattern: pa.Check.str_matches(p, error=e), kind))
        elif kind == "year_range":
            checks.append(_check(lambda e, lo=rule[1]: pa.Check.in_range(lo, today.year, error=e), "year_range",
                                 lo=rule[1], hi=today.year))
        elif kind == "month_end":
            checks.append(_check(lambda e: pa.Check(lambda s: s.dt.is_month_end, error=e), "month_end"))
        elif kind == "not_future":
            limit = pd.Timestamp(today)
            checks.append(_check(lambda e, limit=limit: pa.Check(lambda s: s <= limit, error=e), "not_future"))
    return checks


_DTYPES = {"amount": "float64", "number": "float64", "int": "float64", "date": "datetime64[ns]", "bool": "boolean",
           "text": "string"}


def schema_for(dataset: Dataset, today: date | None = None,
               regencies: frozenset[str] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a dataset, generated from the contract (column rules; cross-field rules separately);
    `regencies`: the kabupaten/kota codes a registry row may name, when not the contract's (NTT's 22)."""
    today = today or date.today()
    columns = {
        col.name: pa.Column(_DTYPES[col.kind], checks=_column_checks(col, today, regencies), nullable=not col.required,
                            required=True, coerce=False)
        for col in dataset.columns
    }
    return pa.DataFrameSchema(columns, strict=False, ordered=False)


def _cross_field(dataset: Dataset, frame: pd.DataFrame, today: date,
                 regencies: frozenset[str] | None = None) -> list[tuple[pd.Series, str, object, tuple]]:
    """Cross-field rules: (failing mask, column blamed, values, (rule code, params))."""
    out = []
    for col in dataset.columns:
        for rule in col.rules:
            if rule[0] == "le_col":
                other = rule[1]
                mask = frame[col.name].notna() & frame[other].notna() & (frame[col.name] > frame[other])
                values = frame[col.name][mask].astype(str) + f" > {other} " + frame[other][mask].astype(str)
                out.append((mask, col.name, values, ("le_col", {"other": other})))
    if "loan_classes_le_outstanding" in dataset.row_rules:
        parts = frame[["loans_substandard", "loans_doubtful", "loans_loss"]]
        total = parts.sum(axis=1, min_count=1)
        mask = total.notna() & frame["loans_outstanding"].notna() & (total > frame["loans_outstanding"])
        out.append((mask, "loans_substandard+loans_doubtful+loans_loss", total,
                    ("loan_classes", {})))
    if "period_type_matches" in dataset.row_rules:
        month = frame["period_end"].dt.month
        mask = ((frame["period_type"] == "quarter") & ~month.isin([3, 6, 9, 12])) | (
            (frame["period_type"] == "year") & (month != 12))
        mask = mask.fillna(False).astype(bool)
        values = frame["period_type"][mask].astype(str) + " / " + frame["period_end"][mask].dt.strftime("%Y-%m-%d")
        out.append((mask, "period_type", values, ("period_type", {})))
    if "held_after_fiscal_year" in dataset.row_rules:
        mask = frame["held_on"].notna() & frame["fiscal_year"].notna() & (
            frame["held_on"].dt.year <= frame["fiscal_year"])
        out.append((mask, "held_on", frame["held_on"][mask].dt.strftime("%Y-%m-%d"),
                    ("held_after_fiscal_year", {})))
    if "shu_to_members_le_total" in dataset.row_rules:
        both = (frame["shu_total"] > 0) & (frame["shu_to_members"] > 0)
        mask = both & (frame["shu_to_members"] > frame["shu_total"])
        out.append((mask, "shu_to_members", frame["shu_to_members"], ("shu_le_total", {})))
    for col in dataset.columns:
        for rule in col.rules:
            if rule[0] == "list_of":
                out.append(_list_check(frame[col.name], col.name, rule[1]))
    out += _village_rules(dataset, frame, regencies)
    return out


def _list_check(values: pd.Series, column: str, allowed: tuple[str, ...]):
    """A ';'-separated list whose items must come from `allowed`: the value shown is the unknown items."""
    known = set(allowed)
    # (plain Python over the values: a column with no value at all is an all-NA Arrow array, which map() refuses)
    unknown = pd.Series([None if pd.isna(text) else ";".join(i for i in str(text).split(";") if i not in known)
                         for text in values.astype(object)], index=values.index, dtype=object)
    mask = unknown.fillna("").ne("")
    return (mask, column, unknown, ("list_of", {"values": ", ".join(allowed)}))


def _dates_text(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%Y-%m-%d")


# The KDMP milestones that must come in this order (a later one never before an earlier one present in the row).
KDMP_CHAINS = (("musdesus_on", "deed_on", "ahu_on", "nib_on"), ("ahu_on", "bank_account_on"))


def _village_rules(dataset: Dataset, frame: pd.DataFrame, regencies: frozenset[str] | None = None) -> list:
    """The rules of villages and KDMP rows (see warehouse/contract.py: KDMP, PENDAMPINGAN, KOPERASI). `regencies`:
    the kabupaten/kota a village code may start with, when not the contract's (NTT's 22; the national benchmark's
    warehouse names its 514 units)."""
    out = []
    rules = dataset.row_rules
    code = frame["village_code"] if "village_code" in frame else None
    well_formed = code.str.fullmatch(r"\d{10}").fillna(False).astype(bool) if code is not None else None
    if "village_prefix_known" in rules:
        mask = well_formed & ~code.str[:4].isin(sorted(regencies) if regencies is not None
                                                 else list(vocabulary.REGENCY_CODES))
        out.append((mask, "village_code", code, ("village_prefix", {})))
    if "village_type_matches_code" in rules:
        digit = frame["village_type"].map(vocabulary.VILLAGE_TYPE_DIGIT)
        mask = well_formed & digit.notna() & (code.str[6] != digit)
        out.append((mask, "village_type", frame["village_type"] + " / " + code, ("village_type", {})))
    if "stage_dates_not_after_as_of" in rules:
        as_of = frame["as_of"]
        for col in dataset.columns:
            if col.kind == "date" and col.name != "as_of":
                mask = frame[col.name].notna() & as_of.notna() & (frame[col.name] > as_of)
                values = _dates_text(frame[col.name]) + " > as_of " + _dates_text(as_of)
                out.append((mask, col.name, values, ("after_as_of", {})))
    if "kdmp_stage_order" in rules:
        for chain in KDMP_CHAINS:
            prev_value = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
            prev_name = pd.Series(None, index=frame.index, dtype=object)
            for name in chain:
                value = frame[name]
                mask = value.notna() & prev_value.notna() & (value < prev_value)
                values = _dates_text(value) + " < " + prev_name.astype(str) + " " + _dates_text(prev_value)
                out.append((mask, name, values, ("stage_order", {})))
                prev_name = prev_name.where(value.isna(), name)
                prev_value = prev_value.where(value.isna(), value)
    if "handover_needs_land" in rules:
        handover, land = frame["handover_on"], frame["land_ready_on"]
        mask = handover.notna() & land.isna()
        out.append((mask, "handover_on", _dates_text(handover), ("handover_needs_land", {})))
        mask = handover.notna() & land.notna() & (handover < land)
        out.append((mask, "handover_on", _dates_text(handover) + " < land_ready_on " + _dates_text(land),
                    ("handover_before_land", {})))
    if "village_code_in_regency" in rules:
        regency = frame["regency_code"]
        mask = well_formed & regency.notna() & (code.str[:4] != regency)
        out.append((mask, "village_code", code + " / regency_code " + regency.fillna(""),
                    ("village_code_in_regency", {})))
    if "kdmp_needs_village_code" in rules:
        mask = frame["programme"].eq("kdmp").fillna(False).astype(bool) & code.isna()
        out.append((mask, "village_code", code, ("kdmp_needs_village_code", {})))
    if "nik_or_village_code" in rules:
        mask = frame["nik"].isna() & code.isna()
        out.append((mask, "nik/village_code", frame["nik"], ("nik_or_village_code", {})))
    return [(m.fillna(False).astype(bool), c, v, r) for m, c, v, r in out]


def _balance_off(dataset: Dataset, frame: pd.DataFrame) -> np.ndarray:
    """Rows whose total_assets differs from total_liabilities + equity by more than 1 % (loaded with a warning)."""
    if "balance_sheet_warning" not in dataset.row_rules or not len(frame):
        return np.zeros(len(frame), dtype=bool)
    gap = (frame["total_assets"] - frame["total_liabilities"] - frame["equity"]).abs()
    return (gap > 0.01 * frame["total_assets"].abs()).fillna(False).astype(bool).to_numpy()


def _balance_warnings(rows_off: np.ndarray, origin: str) -> list[str]:
    """The warning for the file rows `rows_off` (see _balance_off), naming the first ten."""
    if not len(rows_off):
        return []
    sample = ", ".join(str(r) for r in rows_off[:10])
    return [f"{origin}: {len(rows_off)} row(s) where total_assets differs from total_liabilities + equity by "
            f"more than 1 % (rows {sample}{' …' if len(rows_off) > 10 else ''}); loaded with a warning"]


# ------------------------------------------------------------- validation ----

def validate(table: RawTable, known_niks: set[str] | None = None, today: date | None = None,
             regencies: frozenset[str] | None = None, known_villages: set[str] | None = None,
             scope: str | None = None, owners: pd.Series | None = None,
             duplicates: dict[int, list[dict]] | None = None, schema: pa.DataFrameSchema | None = None) -> Validated:
    """Check every contract rule; quarantine each failing row with all of its reasons. `known_villages`: the KDMP
    village codes a mentoring row may name. `scope`: the kabupaten/kota a kabupaten officer may send rows of (a row
    of another one is quarantined, naming its kabupaten); `owners`: NIK → kabupaten/kota code of the registry.
    `duplicates`: the reasons of rows sharing a key, found beforehand over the whole file (a slice of a file, see
    ValidationInSlices, cannot see the other slices); without them the table's own rows are compared. `schema`:
    schema_for(dataset, today, regencies), when the caller made it already."""
    today = today or date.today()
    dataset = table.dataset
    typed, problems = _typed(table)
    reasons: dict[int, list[dict]] = {}
    add = _collector(reasons)

    for i, column, value, rule, *coded in table.problems + problems:  # (reading's reasons first: row shape, cells)
        add(i, column, value, coded[0] if coded else rule, coded[1] if len(coded) > 1 else None)

    # Required values (a required column that exists but is empty in this row).
    for name in dataset.required:
        missing = typed[name].isna() & table.frame.get(name, pd.Series(index=typed.index, dtype=object)).isna()
        for i in typed.index[missing]:
            add(i, name, None, "required")

    try:
        # inplace: the schema coerces nothing, so pandera's defensive copy of the whole frame is pure cost.
        (schema or schema_for(dataset, today, regencies)).validate(typed, lazy=True, inplace=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        for row in cases.itertuples(index=False):
            add(row.index, row.column, row.failure_case, row.check)

    for mask, column, values, (code, params) in _cross_field(dataset, typed, today, regencies):
        for i in typed.index[mask.to_numpy()]:
            add(i, column, values[i], code, params)

    if known_niks is not None and dataset.name != "koperasi":
        unknown = typed["nik"].notna() & ~typed["nik"].isin(list(known_niks))
        for i in typed.index[unknown.to_numpy()]:
            add(i, "nik", typed.at[i, "nik"], "unknown_nik")

    if known_villages is not None and dataset.name == "pendampingan":
        code = typed["village_code"]
        unknown = code.notna() & code.str.fullmatch(r"\d{10}").fillna(False).astype(bool) & ~code.isin(
            list(known_villages))
        for i in typed.index[unknown.to_numpy()]:
            add(i, "village_code", code[i], "unknown_village")

    if scope is not None:
        for i, column, value, regency in _outside_scope(dataset, typed, scope, owners):
            add(i, column, value, "outside_scope", {"regency": regency, "scope": scope})

    if duplicates is None:
        _duplicates(dataset, typed, table.row_numbers, add)
    else:
        for i in typed.index.intersection(list(duplicates)):
            reasons.setdefault(int(i), []).extend(duplicates[i])

    bad = sorted(reasons)
    rejected = [
        {
            "row": int(table.row_numbers[i]),
            "nik": None if pd.isna(typed.at[i, "nik"]) else str(typed.at[i, "nik"])[:40],
            "reasons": reasons[i],
            "raw": {k: (None if pd.isna(v) else clip(str(v))) for k, v in table.frame.loc[i].items()},
        }
        for i in bad
    ]
    good = typed.drop(index=bad) if bad else typed  # (dropping nothing would still copy every column)
    good.insert(0, "_row", (table.row_numbers.drop(index=bad) if bad else table.row_numbers).to_numpy())
    warnings = list(table.notes) + _balance_warnings(good["_row"].to_numpy()[_balance_off(dataset, good)],
                                                     table.origin)
    return Validated(dataset, good.reset_index(drop=True), rejected, warnings, rows_read=len(typed))


def _collector(reasons: dict[int, list[dict]]):
    """add(i, column, value, rule, params): record a reason of row `i` in `reasons`; `rule` is a code of RULE_TEXT
    (with `params`), or a pandera check's text."""

    def add(i, column, value, rule, params=None):
        if rule in RULE_TEXT:
            code, params = rule, {k: _param(v) for k, v in (params or {}).items()}
        else:
            code, params = CHECK_CODES.get(rule, (None, {}))
        text = rule_text(code, **params) if code in RULE_TEXT else rule
        reason = {"column": column, "value": clip(_jsonable(value)), "rule": text}
        if code is not None:
            reason.update(code=code, params=params)
        reasons.setdefault(int(i), []).append(reason)

    return add


FIRST_SLICE = 8_192  # rows in the first slice of ValidationInSlices


class ValidationInSlices:
    """A big table validated slice by slice, so that each slice's good rows can be loaded while the next is checked.

    What needs the whole file is done first, over its key columns only: the typed keys of every row (`keys`: which
    entities and periods the file is about) and the rows sharing a key, whose reasons every slice then carries.
    Iterating yields one Validated per slice of `rows` rows, with exactly the reasons `validate` gives the whole
    table (tested); `rows_read`, `rejected` and `warnings` add up as the slices go by (a slice's own warnings
    are not used: the balance-sheet warning counts the rows of the whole file)."""

    def __init__(self, table: RawTable, rows: int, **checks) -> None:
        dataset = table.dataset
        checks.setdefault("today", date.today())
        schema = schema_for(dataset, checks["today"], checks.get("regencies"))
        self.table, self.rows, self.checks = table, rows, {**checks, "schema": schema}
        key = list(dataset.key)
        names = set(key) | set(dataset.extra.get("subject", ()))
        self.keys, _ = _typed(table, names)
        self.duplicates: dict[int, list[dict]] = {}
        needed = [k for k in key if k == "subject" or dataset.column(k).required]
        if not self.keys[key].isna().all(axis=None):
            involved = self.keys.duplicated(key, keep=False) & self.keys[needed].notna().all(axis=1)
            if involved.any():  # (rare: the rows involved are typed whole and compared as validate compares them)
                rows_involved = table.frame.index[involved.to_numpy()]
                part = RawTable(dataset, table.frame.loc[rows_involved], table.row_numbers.loc[rows_involved],
                                table.origin, table.number_dialect)
                typed, _ = _typed(part)
                _duplicates(dataset, typed, table.row_numbers, _collector(self.duplicates))
        self.rows_read = 0
        self.rejected: list[dict] = []
        self._balance_rows: list[np.ndarray] = []

    def __iter__(self) -> Iterator[Validated]:
        table = self.table
        # (the first slice is small: its rows reach the server while the next slice is checked)
        bounds = [0, *range(min(FIRST_SLICE, self.rows), len(table.frame), self.rows), len(table.frame)]
        for start, end in zip(bounds, bounds[1:]):
            if start >= end:
                continue
            index = table.frame.index[start:end]
            low, high = index[0], index[-1]
            piece = RawTable(table.dataset, table.frame.iloc[start:end], table.row_numbers.iloc[start:end],
                             table.origin, table.number_dialect,
                             problems=[p for p in table.problems if low <= p[0] <= high])
            checked = validate(piece, duplicates=self.duplicates, **self.checks)
            self.rows_read += checked.rows_read
            self.rejected += checked.rejected
            good = checked.good
            self._balance_rows.append(good["_row"].to_numpy()[_balance_off(table.dataset, good)])
            yield checked

    @property
    def warnings(self) -> list[str]:
        rows = np.concatenate(self._balance_rows) if self._balance_rows else np.array([], dtype=int)
        return list(self.table.notes) + _balance_warnings(rows, self.table.origin)


def _outside_scope(dataset: Dataset, typed: pd.DataFrame, scope: str,
                   owners: pd.Series | None) -> list[tuple[int, str, object, str]]:
    """Rows about a cooperative or village of another kabupaten/kota than `scope`: (index, column, value, its
    kabupaten). A registry row counts by its regency_code and, for a NIK already registered, by the registry's; a
    report by its NIK's registry kabupaten (an unknown NIK has its own reason); a KDMP row by its village code; a
    mentoring row by its NIK, else its village code."""
    owners = owners if owners is not None else pd.Series(dtype=object)
    out = []

    def outside(mask: pd.Series, column: str, values: pd.Series, regency: pd.Series) -> None:
        mask = mask.fillna(False).astype(bool)
        out.extend((i, column, values[i], str(regency[i])) for i in typed.index[mask.to_numpy()])

    nik = typed["nik"] if "nik" in typed else pd.Series(pd.NA, index=typed.index, dtype="string")
    registered = nik.map(owners) if len(owners) else pd.Series(pd.NA, index=typed.index, dtype=object)
    village = typed["village_code"] if "village_code" in typed else pd.Series(pd.NA, index=typed.index, dtype="string")
    prefix = village.str[:4]
    if dataset.name == "koperasi":
        regency = typed["regency_code"]
        outside(regency.notna() & regency.ne(scope), "regency_code", regency, regency)
        moved = registered.notna() & registered.ne(scope) & ~(regency.notna() & regency.ne(scope))
        outside(moved, "nik", nik, registered)
    elif dataset.name == "kdmp":
        outside(village.notna() & prefix.ne(scope), "village_code", village, prefix)
    elif dataset.name == "pendampingan":
        outside(registered.notna() & registered.ne(scope), "nik", nik, registered)
        outside(registered.isna() & nik.isna() & village.notna() & prefix.ne(scope), "village_code", village, prefix)
    else:
        outside(registered.notna() & registered.ne(scope), "nik", nik, registered)
    return out


def _duplicates(dataset: Dataset, typed: pd.DataFrame, rows: pd.Series, add) -> None:
    """Two rows with one key in one file: identical copies keep the first; conflicting ones are all rejected."""
    key = list(dataset.key)
    if typed[key].isna().all(axis=None):
        return
    # an optional key column (a mentoring row's topic) may be empty: empty is one value of it
    needed = [k for k in key if k == "subject" or dataset.column(k).required]
    dup_key = typed.duplicated(key, keep=False) & typed[needed].notna().all(axis=1)
    if not dup_key.any():
        return
    subset = typed[dup_key]
    groups = subset.groupby(key, dropna=True, sort=False)
    for _, group in groups:
        idx = group.index
        file_rows = ", ".join(str(rows[i]) for i in idx)
        if len(group.drop_duplicates()) == 1:
            for i in idx[1:]:
                add(i, "+".join(key), _jsonable(typed.loc[i, key[0]]), "duplicate", {"row": int(rows[idx[0]])})
        else:
            for i in idx:
                add(i, "+".join(key), _jsonable(typed.loc[i, key[0]]), "conflict",
                    {"key": " and ".join(key), "rows": file_rows})


def _jsonable(value):
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value if isinstance(value, (int, float, str, bool)) else str(value)

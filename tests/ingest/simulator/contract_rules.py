"""The data contract's row rules for `laporan_keuangan`, written independently of `ingest/` for the simulator tests.

`violations(frame, known_niks, today)` returns one boolean column per rule (True = the row breaks it).
A cell that is empty or not a number is "not reported" for the range rules; `<column>_is_number` catches text.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

NUMBER_COLUMNS = (
    "members", "total_assets", "current_assets", "cash_and_bank", "total_liabilities", "current_liabilities", "equity",
    "share_capital_principal", "share_capital_mandatory", "reserves", "voluntary_savings", "time_deposits",
    "funds_received", "loans_outstanding", "loans_to_members", "loans_at_risk", "loans_substandard", "loans_doubtful",
    "loans_loss", "loan_loss_reserve", "weighted_capital", "risk_weighted_assets", "gross_participation",
    "net_participation", "revenue", "non_member_revenue", "operating_expenses", "member_operating_expenses",
    "cooperative_expenses", "staff_costs", "shu_gross", "shu_before_tax", "shu_after_tax", "shu_member_share",
    "member_economic_benefit", "management_score",
)
NON_NEGATIVE = (
    "members", "total_assets", "current_assets", "cash_and_bank", "total_liabilities", "current_liabilities",
    "share_capital_principal", "share_capital_mandatory", "voluntary_savings", "time_deposits", "funds_received",
    "loans_outstanding", "loans_to_members", "loans_at_risk", "loans_substandard", "loans_doubtful", "loans_loss",
    "loan_loss_reserve", "weighted_capital", "risk_weighted_assets", "gross_participation", "revenue",
    "non_member_revenue", "operating_expenses", "member_operating_expenses", "cooperative_expenses", "staff_costs",
    "member_economic_benefit",
)
# which rule each injected fault kind must break (and no other)
RULE_OF_KIND = {
    "negative_total_assets": "total_assets_non_negative",
    "loans_at_risk_exceeds_loans": "loans_at_risk_le_loans_outstanding",
    "current_assets_exceed_total_assets": "current_assets_le_total_assets",
    "period_in_future": "period_end_not_future",
    "unknown_nik": "nik_known",
    "text_in_number": "members_is_number",
}


def _number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(numeric values with NaN for empty/text, mask of cells holding text that is not a number)."""
    if pd.api.types.is_numeric_dtype(values):
        numeric = values.astype(float)
        return numeric, pd.Series(False, index=values.index)
    numeric = pd.to_numeric(values, errors="coerce").astype(float)
    missing = values.isna().to_numpy()
    empty = missing | (values.astype(object).where(~missing, None).to_numpy() == "")
    return numeric, pd.Series(~empty & numeric.isna().to_numpy(), index=values.index)


def violations(frame: pd.DataFrame, known_niks: set[str], today: date) -> pd.DataFrame:
    out = {}
    nik = frame["nik"].astype(str)
    out["nik_format"] = ~nik.str.fullmatch(r"\d{10,20}")
    out["nik_known"] = ~nik.isin(known_niks)
    period = pd.to_datetime(frame["period_end"], errors="coerce")
    out["period_end_is_date"] = period.isna()
    out["period_end_month_end"] = period.notna() & ~period.dt.is_month_end
    out["period_end_not_future"] = period.notna() & (period > pd.Timestamp(today))
    out["period_type_valid"] = ~frame["period_type"].isin(["month", "quarter", "year"])
    out["period_type_matches"] = (frame["period_type"] == "quarter") & ~period.dt.month.isin([3, 6, 9, 12]) | (
        (frame["period_type"] == "year") & (period.dt.month != 12)
    )
    v = {}
    for col in NUMBER_COLUMNS:
        v[col], text = _number(frame[col])
        out[f"{col}_is_number"] = text
    for col in NON_NEGATIVE:
        out[f"{col}_non_negative"] = v[col] < 0
    out["members_whole"] = v["members"].notna() & (v["members"] % 1 != 0)
    out["current_assets_le_total_assets"] = v["current_assets"] > v["total_assets"]
    out["cash_le_current_assets"] = v["cash_and_bank"] > v["current_assets"]
    out["current_liabilities_le_total"] = v["current_liabilities"] > v["total_liabilities"]
    out["loans_to_members_le_loans_outstanding"] = v["loans_to_members"] > v["loans_outstanding"]
    out["loans_at_risk_le_loans_outstanding"] = v["loans_at_risk"] > v["loans_outstanding"]
    npl = v["loans_substandard"].fillna(0) + v["loans_doubtful"].fillna(0) + v["loans_loss"].fillna(0)
    out["npl_le_loans_outstanding"] = v["loans_outstanding"].notna() & (npl > v["loans_outstanding"])
    out["non_member_revenue_le_revenue"] = v["non_member_revenue"] > v["revenue"]
    out["management_score_range"] = (v["management_score"] < 0) | (v["management_score"] > 15)
    return pd.DataFrame(out, index=frame.index).fillna(False).astype(bool)


def balance_warning(frame: pd.DataFrame) -> pd.Series:
    """total_assets ≈ total_liabilities + equity (off by more than 1 % is a warning, not a rejection)."""
    ta, _ = _number(frame["total_assets"])
    tl, _ = _number(frame["total_liabilities"])
    eq, _ = _number(frame["equity"])
    return (ta - (tl + eq)).abs() > 0.01 * ta.abs()


def broken_rules(row_violations: pd.DataFrame) -> list[set[str]]:
    cols = np.array(row_violations.columns)
    return [set(cols[r]) for r in row_violations.to_numpy()]

"""A compact, approximate 2016-method (Perdep 06/2016) scorer used only to check the simulator's health spread.

The real scorer lives in `indicators/`; this one follows indicator-facts.md §1.2 closely enough to tell whether
the simulated books give a realistic spread (most cukup sehat / sehat, a tail in distress).
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _bands(x: np.ndarray, edges: list[float], values: list[float], right: bool = False) -> np.ndarray:
    idx = np.digitize(x, edges, right=right)
    out = np.asarray(values, dtype=float)[idx]
    return np.where(np.isnan(x), np.nan, out)


def _ratio(num, den) -> np.ndarray:
    num = np.asarray(pd.to_numeric(pd.Series(np.asarray(num, dtype=object)), errors="coerce"), dtype=float)
    den = np.asarray(pd.to_numeric(pd.Series(np.asarray(den, dtype=object)), errors="coerce"), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((den > 0) & ~np.isnan(num), num / den * 100, np.nan)


def score(rows: pd.DataFrame) -> pd.DataFrame:
    """Total 0–100 (rescaled over the scorable components) and category for savings-and-loan report rows."""
    r = rows
    months = pd.to_datetime(r["period_end"]).dt.month.to_numpy()
    ann = 12 / months
    num = lambda c: pd.to_numeric(r[c], errors="coerce").to_numpy(dtype=float)  # noqa: E731
    eq_ta = _ratio(r["equity"], r["total_assets"])
    parts = {
        "eq_ta": (6, np.where(eq_ta < 0, 0, _bands(eq_ta, [20, 40, 60.0000001, 80.0000001], [25, 50, 100, 50, 25]))),
        "eq_risk": (6, np.clip(np.floor(_ratio(r["equity"], r["loans_at_risk"]) / 10) * 10, 0, 100)),
        "car": (3, _bands(_ratio(r["weighted_capital"], r["risk_weighted_assets"]), [4, 6, 8], [0, 50, 75, 100])),
        "member_loans": (10, _bands(_ratio(r["loans_to_members"], r["loans_outstanding"]), [25, 50, 75], [0, 50, 75, 100])),
        "rpm": (5, None),
        "reserve": (5, None),
        "risky": (5, _bands(_ratio(r["loans_at_risk"], r["loans_outstanding"]), [21, 25, 30], [100, 75, 50, 25], right=True)),
        "bo_pb": (4, _bands(_ratio(r["member_operating_expenses"], r["gross_participation"]), [90, 95, 100], [100, 75, 50, 25])),
        "opex_shu": (4, None),
        "staff": (2, _bands(_ratio(num("staff_costs") * ann, r["loans_outstanding"]), [5, 10, 15], [100, 75, 50, 0], right=True)),
        "cash": (10, _bands(_ratio(r["cash_and_bank"], r["current_liabilities"]), [10, 15, 20], [25, 100, 50, 25], right=True)),
        "ldr": (5, _bands(_ratio(r["loans_outstanding"], r["funds_received"]), [60, 70, 80], [25, 50, 75, 100])),
        "roa": (3, _bands(_ratio(num("shu_before_tax") * ann, r["total_assets"]), [5, 7.5, 10], [25, 50, 75, 100])),
        "roe": (3, _bands(_ratio(num("shu_member_share") * ann, r["equity"]), [3, 4, 5], [25, 50, 75, 100])),
        "self": (4, _bands(_ratio(r["net_participation"], num("operating_expenses") + num("cooperative_expenses")), [100], [0, 100], right=True)),
        "pb": (7, _bands(_ratio(r["gross_participation"], num("gross_participation") + num("non_member_revenue")), [25, 50, 75], [25, 50, 75, 100])),
        "pea": (3, _bands(_ratio((num("member_economic_benefit") + num("shu_member_share")) * ann, num("share_capital_principal") + num("share_capital_mandatory")), [5, 7.5, 10], [0, 50, 75, 100])),
    }
    rpm = 0.5 * num("loans_substandard") + 0.75 * num("loans_doubtful") + num("loans_loss")
    rpm_ratio = _ratio(pd.Series(rpm), r["loans_outstanding"])
    parts["rpm"] = (5, np.where(rpm_ratio == 0, 100, _bands(rpm_ratio, [10, 20, 30, 40, 45], [80, 60, 40, 20, 10, 0], right=True)))
    reserve = _ratio(r["loan_loss_reserve"], pd.Series(rpm))
    parts["reserve"] = (5, np.where(reserve == 0, 0, np.clip(np.ceil(reserve / 10) * 10, 0, 100)))
    shu_gross = num("shu_gross")
    opex_shu = np.where(shu_gross > 0, num("operating_expenses") / np.where(shu_gross > 0, shu_gross, 1) * 100, np.inf)
    parts["opex_shu"] = (4, _bands(opex_shu, [40, 60, 80], [100, 75, 50, 25], right=True))
    points = np.zeros(len(r))
    weight = np.zeros(len(r))
    for w, nilai in parts.values():
        ok = ~np.isnan(nilai)
        points += np.where(ok, nilai * w / 100, 0)
        weight += np.where(ok, w, 0)
    mgmt = num("management_score")
    points += np.where(np.isnan(mgmt), 0, mgmt)
    weight += np.where(np.isnan(mgmt), 0, 15)
    total = np.round(points / weight * 100, 2)
    category = np.select([total >= 80, total >= 66, total >= 51], ["sehat", "cukup_sehat", "dalam_pengawasan"], "dalam_pengawasan_khusus")
    return pd.DataFrame({"total": total, "category": category}, index=r.index)

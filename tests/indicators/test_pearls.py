"""PEARLS on one credit union, worked by hand."""

import numpy as np
import pandas as pd
import pytest

from indicators import pearls
from tests.indicators.helpers import frame

CU_2024 = dict(
    nik="CU1", period_end="2024-12-31", members=1150, total_assets=1000.0, loans_outstanding=750.0,
    loan_loss_reserve=30.0, voluntary_savings=500.0, time_deposits=250.0, total_liabilities=800.0,
    share_capital_principal=50.0, share_capital_mandatory=100.0, reserves=90.0, loans_substandard=20.0,
    loans_doubtful=20.0, loans_loss=10.0, operating_expenses=60.0, cash_and_bank=60.0, equity=200.0,
)
CU_2023 = dict(nik="CU1", period_end="2023-12-31", members=1000, total_assets=900.0)
KSP_2024 = dict(CU_2024, nik="KSP1")
REGISTRY = pd.DataFrame({"nik": ["CU1", "KSP1"], "group": ["Kopdit", "KSP"], "type": ["simpan_pinjam"] * 2})


def test_credit_union_ratios_and_flags():
    """E1 (750−30)/1000 = 72 % pass (70–80); E5 750/1000 = 75 % pass; E6 (800−750)/1000 = 5 % pass (≤5);
    E7 150/1000 = 15 % pass; E8 90/1000 = 9 % warn (≥10, margin 2);
    E9 (90 + 30 − 10 − 0.35·40)/1000 = 9.6 % warn — NOT equity/TA (20 %): institutional capital = reserves;
    A1 50/750 = 6.67 % warn (≤5, margin 3); R9 60/((1000+900)/2) = 6.32 % warn (≤5, margin 2);
    L1 60/750 = 8 % fail (≥15, margin 5); S10 1150/1000 − 1 = 15 % pass; S11 1000/900 − 1 = 11.1 % warn."""
    out = pearls.score(frame(CU_2023, CU_2024, KSP_2024, index=[0, 1, 2]), REGISTRY)
    assert list(out.index) == [0, 1]                       # the KSP row is not a credit union
    r = out.loc[1]
    expected = {"E1": 72.0, "E5": 75.0, "E6": 5.0, "E7": 15.0, "E8": 9.0, "E9": 9.6, "A1": 50 / 750 * 100,
                "R9": 60 / 950 * 100, "L1": 8.0, "S10": 15.0, "S11": 100 / 900 * 100}
    for code, value in expected.items():
        assert r[code] == pytest.approx(value), code
    flags = {c: r[f"{c}_flag"] for c in expected}
    assert flags == {"E1": "pass", "E5": "pass", "E6": "pass", "E7": "pass", "E8": "warn", "E9": "warn",
                     "A1": "warn", "R9": "warn", "L1": "fail", "S10": "pass", "S11": "warn"}
    assert r["unscored"] == ""


def test_first_year_has_no_growth_or_average_assets():
    """The 2023 row has no report 12 months earlier (S10, S11) nor a December 2022 (R9): NaN, flag NA."""
    out = pearls.score(frame(CU_2023, CU_2024), REGISTRY).iloc[0]
    assert np.isnan(out["S10"]) and pd.isna(out["S10_flag"])
    assert np.isnan(out["R9"])
    assert "S11" in out["unscored"] and "R9" in out["unscored"]


def test_march_r9_annualises_expenses_and_averages_with_last_december():
    """31 Mar 2025: opex 15 × 12/3 = 60 over (1100 + 1000)/2 = 1050 → 5.71 %."""
    df = frame(CU_2024, dict(CU_2024, period_end="2025-03-31", total_assets=1100.0, operating_expenses=15.0))
    out = pearls.ratios(df)
    assert out["R9"].iloc[1] == pytest.approx(60 / 1050 * 100)

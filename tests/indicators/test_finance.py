"""General-finance points scheme on a consumer cooperative, worked by hand."""

import pandas as pd
import pytest

from indicators import finance
from tests.indicators.helpers import frame

KONSUMEN_2024 = dict(nik="K1", period_end="2024-12-31", current_assets=300.0, current_liabilities=200.0,
                     equity=250.0, total_assets=1000.0, shu_after_tax=40.0, members=103)
KONSUMEN_2023 = dict(nik="K1", period_end="2023-12-31", total_assets=950.0, members=100)
REGISTRY = pd.DataFrame({"nik": ["K1", "S1"], "type": ["konsumen", "simpan_pinjam"], "savings_loan_unit": [False, None]})


def test_consumer_cooperative_scores_78_75_cukup_sehat():
    """current 300/200 = 150 % → 100 → 25; equity/TA 25 % → 75 → 18.75; ROA 4 % → 50 → 7.5;
    ROE 40/250 = 16 % → 100 → 15; assets +5.26 % → 50 → 5; members +3 % → 75 → 7.5. Total 78.75."""
    out = finance.score(frame(KONSUMEN_2023, KONSUMEN_2024)).iloc[1]
    assert [out[a] for a in finance.ASPECTS] == pytest.approx([25, 18.75, 22.5, 12.5])
    assert out["total"] == pytest.approx(78.75)
    assert out["category"] == "cukup_sehat"


def test_registry_keeps_only_cooperatives_without_savings_and_loans():
    """S1 is simpan_pinjam and is dropped; K1 has no earlier report, so both growth components are unscored."""
    df = frame(KONSUMEN_2024, dict(KONSUMEN_2024, nik="S1"), index=["k", "s"])
    out = finance.score(df, registry=REGISTRY)
    assert list(out.index) == ["k"]
    assert out.loc["k", "unscored"] == "asset_growth; member_growth"

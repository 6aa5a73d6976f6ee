"""Kabupaten roll-ups by sums, and the summary table."""

import numpy as np
import pandas as pd
import pytest

from indicators import regency

REGISTRY = pd.DataFrame({"nik": ["1", "2", "3", "4"], "regency_code": ["5301", "5301", "5301", "5371"],
                         "status": ["active", "active", "active", "inactive"]})
REGENCIES = pd.DataFrame({"code": ["5301", "5371", "5302"], "pop_2020": [10_000, 20_000, 5_000]})
REPORTS = pd.DataFrame({
    "nik": ["1", "2", "3", "4"], "period_end": pd.Timestamp("2024-12-31"),
    "equity": [10.0, 900.0, np.nan, 5.0], "total_assets": [100.0, 1000.0, 500.0, 10.0],
    "members": [50, 150, 20, 30],
})
EQUITY = {"equity_to_assets": {"numerator": "equity", "denominator": "total_assets"}}


def test_pooled_ratio_is_sum_over_sum_not_mean_of_ratios():
    """5301: cooperative 1 has 10/100 = 10 %, 2 has 900/1000 = 90 %, 3 reports no equity (left out of both
    sums). Pooled = (10 + 900)/(100 + 1000) = 82.73 %; the mean of ratios would be 50 %; keeping 3's assets
    in the denominator would give 910/1600 = 56.9 %."""
    pooled = regency.ratio_rollup(REPORTS, REGISTRY, EQUITY).set_index("regency_code")
    mean = regency.mean_of_ratios(REPORTS, REGISTRY, EQUITY).set_index("regency_code")
    assert pooled.loc["5301", "equity_to_assets"] == pytest.approx(910 / 1100 * 100)
    assert pooled.loc["5301", "equity_to_assets_n"] == 2
    assert mean.loc["5301", "equity_to_assets"] == pytest.approx(50.0)
    assert pooled.loc["5371", "equity_to_assets"] == pytest.approx(50.0)


def test_pooled_roa_annualises_each_report_before_summing():
    """March reports: SHU 3 and 6 × 12/3 = 12 and 24 over assets 100 + 200 → 36/300 = 12 %."""
    rep = pd.DataFrame({"nik": ["1", "2"], "period_end": pd.Timestamp("2024-03-31"),
                        "shu_after_tax": [3.0, 6.0], "total_assets": [100.0, 200.0]})
    out = regency.ratio_rollup(rep, REGISTRY)
    assert out["roa"].iloc[0] == pytest.approx(12.0)


def test_summary_counts_shares_and_members_per_thousand():
    """5301: 3 active; members 50 + 150 + 20 = 220 over 10,000 people → 22 per 1,000; health: 1 sehat of
    2 scored → 50 %, average 72.5; RAT on time for 1 of 3 active → 33.3 %; Go Digital 2 of 3 → 66.7 %.
    5371: its only cooperative is inactive → shares NaN. 5302 has no cooperatives but still a row."""
    health = pd.DataFrame({"nik": ["1", "2", "3"], "total": [85.0, 60.0, 40.0],
                           "category": ["sehat", "dalam_pengawasan", None]})
    rat = pd.DataFrame({"nik": ["1", "2", "4"], "held_on_time": [True, False, True]})
    dig = pd.DataFrame({"nik": ["1", "3", "4"], "go_digital": [True, True, True]})
    s = regency.regency_summary(REGISTRY, REGENCIES, REPORTS, health, rat, dig).set_index("regency_code")
    assert list(s.index) == ["5301", "5302", "5371"]
    assert s.loc["5301", "members_per_1000"] == pytest.approx(22.0)
    assert s.loc["5301", "total_assets"] == pytest.approx(1600.0)
    assert s.loc["5301", ["scored", "sehat"]].tolist() == [2, 1]
    assert s.loc["5301", "pct_sehat"] == pytest.approx(50.0)
    assert s.loc["5301", "avg_health_score"] == pytest.approx(72.5)
    assert s.loc["5301", "pct_rat_compliant"] == pytest.approx(100 / 3)
    assert s.loc["5301", "pct_go_digital"] == pytest.approx(200 / 3)
    assert np.isnan(s.loc["5371", "pct_go_digital"])
    assert s.loc["5302", "cooperatives"] == 0
    assert s.loc["5371", "members_per_1000"] == pytest.approx(1.5)     # 30 / 20,000 × 1,000
    assert s.loc["5301", "equity_to_assets"] == pytest.approx(910 / 1100 * 100)   # pooled, as above
    assert s.loc["5302", "equity_to_assets_n"] == 0

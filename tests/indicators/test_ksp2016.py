"""Perdep 06/2016 scorer: worked examples computed by hand (see helpers.HEALTHY for the base figures)."""

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from indicators import norms as norm_files, ksp2016
from tests.indicators.helpers import HEALTHY, frame, row

ASPECTS = ["permodalan", "kualitas_aktiva_produktif", "manajemen", "efisiensi", "likuiditas",
           "kemandirian_pertumbuhan", "jatidiri"]

# Distressed KSP (31 Dec 2024):
#   equity/TA 50/1000 = 5 % → 25 → 1.5; equity/risky 50/400 = 12.5 % → (10,20] → 20 → 1.2; CAR 30/1000 = 3 % → 0
#   members' loans 160/800 = 20 % → 0; RPM = .5·100 + .75·100 + 1·200 = 325, 325/800 = 40.6 % → 10 → 0.5
#   reserve/RPM 65/325 = 20 % → 20 → 1.0; risky 400/800 = 50 % → 25 → 1.25
#   management 4
#   member opex/PB 98 % → 50 → 2; opex/SHU gross 90 % → 25 → 1; staff 160/800 = 20 % → 0
#   cash 50/100 = 50 % → 25 → 2.5; loans/funds 800/2000 = 40 % → 25 → 1.25
#   ROA 10/1000 = 1 % → 25 → 0.75; ROE 1/50 = 2 % → 25 → 0.75; OSS 80/(90+20) = 72.7 % → 0
#   PB 100/(100+400) = 20 % → 25 → 1.75; PEA (2+1)/200 = 1.5 % → 0
#   aspects 2.7 / 2.75 / 4 / 3 / 3.75 / 1.5 / 1.75 → total 19.45
DISTRESSED = row(
    nik="5301000000002", equity=50.0, loans_at_risk=400.0, weighted_capital=30.0, loans_to_members=160.0,
    loans_substandard=100.0, loans_doubtful=100.0, loans_loss=200.0, loan_loss_reserve=65.0,
    management_score=4.0, member_operating_expenses=98.0, operating_expenses=90.0, staff_costs=160.0,
    cash_and_bank=50.0, current_assets=200.0, funds_received=2000.0, shu_before_tax=10.0, shu_member_share=1.0,
    net_participation=80.0, cooperative_expenses=20.0, non_member_revenue=400.0, member_economic_benefit=2.0,
)

# Exactly 80: HEALTHY with cash 30/100 = 30 % → 25 → 2.5 (−7.5) and management 3.5 (−10): 97.5 − 17.5 = 80.0
AT_80 = row(nik="3", cash_and_bank=30.0, current_assets=150.0, management_score=3.5)
# Exactly 66: AT_80 plus members' loans 160/800 = 20 % → 0 (−10), loans/funds 800/1100 = 72.7 % → 75 → 3.75
# (−1.25), management 0.75: 15 + 14 + 0.75 + 10 + (2.5 + 3.75) + 10 + 10 = 66.0
AT_66 = row(nik="4", cash_and_bank=30.0, loans_to_members=160.0, funds_received=1100.0, management_score=0.75)
# Exactly 51: AT_66 with equity 250 (equity/TA 25 % → 3; equity/risky 250 % → 6; ROE 30/250 = 12 % → 3),
# staff 160/800 = 20 % → 0, opex/SHU gross 90 % → 1, OSS 30/(90+10) = 30 % → 0, loans/funds 800/1200 = 66.7 %
# → 2.5, PB 100/(100+60) = 62.5 % → 5.25:  12 + 14 + 0.75 + (4+1+0) + (2.5+2.5) + (3+3+0) + (5.25+3) = 51.0
AT_51 = row(nik="5", cash_and_bank=30.0, loans_to_members=160.0, management_score=0.75, equity=250.0,
            staff_costs=160.0, operating_expenses=90.0, net_participation=30.0, funds_received=1200.0,
            non_member_revenue=60.0)


def test_healthy_cooperative_scores_97_5_sehat():
    """Component points listed in helpers.HEALTHY: 15 + 24 + 13.5 + 10 + 15 + 10 + 10 = 97.5 → sehat."""
    out = ksp2016.score(frame(HEALTHY)).iloc[0]
    assert [out[a] for a in ASPECTS] == pytest.approx([15, 24, 13.5, 10, 15, 10, 10])
    assert out["total"] == pytest.approx(97.5)
    assert out["category"] == "sehat"
    assert out["unscored"] == ""
    assert out["coverage"] == pytest.approx(1.0)
    assert out["ratio_problem_loan_risk"] == pytest.approx(0.5)       # (0.5·8)/800 × 100
    assert out["ratio_gross_participation_ratio"] == pytest.approx(100 / 120 * 100)
    assert out["points_problem_loan_risk"] == pytest.approx(4.0)       # (0,10] → 80 × 5/100


def test_distressed_cooperative_scores_19_45_dalam_pengawasan_khusus():
    """Aspects 2.7 / 2.75 / 4 / 3 / 3.75 / 1.5 / 1.75 (see DISTRESSED) → 19.45 → DPK."""
    out = ksp2016.score(frame(DISTRESSED)).iloc[0]
    assert [out[a] for a in ASPECTS] == pytest.approx([2.7, 2.75, 4, 3, 3.75, 1.5, 1.75])
    assert out["total"] == pytest.approx(19.45)
    assert out["category"] == "dalam_pengawasan_khusus"
    assert out["ratio_problem_loan_risk"] == pytest.approx(325 / 800 * 100)
    assert out["points_equity_to_risky_loans"] == pytest.approx(1.2)


def test_fixtures_on_the_80_66_51_boundaries_take_the_higher_category():
    """AT_80 = 80.0 → sehat; AT_66 = 66.0 → cukup_sehat; AT_51 = 51.0 → dalam_pengawasan (x ≥ cut-off)."""
    out = ksp2016.score(frame(AT_80, AT_66, AT_51, index=["a", "b", "c"]))
    assert list(out.index) == ["a", "b", "c"]
    assert out["total"].tolist() == pytest.approx([80.0, 66.0, 51.0])
    assert out["category"].tolist() == ["sehat", "cukup_sehat", "dalam_pengawasan"]
    assert out.loc["c", "efisiensi"] == pytest.approx(5.0)      # 4 + 1 + 0
    assert out.loc["c", "jatidiri"] == pytest.approx(8.25)      # 5.25 + 3


def test_category_function_at_and_around_the_boundaries():
    """≥80 sehat; 66 ≤ x < 80 cukup; 51 ≤ x < 66 DP; < 51 DPK; NaN stays NaN."""
    totals = pd.Series([100, 80, 79.99, 66, 65.99, 51, 50.99, 0, np.nan])
    got = ksp2016.category(totals)
    assert got.iloc[:8].tolist() == ["sehat", "sehat", "cukup_sehat", "cukup_sehat", "dalam_pengawasan",
                                     "dalam_pengawasan", "dalam_pengawasan_khusus", "dalam_pengawasan_khusus"]
    assert pd.isna(got.iloc[8])


def test_zero_and_missing_denominators_are_unscored_and_total_is_rescaled():
    """HEALTHY with current_liabilities = 0 (cash ratio, 10 pts) and no ATMR (CAR, 3 pts):
    points 97.5 − 10 − 3 = 84.5 over 87 scored weight → 84.5/87 × 100 = 97.13; coverage 0.87.
    Scoring them as zero would give 84.5; as full, 97.5."""
    out = ksp2016.score(frame(row(current_liabilities=0.0, risk_weighted_assets=np.nan))).iloc[0]
    assert out["unscored"] == "capital_adequacy; cash_ratio"
    assert out["total"] == pytest.approx(97.13)
    assert out["coverage"] == pytest.approx(0.87)
    assert np.isnan(out["ratio_cash_ratio"]) and np.isnan(out["points_cash_ratio"])
    assert out["permodalan"] == pytest.approx(12.0)     # 6 + 6, CAR not scored
    assert out["likuiditas"] == pytest.approx(5.0)      # loans/funds only


def test_missing_numerator_is_unscored_and_missing_column_too():
    """No management_score and no weighted_capital column: both unscored; (97.5 − 13.5 − 3)/(100 − 15 − 3)
    = 81/82 × 100 = 98.78."""
    df = frame(row(management_score=None)).drop(columns=["weighted_capital"])
    out = ksp2016.score(df).iloc[0]
    assert out["unscored"] == "capital_adequacy; management"
    assert np.isnan(out["manajemen"])
    assert out["total"] == pytest.approx(98.78)


def test_low_coverage_gives_no_category():
    """Only equity/TA (6) and management (15) reportable: coverage 0.21 < 0.5 → category NA; total still
    (6 + 12)/21 × 100 = 85.71."""
    df = frame(dict(nik="9", period_end="2024-12-31", equity=50.0, total_assets=100.0, management_score=12.0))
    out = ksp2016.score(df).iloc[0]
    assert out["coverage"] == pytest.approx(0.21)
    assert out["total"] == pytest.approx(85.71)
    assert pd.isna(out["category"])


def test_negative_equity_gets_no_capital_points_and_worst_roe():
    """Equity −100 and SHU members' share −30: equity/TA −10 % → 0 (−6); equity/risky −100 % → 0 (−6);
    ROE = −30/−100 = +30 % but the denominator is negative → lowest nilai 25 → 0.75 (−2.25);
    PEA (20 − 30)/200 = −5 % → 0 (−3).  97.5 − 17.25 = 80.25."""
    out = ksp2016.score(frame(row(equity=-100.0, shu_member_share=-30.0))).iloc[0]
    assert out["points_equity_to_assets"] == 0.0
    assert out["points_equity_to_risky_loans"] == 0.0
    assert out["ratio_return_on_equity"] == pytest.approx(30.0)
    assert out["points_return_on_equity"] == pytest.approx(0.75)
    assert out["total"] == pytest.approx(80.25)


def test_march_report_annualises_flows_over_stocks_only():
    """31 March: staff 6 × 12/3 = 24 → 24/800 = 3 % (100 → 2); SHU before tax 25 × 4 = 100 → ROA 10 % (→ 3;
    unannualised 2.5 % would give 0.75). Flow/flow ratios are not annualised: member opex 20 / PB 25 = 80 %."""
    df = frame(row(period_end="2024-03-31", staff_costs=6.0, shu_before_tax=25.0,
                   member_operating_expenses=20.0, gross_participation=25.0, non_member_revenue=5.0))
    out = ksp2016.score(df).iloc[0]
    assert out["ratio_service_efficiency"] == pytest.approx(3.0)
    assert out["ratio_return_on_assets"] == pytest.approx(10.0)
    assert out["points_return_on_assets"] == pytest.approx(3.0)
    assert out["ratio_member_opex_to_gross_participation"] == pytest.approx(80.0)
    assert out["ratio_return_on_equity"] == pytest.approx(30 * 4 / 500 * 100)


def test_decimal_and_text_amounts_give_the_same_score():
    """Amounts as Decimal objects / text in an object column are coerced with to_numeric."""
    as_decimal = {k: (Decimal(str(v)) if isinstance(v, float) else v) for k, v in HEALTHY.items()}
    df = frame(as_decimal).astype({"total_assets": object})
    df.loc[0, "equity"] = "500"
    out = ksp2016.score(df).iloc[0]
    assert out["total"] == pytest.approx(97.5)


def test_norm_override_changes_a_band_and_the_score():
    """AT_80 has cash 30 % → 25 (2.5 pts). Override the (20, inf) band to 100 → 10 pts: 80 + 7.5 = 87.5.
    The cached norms stay untouched."""
    norms = ksp2016.load_norms()
    norms["components"]["cash_ratio"]["bands"][-1]["value"] = 100
    assert ksp2016.score(frame(AT_80), norms=norms)["total"].iloc[0] == pytest.approx(87.5)
    assert ksp2016.score(frame(AT_80))["total"].iloc[0] == pytest.approx(80.0)


def test_weights_add_up_to_the_aspect_weights():
    """15/25/15/10/15/10/10, total 100."""
    norms = ksp2016.load_norms()
    for aspect, spec in norms["aspects"].items():
        total = sum(c["weight"] for c in norms["components"].values() if c["aspect"] == aspect)
        assert total == spec["weight"], aspect
    assert [norms["aspects"][a]["weight"] for a in ASPECTS] == [15, 25, 15, 10, 15, 10, 10]


@pytest.mark.parametrize("method", ["ksp2016", "ksp2021", "finance"])
def test_band_tables_cover_the_line_without_gaps_or_overlaps(method):
    """Every point from −1000 % to 1000 % (and just either side of each cut-off) lies in exactly one band."""
    norms = norm_files.load_norms(method)
    for key, spec in norms["components"].items():
        if "bands" not in spec:
            continue
        edges = [v for b in spec["bands"] for v in norm_files.parse_range(b["range"])[:2] if np.isfinite(v)]
        grid = np.concatenate([np.arange(-1000, 1000, 0.25), edges, np.array(edges) + 1e-9, np.array(edges) - 1e-9])
        hits = np.zeros(grid.shape, int)
        for band in spec["bands"]:
            lo, hi, lo_c, hi_c = norm_files.parse_range(band["range"])
            hits += ((grid >= lo) if lo_c else (grid > lo)) & ((grid <= hi) if hi_c else (grid < hi))
        assert (hits == 1).all(), f"{method}.{key}: gap or overlap at {grid[hits != 1][:5]}"


def test_every_band_cites_a_source_and_a_confidence():
    """Every band row of the three scored methods names a source and says confirmed or uncertain."""
    for method in ("ksp2016", "ksp2021", "finance"):
        for key, spec in norm_files.load_norms(method)["components"].items():
            for band in spec.get("bands", []):
                assert band["source"] and band["confidence"] in ("confirmed", "uncertain"), (method, key)


def test_norm_without_a_source_is_rejected():
    """An override whose band lost its source is refused before scoring."""
    norms = ksp2016.load_norms()
    del norms["components"]["cash_ratio"]["bands"][0]["source"]
    with pytest.raises(ValueError):
        ksp2016.score(frame(HEALTHY), norms=norms)

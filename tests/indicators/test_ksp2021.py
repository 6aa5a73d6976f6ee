"""Juknis 15/2021 indicators: two cooperatives worked by hand."""

import numpy as np
import pytest

from indicators import ksp2021
from tests.indicators.helpers import frame

# Cooperative A, 31 Dec 2024, with its 31 Dec 2023 report for the growth indicators.
A_2024 = dict(
    nik="A", period_end="2024-12-31", total_assets=1000.0, cash_and_bank=200.0, current_assets=300.0,
    current_liabilities=200.0, total_liabilities=500.0, equity=500.0, shu_after_tax=60.0, net_participation=130.0,
    operating_expenses=70.0, cooperative_expenses=30.0, revenue=100.0, shu_gross=200.0, loans_outstanding=600.0,
    loans_to_members=480.0, loans_substandard=12.0, loans_doubtful=6.0, loans_loss=0.0, loan_loss_reserve=18.0,
    funds_received=600.0, share_capital_principal=100.0, share_capital_mandatory=150.0, weighted_capital=120.0,
    risk_weighted_assets=1000.0,
)
A_2023 = dict(nik="A", period_end="2023-12-31", total_assets=880.0, funds_received=540.0, equity=450.0,
              shu_after_tax=58.0)

# Cooperative B, 31 Dec 2024, no report a year earlier, no ATMR.
B_2024 = dict(
    nik="B", period_end="2024-12-31", total_assets=1000.0, cash_and_bank=30.0, current_assets=400.0,
    current_liabilities=500.0, total_liabilities=950.0, equity=50.0, shu_after_tax=-20.0, net_participation=105.0,
    operating_expenses=90.0, cooperative_expenses=10.0, revenue=95.0, shu_gross=100.0, loans_outstanding=800.0,
    loans_to_members=300.0, loans_substandard=40.0, loans_doubtful=40.0, loans_loss=20.0, loan_loss_reserve=30.0,
    funds_received=1000.0, share_capital_principal=50.0, share_capital_mandatory=50.0,
)


def panel():
    return frame(A_2023, A_2024, B_2024, index=[10, 11, 12])


def test_cooperative_a_mostly_sehat():
    """A: every nilai 1 except ROA 60/1000 = 6 % (2), SHU/(pokok+wajib) 60/250 = 24 % (2) and SHU growth
    (60 − 58)/58 = 3.4 % (2). Σskor = 18·4 + 3·3 = 81 over 21 → 81/84 = 96.43 → sehat.
    Kinerja keuangan: (13·4 + 3·3)/(4·16) = 61/64 = 95.3125 %; profil risiko and permodalan 100 %."""
    out = ksp2021.score(panel()).loc[11]
    assert out["nilai_roa"] == 2 and out["nilai_member_capital_effect"] == 2 and out["nilai_shu_growth"] == 2
    assert out["nilai_roe"] == 1                      # 60/500 = 12 %
    assert out["nilai_asset_growth"] == 1             # (1000 − 880)/880 = 13.6 %
    assert out["ratio_asset_growth"] == pytest.approx(120 / 880 * 100)
    assert out["nilai_npl"] == 1                      # 18/600 = 3 %
    assert out["kinerja_keuangan"] == pytest.approx(95.3125)
    assert out["profil_risiko"] == pytest.approx(100.0)
    assert out["permodalan"] == pytest.approx(100.0)
    assert out["total"] == pytest.approx(96.43)
    assert out["category"] == "sehat"
    assert out["unscored"] == ""
    assert not out["composite_confirmed"]


def test_cooperative_b_distressed_with_unscored_growth():
    """B nilai: liquid/TA 3 % → 4; liquid/CL 30/500 = 6 % → 4; ROA −2 % → 4; ROE −20/50 → 4; OSS 105/100 → 3;
    BOPO 90/95 = 94.7 % → 3; opex/SHU 90 % → 4; members' loans 37.5 % → 3; NPL 100/800 = 12.5 % → 3;
    reserve 30/100 → 3; cash 6 % → 4; loans/funds 80 % → 2; current 80 % → 3; SHU/(pokok+wajib) −20 % → 4;
    equity/TA 5 % → 4; long-term liabilities (950−500)/50 = 900 % → 4. Growth (no prior report) and CAR (no
    ATMR) unscored. Σskor = 24 over n = 16 → 24/64 = 37.5 → DPK; coverage 16/21.
    Aspects: profil risiko 2/8 = 25 %; kinerja 20/48 = 41.67 %; permodalan 2/8 = 25 %."""
    out = ksp2021.score(panel()).loc[12]
    assert out["nilai_operational_self_sufficiency"] == 3
    assert out["nilai_loans_to_funds_received"] == 2
    assert out["nilai_long_term_liabilities_to_equity"] == 4
    assert np.isnan(out["nilai_asset_growth"])
    assert out["unscored"] == "asset_growth; funds_received_growth; equity_growth; shu_growth; capital_adequacy"
    assert out["total"] == pytest.approx(37.5)
    assert out["category"] == "dalam_pengawasan_khusus"
    assert out["coverage"] == pytest.approx(16 / 21)
    assert out["profil_risiko"] == pytest.approx(25.0)
    assert out["kinerja_keuangan"] == pytest.approx(20 / 48 * 100)
    assert out["permodalan"] == pytest.approx(25.0)


def test_negative_equity_roe_is_nilai_4_even_when_the_ratio_looks_good():
    """SHU −20 over equity −50 = +40 %, but a negative denominator gets nilai 4."""
    out = ksp2021.score(frame(dict(B_2024, equity=-50.0))).iloc[0]
    assert out["ratio_roe"] == pytest.approx(40.0)
    assert out["nilai_roe"] == 4


def test_composite_is_flagged_not_confirmed():
    """The norm file says composite.confirmed = false: the column and the frame attribute both carry it."""
    out = ksp2021.score(panel())
    assert out.attrs["composite_confirmed"] is False
    assert (out["composite_confirmed"] == False).all()  # noqa: E712


def test_weighted_aspects_composite_from_the_norm_file():
    """B with weights kinerja 40, permodalan 15, profil 15: (40·41.667 + 15·25 + 15·25)/70 = 34.52;
    coverage (40·12/16 + 15·2/3 + 15·2/2)/70 = 55/70."""
    norms = ksp2021.load_norms()
    norms["composite"]["method"] = "weighted_aspects"
    out = ksp2021.score(panel(), norms=norms).loc[12]
    assert out["total"] == pytest.approx(34.52)
    assert out["coverage"] == pytest.approx(55 / 70)


def test_growth_matches_the_report_twelve_months_earlier_only():
    """A June 2024 report finds June 2023 (not December 2023); a lone month has no prior → unscored."""
    df = frame(dict(nik="C", period_end="2023-06-30", total_assets=100.0),
               dict(nik="C", period_end="2023-12-31", total_assets=500.0),
               dict(nik="C", period_end="2024-06-30", total_assets=105.0),
               dict(nik="D", period_end="2024-06-30", total_assets=105.0))
    out = ksp2021.nilai(df)
    assert out["ratio_asset_growth"].iloc[2] == pytest.approx(5.0)
    assert out["nilai_asset_growth"].iloc[2] == 3                    # 4 ≤ 5 < 7
    assert np.isnan(out["ratio_asset_growth"].iloc[3])

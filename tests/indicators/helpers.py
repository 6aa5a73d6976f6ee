"""Hand-made report rows shared by the indicator tests (every figure chosen so the arithmetic is easy)."""

from __future__ import annotations

import pandas as pd

# A healthy KSP at 31 Dec 2024 (month 12: annualisation factor 1). 2016 points, component by component:
#   equity/TA 500/1000 = 50 % → 100 → 6      equity/risky 500/100 = 500 % → 100 → 6   CAR 100/1000 = 10 % → 3
#   members' loans 700/800 = 87.5 % → 10     RPM = .5·8 = 4; 4/800 = 0.5 % → 80 → 4
#   reserve/RPM 10/4 = 250 % → 5             risky 100/800 = 12.5 % → 5
#   management 13.5
#   member opex/PB 80/100 = 80 % → 4         opex/SHU gross 30/100 = 30 % → 4         staff 24/800 = 3 % → 2
#   cash 12/100 = 12 % → 100 → 10            loans/funds 800/1000 = 80 % → 5
#   ROA 100/1000 = 10 % → 3                  ROE 30/500 = 6 % → 3                     OSS 50/(30+10) = 125 % → 4
#   PB 100/(100+20) = 83.3 % → 7             PEA (20+30)/(100+100) = 25 % → 3
#   aspects 15 / 24 / 13.5 / 10 / 15 / 10 / 10 → total 97.5
HEALTHY = dict(
    nik="5371000000001", period_end="2024-12-31", period_type="month", members=500,
    total_assets=1000.0, current_assets=150.0, cash_and_bank=12.0, total_liabilities=500.0,
    current_liabilities=100.0, equity=500.0, share_capital_principal=100.0, share_capital_mandatory=100.0,
    reserves=100.0, voluntary_savings=300.0, time_deposits=100.0, funds_received=1000.0,
    loans_outstanding=800.0, loans_to_members=700.0, loans_at_risk=100.0,
    loans_substandard=8.0, loans_doubtful=0.0, loans_loss=0.0, loan_loss_reserve=10.0,
    weighted_capital=100.0, risk_weighted_assets=1000.0,
    gross_participation=100.0, net_participation=50.0, revenue=150.0, non_member_revenue=20.0,
    operating_expenses=30.0, member_operating_expenses=80.0, cooperative_expenses=10.0, staff_costs=24.0,
    shu_gross=100.0, shu_before_tax=100.0, shu_after_tax=90.0, shu_member_share=30.0,
    member_economic_benefit=20.0, management_score=13.5,
)


def row(**changes) -> dict:
    """HEALTHY with some figures changed."""
    out = dict(HEALTHY)
    out.update(changes)
    return out


def frame(*rows: dict, index=None) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), index=index)
    df["period_end"] = pd.to_datetime(df["period_end"])
    return df

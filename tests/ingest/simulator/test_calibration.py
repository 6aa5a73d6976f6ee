"""The demo province reproduces the published NTT figures (indicator-facts.md §0) from its own time-stamped state."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from ingest.simulator import rat_routine_holders, snapshot

from .ksp2016 import score


def within(value: float, target: float, tolerance: float = 0.03) -> bool:
    return abs(value - target) <= tolerance * target


def test_end_2023_has_4301_cooperatives_of_which_3866_legal_entities_and_active(province):
    s = snapshot(province, date(2023, 12, 31))
    assert s["cooperatives"] == 4301
    assert s["legal_entity_and_active"] == 3866


def test_end_2023_members_about_2_4_million_and_assets_about_rp12_trillion(province):
    s = snapshot(province, date(2023, 12, 31))
    assert within(s["members"], 2_400_000)
    assert within(s["total_assets"], 12_000_000_000_000)


def test_aug_2020_has_4202_cooperatives_3846_active_and_2_158_059_members(province):
    s = snapshot(province, date(2020, 8, 31))
    assert s["cooperatives"] == 4202
    assert s["active"] == 3846
    assert within(s["members"], 2_158_059)


def test_may_2020_type_mix_is_exact(province):
    s = snapshot(province, date(2020, 5, 31))
    assert s["cooperatives"] == 4189
    assert s["active"] == 3831
    assert s["by_type"] == {"simpan_pinjam": 1406, "konsumen": 1937, "produsen": 400, "pemasaran": 367, "jasa": 79}


def test_about_80_percent_run_savings_and_loans(province):
    may = snapshot(province, date(2020, 5, 31))
    assert may["savings_loan"] == 3341  # 79.8 %
    now = snapshot(province, date(2025, 12, 31))
    assert 0.77 <= now["savings_loan"] / now["cooperatives"] <= 0.83


def test_2020_assets_rp10_5_trillion_and_own_capital_rp4_5_trillion(province):
    s = snapshot(province, date(2020, 5, 31))
    assert within(s["total_assets"], 10_500_000_000_000)
    assert within(s["equity"], 4_500_000_000_000)


def test_digital_milestones(province):
    end_2020 = snapshot(province, date(2020, 12, 31))
    assert end_2020["go_digital"] + end_2020["digital_migrating"] == 15  # live or in process
    assert snapshot(province, date(2021, 5, 30))["go_digital"] == 217
    assert snapshot(province, date(2022, 12, 31))["go_digital"] == 276
    assert snapshot(province, date(2023, 12, 31))["go_digital"] == 600
    mid_2026 = snapshot(province, date(2026, 7, 14))["go_digital"]
    assert 850 < mid_2026 < 1000  # toward the 1,000 target, not there yet


def test_about_500_hold_rat_routinely_in_2020_and_more_since(province):
    # routine = held the RAT for each of fiscal years 2018, 2019 and 2020
    assert rat_routine_holders(province) == 501
    assert rat_routine_holders(province, (2022, 2023, 2024)) > 600  # improving since


def test_cooperatives_per_kabupaten_follow_population(province):
    current = province.cooperatives[province.cooperatives["status"] != "dissolved"]
    counts = current.groupby("regency_code").size()
    pop = province.regencies.set_index("code")["pop_2020"].reindex(counts.index)
    assert np.corrcoef(counts.to_numpy(), pop.to_numpy())[0, 1] > 0.8
    assert len(counts) == 22


def test_largest_credit_unions_are_heavy_tail_kopdit(province):
    dec_2024 = province.truth[province.truth["period_end"] == pd.Timestamp("2024-12-31")]
    top = dec_2024.nlargest(2, "total_assets").merge(province.cooperatives, on="nik")
    assert list(top["group"]) == ["Kopdit", "Kopdit"]
    assert list(top["regency_code"]) == ["5307", "5371"]  # Sikka (Maumere), Kota Kupang
    assert within(top["members"].iat[0], 400_000, 0.05) and within(top["total_assets"].iat[0], 2.4e12, 0.05)
    kupang_2021 = province.truth[(province.truth["nik"] == top["nik"].iat[1]) & (province.truth["period_end"] == pd.Timestamp("2021-12-31"))]
    assert within(kupang_2021["members"].iat[0], 140_000, 0.05) and within(kupang_2021["total_assets"].iat[0], 1e12, 0.05)
    assert (dec_2024["members"] < 500).mean() > 0.6  # thousands of small cooperatives


def test_reporting_rate_is_far_from_full_and_worse_in_remote_kabupaten(province):
    truth = province.truth[province.truth["active"] & (province.truth["period_end"].dt.year == 2025)]
    sent = province.reports[["nik", "period_end"]].assign(sent=True)
    rate = truth.merge(sent, on=["nik", "period_end"], how="left")["sent"].fillna(False).astype(bool)
    assert 0.3 < rate.mean() < 0.7
    regency = truth["nik"].map(province.cooperatives.set_index("nik")["regency_code"])
    by_regency = rate.groupby(regency.to_numpy()).mean()
    remoteness = province.regencies.set_index("code")["remoteness"].reindex(by_regency.index)
    assert np.corrcoef(by_regency.to_numpy(), remoteness.to_numpy())[0, 1] < -0.5


def test_health_is_mostly_fair_or_healthy_with_a_distressed_tail(province):
    sl = province.reports[province.reports["loans_outstanding"].notna()]
    dec = sl[sl["period_end"] == pd.Timestamp("2025-12-31")]
    share = score(dec)["category"].value_counts(normalize=True)
    assert share.get("sehat", 0) + share.get("cukup_sehat", 0) > 0.6
    assert 0.05 < share.get("dalam_pengawasan", 0) + share.get("dalam_pengawasan_khusus", 0) < 0.4
    assert share.get("dalam_pengawasan_khusus", 0) > 0.005


@pytest.mark.parametrize("band, low, high", [((40, 60), 0.25, 0.75), ((10, 15), 0.1, 0.6)])
def test_2016_method_ratios_spread_over_their_bands(province, band, low, high):
    sl = province.reports[(province.reports["loans_outstanding"].notna()) & (province.reports["period_end"] == pd.Timestamp("2025-12-31"))]
    if band == (40, 60):
        ratio = sl["equity"].astype(float) / sl["total_assets"].astype(float) * 100
    else:
        ratio = sl["cash_and_bank"].astype(float) / sl["current_liabilities"].astype(float) * 100
    inside = ratio.between(*band).mean()
    assert low < inside < high

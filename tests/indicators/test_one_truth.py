"""One truth for every figure: a province of three cooperatives in two kabupaten, every figure computed on paper.

Cooperative A (5301, KSP, active) reports June 2025 (P1) and June 2026 (P2); B (5301, konsumen, active) reports
June 2025 and December 2025; C (5371, konsumen, inactive) reported only in September 2024; D (5371, jasa, active)
never reported. June reports annualise
year-to-date SHU × 12/6. The monitored population at P is "latest report in the 12 month-ends up to P": at P1 that
is A, B and C (C's report is 9 months old); at P2 it is A and B (B's December report, C's is 21 months old).
"""
import numpy as np
import pandas as pd
import pytest

from indicators import cooperative, digital, digital_use, rollup, supervision

P1, P2 = pd.Timestamp("2025-06-30"), pd.Timestamp("2026-06-30")
A, B, C, D = "1000000001", "1000000002", "1000000003", "1000000004"

REGISTRY = pd.DataFrame({
    "nik": [A, B, C, D], "name": ["KSP A", "Koperasi B", "Koperasi C", "Koperasi D"],
    "regency_code": ["5301", "5301", "5371", "5371"], "type": ["simpan_pinjam", "konsumen", "konsumen", "jasa"],
    "group": ["KSP", "lainnya", "lainnya", "lainnya"], "savings_loan_unit": [None, None, None, None],
    "status": ["active", "active", "inactive", "active"], "established_year": [2010, 2015, 2012, 2020],
    "legal_entity_number": ["BH-1", None, "BH-3", None],
})
REGENCIES = pd.DataFrame({"code": ["5301", "5371"], "pop_2020": [1000, 2000]})


def _report(nik, period, submitted, **amounts):
    return {"nik": nik, "period_end": pd.Timestamp(period), "submitted_on": pd.Timestamp(submitted), **amounts}


REPORTS = pd.DataFrame([
    _report(A, "2025-06-30", "2025-07-15", members=100, total_assets=1000, equity=400, current_assets=500,
            current_liabilities=250, loans_outstanding=600, loans_substandard=30, loans_doubtful=12, loans_loss=18,
            loans_at_risk=90, shu_after_tax=20, shu_before_tax=25),
    _report(A, "2026-06-30", "2026-07-25", members=110, total_assets=1200, equity=420, current_assets=600,
            current_liabilities=400, loans_outstanding=800, loans_substandard=40, loans_doubtful=0, loans_loss=8,
            loans_at_risk=120, shu_after_tax=30, shu_before_tax=45),
    _report(B, "2025-06-30", "2025-07-10", members=40, total_assets=200, equity=150, current_assets=100,
            current_liabilities=50, shu_after_tax=-5, shu_before_tax=-5),
    _report(B, "2025-12-31", "2026-01-30", members=44, total_assets=240, equity=160, current_assets=120,
            current_liabilities=80, shu_after_tax=12, shu_before_tax=12),
    _report(C, "2024-09-30", "2024-10-10", members=60, total_assets=500, equity=100, current_assets=300,
            current_liabilities=150, shu_after_tax=9, shu_before_tax=9),
]).sort_values(["nik", "period_end"]).reset_index(drop=True)
HEALTH = pd.DataFrame({
    "nik": [A, A, B, B, C],
    "period_end": pd.to_datetime(["2025-06-30", "2026-06-30", "2025-06-30", "2025-12-31", "2024-09-30"]),
    "framework": ["ksp2016", "ksp2016", "finance", "finance", "finance"],
    "total": [82.0, 70.0, 60.0, 85.0, 45.0],
    "category": ["sehat", "cukup_sehat", "dalam_pengawasan", "sehat", "dalam_pengawasan_khusus"],
})
MEETINGS = pd.DataFrame({
    "nik": [A, A, B], "fiscal_year": [2024, 2025, 2024],
    "held_on": pd.to_datetime(["2025-05-20", "2026-03-10", "2025-08-01"]), "reported_on": pd.NaT,
    "shu_total": np.nan, "shu_to_members": np.nan, "audited": None, "statements_published": None,
})
DIGITAL = pd.DataFrame({
    "nik": [A, A, A, B, B, C], "platform": "KEREN",
    "stage": ["identified", "migrating", "live", "identified", "migrating", "live"],
    "stage_date": pd.to_datetime(["2024-01-10", "2024-06-01", "2025-03-01", "2025-01-05", "2025-02-01", "2024-05-01"]),
    "members_on_app": np.nan,
})


@pytest.fixture(scope="module")
def state():
    return cooperative.build(REGISTRY, REPORTS, HEALTH, MEETINGS, DIGITAL)


NO_SUBMISSIONS = pd.DataFrame({"nik": pd.Series(dtype=str), "submitted_on": pd.Series(dtype="datetime64[ns]")})
NO_MENTORING = pd.DataFrame({"nik": pd.Series(dtype=str), "village_code": pd.Series(dtype=str),
                             "activity_date": pd.Series(dtype="datetime64[ns]"), "hours": pd.Series(dtype=float)})


@pytest.fixture(scope="module")
def areas(state):
    # the refresh's steps: who supervises each cooperative, digital use that lasts, then the roll-ups
    frame = supervision.annotate(state.frame, REGISTRY)
    frame = digital_use.annotate(frame, NO_SUBMISSIONS, NO_MENTORING, REGISTRY)
    out = rollup.area_rollups(frame, REGENCIES, digital.regency_targets(REGISTRY))
    return out.set_index(["regency_code", "period_end", "type"])


def row(areas, code, period, kind=""):
    return areas.loc[(code, pd.Timestamp(period), kind)]


def at(state, nik, period):
    frame = state.frame
    return frame.loc[(frame["nik"] == nik) & (frame["period_end"] == pd.Timestamp(period))].iloc[0]


def test_cooperative_ratios_follow_the_registry_formulas(state):
    """A at P2: ROA = SHU after tax 30 × 12/6 / 1,200 = 5 % (not the 7.5 % SHU before tax would give); NPL =
    (40 + 0 + 8) / 800 = 6 % (not loans at risk 120 / 800 = 15 %); equity 420/1,200 = 35 %; current 600/400 =
    150 %; assets +20 % and members +10 % on the report twelve months earlier."""
    a = at(state, A, P2)
    assert a["roa"] == pytest.approx(5.0)
    assert a["npl_ratio"] == pytest.approx(6.0)
    assert a["equity_ratio"] == pytest.approx(35.0)
    assert a["current_ratio"] == pytest.approx(150.0)
    assert a["asset_growth"] == pytest.approx(20.0)
    assert a["member_growth"] == pytest.approx(10.0)


def test_a_cooperative_is_monitored_from_its_latest_report_in_twelve_month_ends(state):
    """At P2, B is monitored with its December report (6 months old), not reported for P2; C's September 2024
    report is 21 months old: not monitored, no figures. At P1, C is monitored (9 months) with its own figures."""
    b = at(state, B, P2)
    assert b["monitored"] and not b["reported"]
    assert b["source_period"] == pd.Timestamp("2025-12-31")
    assert b["roa"] == pytest.approx(5.0)  # 12 × 12/12 / 240
    assert b["members"] == 44 and b["health_category"] == "sehat"
    c2 = at(state, C, P2)
    assert not c2["monitored"] and np.isnan(c2["members"]) and pd.isna(c2["health_category"])
    c1 = at(state, C, P1)
    assert c1["monitored"] and c1["roa"] == pytest.approx(2.4)  # 9 × 12/9 / 500


def test_area_counts_sums_and_shares_at_p2(areas):
    k = row(areas, "5301", P2)
    assert (k["cooperatives"], k["active"], k["legal_entities"]) == (2, 2, 1)
    assert (k["monitored_cooperatives"], k["reporting_cooperatives"]) == (2, 1)
    assert k["members"] == 154 and k["total_assets"] == 1440
    assert k["members_per_1000"] == pytest.approx(154.0)
    assert (k["scored"], k["sehat"], k["cukup_sehat"], k["dalam_pengawasan"]) == (2, 1, 1, 0)
    assert k["pct_sehat"] == pytest.approx(50.0)
    assert k["avg_health_score"] == pytest.approx(77.5)
    city = row(areas, "5371", P2)
    assert city["cooperatives"] == 2 and city["active"] == 1 and city["monitored_cooperatives"] == 0
    assert np.isnan(city["members"]) and city["scored"] == 0 and np.isnan(city["pct_sehat"])


def test_pooled_ratios_sum_numerators_and_denominators_of_the_monitored(areas):
    """5301 at P2: ROA (30·2 + 12·1) / (1,200 + 240) = 72/1,440 = 5 %; NPL only A reports loans: 48/800 = 6 %;
    equity (420 + 160)/1,440. Province at P1: (40 − 10 + 12) / 1,700 (A, B and C's 9-month-old report)."""
    k = row(areas, "5301", P2)
    assert k["roa_pooled"] == pytest.approx(5.0)
    assert k["npl_ratio_pooled"] == pytest.approx(6.0)
    assert k["equity_ratio_pooled"] == pytest.approx(580 / 1440 * 100)
    assert row(areas, "53", P1)["roa_pooled"] == pytest.approx(42 / 1700 * 100)


def test_the_province_row_counts_the_same_population(areas):
    """P1: A, B and C monitored → 200 members, 1,700 assets, 1 sehat of 3 scored, mean (82 + 60 + 45)/3; members
    per 1,000 over both kabupaten's 3,000 people. P2: only 5301 contributes."""
    p1 = row(areas, "53", P1)
    assert (p1["monitored_cooperatives"], p1["members"], p1["total_assets"]) == (3, 200, 1700)
    assert (p1["scored"], p1["sehat"], p1["dalam_pengawasan_khusus"]) == (3, 1, 1)
    assert p1["pct_sehat"] == pytest.approx(100 / 3)
    assert p1["avg_health_score"] == pytest.approx(187 / 3)
    assert p1["members_per_1000"] == pytest.approx(200 / 3)
    p2 = row(areas, "53", P2)
    assert p2["members"] == 154 and p2["pct_sehat"] == pytest.approx(50.0)
    assert p2["members_per_1000"] == pytest.approx(154 / 3)


def test_changes_compare_the_same_cooperatives(areas):
    """P2 against P1 over A and B (monitored in both; C dropped out): members 140 → 154 = +10 %, assets 1,200 →
    1,440 = +20 % — while the plain totals fell from 200 to 154 only because C stopped reporting. Scored in both:
    A (sehat → cukup) and B (pengawasan → sehat): sehat share 50 % → 50 % = 0 points, mean 71 → 77.5 = +6.5."""
    p2 = row(areas, "53", P2)
    assert p2["matched_cooperatives"] == 2 and p2["scored_both"] == 2
    assert p2["members_change"] == pytest.approx(10.0)
    assert p2["total_assets_change"] == pytest.approx(20.0)
    assert p2["pct_sehat_change"] == pytest.approx(0.0)
    assert p2["avg_health_score_change"] == pytest.approx(6.5)
    assert np.isnan(row(areas, "53", P1)["members_change"])  # June 2024 precedes every report


def test_rat_reporting_and_digital_figures(areas):
    """Fiscal year 2024 (P1): A on time, B late (1 Aug), C inactive → 1 of 2. FY 2025 (P2): A on time, B none →
    1 of 2, change 0 points. Reports: P1 both on time (by 20 July); P2 A late (25 July), B missing → 50 %, on time
    0 %, change −50 points. Digital: A live (Go Digital), B migrating since Feb 2025 (stuck), C live but inactive."""
    for period in (P1, P2):
        k = row(areas, "5301", period)
        assert (k["rat_expected"], k["rat_compliant"]) == (2, 1)
        assert k["pct_rat_compliant"] == pytest.approx(50.0)
        assert (k["go_digital"], k["stage_live"], k["stage_migrating"], k["stuck_cooperatives"]) == (1, 1, 1, 1)
        assert (k["funnel_identified"], k["funnel_migrating"], k["funnel_live"]) == (2, 2, 1)
        assert k["pct_go_digital"] == pytest.approx(50.0)
    assert row(areas, "5301", P2)["pct_rat_compliant_change"] == pytest.approx(0.0)
    p1, p2 = row(areas, "5301", P1), row(areas, "5301", P2)
    assert (p1["expected"], p1["received"], p1["received_on_time"]) == (2, 2, 2)
    assert (p2["expected"], p2["received"], p2["received_on_time"]) == (2, 1, 0)
    assert p2["reporting_rate"] == pytest.approx(50.0) and p2["on_time_rate"] == pytest.approx(0.0)
    assert p2["reporting_rate_change"] == pytest.approx(-50.0)
    assert row(areas, "53", P2)["go_digital"] == 1  # C is live but inactive: not counted
    city = row(areas, "5371", P2)  # D is due a RAT and a report every month, and sent neither
    assert (city["rat_expected"], city["rat_compliant"], city["expected"], city["received"]) == (1, 0, 1, 0)
    assert np.isnan(row(areas, "53", "2024-12-31")["pct_rat_compliant"])  # FY 2023: before any RAT data


def test_targets_and_projection(areas):
    """Active cooperatives: 2 in 5301, 1 in 5371 → 1,000 × 2/3 = 666.7 and 333.3, the largest remainder gets the
    last one: 667 and 333. One Go Digital: 1/667, 666 to go; at P2 the pace over 12 months is 0 → no projected
    date; at P1 a pace of 1/9 a month would need 5,994 months (more than 100 years): no date either."""
    k = row(areas, "5301", P2)
    assert k["digital_target"] == 667 and k["pct_digital_target"] == pytest.approx(100 / 667)
    assert row(areas, "5371", P2)["digital_target"] == 333
    assert k["digital_remaining"] == 666 and k["digital_pace"] == 0
    assert pd.isna(k["digital_reached_on"]) and not k["digital_target_reached"]
    assert row(areas, "5301", P1)["digital_pace"] == pytest.approx(1 / 9)
    assert row(areas, "53", P2)["digital_target"] == 1000
    assert np.isnan(row(areas, "53", P2, "konsumen")["digital_target"])


def test_type_rows_split_the_same_figures(areas):
    """5301 at P2 by type: the KSP row is A alone (cukup sehat: 0 % sehat), the konsumen row B alone (100 %); their
    counts add up to the all-types row."""
    ksp, kons, every = (row(areas, "5301", P2, t) for t in ("simpan_pinjam", "konsumen", ""))
    assert ksp["members"] == 110 and kons["members"] == 44
    assert ksp["pct_sehat"] == 0 and kons["pct_sehat"] == 100
    for name in ("cooperatives", "monitored_cooperatives", "scored", "sehat", "expected", "received", "go_digital"):
        assert ksp[name] + kons[name] == every[name], name
    assert row(areas, "5301", P2, "jasa")["cooperatives"] == 0  # every type has a row, even an empty one


def test_snapshot_rows_carry_the_state_and_peer_ranks(state):
    snaps, stats = cooperative.snapshots(state, version=7)
    a = snaps.loc[(snaps["nik"] == A) & (snaps["period_end"] == P2)].iloc[0]
    assert a["roa"] == pytest.approx(5.0) and a["npl_ratio"] == pytest.approx(6.0)
    assert a["monitored"] and a["reported"] and a["health_category_prev"] == "sehat"
    assert a["digital_stage"] == "live" and a["go_digital"] and a["data_version"] == 7
    c = snaps.loc[(snaps["nik"] == C) & (snaps["period_end"] == P2)].iloc[0]
    assert not c["monitored"] and pd.isna(c["health_total"])
    d = snaps.loc[(snaps["nik"] == D) & (snaps["period_end"] == P1)].iloc[0]
    assert not d["monitored"] and not d["reported"] and d["report_status"] == "missing"

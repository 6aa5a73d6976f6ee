"""Go Digital: current stage, funnel, targets, monthly series, projection, stuck cooperatives."""

import pandas as pd
import pytest

from indicators import digital

EVENTS = pd.DataFrame({
    "nik": ["1", "1", "1", "2", "2", "3", "4", "5", "5"],
    "platform": ["KEREN"] * 9,
    "stage": ["identified", "migrating", "live", "identified", "migrating", "transacting", "identified",
              "live", "identified"],
    "stage_date": ["2024-01-10", "2024-02-01", "2024-03-15", "2024-01-01", "2024-04-01", "2024-05-31",
                   "2024-06-01", "2024-02-10", "2024-02-10"],
})
REGISTRY = pd.DataFrame({"nik": ["1", "2", "3", "4", "5", "6"],
                         "regency_code": ["5301", "5301", "5371", "5371", "5302", "5302"],
                         "status": ["active"] * 6})


def test_current_stage_and_go_digital_count():
    """As of 30 Jun 2024: 1 live, 2 migrating, 3 transacting, 4 identified, 5 live (two rows on 10 Feb:
    the further stage wins) → Go Digital = 1, 3, 5 = 3. As of 31 Mar: 1 live, 5 live → 2."""
    cur = digital.current_stage(EVENTS, "2024-06-30").set_index("nik")
    assert cur["stage"].to_dict() == {"1": "live", "2": "migrating", "3": "transacting", "4": "identified", "5": "live"}
    assert digital.go_digital_count(EVENTS, "2024-06-30") == 3
    assert digital.go_digital_count(EVENTS, "2024-03-31") == 2


def test_funnel_counts_at_or_beyond_each_step():
    """Stages at 30 Jun: identified 1, migrating 1, live 2, transacting 1 → at or beyond: 5, 4, 3, 1."""
    f = digital.funnel(EVENTS, "2024-06-30")
    assert f["stage"].tolist() == ["identified", "migrating", "live", "transacting"]
    assert f["count"].tolist() == [5, 4, 3, 1]
    assert f["share_of_identified"].tolist() == pytest.approx([100, 80, 60, 20])
    by = digital.funnel(EVENTS, "2024-06-30", REGISTRY)            # 5371: 3 transacting, 4 identified
    assert by.loc[by["regency_code"] == "5371", "count"].tolist() == [2, 1, 1, 1]


def test_regency_targets_largest_remainder_add_up():
    """Active 7 / 2 / 1, target 4: quotas 2.8 / 0.8 / 0.4 → floors 2 / 0 / 0, two left for the largest
    fractions (0.8 and 0.8: the tie goes to the lower code first) → 3 / 1 / 0."""
    reg = pd.DataFrame({"nik": [str(i) for i in range(10)], "regency_code": ["A"] * 7 + ["B"] * 2 + ["C"],
                        "status": ["active"] * 10})
    norms = digital.load_norms()
    norms["target"]["province"] = 4
    assert digital.regency_targets(reg, norms).to_dict() == {"A": 3, "B": 1, "C": 0}
    norms["target"]["province"] = 1000
    t = digital.regency_targets(reg, norms)
    assert t.to_dict() == {"A": 700, "B": 200, "C": 100} and t.sum() == 1000
    norms["target"]["regency"] = {"C": 500}                       # fixed; the other 500 shared 7:2
    assert digital.regency_targets(reg, norms).to_dict() == {"A": 389, "B": 111, "C": 500}


def test_target_progress_province_and_kabupaten():
    """Default target 1000 shared 2:2:2 → 334 / 333 / 333 (tie → lower code). Go Digital: 5301 → 1,
    5302 → 1 (5), 5371 → 1 (3); province 3 → 0.3 %."""
    p = digital.target_progress(EVENTS, REGISTRY, "2024-06-30").set_index("regency_code")
    assert p["target"].to_dict() == {"5301": 334, "5302": 333, "5371": 333, "53": 1000}
    assert p["go_digital"].to_dict() == {"5301": 1, "5302": 1, "5371": 1, "53": 3}
    assert p.loc["53", "progress_pct"] == pytest.approx(0.3)
    assert p.loc["53", "remaining"] == 997


def test_monthly_series_from_stage_history():
    """Month-ends Jan–Jun 2024: Jan 0; Feb 1 (5 live 10 Feb); Mar 2 (1 live 15 Mar); Apr 2; May 3 (3 on 31 May);
    Jun 3."""
    s = digital.monthly_series(EVENTS, "2024-01-01", "2024-06-30")
    assert s["go_digital"].tolist() == [0, 1, 2, 2, 3, 3]
    assert s["period_end"].iloc[-1] == pd.Timestamp("2024-06-30")


def test_monthly_series_drops_a_cooperative_that_goes_back():
    """live 15 Jan, back to migrating 1 Mar: counted at the end of Jan and Feb (1, 1), not Mar or Apr (0, 0)."""
    ev = pd.DataFrame({"nik": ["9", "9"], "platform": ["X", "X"], "stage": ["live", "migrating"],
                       "stage_date": ["2024-01-15", "2024-03-01"]})
    assert digital.monthly_series(ev, "2024-01-31", "2024-04-30")["go_digital"].tolist() == [1, 1, 0, 0]


def test_projection_on_a_linear_series():
    """600 at Dec 2023 rising 10 a month to 720 at Dec 2024: pace (720 − 600)/12 = 10; 280 to go → 28 months
    → 30 Apr 2027."""
    months = pd.date_range("2023-12-31", "2024-12-31", freq="ME")
    series = pd.DataFrame({"period_end": months, "go_digital": [600 + 10 * i for i in range(13)]})
    p = digital.project_target_date(series)
    assert p.pace_per_month == pytest.approx(10.0)
    assert p.reached_on == pd.Timestamp("2027-04-30")
    assert not p.already_reached


def test_projection_none_when_pace_is_not_positive_and_date_when_already_reached():
    """Flat at 700 for 12 months: pace 0 → no date. 900, 920, …: 900 + 5·20 = 1000 at the 6th month-end (30 Jun) → already reached then."""
    months = pd.date_range("2024-01-31", "2024-12-31", freq="ME")
    flat = pd.Series([700.0] * 12, index=months)
    assert digital.project_target_date(flat).reached_on is None
    rising = pd.Series([900.0 + 20 * i for i in range(12)], index=months)   # 900 + 5·20 = 1000 first at the 6th month, June
    p = digital.project_target_date(rising)
    assert p.already_reached and p.reached_on == pd.Timestamp("2024-06-30")


def test_stuck_in_migration_over_90_days():
    """2 migrating since 1 Apr: 91 days on 1 Jul → stuck; 90 days on 30 Jun → not yet."""
    assert digital.stuck_in_migration(EVENTS, "2024-07-01")["nik"].tolist() == ["2"]
    assert digital.stuck_in_migration(EVENTS, "2024-06-30").empty

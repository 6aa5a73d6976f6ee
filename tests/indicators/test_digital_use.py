"""Digital and active, on paper: three Go Digital cooperatives, their platform submissions and their mentoring
(indicators/digital_use.py, norms/kdmp.toml [digital_active])."""
import pandas as pd

from indicators import digital_use

P = pd.Timestamp("2026-06-30")
STATE = pd.DataFrame({"nik": ["A", "B", "C", "D"], "period_end": P, "go_digital": [True, True, True, False],
                      "registered": True})
SUBMISSIONS = pd.DataFrame({
    "nik": ["A", "A", "A", "B", "B", "C", "C", "C", "D", "D", "D"],
    # A: April, May, June; B: April and June (May missing); C: March, April, May (not June); D: not Go Digital
    "submitted_on": pd.to_datetime(["2026-04-12", "2026-05-15", "2026-06-10", "2026-04-12", "2026-06-09",
                                    "2026-03-10", "2026-04-10", "2026-05-10", "2026-04-01", "2026-05-01",
                                    "2026-06-01"]),
})
REGISTRY = pd.DataFrame({"nik": ["A", "B", "C", "D", "K"], "village_code": [None, None, None, None, "5321012001"]})
MENTORING = pd.DataFrame({
    "nik": ["A", "A", "B", None],
    "village_code": [None, None, None, "5321012001"],
    # A: June 2025 (13 months before P: outside) and January 2026; B: July 2025 (the 12th month back: inside)
    "activity_date": pd.to_datetime(["2025-06-20", "2026-01-15", "2025-07-01", "2026-02-01"]),
    "hours": [8.0, 3.0, 4.0, 2.0],
})


def test_digital_and_active_needs_a_platform_submission_in_each_of_the_last_three_months():
    out = digital_use.annotate(STATE, SUBMISSIONS, MENTORING, REGISTRY).set_index("nik")
    assert out["digital_active"].to_dict() == {"A": True, "B": False, "C": False, "D": False}


def test_mentoring_hours_are_those_of_the_twelve_months_up_to_the_period():
    out = digital_use.annotate(STATE, SUBMISSIONS, MENTORING, REGISTRY).set_index("nik")
    assert out["mentoring_hours"].to_dict() == {"A": 3.0, "B": 4.0, "C": 0.0, "D": 0.0}
    assert out["digital_mentored"].to_dict() == {"A": True, "B": True, "C": False, "D": False}
    assert out["digital_active_mentored"].to_dict() == {"A": True, "B": False, "C": False, "D": False}
    assert out["digital_unmentored"].to_dict() == {"A": False, "B": False, "C": True, "D": False}


def test_a_village_code_counts_for_the_kdmp_that_holds_it_in_the_registry():
    state = pd.DataFrame({"nik": ["K"], "period_end": P, "go_digital": [True], "registered": True})
    out = digital_use.annotate(state, SUBMISSIONS.iloc[:0], MENTORING, REGISTRY)
    assert out["mentoring_hours"].tolist() == [2.0] and not out["digital_active"].iloc[0]

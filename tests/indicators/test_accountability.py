"""RAT compliance and grades, reporting rates, SHU disclosure and audit duty on small hand-made examples."""

import pandas as pd
import pytest

from indicators import accountability

REGISTRY = pd.DataFrame({
    "nik": ["A", "B", "C1", "C2", "D", "Dy", "F"],
    "regency_code": ["5301"] * 7,
    "status": ["active"] * 7,
    "established_year": [2000, 2000, 2023, 2010, 2010, 2024, 2026],
})
RAT = pd.DataFrame({
    "nik": ["A", "A", "A", "B", "B", "B", "C1", "C2", "C2", "D"],
    "fiscal_year": [2022, 2023, 2024, 2022, 2023, 2024, 2024, 2019, 2024, 2020],
    "held_on": ["2023-03-01", "2024-06-30", "2025-07-01", "2023-04-01", None, "2025-05-01", "2025-02-01",
                "2020-03-01", "2025-06-01", "2021-03-01"],
    "reported_on": [None] * 10,
})


def test_rat_grades_a_b_c1_c2_d_as_of_2024():
    """Window 2022–2024. A: 2022, 2023, 2024 → A. B: 2022 and 2024 (the 2023 row was not held) → B.
    C1: founded 2023, one RAT (2024) → C1. C2: founded 2010, RAT 2024 only in the window (2019 ignored) → C2.
    D: last RAT 2020 → D and inactive. Dy: founded 2024, no RAT → D but not inactive (existed 1 year).
    F: founded 2026 → no grade."""
    g = accountability.rat_grades(RAT, REGISTRY, 2024).set_index("nik")
    assert g["grade"].iloc[:6].tolist() == ["A", "B", "C1", "C2", "D", "D"]
    assert pd.isna(g.loc["F", "grade"])
    assert g["rats_in_window"].tolist() == [3, 2, 1, 1, 0, 0, 0]
    assert g["inactive"].tolist() == [False, False, False, False, True, False, False]
    assert g.loc["D", "last_rat_year"] == 2020
    assert g.loc["D", "years_without_rat"] == 4          # 2021, 2022, 2023, 2024
    assert g.loc["Dy", "years_without_rat"] == 1


def test_unknown_founding_year_counts_as_old():
    """One RAT in the window and no established_year → C2, not C1."""
    reg = pd.DataFrame({"nik": ["X"], "regency_code": ["5301"], "status": ["active"], "established_year": [None]})
    rat = pd.DataFrame({"nik": ["X"], "fiscal_year": [2023], "held_on": ["2024-03-01"]})
    assert accountability.rat_grades(rat, reg, 2024)["grade"].tolist() == ["C2"]


def test_inactive_list():
    """Of the fixture only D (founded 2010, last RAT 2020: 2022–2024 without RAT) is inactive as of 2024."""
    assert accountability.inactive_cooperatives(RAT, REGISTRY, 2024)["nik"].tolist() == ["D"]


def test_rat_compliance_deadline_is_30_june_of_the_next_year():
    """FY2023 held 30 Jun 2024 → on time; FY2024 held 1 Jul 2025 → 1 day late. With the registry grid,
    cooperatives without a 2024 row appear as not held; F (founded 2026) is not expected."""
    c = accountability.rat_compliance(RAT)
    a = c.loc[c["nik"] == "A"].set_index("fiscal_year")
    assert a.loc[2023, "deadline"] == pd.Timestamp("2024-06-30")
    assert bool(a.loc[2023, "held_on_time"]) and a.loc[2023, "days_late"] == 0
    assert not a.loc[2024, "held_on_time"] and a.loc[2024, "days_late"] == 1
    grid = accountability.rat_compliance(RAT, REGISTRY, [2024]).set_index("nik")
    assert list(grid.index) == ["A", "B", "C1", "C2", "D", "Dy"]
    assert grid["held"].tolist() == [True, True, True, True, False, False]
    assert grid["held_on_time"].tolist() == [False, True, True, True, False, False]


def test_rat_deadline_is_configurable():
    """Deadline 3 months → 31 March: A's FY2022 RAT on 1 Mar 2023 is on time, B's on 1 Apr 2023 is not."""
    norms = accountability.load_norms()
    norms["rat"]["deadline_months_after_year_end"] = 3            # 31 March
    c = accountability.rat_compliance(RAT, norms=norms).set_index(["nik", "fiscal_year"])
    assert c.loc[("A", 2022), "deadline"] == pd.Timestamp("2023-03-31")
    assert bool(c.loc[("A", 2022), "held_on_time"])
    assert not c.loc[("B", 2022), "held_on_time"]                # 1 April


# Reporting: 5301 has cooperatives 1, 2, 3 active and 4 inactive; 5371 has 6 (active, never reports) and
# 5 (founded 2025: not expected in 2024). Deadline = the 20th of the following month.
REG_REPORTING = pd.DataFrame({
    "nik": ["1", "2", "3", "4", "5", "6"],
    "regency_code": ["5301", "5301", "5301", "5301", "5371", "5371"],
    "status": ["active", "active", "aktif", "inactive", "active", "active"],
    "established_year": [2000, 2000, None, 2000, 2025, None],
})
REPORTS = pd.DataFrame({
    "nik": ["1", "1", "2", "2", "3", "3", "4"],
    "period_end": ["2024-01-31", "2024-02-29", "2024-01-31", "2024-02-29", "2024-02-29", "2024-02-29", "2024-01-31"],
    "submitted_on": ["2024-02-20", "2024-03-25", "2024-02-21", "2024-03-20", "2024-04-01", "2024-03-01", "2024-02-01"],
})
PERIODS = ["2024-01-31", "2024-02-29"]


def test_reporting_and_on_time_rates_per_kabupaten():
    """5301 January: expected 3 (1, 2, 3), received 2 (1 on 20 Feb on time, 2 on 21 Feb late), on time 1
    → 66.67 % and 33.33 %. February: received 3 (1 late on 25 Mar; 2 on 20 Mar; 3's earliest of two rows
    1 Mar) → 100 %, on time 2 → 66.67 %. 5371: expected 1 (6), received 0 → 0 %. The inactive 4 is ignored."""
    m = accountability.reporting_metrics(REG_REPORTING, REPORTS, PERIODS)
    m = m.set_index(["regency_code", m["period_end"].dt.strftime("%Y-%m")])
    assert m.loc[("5301", "2024-01"), ["expected", "received", "received_on_time"]].tolist() == [3, 2, 1]
    assert m.loc[("5301", "2024-01"), "reporting_rate"] == pytest.approx(200 / 3)
    assert m.loc[("5301", "2024-01"), "on_time_rate"] == pytest.approx(100 / 3)
    assert m.loc[("5301", "2024-02"), ["expected", "received", "received_on_time"]].tolist() == [3, 3, 2]
    assert m.loc[("5301", "2024-02"), "on_time_rate"] == pytest.approx(200 / 3)
    assert m.loc[("5371", "2024-02"), ["expected", "received", "reporting_rate"]].tolist() == [1, 0, 0.0]


def test_reporting_deadline_is_configurable():
    """Deadline day 21 → cooperative 2's January report (21 Feb) is on time: 5301 January on time 2/3."""
    norms = accountability.load_norms()
    norms["reporting"]["deadline_day"] = 21
    m = accountability.reporting_metrics(REG_REPORTING, REPORTS, PERIODS, norms)
    assert m["received_on_time"].iloc[0] == 2


def test_late_filers_worst_first():
    """6: 2 missing; 3: 1 missing (January); 1: 1 late (5 days); 2: 1 late (1 day)."""
    lf = accountability.late_filers(REG_REPORTING, REPORTS, PERIODS)
    assert lf["nik"].tolist() == ["6", "3", "1", "2"]
    assert lf.set_index("nik").loc["1", "max_days_late"] == 5
    assert lf.set_index("nik").loc["3", "last_missing_period"] == pd.Timestamp("2024-01-31")


def test_shu_disclosure():
    """X: 40 of 100 to members, published → disclosed, 40 %. Y: SHU to members not reported → not disclosed.
    Z: published unknown → not disclosed."""
    rat = pd.DataFrame({"nik": ["X", "Y", "Z"], "fiscal_year": [2024] * 3, "shu_total": [100.0, 50.0, 10.0],
                        "shu_to_members": [40.0, None, 5.0], "statements_published": [True, True, None]})
    d = accountability.shu_disclosure(rat).set_index("nik")
    assert d.loc["X", "shu_to_members_pct"] == pytest.approx(40.0)
    assert d["disclosed"].tolist() == [True, False, False]
    assert pd.isna(d.loc["Z", "statements_published"])


def test_audit_required_from_rp5_billion_equity_at_year_end():
    """Year-end equity: K1 Rp5.0 bn (required, audited), K2 Rp4.99 bn (not required), K3 Rp6 bn (required,
    not audited → missing), C1 (consumer, Rp9 bn: not required with the savings-and-loan rule). The June
    report of K2 is ignored."""
    reports = pd.DataFrame({
        "nik": ["K1", "K2", "K2", "K3", "C1"],
        "period_end": ["2024-12-31", "2024-12-31", "2024-06-30", "2024-12-31", "2024-12-31"],
        "period_type": ["year", "year", "month", "month", "year"],
        "equity": [5_000_000_000, 4_990_000_000, 9_000_000_000, 6_000_000_000, 9_000_000_000],
    })
    rat = pd.DataFrame({"nik": ["K1", "K3"], "fiscal_year": [2024, 2024], "audited": [True, False]})
    registry = pd.DataFrame({"nik": ["K1", "K2", "K3", "C1"], "type": ["simpan_pinjam"] * 3 + ["konsumen"]})
    a = accountability.audit_status(reports, rat, registry).set_index("nik")
    assert a["audit_required"].to_dict() == {"C1": False, "K1": True, "K2": False, "K3": True}
    assert a["audit_missing"].to_dict() == {"C1": False, "K1": False, "K2": False, "K3": True}


def test_utc_submission_times_are_read_in_wita():
    """Sent 2024-02-20T17:00Z = 21 Feb 01:00 WITA: one day after the 20 February deadline → late."""
    reg = pd.DataFrame({"nik": ["1"], "regency_code": ["5301"], "status": ["active"]})
    rep = pd.DataFrame({"nik": ["1"], "period_end": ["2024-01-31"], "submitted_on": ["2024-02-20T17:00:00Z"]})
    s = accountability.reporting_status(reg, rep, ["2024-01-31"])
    assert s["submitted_on"].iloc[0] == pd.Timestamp("2024-02-21")
    assert s["status"].iloc[0] == "late" and s["days_late"].iloc[0] == 1

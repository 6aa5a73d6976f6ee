"""Every clean row keeps every contract rule; every injected fault breaks exactly the rule it claims."""
from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from ingest.simulator.finance import AMOUNT_COLUMNS, SAVINGS_LOAN_COLUMNS

from .conftest import AS_OF
from .contract_rules import RULE_OF_KIND, balance_warning, broken_rules, violations

SEEN = AS_OF - timedelta(days=1)


def test_every_clean_report_row_keeps_every_rule(province):
    bad = violations(province.reports, set(province.cooperatives["nik"]), SEEN)
    assert not bad.any().any(), bad.sum()[bad.sum() > 0].to_dict()
    assert not balance_warning(province.reports).any()


def test_amounts_are_whole_rupiah_integers(province):
    for col in AMOUNT_COLUMNS:
        assert str(province.reports[col].dtype) == "Int64", col
    assert province.reports["management_score"].dropna().between(0, 15).all()


def test_loan_columns_are_empty_exactly_for_cooperatives_without_savings_and_loans(province):
    coops = province.cooperatives.set_index("nik")
    sl = (coops["type"] == "simpan_pinjam") | coops["savings_loan_unit"]
    has_sl = province.reports["nik"].map(sl).to_numpy()
    for col in SAVINGS_LOAN_COLUMNS:
        present = province.reports[col].notna().to_numpy()
        assert (present == has_sl).all(), col


def test_flows_are_fiscal_year_to_date(province):
    r = province.reports.sort_values(["nik", "period_end"])
    prev = r.groupby("nik").shift(1)
    consecutive = (prev["period_end"] + pd.offsets.MonthEnd(1) == r["period_end"]) & (r["period_end"].dt.month > 1)
    grows = r["revenue"].astype(float) >= prev["revenue"].astype(float)
    assert grows[consecutive].all()
    january = r[r["period_end"].dt.month == 1]
    december = r[r["period_end"].dt.month == 12]
    assert january["revenue"].astype(float).median() < december["revenue"].astype(float).median() / 6


def test_reports_only_while_founded_active_and_submitted_after_the_period(province):
    h = province.history.set_index("nik")
    r = province.reports
    established = r["nik"].map(h["established_on"])
    assert (r["period_end"] >= established.dt.to_period("M").dt.to_timestamp(how="end").dt.normalize()).all()
    dissolved = r["nik"].map(h["dissolved_on"])
    assert not (r["period_end"] >= dissolved).any()
    inactive_from, revived = r["nik"].map(h["inactive_from"]), r["nik"].map(h["reactivated_on"])
    assert not ((r["period_end"] >= inactive_from) & ~(r["period_end"] >= revived)).any()
    assert (r["submitted_on"] > r["period_end"]).all()
    assert (r["submitted_on"] <= pd.Timestamp(SEEN)).all()
    deadline = r["period_end"] + pd.offsets.MonthBegin(1) + pd.Timedelta(days=19)
    assert 0.3 < (r["submitted_on"] <= deadline).mean() < 0.9  # on-time rate: many late filers


def test_rat_rows_follow_the_rules(province):
    m = province.meetings
    fy_end = pd.to_datetime(m["fiscal_year"].astype(str) + "-12-31")
    assert (m["held_on"] > fy_end).all()
    assert (m["reported_on"].dropna() >= m.loc[m["reported_on"].notna(), "held_on"]).all()
    both = (m["shu_total"] > 0) & (m["shu_to_members"] > 0)
    assert (m.loc[both, "shu_to_members"] <= m.loc[both, "shu_total"]).all()
    normal = m[m["fiscal_year"].between(2021, 2024)]
    by_deadline = normal["held_on"] <= pd.to_datetime((normal["fiscal_year"] + 1).astype(str) + "-06-30")
    assert 0.8 < by_deadline.mean() < 0.95  # mostly before 30 June, some late
    lag = (m["reported_on"] - m["held_on"]).dt.days.dropna()
    assert lag.between(7, 45).all()
    pandemic = m[m["fiscal_year"] == 2019]
    assert (pandemic["held_on"] > pd.Timestamp("2020-06-30")).mean() > 0.3


def test_big_cooperatives_are_mostly_audited(province):
    dec = province.truth[province.truth["period_end"].dt.month == 12]
    equity = dec.assign(fiscal_year=dec["period_end"].dt.year)[["nik", "fiscal_year", "equity"]]
    m = province.meetings.merge(equity, on=["nik", "fiscal_year"])
    assert m.loc[m["equity"] >= 5e9, "audited"].mean() > 0.8
    assert m.loc[m["equity"] < 5e9, "audited"].mean() < 0.1


def test_inactive_cooperatives_held_no_rat_in_the_three_years_before(province):
    h = province.history
    inactive = h[(province.cooperatives.set_index("nik").reindex(h["nik"])["status"] == "inactive").to_numpy()]
    first_blocked = inactive.set_index("nik")["inactive_from"].dt.year - 3
    m = province.meetings[province.meetings["nik"].isin(first_blocked.index)]
    assert not (m["fiscal_year"] >= m["nik"].map(first_blocked)).any()
    assert len(inactive) > 300


def test_digital_migration_only_after_a_rat_in_the_last_two_years(province):
    d = province.digital
    migrating = d[d["stage"] == "migrating"][["nik", "stage_date"]]
    rat = province.meetings[["nik", "held_on"]]
    pairs = migrating.merge(rat, on="nik", how="left")
    ok = (pairs["held_on"] <= pairs["stage_date"]) & (pairs["held_on"] >= pairs["stage_date"] - pd.Timedelta(days=730))
    assert ok.groupby([pairs["nik"], pairs["stage_date"]]).any().all()


def test_digital_stages_are_ordered_and_some_are_stuck(province):
    d = province.digital
    rank = d["stage"].map({"identified": 0, "migrating": 1, "live": 2, "transacting": 3})
    ordered = d.assign(rank=rank).groupby("nik").apply(lambda g: g.sort_values("stage_date")["rank"].is_monotonic_increasing)
    assert ordered.all()
    assert (d["stage_date"] <= pd.Timestamp(SEEN)).all()
    current = d.assign(rank=rank).sort_values(["nik", "stage_date", "rank"]).groupby("nik").last()
    stuck = current[(current["stage"] == "migrating") & (current["stage_date"] < pd.Timestamp(AS_OF) - pd.Timedelta(days=90))]
    assert len(stuck) >= 10
    assert set(d["platform"]) == {"KEREN", "SIKOPDIT", "lainnya"}
    kopdit = set(province.cooperatives.loc[province.cooperatives["group"] == "Kopdit", "nik"])
    assert (d.loc[d["platform"] == "SIKOPDIT", "nik"].isin(kopdit)).all()
    live = d[d["stage"].isin(["live", "transacting"])]
    assert live["members_on_app"].notna().all() and (live["members_on_app"] >= 0).all()


def test_registry_identity_is_clean(province):
    c = province.cooperatives
    assert c["nik"].is_unique and c["name"].is_unique
    assert c["nik"].str.fullmatch(r"\d{13}").all()
    assert (c["nik"].str[:4] == c["regency_code"]).all()
    assert not c["name"].str.match(r"^[=+\-@\t\r]").any()
    assert c["name"].str.len().between(1, 200).all()
    assert c["regency_code"].isin(province.regencies["code"]).all()
    assert set(c["status"]) == {"active", "inactive", "dissolved"}
    assert c["latitude"].dropna().between(-11.1, -8.0).all() and c["longitude"].dropna().between(118.8, 125.3).all()
    assert (c["established_year"] <= AS_OF.year).all()
    assert (c["legal_entity_date"].dropna() <= pd.Timestamp(SEEN)).all()
    assert set(c["group"]) == {"KSP", "KSPPS", "Kopdit", "KSU", "KUD", "lainnya"}


def test_registry_export_grades_follow_rat_history(province):
    e = province.registry_export
    assert list(e.columns) == ["nik", "name", "certificate_status", "grade", "last_rat_date"]
    assert set(e["grade"]) <= {"A", "B", "C1", "C2", "D"} and {"A", "B", "D"} <= set(e["grade"])
    assert set(e["certificate_status"]) == {"bersertifikat", "belum_bersertifikat"}
    reported = province.meetings[province.meetings["reported_on"].notna() & province.meetings["fiscal_year"].between(2023, 2025)]
    three = reported.groupby("nik")["fiscal_year"].nunique()
    grade = e.set_index("nik")["grade"]
    assert (grade.reindex(three[three == 3].index) == "A").all()
    none = set(e["nik"]) - set(reported["nik"])
    assert (grade.reindex(list(none)) == "D").all()
    last = province.meetings.groupby("nik")["held_on"].max().dt.strftime("%Y-%m-%d")
    assert (e.set_index("nik")["last_rat_date"].replace("", np.nan).dropna() == last.reindex(e["nik"]).dropna().reindex(
        e.set_index("nik")["last_rat_date"].replace("", np.nan).dropna().index)).all()


def test_each_fault_breaks_exactly_the_rule_it_claims(province):
    f = province.faults
    assert set(f["kind"]) == set(RULE_OF_KIND)
    known = set(province.cooperatives["nik"])
    rules = broken_rules(violations(f, known, SEEN))
    for kind, broken in zip(f["kind"], rules):
        assert broken == {RULE_OF_KIND[kind]}, (kind, broken)
    n_rows = len(province.reports) + len(f)
    assert abs(len(f) - 0.005 * n_rows) <= 6


def test_faults_in_the_files_break_exactly_their_rule_and_nothing_else_does(province, written, file_reports):
    manifest, _ = written
    known = set(province.cooperatives["nik"])
    rows = file_reports
    rejected = {f["file"] for f in manifest.rejected_files}
    rows = rows[~rows["file"].isin(rejected)]
    broken = violations(rows, known, SEEN)
    flagged = broken.any(axis=1)
    located = {(f["file"], f["row"]): f for f in manifest.faults}
    keys = list(zip(rows["file"], rows["row"]))
    assert set(k for k, b in zip(keys, flagged) if b) == set(located)
    for key, rules in zip(keys, broken_rules(broken)):
        if key in located:
            fault = located[key]
            assert rules == {RULE_OF_KIND[fault["kind"]]}, (key, fault["kind"], rules)
    assert not balance_warning(rows[~flagged.to_numpy()]).any()


def test_clean_rows_in_the_files_are_exactly_the_provinces_reports(province, written, file_reports):
    manifest, _ = written
    rows = file_reports
    faulty = {(f["file"], f["row"]) for f in manifest.faults}
    is_fault = pd.Series([k in faulty for k in zip(rows["file"], rows["row"])], index=rows.index)
    clean = rows[~is_fault]
    broken = [f for f in manifest.rejected_files]
    # the file with a renamed nik header is read with its wrong name: restore the key to compare contents
    clean = clean.assign(nik=clean["nik"].fillna(clean.get("no_koperasi")))
    no_period = clean["period_end"].isna()
    assert no_period.sum() == sum(f["rows"] for f in broken if f["column"] == "period_end")
    clean = clean[~no_period]
    expected = province.reports
    assert len(clean) + sum(f["rows"] for f in broken if f["column"] == "period_end") == len(expected)
    got = clean.set_index(["nik", "period_end"]).sort_index()
    want = expected.assign(period_end=expected["period_end"].dt.strftime("%Y-%m-%d")).set_index(["nik", "period_end"])
    want = want.drop(index=[i for i in want.index if i not in got.index])
    assert len(want) == len(got)
    for col in ("total_assets", "loans_at_risk", "revenue", "shu_after_tax", "members"):
        a = pd.to_numeric(got[col].replace("", np.nan), errors="coerce").astype(float)
        b = want.loc[got.index, col].astype(float)
        assert np.allclose(a.fillna(-1).to_numpy(), b.fillna(-1).to_numpy()), col
    score_got = pd.to_numeric(got["management_score"].replace("", np.nan), errors="coerce").astype(float)
    assert np.allclose(score_got.fillna(-1), want.loc[got.index, "management_score"].fillna(-1))

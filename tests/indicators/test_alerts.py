"""The alert rules on hand-made stored rows: what each rule raises, the key that makes an event once, and what it
leaves alone."""
from __future__ import annotations

import pandas as pd

from indicators import alerts

P = pd.Timestamp("2026-09-30")


def snap(nik, regency="5371", category=None, status=None, source=None, stage_date=None, stuck=False,
         supervisor="kabupaten"):
    return {"nik": nik, "regency_code": regency, "health_category": category, "report_status": status,
            "source_period": pd.Timestamp(source) if source else None,
            "digital_stage_date": pd.Timestamp(stage_date) if stage_date else None, "stuck_in_migration": stuck,
            "supervisor": supervisor}


def frame(*rows):
    return pd.DataFrame(list(rows))


def test_newly_under_supervision_is_a_change_from_the_period_before():
    now = frame(snap("1", category="dalam_pengawasan"), snap("2", category="dalam_pengawasan_khusus"),
                snap("3", category="dalam_pengawasan"), snap("4", category="sehat"))
    before = pd.DataFrame({"nik": ["1", "2", "3"], "health_category": ["cukup_sehat", None, "dalam_pengawasan"]})
    out = alerts.newly_supervised(now, before, P)
    assert sorted(out["subject"]) == ["1", "2"]  # 3 was already under supervision, 4 is healthy
    one = out.set_index("subject").loc["1"]
    assert one["event_key"] == "period:2026-09" and one["event_date"] == P
    assert one["detail"] == {"category": "dalam_pengawasan", "previous": "cukup_sehat"}
    assert alerts.newly_supervised(now, None, P).empty  # the first period of the data: nothing is "new"


def test_stopped_reporting_counts_the_months_since_the_latest_report_and_keys_on_it():
    now = frame(snap("1", status="missing", source="2026-06-30"),  # Jul, Aug, Sep missing: 3 months
                snap("2", status="missing", source="2026-07-31"),  # only 2 months
                snap("3", status="on_time", source="2026-09-30"),
                snap("4", status="missing", source=None),  # no report within the lookback: old news
                snap("5", status=None, source="2026-01-31"))  # not expected to report (inactive)
    out = alerts.stopped_reporting(now, P)
    assert list(out["subject"]) == ["1"]
    row = out.iloc[0]
    assert row["event_key"] == "after:2026-06" and row["event_date"] == pd.Timestamp("2026-09-30")
    assert row["detail"] == {"last_report": "2026-06-30", "months": 3}
    later = alerts.stopped_reporting(now.assign(source_period=now["source_period"]), pd.Timestamp("2026-10-31"))
    # a month on, the same silence has the same key: the warehouse keeps it once
    assert later.set_index("subject").loc["1", "event_key"] == "after:2026-06"


def test_rat_overdue_only_after_the_deadline_and_only_without_a_rat():
    now = frame(snap("1"), snap("2"), snap("3"))
    rat = pd.DataFrame({"nik": ["1", "2"], "fiscal_year": [2025, 2025], "held": [False, True]})
    out = alerts.rat_overdue(now, rat, P)
    assert list(out["subject"]) == ["1"]  # 2 held its RAT; 3 was not due one
    assert out.iloc[0]["event_key"] == "fy:2025" and out.iloc[0]["event_date"] == pd.Timestamp("2026-06-30")
    assert alerts.rat_overdue(now, rat, pd.Timestamp("2026-05-31")).empty  # before 30 June: not overdue yet
    kdmp = now.assign(programme=["kdmp", None, None])  # a KDMP's first RAT is the KDMP tracker's milestone
    assert alerts.rat_overdue(kdmp, rat, P).empty


def test_stuck_in_migration_is_keyed_on_the_day_migration_began():
    now = frame(snap("1", stuck=True, stage_date="2026-05-01"), snap("2", stuck=False, stage_date="2026-08-01"))
    out = alerts.stuck_migration(now)
    assert list(out["subject"]) == ["1"]
    assert out.iloc[0]["event_key"] == "since:2026-05-01"
    assert out.iloc[0]["event_date"] == pd.Timestamp("2026-07-30")  # + 90 days


def test_a_kdmp_village_stuck_for_each_reason_the_kdmp_page_lists():
    villages = pd.DataFrame({"village_code": ["5371011001", "5371011002", "5301012003"],
                             "regency_code": ["5371", "5371", "5301"], "village_name": ["A", "B", "C"],
                             "stage": ["badan_hukum", "simkopdes", "nib"],
                             "ahu_on": pd.to_datetime(["2025-06-01", "2025-07-01", "2025-07-01"]),
                             "stuck_nib": [True, False, False], "no_land": [True, True, False]})
    out = alerts.kdmp_stuck(villages).sort_values(["subject", "event_key"])
    assert list(zip(out["subject"], out["event_key"])) == [
        ("5371011001", "land:2025-06-01"), ("5371011001", "nib:2025-06-01"), ("5371011002", "land:2025-07-01")]
    assert set(out["subject_kind"]) == {"village"}
    nib = out.loc[out["event_key"] == "nib:2025-06-01"].iloc[0]
    assert nib["event_date"] == pd.Timestamp("2025-08-30") and nib["detail"]["condition"] == "nib"


def test_only_the_regional_population_is_alerted():
    now = frame(snap("1", status="missing", source="2026-05-31"),
                snap("2", status="missing", source="2026-05-31", supervisor="kementerian"),
                snap("3", status="missing", source="2026-05-31", supervisor=None))
    out = alerts.evaluate(now, None, pd.DataFrame(columns=["nik", "fiscal_year", "held"]),
                          pd.DataFrame(columns=["village_code", "regency_code", "village_name", "stage", "ahu_on",
                                                "stuck_nib", "no_land"]),
                          P, {"kabupaten", "provinsi", "belum_diketahui"})
    assert sorted(out["subject"]) == ["1", "3"]  # the ministry's national primary is not the office's to chase

"""KDMP figures on paper: three villages of two kabupaten, their rows over three months, every flag and roll-up
worked out by hand (indicators/kdmp.py, norms/kdmp.toml: stuck before NIB after 90 days, fresh ≤ 30 and stale > 90
days, mentoring over 90 days and 12 months)."""
import numpy as np
import pandas as pd
import pytest

from indicators import kdmp

DATES = ("musdesus_on", "deed_on", "ahu_on", "nib_on", "npwp_on", "bank_account_on", "simkopdes_on", "land_ready_on",
         "handover_on", "first_rat_on")


def row(code, kind, as_of, nik=None, pct=None, outlets=None, scheme="none", plafond=None, disbursed=None,
        members=50, **dates):
    out = {"village_code": code, "village_name": f"Desa {code[-4:]}", "village_type": kind, "nik": nik,
           "as_of": pd.Timestamp(as_of), "construction_pct": pct, "outlets": outlets, "members": members,
           "financing_scheme": scheme, "financing_plafond": plafond, "financing_disbursed": disbursed,
           "business_assistant": "BA-1", "source": "inbox", "ingest_run_id": 1}
    out.update({d: pd.Timestamp(dates[d]) if d in dates else pd.NaT for d in DATES})
    return out


LEGAL = {"musdesus_on": "2025-05-01", "deed_on": "2025-06-01", "ahu_on": "2025-07-01"}
# A (Malaka, desa): legal in July; NIB, NPWP and bank in August; SIMKOPDES in September, no land ever.
# B (Malaka, desa): legal in July, nothing else until its October row: land, construction 30 %, outlets running.
# C (Kota Kupang, kelurahan): one row on 31 August (legal only), never updated after.
ROWS = pd.DataFrame([
    row("5321012001", "desa", "2025-08-01", **LEGAL),
    row("5321012001", "desa", "2025-09-15", nik="5321000000001", **LEGAL, nib_on="2025-08-10",
        npwp_on="2025-08-12", bank_account_on="2025-08-05", simkopdes_on="2025-09-01"),
    row("5321012002", "desa", "2025-08-01", **LEGAL),
    row("5321012002", "desa", "2025-10-20", **LEGAL, land_ready_on="2025-09-20", pct=30, outlets="kantor;sembako",
        scheme="agrinas", plafond=2e9, disbursed=6e8, members=80),
    row("5371011001", "kelurahan", "2025-08-31", **LEGAL),
])
MENTORING = pd.DataFrame({
    "nik": ["5321000000001", None, None],
    "village_code": [None, "5321012002", "5371011001"],
    "activity_date": pd.to_datetime(["2025-10-10", "2025-07-05", "2025-09-01"]),
    "hours": [2.0, 6.0, 3.0],
})


@pytest.fixture(scope="module")
def state():
    return kdmp.village_state(ROWS, MENTORING)


def at(state, code, period):
    s = state.loc[(state["village_code"] == code) & (state["period_end"] == pd.Timestamp(period))]
    assert len(s) == 1
    return s.iloc[0]


def test_the_reference_dates_are_month_ends_and_the_newest_as_of_for_the_last_month():
    refs = kdmp.reference_dates(ROWS)
    assert list(refs["period_end"].dt.strftime("%Y-%m-%d")) == ["2025-08-31", "2025-09-30", "2025-10-31"]
    assert list(refs["reference_date"].dt.strftime("%Y-%m-%d")) == ["2025-08-31", "2025-09-30", "2025-10-20"]


def test_a_village_is_its_latest_row_up_to_the_reference_date(state):
    a_aug, a_sep = at(state, "5321012001", "2025-08-31"), at(state, "5321012001", "2025-09-30")
    assert a_aug["as_of"] == pd.Timestamp("2025-08-01") and not a_aug["kdmp_nib"]  # the August row knew no NIB
    assert a_sep["kdmp_nib"] and a_sep["kdmp_nib_npwp_bank"] and a_sep["kdmp_simkopdes"]
    assert a_sep["days_since_update"] == 15  # 30 Sep − 15 Sep
    # C appears with its first row (31 August): not there before
    assert set(state.loc[state["period_end"] == "2025-08-31", "village_code"]) == {
        "5321012001", "5321012002", "5371011001"}


def test_the_stage_is_the_last_milestone_of_the_unbroken_run_and_time_in_it_counts_from_its_date(state):
    a = at(state, "5321012001", "2025-10-31")
    assert a["stage"] == "simkopdes" and a["stage_since"] == pd.Timestamp("2025-09-01")
    assert a["days_in_stage"] == (pd.Timestamp("2025-10-20") - pd.Timestamp("2025-09-01")).days  # 49
    # B has land, construction and outlets but no NIB: it stands at the legal entity, whatever came later
    b = at(state, "5321012002", "2025-10-31")
    assert b["stage"] == "badan_hukum" and b["days_in_stage"] == (pd.Timestamp("2025-10-20") - pd.Timestamp(
        "2025-07-01")).days
    assert b["kdmp_land"] and b["kdmp_construction"] and b["kdmp_operating"] and not b["kdmp_built"]


def test_stuck_before_the_nib_no_land_and_stale_follow_the_norms(state):
    # B: SK AHU on 1 July and no NIB — 61 days on 31 August, 91 on 30 September (more than 90: stuck)
    assert not at(state, "5321012002", "2025-08-31")["kdmp_stuck_nib"]
    assert at(state, "5321012002", "2025-09-30")["kdmp_stuck_nib"]
    assert not at(state, "5321012002", "2025-10-31")["kdmp_no_land"]  # land ready in September
    a = at(state, "5321012001", "2025-10-31")
    assert not a["kdmp_stuck_nib"] and a["kdmp_no_land"]  # NIB in August, land never
    c = at(state, "5371011001", "2025-10-31")  # one row, 31 August: 50 days old on 20 October
    assert c["days_since_update"] == 50 and not c["kdmp_stale"] and not c["kdmp_fresh"]
    assert at(state, "5321012002", "2025-10-31")["kdmp_fresh"]  # its row is of the reference date


def test_outlets_financing_and_mentoring_of_each_village(state):
    b = at(state, "5321012002", "2025-10-31")
    assert b["kdmp_outlet_kantor"] and b["kdmp_outlet_sembako"] and not b["kdmp_outlet_apotek"]
    assert b["kdmp_financed_agrinas"] and b["financing_plafond"] == 2e9
    # B's six hours in July: mentored on 31 August (57 days), not on 20 October (107 days), hours still in the year
    assert at(state, "5321012002", "2025-08-31")["kdmp_mentored"]
    assert not b["kdmp_mentored"] and b["mentoring_hours"] == 6.0
    # A's visit is named by the NIK its September row carries: counted for the village
    a = at(state, "5321012001", "2025-10-31")
    assert a["mentoring_hours"] == 2.0 and a["kdmp_mentored"] and a["last_mentored_on"] == pd.Timestamp("2025-10-10")
    assert at(state, "5321012001", "2025-09-30")["mentoring_hours"] == 0.0


def test_the_kabupaten_and_province_roll_ups_count_the_villages(state):
    out = kdmp.area_rollups(state, ["5301", "5321", "5371"]).set_index(["regency_code", "period_end"])
    oct_ = pd.Timestamp("2025-10-31")
    malaka, kupang, empty, province = (out.loc[(c, oct_)] for c in ("5321", "5371", "5301", "53"))
    assert malaka["reference_date"] == pd.Timestamp("2025-10-20")
    assert (malaka["kdmp_villages"], malaka["kdmp_desa"], malaka["kdmp_legal"], malaka["kdmp_nib"]) == (2, 2, 2, 1)
    assert (malaka["kdmp_land"], malaka["kdmp_construction"], malaka["kdmp_operating"]) == (1, 1, 1)
    assert (malaka["kdmp_stuck_nib"], malaka["kdmp_no_land"], malaka["kdmp_fresh"], malaka["kdmp_stale"]) == (1, 1, 1, 0)
    assert malaka["pct_kdmp_nib"] == pytest.approx(50.0) and malaka["kdmp_plafond"] == 2e9
    assert malaka["kdmp_members"] == 130 and malaka["kdmp_days_since_update_mean"] == pytest.approx(17.5)
    assert (malaka["kdmp_mentored"], malaka["kdmp_mentoring_hours"]) == (1, 8.0)
    assert (malaka["kdmp_outlet_kantor"], malaka["kdmp_outlet_apotek"], malaka["kdmp_scheme_agrinas"]) == (1, 0, 1)
    assert (kupang["kdmp_villages"], kupang["kdmp_kelurahan"], kupang["kdmp_mentored"]) == (1, 1, 1)
    # a kabupaten without KDMP has a row: counts 0, sums and shares empty
    assert empty["kdmp_villages"] == 0 and np.isnan(empty["kdmp_plafond"]) and np.isnan(empty["pct_kdmp_nib"])
    # the province is computed over its villages (3), not from the kabupaten rows' shares
    assert (province["kdmp_villages"], province["kdmp_desa"], province["kdmp_kelurahan"]) == (3, 2, 1)
    assert province["pct_kdmp_nib"] == pytest.approx(100 / 3) and province["kdmp_mentoring_hours"] == 11.0

"""Who supervises whom (Permenkop 9/2020; OJK for open loop) and the two populations of the roll-ups, on paper:
four cooperatives of one kabupaten — a kabupaten one, a province-wide one, a national primary, an open-loop one —
and a KDMP."""
import pandas as pd
import pytest

from indicators import accountability, cooperative, digital, digital_use, supervision

REGISTRY = pd.DataFrame({
    "nik": ["1", "2", "3", "4", "5", "6"],
    "name": ["KSP Desa", "Kopdit Lintas", "Kopdit Nasional", "KSP Terbuka", "Kopdes Merah Putih", "KSU Lama"],
    "regency_code": ["5307"] * 6,
    "type": ["simpan_pinjam", "simpan_pinjam", "simpan_pinjam", "simpan_pinjam", "konsumen", "konsumen"],
    "group": ["KSP", "Kopdit", "Kopdit", "KSP", "KSU", "KSU"], "savings_loan_unit": None,
    "status": ["active"] * 6, "established_year": [2010, 2000, 1995, 2012, 2025, 2005],
    "legal_entity_number": ["BH-1", "BH-2", "BH-3", "BH-4", "AHU-5", "BH-6"],
    "membership_area": ["kabupaten", "provinsi", "nasional", "kabupaten", "kabupaten", None],
    "open_loop": [False, False, False, True, False, None],
    "programme": [None, None, None, None, "kdmp", None],
    "village_code": [None, None, None, None, "5307012001", None],
})
REPORTS = pd.DataFrame({"nik": ["1", "2", "3", "4", "6"], "period_end": pd.Timestamp("2025-12-31"),
                        "period_type": "month", "submitted_on": pd.Timestamp("2026-01-10"),
                        "members": [10.0, 20.0, 400.0, 30.0, 5.0], "total_assets": [100.0, 200.0, 4000.0, 300.0, 50.0]})
REGENCIES = pd.DataFrame({"code": ["5307"], "pop_2020": [1000]})
EMPTY = pd.DataFrame({"nik": [], "fiscal_year": [], "held_on": [], "reported_on": [], "shu_total": [],
                      "shu_to_members": [], "audited": [], "statements_published": []})
NO_DIGITAL = pd.DataFrame({"nik": pd.Series(dtype=str), "platform": [], "stage": [], "stage_date": pd.Series(
    dtype="datetime64[ns]"), "members_on_app": []})


def test_the_supervisor_follows_the_membership_area_and_open_loop_goes_to_ojk():
    assert list(supervision.supervisors(REGISTRY)) == ["kabupaten", "provinsi", "kementerian", "ojk", "kabupaten",
                                                       "belum_diketahui"]


@pytest.fixture(scope="module")
def rollups():
    state = cooperative.build(REGISTRY, REPORTS, None, EMPTY, NO_DIGITAL)
    frame = supervision.annotate(state.frame, REGISTRY)
    frame = digital_use.annotate(frame, pd.DataFrame({"nik": [], "submitted_on": pd.Series(dtype="datetime64[ns]")}),
                                 pd.DataFrame(), REGISTRY)
    out = supervision.scoped_rollups(frame, REGENCIES, digital.regency_targets(REGISTRY))
    return out.loc[(out["regency_code"] == "53") & (out["type"] == "") & (out["period_end"] == "2025-12-31")
                   ].set_index("scope")


def test_the_default_population_leaves_out_the_ministrys_and_ojks_cooperatives(rollups):
    daerah, semua = rollups.loc["daerah"], rollups.loc["semua"]
    assert (semua["cooperatives"], daerah["cooperatives"]) == (6, 4)  # without the national primary and OJK's
    assert (semua["members"], daerah["members"]) == (465, 35)  # 10 + 20 + 5 (the KDMP sent no report)
    assert (semua["supervised_ministry"], semua["supervised_ojk"]) == (1, 1)
    assert (daerah["supervised_ministry"], daerah["supervised_ojk"]) == (0, 0)
    assert (daerah["supervised_regency"], daerah["supervised_province"], daerah["supervision_unknown"]) == (2, 1, 1)
    assert daerah["kdmp_registered"] == 1


def test_kdmp_are_not_expected_monthly_reports_and_not_in_the_target_shares():
    status = accountability.reporting_status(REGISTRY, REPORTS, [pd.Timestamp("2025-12-31")])
    assert "5" not in set(status["nik"]) and set(status["nik"]) == {"1", "2", "3", "4", "6"}
    more = pd.concat([REGISTRY, REGISTRY.iloc[[4]].assign(nik="7", regency_code="5371")], ignore_index=True)
    targets = digital.regency_targets(more)
    assert targets.to_dict() == {"5307": 1000, "5371": 0}  # Kota Kupang's only active cooperative is a KDMP

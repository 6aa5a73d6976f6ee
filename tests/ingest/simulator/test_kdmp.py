"""The simulated Koperasi Desa/Kelurahan Merah Putih: one per village as Kemendagri counts them, milestones on the
published calibration points, files that keep every rule of the data contract, deterministic for a seed; the four
national primaries and no open-loop cooperative in the registry."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ingest.readers import read_file
from ingest.simulator import kdmp
from ingest.validate import validate

from .conftest import AS_OF, SEED


@pytest.fixture(scope="module")
def world():
    return kdmp.simulate(SEED, AS_OF)


def test_one_kdmp_per_village_3137_desa_and_305_kelurahan_as_kemendagri_counts_them(world):
    v = world.villages
    assert len(v) == 3442 and v["village_code"].is_unique
    assert (v["village_type"] == "desa").sum() == 3137 and (v["village_type"] == "kelurahan").sum() == 305
    counts = v.groupby(["regency_code", "village_type"]).size().unstack(fill_value=0)
    for code, (_kecamatan, desa, kelurahan) in kdmp.VILLAGES.items():
        assert (counts.loc[code].get("desa", 0), counts.loc[code].get("kelurahan", 0)) == (desa, kelurahan), code
    assert counts.loc["5321"].sum() == 127 and counts.loc["5315"].sum() == 169  # Malaka, Manggarai Barat
    codes = v["village_code"]
    assert codes.str.fullmatch(r"\d{10}").all() and (codes.str[:4] == v["regency_code"]).all()
    assert ((codes.str[6] == "2") == (v["village_type"] == "desa")).all()


def test_every_kdmp_had_its_deed_and_sk_ahu_by_1_august_2025_in_order(world):
    first = world.rows.loc[world.rows["as_of"] == pd.Timestamp("2025-08-01")]
    assert len(first) == 3442 and first["ahu_on"].notna().all()
    assert (first["ahu_on"] <= pd.Timestamp("2025-07-31")).all()
    assert (first["musdesus_on"] <= first["deed_on"]).all() and (first["deed_on"] <= first["ahu_on"]).all()


@pytest.mark.parametrize("code,day,column,expected", [
    ("5321", "2025-08-22", "nib_on", 59), ("5321", "2025-08-22", "npwp_on", 66),
    ("5321", "2025-11-13", "simkopdes_on", 85), ("5321", "2025-11-13", "no_land", 33),
    ("5315", "2026-01-24", "building", 26), ("5315", "2026-01-24", "no_land", 22),
    ("5307", "2025-12-15", "no_land", 80), ("5318", "2025-08-31", "outlets", 20),
])
def test_the_kabupaten_sweeps_on_the_published_dates_show_the_published_counts(world, code, day, column, expected):
    rows = world.rows.loc[(world.rows["village_code"].str[:4] == code) & (world.rows["as_of"] == pd.Timestamp(day))]
    assert len(rows) == len(world.villages.loc[world.villages["regency_code"] == code])
    if column == "no_land":
        value = rows["land_ready_on"].isna().sum()
    elif column == "building":
        value = (rows["construction_pct"].fillna(0) > 0).sum()
    else:
        value = rows[column].notna().sum()
    assert value == expected


def test_progress_after_legal_entity_is_slow_and_uneven_as_reported(world):
    latest = world.rows.sort_values("as_of").groupby("village_code").tail(1)
    assert 0.85 < latest["nib_on"].notna().mean() < 0.99
    assert latest["outlets"].notna().mean() < 0.3  # few outlets operating
    building = latest["construction_pct"].fillna(0) > 0
    started = latest.loc[building, "as_of"]
    assert building.mean() > 0.3 and (started >= pd.Timestamp("2025-11-15")).all()  # Agrinas waves from late 2025
    # registration high, updating low: most villages' latest row is weeks old
    assert (pd.Timestamp(AS_OF) - latest["as_of"]).dt.days.median() > 20


def test_the_written_files_keep_every_rule_of_the_data_contract(world, tmp_path):
    from ingest.simulator import generate

    province = generate(seed=SEED, as_of=AS_OF, fault_rate=0.0)
    files = kdmp.write(world, province.mentoring, tmp_path)
    known = set(province.cooperatives["nik"]) | set(world.registry["nik"])
    villages = set(world.villages["village_code"])
    for rel in files:
        if not rel.endswith(".csv"):
            continue
        for table in read_file(tmp_path / rel):
            checked = validate(table, known_niks=known, today=AS_OF, known_villages=villages)
            assert checked.rejected == [], (rel, checked.rejected[:2])
            assert len(checked.good) == files[rel]
    assert files["inbox/kdmp_ntt.csv"] + files["platform/kdmp.json"] == len(world.rows)


def test_the_same_seed_gives_the_same_kdmp_and_a_later_date_only_reveals_more():
    early, late = kdmp.simulate(7, date(2026, 1, 15)), kdmp.simulate(7, date(2026, 6, 15))
    pd.testing.assert_frame_equal(early.villages, late.villages)
    before = late.rows.loc[late.rows["as_of"] < pd.Timestamp("2026-01-15")].reset_index(drop=True)
    pd.testing.assert_frame_equal(early.rows.drop(columns="nik"), before.drop(columns="nik"))
    again = kdmp.simulate(7, date(2026, 1, 15))
    pd.testing.assert_frame_equal(early.rows, again.rows)
    assert set(early.meetings["nik"]) <= set(late.meetings["nik"])


def test_the_registry_has_the_four_national_primaries_and_no_open_loop_cooperative(province):
    coops = province.cooperatives
    national = coops.loc[coops["membership_area"] == "nasional"]
    assert set(national["name"]) == {"KSP Kopdit Pintu Air", "Kopdit Swastisari", "Koperasi TLM Indonesia",
                                     "Koperasi Nasari"}
    assert national.set_index("name").loc["KSP Kopdit Pintu Air", "regency_code"] == "5307"
    assert not coops["open_loop"].any()
    assert (coops["membership_area"] == "provinsi").sum() == 40 and coops["membership_area"].isna().sum() > 0


def test_mentored_digital_cooperatives_keep_sending_through_the_platform(province):
    live = set(province.platform_niks)
    mentored = set(province.mentoring.loc[province.mentoring["activity_date"] >= "2025-06-01", "nik"]) & live
    reports = province.reports.loc[province.reports["nik"].isin(live) & (province.reports["period_end"] >= "2025-07-31")
                                   & (province.reports["period_end"] <= "2026-05-31")]
    per = reports.groupby("nik").size().reindex(sorted(live), fill_value=0)
    assert per[per.index.isin(mentored)].mean() > per[~per.index.isin(mentored)].mean() + 1


def test_the_national_benchmark_simulates_the_national_count_with_ntt_as_counted():
    import numpy as np

    from ingest.simulator.regencies import national_units

    units = national_units(np.random.default_rng(0))
    counts = kdmp.national_villages(units)
    assert set(counts) == set(units["code"])
    assert sum(d + k for _, d, k in counts.values()) == kdmp.NATIONAL_KDMP == 82_780
    assert all(counts[code] == kdmp.VILLAGES[code] for code in kdmp.VILLAGES)
    others = [v for code, v in counts.items() if code not in kdmp.VILLAGES]
    assert all(1 <= kec <= 99 and d > 0 for kec, d, _ in others)
    kelurahan = sum(k for _, _, k in others) / sum(d + k for _, d, k in others)
    assert 0.09 < kelurahan < 0.11
    small = {code: counts[code] for code in list(counts)[:3] + ["1101"]}  # a few units through the simulation
    world = kdmp.simulate(SEED, AS_OF, small)
    codes = world.villages["village_code"]
    assert len(codes) == sum(d + k for _, d, k in small.values()) and codes.is_unique
    assert codes.str.fullmatch(r"\d{10}").all() and (codes.str[:4] == world.villages["regency_code"]).all()


def test_every_kabupaten_office_sends_all_its_villages_again_at_least_once_after_the_first_upload(world):
    rows = world.rows.assign(regency_code=world.rows["village_code"].str[:4])
    later = rows.loc[rows["as_of"] > pd.Timestamp("2025-08-01")]
    per_day = later.groupby(["regency_code", "as_of"])["village_code"].nunique()
    size = world.villages.groupby("regency_code").size()
    swept = {code for (code, _day), n in per_day.items() if n == size[code]}
    # one to three sweeps each, drawn up to November 2026 (some fall after AS_OF); the calibration's four always
    assert len(swept) >= 15 and set(kdmp.CALIBRATION) <= swept, sorted(swept)

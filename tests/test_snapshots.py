"""Materialised snapshots (issue 5): peer percentiles, RAT grades, digital stage and reporting status written by the
refresh agree with the indicators computed independently and with the kabupaten roll-ups."""
import json

import pandas as pd
from sqlalchemy import text

from warehouse.db import engine_for
from warehouse.snapshots import ratios, snapshot_periods


def read(url, sql):
    with engine_for(url).connect() as conn:
        return pd.read_sql(text(sql), conn)


def test_snapshot_periods_are_the_last_twelve_months_and_every_december():
    periods = pd.date_range("2019-01-31", "2026-10-31", freq="ME")
    chosen = snapshot_periods(periods)
    assert chosen[-12:] == list(pd.date_range("2025-11-30", "2026-10-31", freq="ME"))
    assert [p for p in chosen if p < pd.Timestamp("2025-11-30")] == list(
        pd.date_range("2019-12-31", "2024-12-31", freq="YE"))


def test_ratios_annualise_year_to_date_shu_and_compare_with_a_year_earlier():
    reports = pd.DataFrame({
        "nik": ["1", "1"], "period_end": pd.to_datetime(["2025-03-31", "2026-03-31"]),
        "total_assets": [1000.0, 1200.0], "members": [100.0, 90.0], "equity": [300.0, 0.0],
        "loans_at_risk": [10.0, 5.0], "loans_outstanding": [500.0, 0.0], "shu_before_tax": [6.0, 9.0],
        "current_assets": [400.0, 400.0], "current_liabilities": [200.0, 0.0],
    })
    out = ratios(reports).set_index("period_end")
    march = out.loc["2026-03-31"]
    # SHU of three months 9 → 36 a year on assets 1,200 = 3 %; assets +20 %, members −10 %.
    assert march["roa"] == 3.0 and march["asset_growth"] == 20.0 and march["member_growth"] == -10.0
    # Zero denominators give no ratio (not 0, not infinity); equity 0 on assets 1,200 is a real 0 %.
    assert pd.isna(march["npl_ratio"]) and pd.isna(march["current_ratio"]) and march["equity_ratio"] == 0.0
    assert out.loc["2025-03-31", "npl_ratio"] == 2.0 and pd.isna(out.loc["2025-03-31", "asset_growth"])


def test_peer_percentiles_are_the_share_of_the_group_below(province_url):
    snap = read(province_url, "SELECT nik, period_end, peer_group, health_total, pct_health_total, npl_ratio, "
                              "pct_npl_ratio FROM cooperative_snapshots")
    assert len(snap) and snap["pct_health_total"].notna().sum() > 20
    latest = snap.loc[snap["period_end"] == snap["period_end"].max()]
    for group, rows in latest.dropna(subset=["health_total", "peer_group"]).groupby("peer_group"):
        values = rows["health_total"].to_numpy()
        for value, pct in zip(values, rows["pct_health_total"]):
            expected = (values < value).sum() / len(values) * 100 if len(values) >= 2 else None
            assert expected is None and pd.isna(pct) or abs(pct - expected) < 1e-9, group
    stats = read(province_url, "SELECT * FROM peer_stats WHERE indicator = 'npl_ratio' ORDER BY n DESC")
    assert (stats["n"] > 0).all()
    one = stats.iloc[0]
    group = snap.loc[(snap["peer_group"] == one["peer_group"])
                     & (pd.to_datetime(snap["period_end"]) == pd.Timestamp(one["period_end"]))]["npl_ratio"].dropna()
    assert one["n"] == len(group) and abs(one["median"] - group.median()) < 1e-9


def test_snapshots_agree_with_the_kabupaten_roll_ups(province_url):
    latest = read(province_url, "SELECT MAX(period_end) AS p FROM cooperative_snapshots")["p"][0]
    snap = read(province_url, f"SELECT regency_code, go_digital, report_status FROM cooperative_snapshots "
                              f"WHERE period_end = '{latest}'")
    roll = read(province_url, f"SELECT regency_code, indicator, value FROM regency_indicators "
                              f"WHERE period_end = '{latest}' AND indicator IN ('go_digital', 'received', 'expected')")
    roll = roll.pivot(index="regency_code", columns="indicator", values="value")
    by_snapshot = snap.groupby("regency_code").agg(go=("go_digital", "sum"),
                                                   received=("report_status", lambda s: s.isin(["on_time", "late"]).sum()),
                                                   expected=("report_status", lambda s: s.notna().sum()))
    for code, row in by_snapshot.iterrows():
        assert row["go"] == roll.loc[code, "go_digital"]
        assert row["received"] == roll.loc[code, "received"] and row["expected"] == roll.loc[code, "expected"]


def test_rat_grades_digital_projection_and_targets_are_materialised(province_url):
    rat = read(province_url, "SELECT fiscal_year, grade, held, held_on_time FROM rat_status")
    assert set(rat["grade"].dropna()) <= {"A", "B", "C1", "C2", "D"} and rat["grade"].notna().any()
    # Before the RAT data covers a whole three-year window a grade would only mean "no data": left empty.
    first = int(rat["fiscal_year"].min())
    assert rat.loc[rat["fiscal_year"] < first + 2, "grade"].isna().all()
    assert not (rat["held_on_time"].astype(bool) & ~rat["held"].astype(bool)).any()
    meta = read(province_url, "SELECT value FROM meta WHERE key = 'digital_projection'")
    projection = json.loads(meta["value"][0])
    assert projection["target"] == 1000 and projection["current"] >= 0
    targets = read(province_url, "SELECT regency_code, value FROM regency_indicators WHERE indicator = 'digital_target' "
                                 "AND period_end = (SELECT MAX(period_end) FROM regency_indicators)")
    # The small province has cooperatives in three kabupaten only: they share the whole target.
    assert set(targets["regency_code"]) == {"5303", "5310", "5371"} and targets["value"].sum() == 1000

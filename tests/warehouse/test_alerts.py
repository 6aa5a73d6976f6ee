"""Alerts raised by the refresh on the small province (SQLite and PostgreSQL): every stored alert agrees with the
stored rows it came from, evaluating again raises nothing new, a new event is raised once, and a delivery claim is
taken by one sender only."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import select, update

from tests.conftest import build_province, throwaway_pg_database
from warehouse import alerts, db
from warehouse.db import engine_for
from warehouse.models import Alert, CooperativeSnapshot, KdmpVillage, RatStatus


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory, pg_database):
    """A private copy of the small province (these tests write alerts)."""
    if request.param == "sqlite":
        base = tmp_path_factory.mktemp("alerts-sqlite")
        yield engine_for(build_province(f"sqlite:///{base / 'province.db'}", base / "files"))
        return
    with throwaway_pg_database("pantau_alerts") as (_name, url, _admin):
        yield engine_for(build_province(url, tmp_path_factory.mktemp("alerts-pg") / "files"))
        engine_for(url).dispose()
        engine_for.cache_clear()


def test_every_rule_raised_agrees_with_the_stored_rows(engine):
    frame = alerts.listing(engine)
    assert set(frame["rule"]) == set(alerts.RULES)  # the small province raises every rule
    with engine.connect() as conn:
        period = conn.execute(select(CooperativeSnapshot.period_end).order_by(CooperativeSnapshot.period_end.desc())
                              .limit(1)).scalar()
        snap = pd.DataFrame(conn.execute(select(CooperativeSnapshot.nik, CooperativeSnapshot.report_status,
                                                CooperativeSnapshot.source_period,
                                                CooperativeSnapshot.stuck_in_migration)
                                         .where(CooperativeSnapshot.period_end == period)).all(),
                            columns=["nik", "report_status", "source_period", "stuck"]).set_index("nik")
        unheld = set(conn.execute(select(RatStatus.nik).where(RatStatus.fiscal_year == pd.Timestamp(period).year - 1,
                                                              ~RatStatus.held)).scalars())
        stuck_villages = set(conn.execute(select(KdmpVillage.village_code).where(
            KdmpVillage.stuck_nib | KdmpVillage.no_land)).scalars())
    for row in frame.itertuples():
        if row.rule == "stopped_reporting":
            stored = snap.loc[row.subject]
            assert stored.report_status == "missing"
            assert row.detail["last_report"] == f"{pd.Timestamp(stored.source_period):%Y-%m-%d}"
            assert row.detail["months"] >= 3
        elif row.rule == "rat_overdue":
            assert row.subject in unheld and row.event_key == f"fy:{pd.Timestamp(period).year - 1}"
        elif row.rule == "stuck_migration":
            assert bool(snap.loc[row.subject].stuck)
        elif row.rule == "kdmp_stuck":
            assert row.subject_kind == "village" and row.subject in stuck_villages
            assert row.regency_code == row.subject[:4]


def test_evaluating_again_raises_nothing_and_a_new_event_once(engine):
    before = len(alerts.listing(engine))
    with engine.begin() as conn:
        assert alerts.evaluate(conn, db.data_version(conn)) == 0
    # a cooperative newly stuck in migration: one new alert, and only once
    with engine.connect() as conn:
        period = conn.execute(select(CooperativeSnapshot.period_end).order_by(CooperativeSnapshot.period_end.desc())
                              .limit(1)).scalar()
        nik = conn.execute(select(CooperativeSnapshot.nik).where(
            CooperativeSnapshot.period_end == period, CooperativeSnapshot.regency_code == "5371",
            CooperativeSnapshot.supervisor == "kabupaten", ~CooperativeSnapshot.stuck_in_migration)
            .order_by(CooperativeSnapshot.nik).limit(1)).scalar()
    with engine.begin() as conn:
        conn.execute(update(CooperativeSnapshot).where(CooperativeSnapshot.nik == nik,
                                                       CooperativeSnapshot.period_end == period)
                     .values(stuck_in_migration=True, digital_stage="migrating",
                             digital_stage_date=pd.Timestamp("2026-03-02").date()))
        assert alerts.evaluate(conn, db.data_version(conn)) == 1
        assert alerts.evaluate(conn, db.data_version(conn)) == 0
    new = alerts.listing(engine, "5371", rule="stuck_migration")
    row = new.loc[new["subject"] == nik].iloc[0]
    assert row["event_key"] == "since:2026-03-02" and str(row["event_date"])[:10] == "2026-05-31"
    assert len(alerts.listing(engine)) == before + 1
    with engine.connect() as conn:
        detail = conn.execute(select(Alert.detail).where(Alert.subject == nik, Alert.rule == "stuck_migration")).scalar()
    assert json.loads(detail) == {"days": 90, "since": "2026-03-02"}


def test_a_delivery_is_claimed_once(engine):
    from tests.support.auth import CHEAP
    from warehouse import users

    users.HASHER, saved = CHEAP, users.HASHER
    try:
        if users.get_user(engine, username="claim.test") is None:
            users.add_user(engine, "claim.test", "kopdit-sehat-2026", "official", "5371", email="c@example.org")
    finally:
        users.HASHER = saved
    user = users.get_user(engine, username="claim.test")
    pending = alerts.pending(engine, user.id, "5371", ())
    ids = [int(i) for i in pending["id"]]
    assert ids and alerts.claim(engine, user.id, ids)
    assert not alerts.claim(engine, user.id, ids[:1])  # a second sender finds it taken
    assert alerts.pending(engine, user.id, "5371", ()).empty
    alerts.release(engine, user.id, ids)
    assert len(alerts.pending(engine, user.id, "5371", ())) == len(ids)

"""Reads for one cooperative's profile: registry facts, scores, snapshots with their peer statistics, RAT and digital
history, and every report revision with the ingest run it came from (the lineage). One cached read per NIK."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from warehouse.models import (
    AnnualMeeting,
    Cooperative,
    CooperativeSnapshot,
    DigitalStatus,
    FinancialReport,
    IngestRun,
    PeerStat,
    RatStatus,
    Regency,
    Score,
)
from warehouse.queries import cached, read_frame

# Report amounts the history grid shows (the lineage grid stays narrow; the export page has every column).
REPORT_AMOUNTS = ("members", "total_assets", "equity", "loans_outstanding", "loans_at_risk", "revenue",
                  "shu_after_tax")


@dataclass(frozen=True)
class Profile:
    registry: dict  # the cooperatives row plus regency_name
    scores: pd.DataFrame  # period_end, framework, total, category, coverage, components (JSON text or None)
    snapshots: pd.DataFrame  # every snapshot period of this cooperative, oldest first
    peer_stats: pd.DataFrame  # peer_stats of the latest snapshot's period and peer group
    rat: pd.DataFrame  # rat_status rows, newest fiscal year first
    meetings: pd.DataFrame  # current annual_meetings rows (when rat_status is not materialised yet)
    digital: pd.DataFrame  # digital_status rows, by date
    reports: pd.DataFrame  # every revision of every report, with the ingest run's target and times


def valid_nik(nik) -> bool:
    """A NIK is digits only (at most the column's 20); anything else is not looked up."""
    return isinstance(nik, str) and nik.isdigit() and 0 < len(nik) <= 20


@cached
def profile(engine: Engine, nik: str) -> Profile | None:
    """Everything the profile page shows about one cooperative, or None when the NIK is not in the registry."""
    if not valid_nik(nik):
        return None
    registry = read_frame(
        engine,
        select(Cooperative, Regency.name.label("regency_name"))
        .join(Regency, Regency.code == Cooperative.regency_code, isouter=True)
        .where(Cooperative.nik == nik),
    )
    if registry.empty:
        return None
    scores = read_frame(
        engine,
        select(Score.period_end, Score.framework, Score.total, Score.category, Score.coverage, Score.components)
        .where(Score.nik == nik).order_by(Score.period_end, Score.framework),
    )
    snapshots = read_frame(
        engine, select(CooperativeSnapshot).where(CooperativeSnapshot.nik == nik)
        .order_by(CooperativeSnapshot.period_end),
    )
    peer_stats = pd.DataFrame(columns=["indicator", "n", "median", "p25", "p75"])
    if not snapshots.empty and pd.notna(snapshots["peer_group"].iloc[-1]):
        last = snapshots.iloc[-1]
        peer_stats = read_frame(
            engine,
            select(PeerStat.indicator, PeerStat.n, PeerStat.median, PeerStat.p25, PeerStat.p75)
            .where(PeerStat.period_end == last["period_end"], PeerStat.peer_group == last["peer_group"]),
        )
    rat = read_frame(engine, select(RatStatus).where(RatStatus.nik == nik).order_by(RatStatus.fiscal_year.desc()))
    meetings = read_frame(
        engine,
        select(AnnualMeeting.fiscal_year, AnnualMeeting.held_on, AnnualMeeting.reported_on, AnnualMeeting.shu_total,
               AnnualMeeting.shu_to_members, AnnualMeeting.audited, AnnualMeeting.statements_published)
        .where(AnnualMeeting.nik == nik, AnnualMeeting.is_current.is_(True))
        .order_by(AnnualMeeting.fiscal_year.desc()),
    )
    digital = read_frame(
        engine,
        select(DigitalStatus.stage, DigitalStatus.stage_date, DigitalStatus.platform, DigitalStatus.members_on_app,
               DigitalStatus.revision, DigitalStatus.is_current, DigitalStatus.source, DigitalStatus.ingest_run_id)
        .where(DigitalStatus.nik == nik).order_by(DigitalStatus.stage_date, DigitalStatus.revision),
    )
    report = FinancialReport.__table__
    reports = read_frame(
        engine,
        select(report.c.id, report.c.period_end, report.c.period_type, report.c.revision, report.c.is_current,
               *(report.c[c] for c in REPORT_AMOUNTS), report.c.source, report.c.ingest_run_id, report.c.source_row,
               report.c.submitted_on, report.c.received_at, IngestRun.target.label("run_target"),
               IngestRun.started_at.label("run_started_at"))
        .join(IngestRun, IngestRun.id == report.c.ingest_run_id, isouter=True)
        .where(report.c.nik == nik)
        .order_by(report.c.period_end.desc(), report.c.revision.desc()),
    )
    for col in ("received_at", "run_started_at"):
        reports[col] = pd.to_datetime(reports[col], utc=True)
    return Profile(registry=registry.iloc[0].to_dict(), scores=scores, snapshots=snapshots, peer_stats=peer_stats,
                   rat=rat, meetings=meetings, digital=digital, reports=reports)

"""The SQL of each dataset: one SQLAlchemy select per export, its filters applied, in a fixed row order (the same
order on SQLite and PostgreSQL, so pages of the JSON answer chain and files compare byte for byte)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import and_, exists, func, literal, null, select, union_all

from indicators import vocabulary
from warehouse.export.catalogue import (
    DIGITAL_FIELDS,
    INDICATOR_FIELDS,
    KDMP_FIELDS,
    KDMP_INDICATOR_FIELDS,
    KDMP_VILLAGE_FIELDS,
    PENDAMPINGAN_FIELDS,
    PROVINCE_NAME,
    RAT_FIELDS,
    REGISTRY_FIELDS,
    REJECTION_FIELDS,
    REPORT_FIELDS,
    SCORE_FIELDS,
    SNAPSHOT_FIELDS,
)
from warehouse.export.params import Selection
from warehouse.models import (
    AnnualMeeting,
    Cooperative,
    CooperativeSnapshot,
    DigitalStatus,
    FinancialReport,
    KdmpIndicator,
    KdmpProgress,
    KdmpVillage,
    Mentoring,
    RatStatus,
    Regency,
    RegencyIndicator,
    Rejection,
    Score,
)

WITA = vocabulary.WITA


def _coop_filter(stmt, selection: Selection, nik_column, join: bool = True):
    """Join the registry and filter by kabupaten and type when asked."""
    if selection.regency is None and selection.type is None:
        return stmt
    coop = Cooperative.__table__
    if join:
        stmt = stmt.join(coop, coop.c.nik == nik_column)
    if selection.regency:
        stmt = stmt.where(coop.c.regency_code == selection.regency)
    if selection.type:
        stmt = stmt.where(coop.c.type == selection.type)
    return stmt


def _period_filter(stmt, selection: Selection, column):
    if selection.period_from is not None:
        stmt = stmt.where(column >= selection.period_from)
    if selection.period_to is not None:
        stmt = stmt.where(column <= selection.period_to)
    return stmt


def _event_filter(stmt, selection: Selection, column):
    """Dates within the months: from the first day of `period_from`'s month to `period_to` inclusive."""
    if selection.period_from is not None:
        stmt = stmt.where(column >= selection.period_from.replace(day=1))
    if selection.period_to is not None:
        stmt = stmt.where(column <= selection.period_to)
    return stmt


def _registry(s: Selection):
    coop, reg = Cooperative.__table__, Regency.__table__
    cols = [coop.c[f.name] if f.name != "regency_name" else reg.c.name.label("regency_name") for f in REGISTRY_FIELDS]
    stmt = select(*cols).join(reg, reg.c.code == coop.c.regency_code)
    stmt = _coop_filter(stmt, s, coop.c.nik, join=False)
    return stmt.order_by(coop.c.nik)


def _reports(s: Selection):
    rep = FinancialReport.__table__
    stmt = select(*(rep.c[f.name] for f in REPORT_FIELDS)).where(rep.c.is_current.is_(True))
    stmt = _period_filter(_coop_filter(stmt, s, rep.c.nik), s, rep.c.period_end)
    return stmt.order_by(rep.c.period_end, rep.c.nik, rep.c.period_type)


def _scores(s: Selection):
    sc = Score.__table__
    stmt = select(*(sc.c[f.name] for f in SCORE_FIELDS))
    stmt = _period_filter(_coop_filter(stmt, s, sc.c.nik), s, sc.c.period_end)
    if s.framework:
        stmt = stmt.where(sc.c.framework == s.framework)
    return stmt.order_by(sc.c.period_end, sc.c.nik, sc.c.framework)


def _snapshots(s: Selection):
    sn = CooperativeSnapshot.__table__
    stmt = select(*(sn.c[f.name] for f in SNAPSHOT_FIELDS))
    if s.regency:
        stmt = stmt.where(sn.c.regency_code == s.regency)
    if s.type:
        stmt = stmt.where(sn.c.type == s.type)
    if s.population == "daerah":  # the cooperatives the "daerah" roll-ups count (the pages' default)
        stmt = stmt.where(sn.c.supervisor.is_(None) | sn.c.supervisor.not_in(_NON_REGIONAL))
    stmt = _period_filter(stmt, s, sn.c.period_end)
    return stmt.order_by(sn.c.period_end, sn.c.nik)


def _rat(s: Selection):
    m, st = AnnualMeeting.__table__, RatStatus.__table__
    status_cols = ("held", "held_on_time", "days_late", "grade", "years_without_rat", "inactive", "shu_disclosed",
                   "audit_required", "audit_missing")
    met = (select(m.c.nik, m.c.fiscal_year, m.c.held_on, m.c.reported_on, m.c.shu_total, m.c.shu_to_members,
                  m.c.audited, m.c.statements_published, *(st.c[c] for c in status_cols), m.c.source,
                  m.c.ingest_run_id)
           .select_from(m.outerjoin(st, and_(st.c.nik == m.c.nik, st.c.fiscal_year == m.c.fiscal_year)))
           .where(m.c.is_current.is_(True)))
    # Years the assessment lists without any reported RAT (not held, not reported): they matter most.
    m2 = AnnualMeeting.__table__.alias("m2")
    unmet = (select(st.c.nik, st.c.fiscal_year, st.c.held_on, null().label("reported_on"), st.c.shu_total,
                    st.c.shu_to_members, st.c.audited, st.c.statements_published, *(st.c[c] for c in status_cols),
                    literal("assessment").label("source"), null().label("ingest_run_id"))
             .where(~exists(select(m2.c.id).where(m2.c.nik == st.c.nik, m2.c.fiscal_year == st.c.fiscal_year,
                                                  m2.c.is_current.is_(True)))))
    u = union_all(met, unmet).subquery("rat")
    stmt = select(*(u.c[f.name] for f in RAT_FIELDS))
    stmt = _coop_filter(stmt, s, u.c.nik)
    if s.year is not None:
        stmt = stmt.where(u.c.fiscal_year == s.year)
    return stmt.order_by(u.c.fiscal_year, u.c.nik)


def _digital(s: Selection):
    d = DigitalStatus.__table__
    stmt = select(*(d.c[f.name] for f in DIGITAL_FIELDS)).where(d.c.is_current.is_(True))
    stmt = _event_filter(_coop_filter(stmt, s, d.c.nik), s, d.c.stage_date)
    return stmt.order_by(d.c.stage_date, d.c.nik, d.c.id)


def _rejections(s: Selection):
    r = Rejection.__table__
    stmt = select(*(r.c[f.name] for f in REJECTION_FIELDS))
    stmt = _coop_filter(stmt, s, r.c.nik)
    # Months in WITA: the rejection time's local month.
    if s.period_from is not None:
        stmt = stmt.where(r.c.created_at >= _wita_start(s.period_from.replace(day=1)))
    if s.period_to is not None:
        stmt = stmt.where(r.c.created_at < _wita_start(s.period_to + timedelta(days=1)))
    return stmt.order_by(r.c.id)


def _wita_start(day: date) -> datetime:
    """Midnight WITA of `day`, as naive UTC on SQLite's terms and aware UTC elsewhere (both compare right)."""
    return datetime(day.year, day.month, day.day, tzinfo=WITA).astimezone(timezone.utc)


def _regency_indicators(s: Selection):
    ri, reg = RegencyIndicator.__table__, Regency.__table__
    name = func.coalesce(reg.c.name, literal(PROVINCE_NAME)).label("regency_name")
    cols = [name if f.name == "regency_name" else ri.c[f.name] for f in INDICATOR_FIELDS]
    stmt = select(*cols).select_from(ri.outerjoin(reg, reg.c.code == ri.c.regency_code))
    stmt = stmt.where(ri.c.type == (s.type or vocabulary.ALL_TYPES), ri.c.scope == s.population)
    if s.regency:
        stmt = stmt.where(ri.c.regency_code == s.regency)
    stmt = _period_filter(stmt, s, ri.c.period_end)
    return stmt.order_by(ri.c.period_end, ri.c.regency_code)


def _in_regency(code_column, regency: str):
    """A village code of the kabupaten (its first four digits)."""
    return code_column.like(f"{regency}%")


def _kdmp(s: Selection):
    k = KdmpProgress.__table__
    stmt = select(*(k.c[f.name] for f in KDMP_FIELDS)).where(k.c.is_current.is_(True))
    if s.regency:
        stmt = stmt.where(_in_regency(k.c.village_code, s.regency))
    stmt = _event_filter(stmt, s, k.c.as_of)
    return stmt.order_by(k.c.as_of, k.c.village_code, k.c.id)


def _pendampingan(s: Selection):
    m, coop = Mentoring.__table__, Cooperative.__table__
    stmt = select(*(m.c[f.name] for f in PENDAMPINGAN_FIELDS)).where(m.c.is_current.is_(True))
    if s.regency:
        of_regency = select(coop.c.nik).where(coop.c.regency_code == s.regency)
        stmt = stmt.where(_in_regency(m.c.village_code, s.regency) | m.c.nik.in_(of_regency))
    stmt = _event_filter(stmt, s, m.c.activity_date)
    return stmt.order_by(m.c.activity_date, m.c.subject, m.c.id)


def _kdmp_indicators(s: Selection):
    ki, reg = KdmpIndicator.__table__, Regency.__table__
    name = func.coalesce(reg.c.name, literal(PROVINCE_NAME)).label("regency_name")
    cols = [name if f.name == "regency_name" else ki.c[f.name] for f in KDMP_INDICATOR_FIELDS]
    stmt = select(*cols).select_from(ki.outerjoin(reg, reg.c.code == ki.c.regency_code))
    if s.regency:
        stmt = stmt.where(ki.c.regency_code == s.regency)
    stmt = _period_filter(stmt, s, ki.c.period_end)
    return stmt.order_by(ki.c.period_end, ki.c.regency_code)


def _kdmp_villages(s: Selection):
    kv = KdmpVillage.__table__
    stmt = select(*(kv.c[f.name] for f in KDMP_VILLAGE_FIELDS))
    if s.regency:
        stmt = stmt.where(kv.c.regency_code == s.regency)
    stmt = _period_filter(stmt, s, kv.c.period_end)
    return stmt.order_by(kv.c.period_end, kv.c.village_code)


_NON_REGIONAL = tuple(x for x in vocabulary.SUPERVISORS if x not in vocabulary.REGIONAL_SUPERVISORS)

STATEMENTS = {"registry": _registry, "reports": _reports, "scores": _scores, "snapshots": _snapshots, "rat": _rat,
              "digital": _digital, "rejections": _rejections, "regency_indicators": _regency_indicators,
              "kdmp": _kdmp, "pendampingan": _pendampingan, "kdmp_indicators": _kdmp_indicators,
              "kdmp_villages": _kdmp_villages}

"""The warehouse schema: SQLAlchemy 2 typed models for every table the pages, ingest and scoring use.

Longer than the house's ~400 lines on purpose: the whole schema reads top to bottom in one file, the one Alembic's
`db check` compares the migrations with; splitting it would scatter the foreign keys over several files."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from indicators import registry as _registry
from indicators import vocabulary

# Rupiah: exact NUMERIC on PostgreSQL; SQLite has no decimal type and keeps it as REAL.
# Read back as float (asdecimal=False) because pandas works on float64; display rounds.
Money = Numeric(20, 2, asdecimal=False)


class Base(DeclarativeBase):
    pass


class Regency(Base):
    """One of the 22 kabupaten/kota of NTT (reference data, seeded by the first migration)."""

    __tablename__ = "regencies"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)  # Kemendagri
    bps_code: Mapped[str] = mapped_column(String(4), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    short_name: Mapped[str] = mapped_column(String(60), unique=True)
    type: Mapped[str] = mapped_column(String(10))
    capital: Mapped[str] = mapped_column(String(60))
    pop_2020: Mapped[int] = mapped_column(Integer)
    area_km2: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    label_lat: Mapped[float] = mapped_column(Float)
    label_lon: Mapped[float] = mapped_column(Float)


class IngestRun(Base):
    """One run of one source over one file or API pull, with its counts and outcome."""

    __tablename__ = "ingest_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))  # inbox, platform, registry, ...
    target: Mapped[str] = mapped_column(String(400))  # file name or endpoint
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(12))  # running, success, rejected, failed
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_loaded: Mapped[int] = mapped_column(Integer, default=0)
    rows_revised: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    data_version: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(60))  # who sent it (browser uploads); None: a machine source

    __table_args__ = (Index("ix_ingest_runs_source_started", "source", "started_at"),)


class Cooperative(Base):
    """The registry: one row per cooperative, current state (the registry export adds NIK status)."""

    __tablename__ = "cooperatives"
    nik: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    regency_code: Mapped[str] = mapped_column(ForeignKey("regencies.code"))
    district: Mapped[str | None] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(20))
    group: Mapped[str | None] = mapped_column(String(20))
    savings_loan_unit: Mapped[bool | None] = mapped_column(Boolean)
    legal_entity_number: Mapped[str | None] = mapped_column(String(80))
    legal_entity_date: Mapped[date | None] = mapped_column(Date)
    established_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    open_loop: Mapped[bool | None] = mapped_column(Boolean)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    membership_area: Mapped[str | None] = mapped_column(String(12))  # kabupaten, provinsi, nasional (supervisor)
    programme: Mapped[str | None] = mapped_column(String(12))  # kdmp: Koperasi Desa/Kelurahan Merah Putih
    village_code: Mapped[str | None] = mapped_column(String(10))  # a KDMP's desa/kelurahan (Kemendagri)
    # Whom the kabupaten office calls about a missing report (optional; personal data: not in the bulk exports).
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    contact_email: Mapped[str | None] = mapped_column(String(120))
    # From the national registry export.
    certificate_status: Mapped[str | None] = mapped_column(String(30))
    registry_grade: Mapped[str | None] = mapped_column(String(2))
    last_rat_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(40))
    ingest_run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id"))
    row_hash: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        Index("ix_cooperatives_regency_type", "regency_code", "type"),
        Index("ix_cooperatives_status", "status"),
    )


REPORT_AMOUNTS = tuple(vocabulary.REPORT_AMOUNTS)  # the report's Rupiah columns, in contract order


class FinancialReport(Base):
    """One revision of one cooperative's report for one period. The newest revision is current."""

    __tablename__ = "financial_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nik: Mapped[str] = mapped_column(ForeignKey("cooperatives.nik"))
    period_end: Mapped[date] = mapped_column(Date)
    period_type: Mapped[str] = mapped_column(String(8))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(40))
    ingest_run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id"))
    source_row: Mapped[int | None] = mapped_column(Integer)  # 1-based data row in the file or page item
    submitted_on: Mapped[date | None] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    row_hash: Mapped[int] = mapped_column(BigInteger)
    members: Mapped[int | None] = mapped_column(Integer)
    management_score: Mapped[float | None] = mapped_column(Float)
    total_assets: Mapped[float | None] = mapped_column(Money)
    current_assets: Mapped[float | None] = mapped_column(Money)
    cash_and_bank: Mapped[float | None] = mapped_column(Money)
    total_liabilities: Mapped[float | None] = mapped_column(Money)
    current_liabilities: Mapped[float | None] = mapped_column(Money)
    equity: Mapped[float | None] = mapped_column(Money)
    share_capital_principal: Mapped[float | None] = mapped_column(Money)
    share_capital_mandatory: Mapped[float | None] = mapped_column(Money)
    reserves: Mapped[float | None] = mapped_column(Money)
    voluntary_savings: Mapped[float | None] = mapped_column(Money)
    time_deposits: Mapped[float | None] = mapped_column(Money)
    funds_received: Mapped[float | None] = mapped_column(Money)
    loans_outstanding: Mapped[float | None] = mapped_column(Money)
    loans_to_members: Mapped[float | None] = mapped_column(Money)
    loans_at_risk: Mapped[float | None] = mapped_column(Money)
    loans_substandard: Mapped[float | None] = mapped_column(Money)
    loans_doubtful: Mapped[float | None] = mapped_column(Money)
    loans_loss: Mapped[float | None] = mapped_column(Money)
    loan_loss_reserve: Mapped[float | None] = mapped_column(Money)
    weighted_capital: Mapped[float | None] = mapped_column(Money)
    risk_weighted_assets: Mapped[float | None] = mapped_column(Money)
    gross_participation: Mapped[float | None] = mapped_column(Money)
    net_participation: Mapped[float | None] = mapped_column(Money)
    revenue: Mapped[float | None] = mapped_column(Money)
    non_member_revenue: Mapped[float | None] = mapped_column(Money)
    operating_expenses: Mapped[float | None] = mapped_column(Money)
    member_operating_expenses: Mapped[float | None] = mapped_column(Money)
    cooperative_expenses: Mapped[float | None] = mapped_column(Money)
    staff_costs: Mapped[float | None] = mapped_column(Money)
    shu_gross: Mapped[float | None] = mapped_column(Money)
    shu_before_tax: Mapped[float | None] = mapped_column(Money)
    shu_after_tax: Mapped[float | None] = mapped_column(Money)
    shu_member_share: Mapped[float | None] = mapped_column(Money)
    member_economic_benefit: Mapped[float | None] = mapped_column(Money)

    __table_args__ = (
        # The unique key also serves look-ups by cooperative and period (its leading columns); few indexes keep
        # bulk loads fast.
        UniqueConstraint("nik", "period_end", "period_type", "revision", name="uq_reports_revision"),
        Index("ix_reports_current_period", "is_current", "period_end"),
        # which rows a run loaded: the incremental refresh picks up what an interrupted one left (runs are
        # appended in order, so the index grows at its end and costs the bulk load little)
        Index("ix_reports_run", "ingest_run_id"),
        # ANALYZE after a big load gathers statistics only for the columns the warehouse filters, joins or groups
        # on (its keys and indexes, and the platform-submission filter on source); the 30-odd figure columns are
        # read whole, never selected on, and their statistics cost 0.5 s of every 258 k-row load
        # (warehouse.db.analyze_if_grown).
        {"info": {"statistics": ("id", "nik", "period_end", "period_type", "revision", "is_current",
                                 "ingest_run_id", "source")}},
    )



class AnnualMeeting(Base):
    """RAT (rapat anggota tahunan) of one cooperative for one fiscal year, with revisions."""

    __tablename__ = "annual_meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nik: Mapped[str] = mapped_column(ForeignKey("cooperatives.nik"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    held_on: Mapped[date | None] = mapped_column(Date)
    reported_on: Mapped[date | None] = mapped_column(Date)
    shu_total: Mapped[float | None] = mapped_column(Money)
    shu_to_members: Mapped[float | None] = mapped_column(Money)
    audited: Mapped[bool | None] = mapped_column(Boolean)
    statements_published: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(40))
    ingest_run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id"))
    source_row: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    row_hash: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        UniqueConstraint("nik", "fiscal_year", "revision", name="uq_meetings_revision"),
        Index("ix_meetings_current_year", "is_current", "fiscal_year"),
    )


class DigitalStatus(Base):
    """One stage change of a cooperative's digital adoption (identified → migrating → live → transacting)."""

    __tablename__ = "digital_status"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nik: Mapped[str] = mapped_column(ForeignKey("cooperatives.nik"))
    stage: Mapped[str] = mapped_column(String(12))
    stage_date: Mapped[date] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    platform: Mapped[str] = mapped_column(String(40))
    members_on_app: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(40))
    ingest_run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id"))
    source_row: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    row_hash: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        UniqueConstraint("nik", "stage", "stage_date", "revision", name="uq_digital_revision"),
        Index("ix_digital_current_date", "is_current", "stage_date"),
    )


class KdmpProgress(Base):
    """One revision of one village's Koperasi Desa/Kelurahan Merah Putih as of one date (a later as_of is a new
    state; the history stays). The newest revision of each (village, as_of) is current."""

    __tablename__ = "kdmp_progress"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(10))
    as_of: Mapped[date] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    village_name: Mapped[str] = mapped_column(String(120))
    village_type: Mapped[str] = mapped_column(String(10))
    nik: Mapped[str | None] = mapped_column(String(20))
    musdesus_on: Mapped[date | None] = mapped_column(Date)
    deed_on: Mapped[date | None] = mapped_column(Date)
    ahu_on: Mapped[date | None] = mapped_column(Date)
    nib_on: Mapped[date | None] = mapped_column(Date)
    npwp_on: Mapped[date | None] = mapped_column(Date)
    bank_account_on: Mapped[date | None] = mapped_column(Date)
    simkopdes_on: Mapped[date | None] = mapped_column(Date)
    land_ready_on: Mapped[date | None] = mapped_column(Date)
    handover_on: Mapped[date | None] = mapped_column(Date)
    first_rat_on: Mapped[date | None] = mapped_column(Date)
    ahu_number: Mapped[str | None] = mapped_column(String(80))
    construction_pct: Mapped[float | None] = mapped_column(Float)
    outlets: Mapped[str | None] = mapped_column(String(120))  # ';'-separated outlet types
    members: Mapped[int | None] = mapped_column(Integer)
    financing_scheme: Mapped[str | None] = mapped_column(String(10))
    financing_plafond: Mapped[float | None] = mapped_column(Money)
    financing_disbursed: Mapped[float | None] = mapped_column(Money)
    business_assistant: Mapped[str | None] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(40))
    ingest_run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id"))
    source_row: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    row_hash: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        UniqueConstraint("village_code", "as_of", "revision", name="uq_kdmp_revision"),
        Index("ix_kdmp_current_as_of", "is_current", "as_of"),
    )


class Mentoring(Base):
    """One mentoring or training activity with one cooperative (by NIK) or KDMP (by village code), with revisions.
    `subject` is the NIK, else the village code: the key of the activity together with date, kind, mentor and
    topic (an empty topic is stored as '')."""

    __tablename__ = "mentoring"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    nik: Mapped[str | None] = mapped_column(String(20))
    village_code: Mapped[str | None] = mapped_column(String(10))
    activity_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))
    topic: Mapped[str] = mapped_column(String(200))
    mentor: Mapped[str] = mapped_column(String(120))
    hours: Mapped[float] = mapped_column(Float)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(40))
    ingest_run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id"))
    source_row: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    row_hash: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        UniqueConstraint("subject", "activity_date", "kind", "mentor", "topic", "revision", name="uq_mentoring_revision"),
        Index("ix_mentoring_current_date", "is_current", "activity_date"),
    )


class Rejection(Base):
    """A row (or a whole file) that broke the data contract, with every reason and the raw input."""

    __tablename__ = "rejections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ingest_run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id"))
    dataset: Mapped[str] = mapped_column(String(20))
    source_file: Mapped[str] = mapped_column(String(400))
    row_number: Mapped[int | None] = mapped_column(Integer)  # 1-based data row; None = the whole file
    nik: Mapped[str | None] = mapped_column(String(40))
    reasons: Mapped[str] = mapped_column(Text)  # JSON list of {column, value, rule}
    raw: Mapped[str | None] = mapped_column(Text)  # JSON of the row as received
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_rejections_run", "ingest_run_id"), Index("ix_rejections_created", "created_at"))


class Score(Base):
    """A materialised score of one cooperative for one period under one framework."""

    __tablename__ = "scores"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nik: Mapped[str] = mapped_column(ForeignKey("cooperatives.nik"))
    period_end: Mapped[date] = mapped_column(Date)
    framework: Mapped[str] = mapped_column(String(12))  # ksp2016, ksp2021, pearls, finance
    total: Mapped[float | None] = mapped_column(Float)
    category: Mapped[str | None] = mapped_column(String(30))
    coverage: Mapped[float | None] = mapped_column(Float)
    unscored: Mapped[str | None] = mapped_column(Text)
    components: Mapped[str | None] = mapped_column(Text)  # JSON: aspect points and ratios
    data_version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("nik", "period_end", "framework", name="uq_scores"),
        Index("ix_scores_period_framework", "period_end", "framework"),
    )


def _area_column(unit: str):
    """The column type of an area figure by its registry unit: a date, a yes/no, or a number."""
    if unit == "date":
        return mapped_column(Date, nullable=True)
    if unit == "flag":
        return mapped_column(Boolean, nullable=True)
    return mapped_column(Float, nullable=True)


# The kabupaten/kota and province roll-ups, one row per area × month-end × cooperative type ("" = all types) and
# one column per area figure of indicators/registry.toml (in its order): the map, rankings, overview, targets and
# reporting pages read these rows as they are. A figure added to the registry needs a migration adding its column
# (`python app.py db check` and the tests say so).
RegencyIndicator = type("RegencyIndicator", (Base,), {
    "__doc__": "Roll-ups of one kabupaten/kota (or the province, regency_code '53') for one month-end and one "
               "cooperative type ('' = all types): every area figure of the indicator registry.",
    "__tablename__": "regency_indicators",
    "__annotations__": {"id": Mapped[int], "regency_code": Mapped[str], "period_end": Mapped[date],
                        "type": Mapped[str], "scope": Mapped[str], "data_version": Mapped[int]},
    "id": mapped_column(Integer, primary_key=True),
    "regency_code": mapped_column(String(4)),  # Kemendagri code, or "53" for the province
    "period_end": mapped_column(Date),
    "type": mapped_column(String(20)),  # a cooperative type, or "" for all types
    # the population: "daerah" (supervised by the province and the kabupaten/kota offices) or "semua" (every one)
    "scope": mapped_column(String(10)),
    **{ind.id: _area_column(ind.unit) for ind in _registry.load().level("area")},
    "data_version": mapped_column(Integer),
    "__table_args__": (
        UniqueConstraint("regency_code", "period_end", "type", "scope", name="uq_regency_indicators"),
        Index("ix_regency_indicators_period", "period_end", "type", "scope"),
    ),
})

# The Koperasi Desa/Kelurahan Merah Putih roll-ups: one row per kabupaten/kota (and the province, "53") × month-end,
# one column per KDMP area figure of the registry (level "kdmp_area"). `reference_date` is the day the figures
# describe: the month-end, or for the running month the newest as_of loaded.
KdmpIndicator = type("KdmpIndicator", (Base,), {
    "__doc__": "KDMP roll-ups of one kabupaten/kota (or the province, '53') at one month-end: every KDMP area figure "
               "of the indicator registry.",
    "__tablename__": "kdmp_indicators",
    "__annotations__": {"id": Mapped[int], "regency_code": Mapped[str], "period_end": Mapped[date],
                        "reference_date": Mapped[date], "data_version": Mapped[int]},
    "id": mapped_column(Integer, primary_key=True),
    "regency_code": mapped_column(String(4)),
    "period_end": mapped_column(Date),
    "reference_date": mapped_column(Date),
    **{ind.id: _area_column(ind.unit) for ind in _registry.load().level("kdmp_area")},
    "data_version": mapped_column(Integer),
    "__table_args__": (
        UniqueConstraint("regency_code", "period_end", name="uq_kdmp_indicators"),
        Index("ix_kdmp_indicators_period", "period_end"),
    ),
})


class KdmpVillage(Base):
    """One village's KDMP at one period of the KDMP roll-ups: its latest row up to the reference date, the furthest
    milestone, how long it has been there, how fresh the row is, the stuck flags and the mentoring it had. The KDMP
    page lists these rows; the refresh writes them (indicators/kdmp.py)."""

    __tablename__ = "kdmp_villages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_end: Mapped[date] = mapped_column(Date)
    reference_date: Mapped[date] = mapped_column(Date)
    village_code: Mapped[str] = mapped_column(String(10))
    regency_code: Mapped[str] = mapped_column(String(4))
    village_name: Mapped[str] = mapped_column(String(120))
    village_type: Mapped[str] = mapped_column(String(10))
    nik: Mapped[str | None] = mapped_column(String(20))
    as_of: Mapped[date] = mapped_column(Date)
    stage: Mapped[str | None] = mapped_column(String(20))
    stage_since: Mapped[date | None] = mapped_column(Date)
    days_in_stage: Mapped[float | None] = mapped_column(Float)
    days_since_update: Mapped[float | None] = mapped_column(Float)
    stuck_nib: Mapped[bool] = mapped_column(Boolean)
    no_land: Mapped[bool] = mapped_column(Boolean)
    stale: Mapped[bool] = mapped_column(Boolean)
    musdesus_on: Mapped[date | None] = mapped_column(Date)
    deed_on: Mapped[date | None] = mapped_column(Date)
    ahu_on: Mapped[date | None] = mapped_column(Date)
    nib_on: Mapped[date | None] = mapped_column(Date)
    npwp_on: Mapped[date | None] = mapped_column(Date)
    bank_account_on: Mapped[date | None] = mapped_column(Date)
    simkopdes_on: Mapped[date | None] = mapped_column(Date)
    land_ready_on: Mapped[date | None] = mapped_column(Date)
    handover_on: Mapped[date | None] = mapped_column(Date)
    first_rat_on: Mapped[date | None] = mapped_column(Date)
    construction_pct: Mapped[float | None] = mapped_column(Float)
    outlets: Mapped[str | None] = mapped_column(String(120))
    members: Mapped[float | None] = mapped_column(Float)
    financing_scheme: Mapped[str | None] = mapped_column(String(10))
    financing_plafond: Mapped[float | None] = mapped_column(Float)
    financing_disbursed: Mapped[float | None] = mapped_column(Float)
    business_assistant: Mapped[str | None] = mapped_column(String(120))
    mentoring_hours: Mapped[float | None] = mapped_column(Float)  # the last 12 months
    last_mentored_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(40))
    ingest_run_id: Mapped[int | None] = mapped_column(Integer)
    data_version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("village_code", "period_end", name="uq_kdmp_villages"),
        Index("ix_kdmp_villages_period", "period_end", "regency_code"),
    )


class AreaPart(Base):
    """The additive parts of every area figure (counts, sums, pooled numerators and denominators) that one
    kabupaten/kota's cooperatives contribute, per month-end × cooperative type, as one Parquet table per
    kabupaten (exact float64, columns named after indicators/rollup.py's parts). Every roll-up row follows from
    these alone, so an incremental refresh recomputes the parts of the kabupaten an ingest touched and re-adds
    the others' instead of rebuilding the whole province's state."""

    __tablename__ = "area_parts"
    regency_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    parts: Mapped[bytes] = mapped_column(LargeBinary)
    data_version: Mapped[int] = mapped_column(Integer)


class SourceState(Base):
    """Per-source watermark (API `updated_since`) and the lock that keeps two runs of one source apart."""

    __tablename__ = "source_state"
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    watermark: Mapped[str | None] = mapped_column(String(40))
    locked_by: Mapped[str | None] = mapped_column(String(80))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Written by the scheduler: the source's cron line (WITA) and when its next run after the last success is due,
    # so the Pelaporan page can tell a late source without reading the ingest side's configuration.
    schedule: Mapped[str | None] = mapped_column(String(60))
    due_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Meta(Base):
    """Key/value facts about the warehouse: data_version (the cache key), demo flag, source label."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# Peer-ranked indicators of the cooperative snapshot: (column, higher_is_better). A percentile is the share of
# the peer group with a lower value (NCUA style), whatever the direction; the pages say which way is better.
PEER_INDICATORS = (
    ("health_total", True),
    ("equity_ratio", True),
    ("npl_ratio", False),
    ("roa", True),
    ("current_ratio", True),
    ("asset_growth", True),
    ("member_growth", True),
)


class CooperativeSnapshot(Base):
    """One cooperative at one snapshot period (the latest 12 month-ends and every December): its health, key
    ratios with their percentile in the peer group, RAT grade, digital stage and reporting status. The rankings,
    profiles, alerts and exports read this; the score refresh writes it."""

    __tablename__ = "cooperative_snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nik: Mapped[str] = mapped_column(ForeignKey("cooperatives.nik"))
    period_end: Mapped[date] = mapped_column(Date)
    regency_code: Mapped[str] = mapped_column(String(4))
    type: Mapped[str | None] = mapped_column(String(30))
    peer_group: Mapped[str | None] = mapped_column(String(40))
    monitored: Mapped[bool | None] = mapped_column(Boolean)  # latest report within the 12-month lookback
    source_period: Mapped[date | None] = mapped_column(Date)  # the period of that latest report
    reported: Mapped[bool] = mapped_column(Boolean)  # a report for this very period exists
    health_framework: Mapped[str | None] = mapped_column(String(12))  # ksp2016 or finance
    health_total: Mapped[float | None] = mapped_column(Float)
    health_category: Mapped[str | None] = mapped_column(String(30))
    health_category_prev: Mapped[str | None] = mapped_column(String(30))  # twelve months earlier
    total_assets: Mapped[float | None] = mapped_column(Float)
    members: Mapped[float | None] = mapped_column(Float)
    equity_ratio: Mapped[float | None] = mapped_column(Float)  # equity / total assets, %
    # the key ratios follow indicators/registry.toml (formula, unit, direction)
    npl_ratio: Mapped[float | None] = mapped_column(Float)
    roa: Mapped[float | None] = mapped_column(Float)
    current_ratio: Mapped[float | None] = mapped_column(Float)  # current assets / current liabilities, %
    asset_growth: Mapped[float | None] = mapped_column(Float)  # year on year, %
    member_growth: Mapped[float | None] = mapped_column(Float)  # year on year, %
    pct_health_total: Mapped[float | None] = mapped_column(Float)
    pct_equity_ratio: Mapped[float | None] = mapped_column(Float)
    pct_npl_ratio: Mapped[float | None] = mapped_column(Float)
    pct_roa: Mapped[float | None] = mapped_column(Float)
    pct_current_ratio: Mapped[float | None] = mapped_column(Float)
    pct_asset_growth: Mapped[float | None] = mapped_column(Float)
    pct_member_growth: Mapped[float | None] = mapped_column(Float)
    rat_fiscal_year: Mapped[int | None] = mapped_column(Integer)  # last closed fiscal year at this period
    rat_held_on_time: Mapped[bool | None] = mapped_column(Boolean)
    rat_grade: Mapped[str | None] = mapped_column(String(3))
    years_without_rat: Mapped[float | None] = mapped_column(Float)
    inactive: Mapped[bool | None] = mapped_column(Boolean)
    digital_stage: Mapped[str | None] = mapped_column(String(20))
    digital_stage_date: Mapped[date | None] = mapped_column(Date)
    digital_days_in_stage: Mapped[float | None] = mapped_column(Float)
    go_digital: Mapped[bool] = mapped_column(Boolean)
    stuck_in_migration: Mapped[bool] = mapped_column(Boolean)
    report_status: Mapped[str | None] = mapped_column(String(10))  # on_time | late | missing (None: not expected)
    supervisor: Mapped[str | None] = mapped_column(String(16))  # kabupaten, provinsi, kementerian, ojk, belum_diketahui
    programme: Mapped[str | None] = mapped_column(String(12))  # kdmp or None
    digital_active: Mapped[bool | None] = mapped_column(Boolean)  # Go Digital and sent through the platform 3 months
    mentoring_hours: Mapped[float | None] = mapped_column(Float)  # mentoring and training hours, last 12 months
    data_version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("nik", "period_end", name="uq_cooperative_snapshots"),
        Index("ix_cooperative_snapshots_period", "period_end", "regency_code"),
    )


class PeerStat(Base):
    """Peer median and interquartile range of one indicator in one peer group and snapshot period."""

    __tablename__ = "peer_stats"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_end: Mapped[date] = mapped_column(Date)
    peer_group: Mapped[str] = mapped_column(String(40))
    indicator: Mapped[str] = mapped_column(String(30))
    n: Mapped[int] = mapped_column(Integer)
    median: Mapped[float | None] = mapped_column(Float)
    p25: Mapped[float | None] = mapped_column(Float)
    p75: Mapped[float | None] = mapped_column(Float)
    data_version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("period_end", "peer_group", "indicator", name="uq_peer_stats"),)


class RatStatus(Base):
    """Accountability of one cooperative for one fiscal year: RAT on time, registry-style grade, SHU disclosure,
    audit duty."""

    __tablename__ = "rat_status"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nik: Mapped[str] = mapped_column(ForeignKey("cooperatives.nik"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date | None] = mapped_column(Date)
    held: Mapped[bool] = mapped_column(Boolean)
    held_on_time: Mapped[bool] = mapped_column(Boolean)
    days_late: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(3))
    years_without_rat: Mapped[float | None] = mapped_column(Float)
    inactive: Mapped[bool | None] = mapped_column(Boolean)
    shu_total: Mapped[float | None] = mapped_column(Float)
    shu_to_members: Mapped[float | None] = mapped_column(Float)
    shu_disclosed: Mapped[bool | None] = mapped_column(Boolean)
    statements_published: Mapped[bool | None] = mapped_column(Boolean)
    audit_required: Mapped[bool | None] = mapped_column(Boolean)
    audited: Mapped[bool | None] = mapped_column(Boolean)
    audit_missing: Mapped[bool | None] = mapped_column(Boolean)
    data_version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("nik", "fiscal_year", name="uq_rat_status"),)


class ReportingStatus(Base):
    """Whether each expected monthly report arrived, and when, for the latest 24 periods (late-filer lists)."""

    __tablename__ = "reporting_status"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nik: Mapped[str] = mapped_column(ForeignKey("cooperatives.nik"))
    regency_code: Mapped[str] = mapped_column(String(4))
    period_end: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # on_time | late | missing
    days_late: Mapped[float | None] = mapped_column(Float)
    data_version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("nik", "period_end", name="uq_reporting_status"),
        Index("ix_reporting_status_period", "period_end", "regency_code"),
    )


# ------------------------------------------------------------------------------------ users, API tokens, audit log
class User(Base):
    """A person who logs in. role: official (reads everything), analyst (+ bulk export and API tokens), admin
    (+ users and ingest). regency_code set = a kabupaten officer who sees only that kabupaten's cooperatives."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12))
    regency_code: Mapped[str | None] = mapped_column(ForeignKey("regencies.code"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email: Mapped[str | None] = mapped_column(String(254))  # where the daily digest of alerts goes
    digest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())  # False: unsubscribed
    muted_rules: Mapped[str | None] = mapped_column(String(200))  # alert rules switched off, comma-separated
    language: Mapped[str | None] = mapped_column(String(2))  # the digest's language (None: the LANGUAGE setting)


class UserSession(Base):
    """A logged-in browser: the cookie carries only this row's random id, so logout, a password change, disabling
    the user or "log out everywhere" ends every copy of the cookie at once (ended_at set). Idle and absolute
    time-outs are checked against last_seen_at and created_at."""

    __tablename__ = "user_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's session secret
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(String(20))  # logout, password, disabled, everywhere, idle, expired
    ip: Mapped[str | None] = mapped_column(String(45))


class ApiToken(Base):
    """A bearer token for scripts; only its SHA-256 is stored (the token is shown once, when created)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(8))  # first 8 characters, to recognise a token in a list
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditLog(Base):
    """Who did what, when, from where: logins (ok, failed, locked), logouts, exports, API use, token and user
    changes, ingest triggers. Append-only; detail is JSON text."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    username: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(45))

    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_ip_action_at", "ip", "action", "at"))


# ------------------------------------------------------------------------------------------- uploads and alerts
class Upload(Base):
    """One file a user sent through the browser (Kirim Laporan): kept with its bytes until an ingest worker loads it
    through the same pipeline as the inbox; the page reads its phase and its answer back from this row. `batch`
    groups the files of one sending; `regency_scope` is the kabupaten a kabupaten officer may send rows of."""

    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(60))
    regency_scope: Mapped[str | None] = mapped_column(String(4))
    lang: Mapped[str] = mapped_column(String(2))
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # None: refused before it was kept (too large)
    refused: Mapped[str | None] = mapped_column(String(20))  # why it was not kept: too_large
    status: Mapped[str] = mapped_column(String(12))  # queued, processing, done
    phase: Mapped[str | None] = mapped_column(String(12))  # reading, loading, scoring (while processing)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ingest_run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id"))
    result: Mapped[str | None] = mapped_column(Text)  # JSON: status, reason (code, params, text), counts, notes

    __table_args__ = (Index("ix_uploads_status", "status", "id"), Index("ix_uploads_batch", "batch"))


class Alert(Base):
    """One alert, raised once: a rule of indicators/norms/alerts.toml that became true for one cooperative or KDMP
    village, found in the stored rows after a refresh. (rule, subject, event_key) identifies the event, so the same
    event is never raised twice; a new episode (a later date) is a new alert."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(30))
    subject_kind: Mapped[str] = mapped_column(String(12))  # cooperative or village
    subject: Mapped[str] = mapped_column(String(20))  # NIK or village code
    name: Mapped[str | None] = mapped_column(String(200))
    regency_code: Mapped[str] = mapped_column(String(4))
    event_date: Mapped[date] = mapped_column(Date)  # when the rule became true
    event_key: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)  # JSON: what the rule saw (category, months, fiscal year, …)
    period_end: Mapped[date] = mapped_column(Date)  # the data period it was found at
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data_version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("rule", "subject", "event_key", name="uq_alerts_event"),
        Index("ix_alerts_regency_created", "regency_code", "created_at"),
        Index("ix_alerts_created", "created_at"),
    )


class AlertDelivery(Base):
    """An alert sent to one user in a daily digest: a digest never holds an alert its reader was already sent."""

    __tablename__ = "alert_deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("user_id", "alert_id", name="uq_alert_deliveries"),)

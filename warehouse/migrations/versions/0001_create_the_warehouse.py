"""Create the warehouse: every core table, its indexes, and the 22 NTT kabupaten/kota.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 13:44:21.333049

"""
from typing import Sequence, Union

import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

REGENCIES_CSV = Path(__file__).resolve().parents[3] / "data" / "regencies.csv"


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('ingest_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=400), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_loaded', sa.Integer(), nullable=False),
    sa.Column('rows_revised', sa.Integer(), nullable=False),
    sa.Column('rows_unchanged', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('data_version', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ingest_runs', schema=None) as batch_op:
        batch_op.create_index('ix_ingest_runs_source_started', ['source', 'started_at'], unique=False)

    op.create_table('meta',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('regencies',
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('bps_code', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('short_name', sa.String(length=60), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('capital', sa.String(length=60), nullable=False),
    sa.Column('pop_2020', sa.Integer(), nullable=False),
    sa.Column('area_km2', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('label_lat', sa.Float(), nullable=False),
    sa.Column('label_lon', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('code'),
    sa.UniqueConstraint('bps_code'),
    sa.UniqueConstraint('short_name')
    )
    op.create_table('source_state',
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('watermark', sa.String(length=40), nullable=True),
    sa.Column('locked_by', sa.String(length=80), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('source')
    )
    op.create_table('cooperatives',
    sa.Column('nik', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=False),
    sa.Column('district', sa.String(length=80), nullable=True),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('group', sa.String(length=20), nullable=True),
    sa.Column('savings_loan_unit', sa.Boolean(), nullable=True),
    sa.Column('legal_entity_number', sa.String(length=80), nullable=True),
    sa.Column('legal_entity_date', sa.Date(), nullable=True),
    sa.Column('established_year', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('open_loop', sa.Boolean(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('certificate_status', sa.String(length=30), nullable=True),
    sa.Column('registry_grade', sa.String(length=2), nullable=True),
    sa.Column('last_rat_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('ingest_run_id', sa.Integer(), nullable=False),
    sa.Column('row_hash', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['ingest_run_id'], ['ingest_runs.id'], ),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'], ),
    sa.PrimaryKeyConstraint('nik')
    )
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.create_index('ix_cooperatives_regency_type', ['regency_code', 'type'], unique=False)
        batch_op.create_index('ix_cooperatives_status', ['status'], unique=False)

    op.create_table('regency_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('indicator', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['regency_code'], ['regencies.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('regency_code', 'period_end', 'indicator', name='uq_regency_indicators')
    )
    with op.batch_alter_table('regency_indicators', schema=None) as batch_op:
        batch_op.create_index('ix_regency_indicators_period', ['period_end', 'indicator'], unique=False)

    op.create_table('rejections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ingest_run_id', sa.Integer(), nullable=False),
    sa.Column('dataset', sa.String(length=20), nullable=False),
    sa.Column('source_file', sa.String(length=400), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=True),
    sa.Column('nik', sa.String(length=40), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ingest_run_id'], ['ingest_runs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rejections', schema=None) as batch_op:
        batch_op.create_index('ix_rejections_created', ['created_at'], unique=False)
        batch_op.create_index('ix_rejections_run', ['ingest_run_id'], unique=False)

    op.create_table('annual_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nik', sa.String(length=20), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('shu_total', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('shu_to_members', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('audited', sa.Boolean(), nullable=True),
    sa.Column('statements_published', sa.Boolean(), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('ingest_run_id', sa.Integer(), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_hash', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['ingest_run_id'], ['ingest_runs.id'], ),
    sa.ForeignKeyConstraint(['nik'], ['cooperatives.nik'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nik', 'fiscal_year', 'revision', name='uq_meetings_revision')
    )
    with op.batch_alter_table('annual_meetings', schema=None) as batch_op:
        batch_op.create_index('ix_meetings_current_year', ['is_current', 'fiscal_year'], unique=False)

    op.create_table('digital_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nik', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('stage_date', sa.Date(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('platform', sa.String(length=40), nullable=False),
    sa.Column('members_on_app', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('ingest_run_id', sa.Integer(), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_hash', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['ingest_run_id'], ['ingest_runs.id'], ),
    sa.ForeignKeyConstraint(['nik'], ['cooperatives.nik'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nik', 'stage', 'stage_date', 'revision', name='uq_digital_revision')
    )
    with op.batch_alter_table('digital_status', schema=None) as batch_op:
        batch_op.create_index('ix_digital_current_date', ['is_current', 'stage_date'], unique=False)

    op.create_table('financial_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nik', sa.String(length=20), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('period_type', sa.String(length=8), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('ingest_run_id', sa.Integer(), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_hash', sa.BigInteger(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=True),
    sa.Column('management_score', sa.Float(), nullable=True),
    sa.Column('total_assets', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('current_assets', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('cash_and_bank', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('total_liabilities', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('current_liabilities', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('equity', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('share_capital_principal', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('share_capital_mandatory', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('reserves', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('voluntary_savings', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('time_deposits', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('funds_received', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('loans_outstanding', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('loans_to_members', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('loans_at_risk', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('loans_substandard', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('loans_doubtful', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('loans_loss', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('loan_loss_reserve', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('weighted_capital', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('risk_weighted_assets', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('gross_participation', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('net_participation', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('revenue', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('non_member_revenue', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('operating_expenses', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('member_operating_expenses', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('cooperative_expenses', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('staff_costs', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('shu_gross', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('shu_before_tax', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('shu_after_tax', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('shu_member_share', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('member_economic_benefit', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.ForeignKeyConstraint(['ingest_run_id'], ['ingest_runs.id'], ),
    sa.ForeignKeyConstraint(['nik'], ['cooperatives.nik'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nik', 'period_end', 'period_type', 'revision', name='uq_reports_revision')
    )
    with op.batch_alter_table('financial_reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_current_period', ['is_current', 'period_end'], unique=False)

    op.create_table('scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nik', sa.String(length=20), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('framework', sa.String(length=12), nullable=False),
    sa.Column('total', sa.Float(), nullable=True),
    sa.Column('category', sa.String(length=30), nullable=True),
    sa.Column('coverage', sa.Float(), nullable=True),
    sa.Column('unscored', sa.Text(), nullable=True),
    sa.Column('components', sa.Text(), nullable=True),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['nik'], ['cooperatives.nik'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nik', 'period_end', 'framework', name='uq_scores')
    )
    with op.batch_alter_table('scores', schema=None) as batch_op:
        batch_op.create_index('ix_scores_period_framework', ['period_end', 'framework'], unique=False)



    _seed_regencies()


def _seed_regencies() -> None:
    """The 22 kabupaten/kota (Kemendagri and BPS codes, BPS 2020 census population) from data/regencies.csv."""
    table = sa.table(
        "regencies", *(sa.column(c) for c in (
            "code", "bps_code", "name", "short_name", "type", "capital", "pop_2020", "area_km2",
            "lat", "lon", "label_lat", "label_lon"))
    )
    with REGENCIES_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["pop_2020"] = int(row["pop_2020"])
        for key in ("area_km2", "lat", "lon", "label_lat", "label_lon"):
            row[key] = float(row[key])
    op.bulk_insert(table, rows)

def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('scores', schema=None) as batch_op:
        batch_op.drop_index('ix_scores_period_framework')

    op.drop_table('scores')
    with op.batch_alter_table('financial_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_current_period')

    op.drop_table('financial_reports')
    with op.batch_alter_table('digital_status', schema=None) as batch_op:
        batch_op.drop_index('ix_digital_current_date')

    op.drop_table('digital_status')
    with op.batch_alter_table('annual_meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_current_year')

    op.drop_table('annual_meetings')
    with op.batch_alter_table('rejections', schema=None) as batch_op:
        batch_op.drop_index('ix_rejections_run')
        batch_op.drop_index('ix_rejections_created')

    op.drop_table('rejections')
    with op.batch_alter_table('regency_indicators', schema=None) as batch_op:
        batch_op.drop_index('ix_regency_indicators_period')

    op.drop_table('regency_indicators')
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.drop_index('ix_cooperatives_status')
        batch_op.drop_index('ix_cooperatives_regency_type')

    op.drop_table('cooperatives')
    op.drop_table('source_state')
    op.drop_table('regencies')
    op.drop_table('meta')
    with op.batch_alter_table('ingest_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_ingest_runs_source_started')

    op.drop_table('ingest_runs')

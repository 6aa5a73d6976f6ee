"""The 2025–26 landscape: Koperasi Desa/Kelurahan Merah Putih (kdmp_progress, the refresh's kdmp_villages and
kdmp_indicators), the mentoring log (mentoring), the registry's membership area, programme and village code, who
supervises each cooperative in the snapshots, "digital and active" and mentoring figures, and a `scope` dimension of
the roll-ups: "daerah" (the cooperatives the regional government supervises, every page's default) and "semua".

The existing roll-up rows were computed over every cooperative, so they become scope "semua"; the data version is
moved on, so `python app.py` (and every scheduled run) refreshes once after the upgrade and writes the "daerah" rows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 01:22:47

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('kdmp_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('reference_date', sa.Date(), nullable=False),
    sa.Column('kdmp_villages', sa.Float(), nullable=True),
    sa.Column('kdmp_desa', sa.Float(), nullable=True),
    sa.Column('kdmp_kelurahan', sa.Float(), nullable=True),
    sa.Column('kdmp_musdesus', sa.Float(), nullable=True),
    sa.Column('kdmp_legal', sa.Float(), nullable=True),
    sa.Column('kdmp_nib', sa.Float(), nullable=True),
    sa.Column('kdmp_npwp', sa.Float(), nullable=True),
    sa.Column('kdmp_bank', sa.Float(), nullable=True),
    sa.Column('kdmp_nib_npwp_bank', sa.Float(), nullable=True),
    sa.Column('kdmp_simkopdes', sa.Float(), nullable=True),
    sa.Column('kdmp_land', sa.Float(), nullable=True),
    sa.Column('kdmp_construction', sa.Float(), nullable=True),
    sa.Column('kdmp_built', sa.Float(), nullable=True),
    sa.Column('kdmp_handover', sa.Float(), nullable=True),
    sa.Column('kdmp_operating', sa.Float(), nullable=True),
    sa.Column('kdmp_first_rat', sa.Float(), nullable=True),
    sa.Column('pct_kdmp_legal', sa.Float(), nullable=True),
    sa.Column('pct_kdmp_nib', sa.Float(), nullable=True),
    sa.Column('pct_kdmp_npwp', sa.Float(), nullable=True),
    sa.Column('pct_kdmp_simkopdes', sa.Float(), nullable=True),
    sa.Column('pct_kdmp_land', sa.Float(), nullable=True),
    sa.Column('pct_kdmp_construction', sa.Float(), nullable=True),
    sa.Column('pct_kdmp_operating', sa.Float(), nullable=True),
    sa.Column('kdmp_stuck_nib', sa.Float(), nullable=True),
    sa.Column('kdmp_no_land', sa.Float(), nullable=True),
    sa.Column('kdmp_fresh', sa.Float(), nullable=True),
    sa.Column('kdmp_stale', sa.Float(), nullable=True),
    sa.Column('pct_kdmp_fresh', sa.Float(), nullable=True),
    sa.Column('pct_kdmp_stale', sa.Float(), nullable=True),
    sa.Column('kdmp_days_since_update_mean', sa.Float(), nullable=True),
    sa.Column('kdmp_with_nik', sa.Float(), nullable=True),
    sa.Column('kdmp_mentored', sa.Float(), nullable=True),
    sa.Column('kdmp_mentoring_hours', sa.Float(), nullable=True),
    sa.Column('kdmp_outlet_kantor', sa.Float(), nullable=True),
    sa.Column('kdmp_outlet_simpan_pinjam', sa.Float(), nullable=True),
    sa.Column('kdmp_outlet_sembako', sa.Float(), nullable=True),
    sa.Column('kdmp_outlet_apotek', sa.Float(), nullable=True),
    sa.Column('kdmp_outlet_klinik', sa.Float(), nullable=True),
    sa.Column('kdmp_outlet_gudang', sa.Float(), nullable=True),
    sa.Column('kdmp_outlet_cold_storage', sa.Float(), nullable=True),
    sa.Column('kdmp_outlet_logistik', sa.Float(), nullable=True),
    sa.Column('kdmp_outlet_elpiji', sa.Float(), nullable=True),
    sa.Column('kdmp_outlet_lainnya', sa.Float(), nullable=True),
    sa.Column('kdmp_scheme_pmk49', sa.Float(), nullable=True),
    sa.Column('kdmp_scheme_agrinas', sa.Float(), nullable=True),
    sa.Column('kdmp_scheme_lainnya', sa.Float(), nullable=True),
    sa.Column('kdmp_plafond', sa.Float(), nullable=True),
    sa.Column('kdmp_disbursed', sa.Float(), nullable=True),
    sa.Column('kdmp_members', sa.Float(), nullable=True),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('regency_code', 'period_end', name='uq_kdmp_indicators')
    )
    with op.batch_alter_table('kdmp_indicators', schema=None) as batch_op:
        batch_op.create_index('ix_kdmp_indicators_period', ['period_end'], unique=False)

    op.create_table('kdmp_villages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('reference_date', sa.Date(), nullable=False),
    sa.Column('village_code', sa.String(length=10), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=False),
    sa.Column('village_name', sa.String(length=120), nullable=False),
    sa.Column('village_type', sa.String(length=10), nullable=False),
    sa.Column('nik', sa.String(length=20), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=True),
    sa.Column('stage_since', sa.Date(), nullable=True),
    sa.Column('days_in_stage', sa.Float(), nullable=True),
    sa.Column('days_since_update', sa.Float(), nullable=True),
    sa.Column('stuck_nib', sa.Boolean(), nullable=False),
    sa.Column('no_land', sa.Boolean(), nullable=False),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.Column('musdesus_on', sa.Date(), nullable=True),
    sa.Column('deed_on', sa.Date(), nullable=True),
    sa.Column('ahu_on', sa.Date(), nullable=True),
    sa.Column('nib_on', sa.Date(), nullable=True),
    sa.Column('npwp_on', sa.Date(), nullable=True),
    sa.Column('bank_account_on', sa.Date(), nullable=True),
    sa.Column('simkopdes_on', sa.Date(), nullable=True),
    sa.Column('land_ready_on', sa.Date(), nullable=True),
    sa.Column('handover_on', sa.Date(), nullable=True),
    sa.Column('first_rat_on', sa.Date(), nullable=True),
    sa.Column('construction_pct', sa.Float(), nullable=True),
    sa.Column('outlets', sa.String(length=120), nullable=True),
    sa.Column('members', sa.Float(), nullable=True),
    sa.Column('financing_scheme', sa.String(length=10), nullable=True),
    sa.Column('financing_plafond', sa.Float(), nullable=True),
    sa.Column('financing_disbursed', sa.Float(), nullable=True),
    sa.Column('business_assistant', sa.String(length=120), nullable=True),
    sa.Column('mentoring_hours', sa.Float(), nullable=True),
    sa.Column('last_mentored_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('ingest_run_id', sa.Integer(), nullable=True),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('village_code', 'period_end', name='uq_kdmp_villages')
    )
    with op.batch_alter_table('kdmp_villages', schema=None) as batch_op:
        batch_op.create_index('ix_kdmp_villages_period', ['period_end', 'regency_code'], unique=False)

    op.create_table('kdmp_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_code', sa.String(length=10), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('village_name', sa.String(length=120), nullable=False),
    sa.Column('village_type', sa.String(length=10), nullable=False),
    sa.Column('nik', sa.String(length=20), nullable=True),
    sa.Column('musdesus_on', sa.Date(), nullable=True),
    sa.Column('deed_on', sa.Date(), nullable=True),
    sa.Column('ahu_on', sa.Date(), nullable=True),
    sa.Column('nib_on', sa.Date(), nullable=True),
    sa.Column('npwp_on', sa.Date(), nullable=True),
    sa.Column('bank_account_on', sa.Date(), nullable=True),
    sa.Column('simkopdes_on', sa.Date(), nullable=True),
    sa.Column('land_ready_on', sa.Date(), nullable=True),
    sa.Column('handover_on', sa.Date(), nullable=True),
    sa.Column('first_rat_on', sa.Date(), nullable=True),
    sa.Column('ahu_number', sa.String(length=80), nullable=True),
    sa.Column('construction_pct', sa.Float(), nullable=True),
    sa.Column('outlets', sa.String(length=120), nullable=True),
    sa.Column('members', sa.Integer(), nullable=True),
    sa.Column('financing_scheme', sa.String(length=10), nullable=True),
    sa.Column('financing_plafond', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('financing_disbursed', sa.Numeric(precision=20, scale=2, asdecimal=False), nullable=True),
    sa.Column('business_assistant', sa.String(length=120), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('ingest_run_id', sa.Integer(), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_hash', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['ingest_run_id'], ['ingest_runs.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('village_code', 'as_of', 'revision', name='uq_kdmp_revision')
    )
    with op.batch_alter_table('kdmp_progress', schema=None) as batch_op:
        batch_op.create_index('ix_kdmp_current_as_of', ['is_current', 'as_of'], unique=False)

    op.create_table('mentoring',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=20), nullable=False),
    sa.Column('nik', sa.String(length=20), nullable=True),
    sa.Column('village_code', sa.String(length=10), nullable=True),
    sa.Column('activity_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('mentor', sa.String(length=120), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('ingest_run_id', sa.Integer(), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_hash', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['ingest_run_id'], ['ingest_runs.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subject', 'activity_date', 'kind', 'mentor', 'topic', 'revision', name='uq_mentoring_revision')
    )
    with op.batch_alter_table('mentoring', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_current_date', ['is_current', 'activity_date'], unique=False)

    with op.batch_alter_table('cooperative_snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supervisor', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('programme', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('digital_active', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('mentoring_hours', sa.Float(), nullable=True))

    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('membership_area', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('programme', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('village_code', sa.String(length=10), nullable=True))

    with op.batch_alter_table('regency_indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=10), nullable=False, server_default='semua'))
        batch_op.add_column(sa.Column('supervised_regency', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('supervised_province', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('supervised_ministry', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('supervised_ojk', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('supervision_unknown', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('kdmp_registered', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('digital_active', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('pct_digital_active', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('digital_mentored', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('digital_active_mentored', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('pct_active_mentored', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('digital_unmentored', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('digital_active_unmentored', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('pct_active_unmentored', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('digital_mentoring_hours', sa.Float(), nullable=True))
        batch_op.drop_index(batch_op.f('ix_regency_indicators_period'))
        batch_op.create_index('ix_regency_indicators_period', ['period_end', 'type', 'scope'], unique=False)
        batch_op.drop_constraint(batch_op.f('uq_regency_indicators'), type_='unique')
        batch_op.create_unique_constraint('uq_regency_indicators', ['regency_code', 'period_end', 'type', 'scope'])

    # the refresh after the upgrade writes the "daerah" rows and the new figures (ingest/healing.py: stale scores)
    op.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'data_version'")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('regency_indicators', schema=None) as batch_op:
        batch_op.drop_constraint('uq_regency_indicators', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_regency_indicators'), ['regency_code', 'period_end', 'type'])
        batch_op.drop_index('ix_regency_indicators_period')
        batch_op.create_index(batch_op.f('ix_regency_indicators_period'), ['period_end', 'type'], unique=False)
        batch_op.drop_column('digital_mentoring_hours')
        batch_op.drop_column('pct_active_unmentored')
        batch_op.drop_column('digital_active_unmentored')
        batch_op.drop_column('digital_unmentored')
        batch_op.drop_column('pct_active_mentored')
        batch_op.drop_column('digital_active_mentored')
        batch_op.drop_column('digital_mentored')
        batch_op.drop_column('pct_digital_active')
        batch_op.drop_column('digital_active')
        batch_op.drop_column('kdmp_registered')
        batch_op.drop_column('supervision_unknown')
        batch_op.drop_column('supervised_ojk')
        batch_op.drop_column('supervised_ministry')
        batch_op.drop_column('supervised_province')
        batch_op.drop_column('supervised_regency')
        batch_op.drop_column('scope')

    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.drop_column('village_code')
        batch_op.drop_column('programme')
        batch_op.drop_column('membership_area')

    with op.batch_alter_table('cooperative_snapshots', schema=None) as batch_op:
        batch_op.drop_column('mentoring_hours')
        batch_op.drop_column('digital_active')
        batch_op.drop_column('programme')
        batch_op.drop_column('supervisor')

    with op.batch_alter_table('mentoring', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_current_date')

    op.drop_table('mentoring')
    with op.batch_alter_table('kdmp_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_kdmp_current_as_of')

    op.drop_table('kdmp_progress')
    with op.batch_alter_table('kdmp_villages', schema=None) as batch_op:
        batch_op.drop_index('ix_kdmp_villages_period')

    op.drop_table('kdmp_villages')
    with op.batch_alter_table('kdmp_indicators', schema=None) as batch_op:
        batch_op.drop_index('ix_kdmp_indicators_period')

    op.drop_table('kdmp_indicators')

"""One truth for every figure: the kabupaten/province roll-ups become one wide row per area × month-end × type
(the columns are the area figures of indicators/registry.toml, with the province as regency_code '53'); snapshots
say whether a cooperative is monitored, from which report, and how long it has been at its digital stage; the Go Digital projection moves
from the meta table into the roll-ups.

The old long roll-up table is dropped: the refresh rebuilds it from the warehouse (`python app.py score --full`),
which `python app.py` runs after upgrading.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('regency_indicators', schema=None) as batch_op:
        batch_op.drop_index('ix_regency_indicators_period')
    op.drop_table('regency_indicators')
    op.create_table('regency_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regency_code', sa.String(length=4), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('cooperatives', sa.Float(), nullable=True),
    sa.Column('active', sa.Float(), nullable=True),
    sa.Column('legal_entities', sa.Float(), nullable=True),
    sa.Column('monitored_cooperatives', sa.Float(), nullable=True),
    sa.Column('reporting_cooperatives', sa.Float(), nullable=True),
    sa.Column('members', sa.Float(), nullable=True),
    sa.Column('total_assets', sa.Float(), nullable=True),
    sa.Column('members_per_1000', sa.Float(), nullable=True),
    sa.Column('scored', sa.Float(), nullable=True),
    sa.Column('sehat', sa.Float(), nullable=True),
    sa.Column('cukup_sehat', sa.Float(), nullable=True),
    sa.Column('dalam_pengawasan', sa.Float(), nullable=True),
    sa.Column('dalam_pengawasan_khusus', sa.Float(), nullable=True),
    sa.Column('pct_sehat', sa.Float(), nullable=True),
    sa.Column('avg_health_score', sa.Float(), nullable=True),
    sa.Column('equity_ratio_pooled', sa.Float(), nullable=True),
    sa.Column('npl_ratio_pooled', sa.Float(), nullable=True),
    sa.Column('roa_pooled', sa.Float(), nullable=True),
    sa.Column('current_ratio_pooled', sa.Float(), nullable=True),
    sa.Column('rat_expected', sa.Float(), nullable=True),
    sa.Column('rat_compliant', sa.Float(), nullable=True),
    sa.Column('pct_rat_compliant', sa.Float(), nullable=True),
    sa.Column('expected', sa.Float(), nullable=True),
    sa.Column('received', sa.Float(), nullable=True),
    sa.Column('received_on_time', sa.Float(), nullable=True),
    sa.Column('reporting_rate', sa.Float(), nullable=True),
    sa.Column('on_time_rate', sa.Float(), nullable=True),
    sa.Column('go_digital', sa.Float(), nullable=True),
    sa.Column('pct_go_digital', sa.Float(), nullable=True),
    sa.Column('digital_target', sa.Float(), nullable=True),
    sa.Column('pct_digital_target', sa.Float(), nullable=True),
    sa.Column('digital_remaining', sa.Float(), nullable=True),
    sa.Column('digital_pace', sa.Float(), nullable=True),
    sa.Column('digital_reached_on', sa.Date(), nullable=True),
    sa.Column('digital_target_reached', sa.Boolean(), nullable=True),
    sa.Column('stage_identified', sa.Float(), nullable=True),
    sa.Column('stage_migrating', sa.Float(), nullable=True),
    sa.Column('stage_live', sa.Float(), nullable=True),
    sa.Column('stage_transacting', sa.Float(), nullable=True),
    sa.Column('funnel_identified', sa.Float(), nullable=True),
    sa.Column('funnel_migrating', sa.Float(), nullable=True),
    sa.Column('funnel_live', sa.Float(), nullable=True),
    sa.Column('funnel_transacting', sa.Float(), nullable=True),
    sa.Column('stuck_cooperatives', sa.Float(), nullable=True),
    sa.Column('matched_cooperatives', sa.Float(), nullable=True),
    sa.Column('members_change', sa.Float(), nullable=True),
    sa.Column('total_assets_change', sa.Float(), nullable=True),
    sa.Column('scored_both', sa.Float(), nullable=True),
    sa.Column('pct_sehat_change', sa.Float(), nullable=True),
    sa.Column('avg_health_score_change', sa.Float(), nullable=True),
    sa.Column('go_digital_change', sa.Float(), nullable=True),
    sa.Column('pct_rat_compliant_change', sa.Float(), nullable=True),
    sa.Column('reporting_rate_change', sa.Float(), nullable=True),
    sa.Column('on_time_rate_change', sa.Float(), nullable=True),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('regency_code', 'period_end', 'type', name='uq_regency_indicators')
    )
    with op.batch_alter_table('regency_indicators', schema=None) as batch_op:
        batch_op.create_index('ix_regency_indicators_period', ['period_end', 'type'], unique=False)
    with op.batch_alter_table('cooperative_snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('monitored', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('source_period', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('digital_days_in_stage', sa.Float(), nullable=True))
    op.execute("DELETE FROM meta WHERE key = 'digital_projection'")


def downgrade() -> None:
    """Downgrade schema (the roll-ups are rebuilt by the next score refresh)."""
    with op.batch_alter_table('cooperative_snapshots', schema=None) as batch_op:
        batch_op.drop_column('digital_days_in_stage')
        batch_op.drop_column('source_period')
        batch_op.drop_column('monitored')
    with op.batch_alter_table('regency_indicators', schema=None) as batch_op:
        batch_op.drop_index('ix_regency_indicators_period')
    op.drop_table('regency_indicators')
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

"""Reports in through the browser, alerts out to the people responsible (issue #17): browser uploads waiting for the
ingest worker (uploads) and who sent each run (ingest_runs.username); the alerts the refresh raises and the ones
each user was sent (alerts, alert_deliveries); users' e-mail address, digest subscription and rules switched off;
the registry's contact person (contact_name, contact_phone, contact_email); the area figure missing_reports.

The data version is moved on, so the next start (or scheduled run) refreshes everything once: the roll-ups gain
missing_reports and the first alerts are raised.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 03:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'uploads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch', sa.String(length=32), nullable=False),
        sa.Column('username', sa.String(length=60), nullable=False),
        sa.Column('regency_scope', sa.String(length=4), nullable=True),
        sa.Column('lang', sa.String(length=2), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('refused', sa.String(length=20), nullable=True),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('phase', sa.String(length=12), nullable=True),
        sa.Column('claimed_by', sa.String(length=80), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ingest_run_id', sa.Integer(), nullable=True),
        sa.Column('result', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['ingest_run_id'], ['ingest_runs.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.create_index('ix_uploads_status', ['status', 'id'], unique=False)
        batch_op.create_index('ix_uploads_batch', ['batch'], unique=False)

    op.create_table(
        'alerts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rule', sa.String(length=30), nullable=False),
        sa.Column('subject_kind', sa.String(length=12), nullable=False),
        sa.Column('subject', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=True),
        sa.Column('regency_code', sa.String(length=4), nullable=False),
        sa.Column('event_date', sa.Date(), nullable=False),
        sa.Column('event_key', sa.String(length=40), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('data_version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('rule', 'subject', 'event_key', name='uq_alerts_event'),
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index('ix_alerts_regency_created', ['regency_code', 'created_at'], unique=False)
        batch_op.create_index('ix_alerts_created', ['created_at'], unique=False)

    op.create_table(
        'alert_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('alert_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], ),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'alert_id', name='uq_alert_deliveries'),
    )

    with op.batch_alter_table('ingest_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username', sa.String(length=60), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('digest', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('muted_rules', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=2), nullable=True))

    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=120), nullable=True))

    with op.batch_alter_table('regency_indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('missing_reports', sa.Float(), nullable=True))

    # the refresh after the upgrade writes missing_reports and raises the first alerts (ingest/healing.py)
    op.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'data_version'")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('regency_indicators', schema=None) as batch_op:
        batch_op.drop_column('missing_reports')
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_name')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('muted_rules')
        batch_op.drop_column('digest')
        batch_op.drop_column('email')
    with op.batch_alter_table('ingest_runs', schema=None) as batch_op:
        batch_op.drop_column('username')
    op.drop_table('alert_deliveries')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_alerts_created')
        batch_op.drop_index('ix_alerts_regency_created')
    op.drop_table('alerts')
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_index('ix_uploads_batch')
        batch_op.drop_index('ix_uploads_status')
    op.drop_table('uploads')

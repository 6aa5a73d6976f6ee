"""area_parts: each kabupaten's additive parts of the area figures, so an ingest re-scores only the kabupaten it
touched and re-adds the rest (the incremental refresh); a warehouse from before gets a full refresh at its next
scoring, which fills the table. ix_reports_run: which report rows a run loaded, without a scan.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 02:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'area_parts',
        sa.Column('regency_code', sa.String(length=4), nullable=False),
        sa.Column('parts', sa.LargeBinary(), nullable=False),
        sa.Column('data_version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('regency_code'),
    )
    op.create_index('ix_reports_run', 'financial_reports', ['ingest_run_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_reports_run', table_name='financial_reports')
    op.drop_table('area_parts')

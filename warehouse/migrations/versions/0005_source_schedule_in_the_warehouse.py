"""The scheduler writes each source's cron line and the time its next run after the last success is due into
source_state, so the Pelaporan page reads a source's freshness from the warehouse (layouts never import ingest).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 14:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('source_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('schedule', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('due_by', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('source_state', schema=None) as batch_op:
        batch_op.drop_column('due_by')
        batch_op.drop_column('schedule')

"""A booking may cover a whole life-event bundle at its 综合窗口 (高效办成一件事).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 00:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('appointment') as batch:
        batch.add_column(sa.Column('bundle', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('appointment') as batch:
        batch.drop_column('bundle')

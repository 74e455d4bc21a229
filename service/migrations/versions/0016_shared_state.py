"""State several service processes share: the generation of the catalogue their caches were built
from, the WeChat access token (one per AppID, refreshed by one process at a time) and the wrong
phones given for a booking, order or case number (limited whichever worker is asked).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('data_generation',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_generation'))
    )
    op.create_table('wechat_access_token',
    sa.Column('key', sa.String(length=96), nullable=False),
    sa.Column('token', sa.Text(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refresh_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refreshed_by', sa.String(length=128), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_wechat_access_token'))
    )
    op.create_table('wrong_proof',
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('wrong', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('subject', name=op.f('pk_wrong_proof'))
    )


def downgrade() -> None:
    op.drop_table('wrong_proof')
    op.drop_table('wechat_access_token')
    op.drop_table('data_generation')

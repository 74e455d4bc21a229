"""WeChat connector tables: deliveries taken (dedup of WeChat's retries) and options offered.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('wechat_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedup_key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('processing', 'replied', 'deferred', name='wechat_delivery_status', native_enum=False, length=16), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wechat_delivery')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_wechat_delivery_dedup_key'))
    )
    op.create_index('ix_wechat_delivery_created_at', 'wechat_delivery', ['created_at'], unique=False)
    op.create_table('wechat_choice',
    sa.Column('user_key', sa.String(length=64), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_key', name=op.f('pk_wechat_choice'))
    )


def downgrade() -> None:
    op.drop_table('wechat_choice')
    op.drop_index('ix_wechat_delivery_created_at', table_name='wechat_delivery')
    op.drop_table('wechat_delivery')

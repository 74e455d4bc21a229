"""Drop wechat_choice: a reply of "2" to the bot's buttons is read by the Rasa server for every
channel (bot/replies.py), so the WeChat connector no longer keeps the options it showed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table('wechat_choice')


def downgrade() -> None:
    op.create_table('wechat_choice',
    sa.Column('user_key', sa.String(length=64), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_key', name=op.f('pk_wechat_choice'))
    )

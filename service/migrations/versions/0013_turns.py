"""Every turn's outcome (notice, offer, referral, handoff, decline, not understood), masked.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTCOMES = ('notice', 'offered', 'referral', 'handoff', 'declined', 'not_understood', 'other')
DISPUTES = ('denied', 'asked_person', 'agent_corrected')


def upgrade() -> None:
    op.create_table('turn',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('intent', sa.String(length=64), nullable=True),
    sa.Column('intent_confidence', sa.Float(), nullable=True),
    sa.Column('item_code', sa.String(length=64), nullable=True),
    sa.Column('item_confidence', sa.Float(), nullable=True),
    sa.Column('outcome', sa.Enum(*OUTCOMES, name='turn_outcome', native_enum=False, create_constraint=False,
                                 length=16), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=True),
    sa.Column('disputed', sa.Enum(*DISPUTES, name='turn_disputed', native_enum=False, create_constraint=False,
                                  length=16), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_turn')),
    sa.UniqueConstraint('conversation_id', 'message_id', name=op.f('uq_turn_conversation_id'))
    )
    op.create_index('ix_turn_at', 'turn', ['at'])
    op.create_index('ix_turn_outcome_at', 'turn', ['outcome', 'at'])
    op.create_index(op.f('ix_turn_conversation_id'), 'turn', ['conversation_id'])
    op.create_index(op.f('ix_turn_item_code'), 'turn', ['item_code'])


def downgrade() -> None:
    op.drop_table('turn')

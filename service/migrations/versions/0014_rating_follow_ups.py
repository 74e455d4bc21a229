"""好差评: the follow-up task (整改) each 差评 opens, due 15 working days after the rating.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RATINGS = ('非常满意', '满意', '基本满意', '不满意', '非常不满意')


def upgrade() -> None:
    op.create_table('rating_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Enum(*RATINGS, name='ticket_satisfaction', native_enum=False, create_constraint=False,
                                length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=60), nullable=True),
    sa.Column('action_taken', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_rating_follow_up_ticket_id_ticket'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_follow_up')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_rating_follow_up_ticket_id'))
    )
    op.create_index(op.f('ix_rating_follow_up_due_at'), 'rating_follow_up', ['due_at'])


def downgrade() -> None:
    op.drop_table('rating_follow_up')

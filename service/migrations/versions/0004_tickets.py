"""12345 work orders (工单): orders, their event log, and the per-day number counter.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('channel', sa.Enum('web', 'wechat', 'hotline', name='ticket_channel', native_enum=False, length=16), nullable=False),
    sa.Column('requester', sa.String(length=60), nullable=True),
    sa.Column('phone', sa.String(length=11), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('type', sa.Enum('咨询', '求助', '投诉', '举报', '建议', name='ticket_type', native_enum=False, length=16), nullable=False),
    sa.Column('topic_l1', sa.String(length=50), nullable=True),
    sa.Column('topic_l2', sa.String(length=50), nullable=True),
    sa.Column('district', sa.String(length=50), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('urgency', sa.Enum('一般', '紧急', name='ticket_urgency', native_enum=False, length=16), nullable=False),
    sa.Column('item_code', sa.String(length=32), nullable=True),
    sa.Column('department', sa.String(length=100), nullable=True),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('new', 'claimed', 'replied', 'closed', 'returned', 'reassigned', name='ticket_status', native_enum=False, length=16), nullable=False),
    sa.Column('assignee', sa.String(length=50), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('satisfaction', sa.Enum('非常满意', '满意', '基本满意', '不满意', '非常不满意', name='ticket_satisfaction', native_enum=False, length=16), nullable=True),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket')),
    sa.UniqueConstraint('number', name=op.f('uq_ticket_number'))
    )
    op.create_index('ix_ticket_status_deadline', 'ticket', ['status', 'deadline'], unique=False)

    op.create_table('ticket_counter',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_ticket_counter'))
    )
    op.create_table('ticket_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.Enum('new', 'claimed', 'replied', 'closed', 'returned', 'reassigned', name='ticket_status', native_enum=False, length=16), nullable=True),
    sa.Column('to_status', sa.Enum('new', 'claimed', 'replied', 'closed', 'returned', 'reassigned', name='ticket_status', native_enum=False, length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_event_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_event'))
    )
    op.create_index(op.f('ix_ticket_event_ticket_id'), 'ticket_event', ['ticket_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_ticket_event_ticket_id'), table_name='ticket_event')
    op.drop_table('ticket_event')
    op.drop_table('ticket_counter')
    op.drop_index('ix_ticket_status_deadline', table_name='ticket')
    op.drop_table('ticket')

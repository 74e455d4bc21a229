"""outbox_message: every message that leaves the service, written with the change that causes it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('destination', sa.String(length=16), nullable=False),
    sa.Column('stream', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('ticket_number', sa.String(length=32), nullable=True),
    sa.Column('status', sa.Enum('pending', 'delivered', 'dead', 'undeliverable', name='outbox_status',
                                native_enum=False, create_constraint=False, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('worker', sa.String(length=64), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_message_key'))
    )
    op.create_index('ix_outbox_message_due', 'outbox_message', ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_outbox_message_stream', 'outbox_message', ['stream', 'id'], unique=False)
    op.create_index(op.f('ix_outbox_message_ticket_number'), 'outbox_message', ['ticket_number'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_outbox_message_ticket_number'), table_name='outbox_message')
    op.drop_index('ix_outbox_message_stream', table_name='outbox_message')
    op.drop_index('ix_outbox_message_due', table_name='outbox_message')
    op.drop_table('outbox_message')

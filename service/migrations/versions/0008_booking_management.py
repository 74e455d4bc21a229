"""Booking management in the chat: whose conversation made a booking, its reminder, per-hall rules.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('appointment') as batch:
        batch.add_column(sa.Column('channel', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('conversation_id', sa.String(length=128), nullable=True))
        batch.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_index('ix_appointment_conversation_id', ['conversation_id'], unique=False)
        batch.create_index('ix_appointment_id_hash_status', ['id_hash', 'status'], unique=False)
    with op.batch_alter_table('booking_hall') as batch:
        batch.add_column(sa.Column('policy', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('booking_hall') as batch:
        batch.drop_column('policy')
    with op.batch_alter_table('appointment') as batch:
        batch.drop_index('ix_appointment_id_hash_status')
        batch.drop_index('ix_appointment_conversation_id')
        batch.drop_column('reminded_at')
        batch.drop_column('conversation_id')
        batch.drop_column('channel')

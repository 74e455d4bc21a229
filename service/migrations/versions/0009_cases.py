"""办件进度 (cases): accepted applications, their event history, and the per-day number counter.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_STATUSES = ('accepted', 'reviewing', 'supplement', 'approved', 'rejected', 'completed', 'delivered', 'returned')


def _case_status() -> sa.Enum:
    return sa.Enum(*CASE_STATUSES, name='case_status', native_enum=False, create_constraint=False, length=16)


def upgrade() -> None:
    op.create_table('case_counter',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_case_counter'))
    )
    op.create_table('case_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('appointment_code', sa.String(length=24), nullable=True),
    sa.Column('item_code', sa.String(length=32), nullable=False),
    sa.Column('item_name', sa.String(length=100), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('applicant', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=11), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('id_masked', sa.String(length=18), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('conversation_id', sa.String(length=128), nullable=True),
    sa.Column('status', _case_status(), nullable=False),
    sa.Column('promised_days', sa.Integer(), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=False),
    sa.Column('paused_days', sa.Integer(), nullable=False),
    sa.Column('paused_since', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('materials_missing', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('overdue_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('appointment_code', name=op.f('uq_case_file_appointment_code')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_case_file_idempotency_key')),
    sa.UniqueConstraint('number', name=op.f('uq_case_file_number'))
    )
    op.create_index(op.f('ix_case_file_conversation_id'), 'case_file', ['conversation_id'], unique=False)
    op.create_index('ix_case_file_status_due_on', 'case_file', ['status', 'due_on'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', _case_status(), nullable=True),
    sa.Column('to_status', _case_status(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('materials', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_event_case_id_case_file'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event'))
    )
    op.create_index(op.f('ix_case_event_case_id'), 'case_event', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_case_event_case_id'), table_name='case_event')
    op.drop_table('case_event')
    op.drop_index('ix_case_file_status_due_on', table_name='case_file')
    op.drop_index(op.f('ix_case_file_conversation_id'), table_name='case_file')
    op.drop_table('case_file')
    op.drop_table('case_counter')

"""Work orders linked to their chat conversation: transcript lines, conversation id, idempotency key.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ticket') as batch_op:
        batch_op.add_column(sa.Column('conversation_id', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_ticket_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_ticket_idempotency_key'), ['idempotency_key'])
    op.create_table('ticket_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author', sa.String(length=60), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('outgoing', sa.Boolean(), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=True),
    sa.Column('source_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_message_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_message')),
    sa.UniqueConstraint('source_id', name=op.f('uq_ticket_message_source_id'))
    )
    op.create_index(op.f('ix_ticket_message_ticket_id'), 'ticket_message', ['ticket_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_ticket_message_ticket_id'), table_name='ticket_message')
    op.drop_table('ticket_message')
    with op.batch_alter_table('ticket') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_ticket_idempotency_key'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_ticket_conversation_id'))
        batch_op.drop_column('idempotency_key')
        batch_op.drop_column('conversation_id')

"""Life-event bundles (高效办成一件事): a bundle and its steps (catalogue items or steps outside it).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bundle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('hall_code', sa.String(length=8), nullable=True),
    sa.Column('window_code', sa.String(length=16), nullable=True),
    sa.Column('window_note', sa.Text(), nullable=True),
    sa.Column('same_materials', sa.JSON(), nullable=False),
    sa.Column('situations', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('seed_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bundle')),
    sa.UniqueConstraint('code', name=op.f('uq_bundle_code'))
    )
    op.create_table('bundle_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bundle_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('situation_key', sa.String(length=32), nullable=True),
    sa.Column('outside', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('when', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['bundle_id'], ['bundle.id'], name=op.f('fk_bundle_step_bundle_id_bundle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_bundle_step_item_id_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bundle_step')),
    sa.UniqueConstraint('bundle_id', 'key', name='uq_bundle_step_bundle_id_key')
    )
    with op.batch_alter_table('bundle_step') as batch:
        batch.create_index(batch.f('ix_bundle_step_bundle_id'), ['bundle_id'], unique=False)
        batch.create_index(batch.f('ix_bundle_step_item_id'), ['item_id'], unique=False)


def downgrade() -> None:
    op.drop_table('bundle_step')
    op.drop_table('bundle')

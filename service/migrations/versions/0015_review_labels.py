"""Reviewers' labels of turns: the right intent and item, a new alias, or a matter missing from the catalogue.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ('label', 'alias', 'missing')


def upgrade() -> None:
    op.create_table('review_label',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('turn_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='review_label_kind', native_enum=False, create_constraint=False,
                              length=16), nullable=False),
    sa.Column('intent', sa.String(length=64), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=True),
    sa.Column('phrase', sa.String(length=200), nullable=True),
    sa.Column('reviewer', sa.String(length=30), nullable=False),
    sa.Column('labelled_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['turn_id'], ['turn.id'], name=op.f('fk_review_label_turn_id_turn'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_label')),
    sa.UniqueConstraint('turn_id', name=op.f('uq_review_label_turn_id'))
    )
    op.create_index(op.f('ix_review_label_item_code'), 'review_label', ['item_code'])


def downgrade() -> None:
    op.drop_table('review_label')

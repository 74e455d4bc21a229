"""A provincial catalogue export beside the hand-kept YAML: where each item comes from, what its
source leaves unpublished, the export's own facts, and the versions of the imported catalogue.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('department') as batch:
        batch.add_column(sa.Column('origin', sa.String(length=16), nullable=False, server_default='seed'))
    with op.batch_alter_table('item') as batch:
        batch.alter_column('code', existing_type=sa.String(length=32), type_=sa.String(length=40))
        batch.alter_column('phone', existing_type=sa.String(length=50), type_=sa.String(length=400))
        batch.alter_column('online_where', existing_type=sa.String(length=200), type_=sa.String(length=500))
        batch.add_column(sa.Column('origin', sa.String(length=16), nullable=False, server_default='seed'))
        batch.add_column(sa.Column('unpublished', sa.JSON(), nullable=False, server_default='[]'))
        batch.add_column(sa.Column('complaint_phone', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('booking_where', sa.String(length=500), nullable=True))
        batch.add_column(sa.Column('courier', sa.Boolean(), nullable=True))
        batch.add_column(sa.Column('audience', sa.JSON(), nullable=False, server_default='[]'))
        batch.add_column(sa.Column('joint_departments', sa.Text(), nullable=True))
        batch.add_column(sa.Column('source_url', sa.String(length=500), nullable=True))
        batch.create_index(batch.f('ix_item_origin'), ['origin'])
    with op.batch_alter_table('material') as batch:
        batch.alter_column('count', existing_type=sa.Integer(), nullable=True)
        for name in ('form', 'media', 'source', 'necessity'):
            batch.alter_column(name, existing_type=sa.String(length=16), nullable=True)
    # A case may be opened for an imported item, whose code can have 33 characters.
    with op.batch_alter_table('case_file') as batch:
        batch.alter_column('item_code', existing_type=sa.String(length=32), type_=sa.String(length=40))
    op.create_table('catalogue_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=True),
    sa.Column('restores', sa.Integer(), nullable=True),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_version'))
    )


def downgrade() -> None:
    op.drop_table('catalogue_version')
    with op.batch_alter_table('case_file') as batch:
        batch.alter_column('item_code', existing_type=sa.String(length=40), type_=sa.String(length=32))
    with op.batch_alter_table('material') as batch:
        for name in ('necessity', 'source', 'media', 'form'):
            batch.alter_column(name, existing_type=sa.String(length=16), nullable=False)
        batch.alter_column('count', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('item') as batch:
        batch.drop_index(batch.f('ix_item_origin'))
        for name in ('source_url', 'joint_departments', 'audience', 'courier', 'booking_where',
                     'complaint_phone', 'unpublished', 'origin'):
            batch.drop_column(name)
        batch.alter_column('online_where', existing_type=sa.String(length=500), type_=sa.String(length=200))
        batch.alter_column('phone', existing_type=sa.String(length=400), type_=sa.String(length=50))
        batch.alter_column('code', existing_type=sa.String(length=40), type_=sa.String(length=32))
    with op.batch_alter_table('department') as batch:
        batch.drop_column('origin')

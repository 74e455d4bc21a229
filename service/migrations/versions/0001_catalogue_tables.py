"""Catalogue tables: hall, departments, items, situations, materials.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 16:07:45.913432
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('short_name', sa.String(length=50), nullable=False),
    sa.Column('level', sa.Enum('市级', '区县级', '乡镇街道', '村社区', name='level', native_enum=False, length=16), nullable=False),
    sa.Column('window', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('hours', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('complaint_phone', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('code', name=op.f('uq_department_code'))
    )
    op.create_table('hall',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('hours', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('complaint_phone', sa.String(length=50), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hall'))
    )
    op.create_table('item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('type', sa.Enum('行政许可', '行政确认', '行政给付', '公共服务', '其他行政权力', name='item_type', native_enum=False, length=16), nullable=False),
    sa.Column('level', sa.Enum('市级', '区县级', '乡镇街道', '村社区', name='level', native_enum=False, length=16), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('handled_here', sa.Boolean(), nullable=False),
    sa.Column('handled_by', sa.JSON(), nullable=True),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('process', sa.JSON(), nullable=False),
    sa.Column('legal_days', sa.Integer(), nullable=False),
    sa.Column('promised_days', sa.Integer(), nullable=False),
    sa.Column('time_limit_note', sa.Text(), nullable=True),
    sa.Column('fee_amount', sa.String(length=200), nullable=False),
    sa.Column('fee_basis', sa.Text(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('hours', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('online_available', sa.Boolean(), nullable=False),
    sa.Column('online_where', sa.String(length=200), nullable=True),
    sa.Column('online_note', sa.Text(), nullable=True),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('related', sa.JSON(), nullable=False),
    sa.Column('seed_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_item_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item')),
    sa.UniqueConstraint('code', name=op.f('uq_item_code'))
    )
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_name'), ['name'], unique=False)

    op.create_table('material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('form', sa.Enum('原件', '复印件', '原件及复印件', name='material_form', native_enum=False, length=16), nullable=False),
    sa.Column('media', sa.Enum('纸质', '电子', '纸质或电子', name='material_media', native_enum=False, length=16), nullable=False),
    sa.Column('source', sa.Enum('自备', '部门核发', '数据共享免提交', name='material_source', native_enum=False, length=16), nullable=False),
    sa.Column('necessity', sa.Enum('必要', '容缺', '情形', name='necessity', native_enum=False, length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('sample', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_material_item_id_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material'))
    )
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_item_id'), ['item_id'], unique=False)

    op.create_table('situation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_situation_item_id_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_situation')),
    sa.UniqueConstraint('item_id', 'key', name='uq_situation_item_id_key')
    )
    with op.batch_alter_table('situation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_situation_item_id'), ['item_id'], unique=False)

    op.create_table('material_situation',
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('situation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_material_situation_material_id_material'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['situation_id'], ['situation.id'], name=op.f('fk_material_situation_situation_id_situation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('material_id', 'situation_id', name=op.f('pk_material_situation'))
    )


def downgrade() -> None:
    op.drop_table('material_situation')
    with op.batch_alter_table('situation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_situation_item_id'))

    op.drop_table('situation')
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_item_id'))

    op.drop_table('material')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_name'))
        batch_op.drop_index(batch_op.f('ix_item_department_id'))

    op.drop_table('item')
    op.drop_table('hall')
    op.drop_table('department')

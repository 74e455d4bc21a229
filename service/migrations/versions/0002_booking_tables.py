"""Pre-registration tables: booking halls, windows, capacity pools, slot usage, bookings, events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 16:43:49.165664
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One active booking per person, item and day (partial unique index).
ACTIVE = sa.text("status IN ('booked', 'arrived')")


def upgrade() -> None:
    op.create_table('booking_hall',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('slots', sa.JSON(), nullable=False),
    sa.Column('seed_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_hall')),
    sa.UniqueConstraint('code', name=op.f('uq_booking_hall_code'))
    )
    op.create_table('appointment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=32), nullable=False),
    sa.Column('item_name', sa.String(length=100), nullable=False),
    sa.Column('situation', sa.String(length=32), nullable=True),
    sa.Column('group_code', sa.String(length=16), nullable=False),
    sa.Column('window_name', sa.String(length=200), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('slot', sa.String(length=16), nullable=False),
    sa.Column('status', sa.Enum('booked', 'cancelled', 'arrived', 'done', 'no_show', name='booking_status', native_enum=False, length=16), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=11), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('id_masked', sa.String(length=18), nullable=False),
    sa.Column('agent', sa.JSON(), nullable=True),
    sa.Column('materials_ready', sa.JSON(), nullable=False),
    sa.Column('materials_missing', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['booking_hall.id'], name=op.f('fk_appointment_hall_id_booking_hall')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment')),
    sa.UniqueConstraint('code', name=op.f('uq_appointment_code')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_appointment_idempotency_key'))
    )
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.create_index('ix_appointment_hall_id_day', ['hall_id', 'day'], unique=False)
        batch_op.create_index('uq_appointment_active_person_item_day', ['id_hash', 'item_code', 'day'], unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE)

    op.create_table('booking_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['booking_hall.id'], name=op.f('fk_booking_counter_hall_id_booking_hall'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_counter')),
    sa.UniqueConstraint('hall_id', 'day', name='uq_booking_counter_hall_id_day')
    )
    op.create_table('capacity_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('window_code', sa.String(length=16), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('slot_capacity', sa.JSON(), nullable=False),
    sa.Column('item_codes', sa.JSON(), nullable=False),
    sa.Column('department_codes', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['booking_hall.id'], name=op.f('fk_capacity_group_hall_id_booking_hall'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_group')),
    sa.UniqueConstraint('hall_id', 'code', name='uq_capacity_group_hall_id_code')
    )
    with op.batch_alter_table('capacity_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capacity_group_hall_id'), ['hall_id'], unique=False)

    op.create_table('hall_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slots', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['booking_hall.id'], name=op.f('fk_hall_window_hall_id_booking_hall'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hall_window')),
    sa.UniqueConstraint('hall_id', 'code', name='uq_hall_window_hall_id_code')
    )
    with op.batch_alter_table('hall_window', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hall_window_hall_id'), ['hall_id'], unique=False)

    op.create_table('slot_usage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('slot', sa.String(length=16), nullable=False),
    sa.Column('group_code', sa.String(length=16), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['booking_hall.id'], name=op.f('fk_slot_usage_hall_id_booking_hall'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slot_usage')),
    sa.UniqueConstraint('hall_id', 'day', 'slot', 'group_code', name='uq_slot_usage_hall_day_slot_group')
    )
    op.create_table('appointment_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=50), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.Enum('booked', 'cancelled', 'arrived', 'done', 'no_show', name='booking_status', native_enum=False, length=16), nullable=True),
    sa.Column('to_status', sa.Enum('booked', 'cancelled', 'arrived', 'done', 'no_show', name='booking_status', native_enum=False, length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_appointment_event_appointment_id_appointment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_event'))
    )
    with op.batch_alter_table('appointment_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_event_appointment_id'), ['appointment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('appointment_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointment_event_appointment_id'))

    op.drop_table('appointment_event')
    op.drop_table('slot_usage')
    with op.batch_alter_table('hall_window', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hall_window_hall_id'))

    op.drop_table('hall_window')
    with op.batch_alter_table('capacity_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_group_hall_id'))

    op.drop_table('capacity_group')
    op.drop_table('booking_counter')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('uq_appointment_active_person_item_day', sqlite_where=ACTIVE, postgresql_where=ACTIVE)
        batch_op.drop_index('ix_appointment_hall_id_day')

    op.drop_table('appointment')
    op.drop_table('booking_hall')

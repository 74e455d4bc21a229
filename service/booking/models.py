"""Database models of pre-registration (预约): halls, windows, capacity pools, bookings."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.core.columns import TimestampMixin, string_enum
from service.core.db import Base, UTCDateTime, utcnow


class Status(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    ARRIVED = "arrived"
    DONE = "done"
    NO_SHOW = "no_show"


# A person holds at most one of these per item and day; the others free the seat or are over.
ACTIVE_STATUSES = (Status.BOOKED, Status.ARRIVED)
_ACTIVE_SQL = "status IN ('booked', 'arrived')"


class BookingHall(TimestampMixin, Base):
    """A hall that takes bookings; `code` (A, B, …) is its public id and part of booking codes."""

    __tablename__ = "booking_hall"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(50))
    slots: Mapped[list[str]] = mapped_column(JSON)  # "09:00-10:00", in order
    seed_hash: Mapped[str] = mapped_column(String(64))
    # The hall's own limits on changes and no-shows (HallPolicy); None: the service's defaults.
    policy: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    windows: Mapped[list["HallWindow"]] = relationship(
        back_populates="hall", order_by="HallWindow.position", cascade="all, delete-orphan"
    )
    groups: Mapped[list["CapacityGroup"]] = relationship(
        back_populates="hall", order_by="CapacityGroup.position", cascade="all, delete-orphan"
    )


class HallWindow(Base):
    __tablename__ = "hall_window"
    __table_args__ = (UniqueConstraint("hall_id", "code", name="uq_hall_window_hall_id_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("booking_hall.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    slots: Mapped[list[str]] = mapped_column(JSON)  # the hall's slots this window is open in
    position: Mapped[int] = mapped_column(Integer)

    hall: Mapped[BookingHall] = relationship(back_populates="windows")


class CapacityGroup(Base):
    """A capacity pool (item group): seats per slot shared by its items at one window."""

    __tablename__ = "capacity_group"
    __table_args__ = (UniqueConstraint("hall_id", "code", name="uq_capacity_group_hall_id_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("booking_hall.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    window_code: Mapped[str] = mapped_column(String(16))
    capacity: Mapped[int] = mapped_column(Integer)
    slot_capacity: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # per-slot overrides
    item_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    department_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer)

    hall: Mapped[BookingHall] = relationship(back_populates="groups")

    def capacity_of(self, slot: str) -> int:
        return self.slot_capacity.get(slot, self.capacity)


class SlotUsage(Base):
    """Seats taken in one pool, slot and day; only ever changed by a guarded UPDATE."""

    __tablename__ = "slot_usage"
    __table_args__ = (
        UniqueConstraint("hall_id", "day", "slot", "group_code", name="uq_slot_usage_hall_day_slot_group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("booking_hall.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(16))
    group_code: Mapped[str] = mapped_column(String(16))
    booked: Mapped[int] = mapped_column(Integer, default=0)


class BookingCounter(Base):
    """The last booking number handed out per hall and day (the NNNN of 20261203-A-0042)."""

    __tablename__ = "booking_counter"
    __table_args__ = (UniqueConstraint("hall_id", "day", name="uq_booking_counter_hall_id_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("booking_hall.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Appointment(TimestampMixin, Base):
    """One booking. The ID number is kept only as an HMAC and a masked form."""

    __tablename__ = "appointment"
    __table_args__ = (
        Index(
            "uq_appointment_active_person_item_day",
            "id_hash",
            "item_code",
            "day",
            unique=True,
            sqlite_where=_ACTIVE_SQL,
            postgresql_where=_ACTIVE_SQL,
        ),
        Index("ix_appointment_hall_id_day", "hall_id", "day"),
        Index("ix_appointment_conversation_id", "conversation_id"),
        Index("ix_appointment_id_hash_status", "id_hash", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    hall_id: Mapped[int] = mapped_column(ForeignKey("booking_hall.id"))
    item_code: Mapped[str] = mapped_column(String(32))
    item_name: Mapped[str] = mapped_column(String(100))
    situation: Mapped[str | None] = mapped_column(String(32))
    group_code: Mapped[str] = mapped_column(String(16))
    window_name: Mapped[str] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(16))
    status: Mapped[Status] = mapped_column(string_enum(Status, "booking_status"), default=Status.BOOKED)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(11))
    id_hash: Mapped[str] = mapped_column(String(64))
    id_masked: Mapped[str] = mapped_column(String(18))
    # {name, phone, id_hash, id_masked} of whoever comes on the citizen's behalf (委托代办).
    agent: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    materials_ready: Mapped[list[str]] = mapped_column(JSON, default=list)
    materials_missing: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Where the booking was made (web, wechat, rest…) and by which conversation or openid: that
    # conversation may look the booking up without the code, and its reminder goes back there.
    channel: Mapped[str | None] = mapped_column(String(16))
    conversation_id: Mapped[str | None] = mapped_column(String(128))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # {code, name, items: [names]} when the booking covers a life-event bundle at its 综合窗口.
    bundle: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    hall: Mapped[BookingHall] = relationship()
    events: Mapped[list["AppointmentEvent"]] = relationship(
        back_populates="appointment", order_by="AppointmentEvent.id", cascade="all, delete-orphan"
    )


class AppointmentEvent(Base):
    """Every change of a booking: who, when, from which status to which."""

    __tablename__ = "appointment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointment.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(50))  # "citizen" or "staff[:name]"
    action: Mapped[str] = mapped_column(String(16))  # create, cancel, reschedule, status
    from_status: Mapped[Status | None] = mapped_column(string_enum(Status, "booking_status"))
    to_status: Mapped[Status] = mapped_column(string_enum(Status, "booking_status"))
    note: Mapped[str | None] = mapped_column(String(200))

    appointment: Mapped[Appointment] = relationship(back_populates="events")

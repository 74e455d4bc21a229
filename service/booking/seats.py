"""Taking and freeing seats in a pool's slot, and handing out booking codes.

A seat is taken with a guarded UPDATE of slot_usage (booked < capacity) in the same transaction
that writes the booking, never by reading a count and then inserting.
"""

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.booking.models import Appointment, BookingCounter, BookingHall, CapacityGroup, SlotUsage
from service.core.counters import insert_ignoring_duplicates, next_in_sequence


def seats_taken(session: Session, *, hall: BookingHall, day: date, group: CapacityGroup) -> dict[str, int]:
    """Seats taken per slot label in one pool on one day; slots nobody booked are absent."""
    rows = session.execute(
        select(SlotUsage.slot, SlotUsage.booked).where(
            SlotUsage.hall_id == hall.id, SlotUsage.day == day, SlotUsage.group_code == group.code
        )
    )
    return {slot: booked for slot, booked in rows}


def take_seat(session: Session, *, hall: BookingHall, group: CapacityGroup, day: date, slot: str) -> bool:
    """Take one seat if one is free; false when the slot is full. Runs in the caller's transaction."""
    insert_ignoring_duplicates(
        session,
        SlotUsage,
        {"hall_id": hall.id, "day": day, "slot": slot, "group_code": group.code, "booked": 0},
        ["hall_id", "day", "slot", "group_code"],
    )
    taken = session.execute(
        update(SlotUsage)
        .where(
            SlotUsage.hall_id == hall.id,
            SlotUsage.day == day,
            SlotUsage.slot == slot,
            SlotUsage.group_code == group.code,
            SlotUsage.booked < group.capacity_of(slot),
        )
        .values(booked=SlotUsage.booked + 1)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def release_seat(session: Session, *, appointment: Appointment) -> None:
    """Give back the booking's seat. Runs in the caller's transaction."""
    session.execute(
        update(SlotUsage)
        .where(
            SlotUsage.hall_id == appointment.hall_id,
            SlotUsage.day == appointment.day,
            SlotUsage.slot == appointment.slot,
            SlotUsage.group_code == appointment.group_code,
            SlotUsage.booked > 0,
        )
        .values(booked=SlotUsage.booked - 1)
        .execution_options(synchronize_session=False)
    )


def next_code(session: Session, *, hall: BookingHall, day: date) -> str:
    """The next booking code of the hall and day: 20261203-A-0042."""
    number = next_in_sequence(session, BookingCounter, hall_id=hall.id, day=day)
    return f"{day:%Y%m%d}-{hall.code}-{number:04d}"

"""The halls that take bookings: their windows, capacity pools and slot labels ("09:00-10:00")."""

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.booking.models import BookingHall, CapacityGroup, HallWindow
from service.catalogue.models import Item
from service.catalogue.service import get_item
from service.core import templates as t
from service.core.errors import InvalidInputError, NotFoundError


def slot_bounds(label: str) -> tuple[time, time]:
    start, end = label.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


def hours_text(slots: list[str]) -> str:
    """["09:00-10:00", "10:00-12:00", "13:30-17:00"] → "09:00-12:00，13:30-17:00"."""
    spans: list[list[str]] = []
    for label in slots:
        start, end = label.split("-")
        if spans and spans[-1][1] == start:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return "，".join(f"{start}-{end}" for start, end in spans)


def _hall_query():
    return select(BookingHall).options(selectinload(BookingHall.windows), selectinload(BookingHall.groups))


def get_hall(session: Session, *, code: str) -> BookingHall:
    hall = session.scalars(_hall_query().where(BookingHall.code == code.strip().upper())).one_or_none()
    if hall is None:
        raise NotFoundError(t.BOOKING_HALL_NOT_FOUND.format(hall=code))
    return hall


def list_halls(session: Session, *, item_code: str | None = None) -> list[BookingHall]:
    """Every bookable hall, or only those that take bookings for one item."""
    item = get_item(session, code=item_code) if item_code else None
    return [
        hall
        for hall in session.scalars(_hall_query().order_by(BookingHall.code))
        if item is None or group_for(hall, item) is not None
    ]


def group_for(hall: BookingHall, item: Item) -> CapacityGroup | None:
    """The item's pool at this hall: listed by code, or by department when handled in the main hall."""
    for group in hall.groups:
        if item.code in group.item_codes:
            return group
    if item.handled_here:
        for group in hall.groups:
            if item.department.code in group.department_codes:
                return group
    return None


def pool_for(session: Session, *, hall: BookingHall, item: Item) -> CapacityGroup:
    """The item's pool at this hall, or an error naming the halls that do take it."""
    group = group_for(hall, item)
    if group is not None:
        return group
    elsewhere = [h.name for h in session.scalars(_hall_query()) if group_for(h, item) is not None]
    if elsewhere:
        raise InvalidInputError(
            t.ITEM_NOT_AT_HALL.format(item_name=item.name, hall_name=hall.name, halls="、".join(elsewhere))
        )
    raise InvalidInputError(t.ITEM_NOT_BOOKABLE.format(item_name=item.name))


def window_of(hall: BookingHall, group: CapacityGroup) -> HallWindow:
    return next(w for w in hall.windows if w.code == group.window_code)


def group_slots(hall: BookingHall, group: CapacityGroup) -> list[str]:
    """The hall's slots in which the pool's window is open, in the hall's order."""
    open_slots = set(window_of(hall, group).slots)
    return [s for s in hall.slots if s in open_slots]

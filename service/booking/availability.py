"""Free seats: a hall's slots on one day, and answers to "下周三上午有号吗" with the nearest alternatives."""

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from service.booking.halls import get_hall, group_slots, pool_for, slot_bounds, window_of
from service.booking.models import BookingHall, CapacityGroup
from service.booking.rules import Rules, day_problem, has_started
from service.booking.schemas import AvailabilityOut, FreeSlotOut, RequestedOut, SlotOut, SlotsOut
from service.booking.seats import seats_taken
from service.booking.when import RequestedTime, understand_when
from service.catalogue.service import get_item
from service.core import templates as t

MAX_ALTERNATIVES = 3
NOON = time(12)


def _slot_states(
    session: Session, rules: Rules, *, hall: BookingHall, group: CapacityGroup, day: date
) -> list[SlotOut]:
    booked = seats_taken(session, hall=hall, day=day, group=group)
    states = []
    for label in group_slots(hall, group):
        start, end = slot_bounds(label)
        capacity = group.capacity_of(label)
        taken = booked.get(label, 0)
        free = max(capacity - taken, 0)
        states.append(
            SlotOut(
                slot=label,
                start=start,
                end=end,
                capacity=capacity,
                booked=taken,
                free=free,
                bookable=free > 0 and not has_started(rules, day, label),
            )
        )
    return states


def hall_slots(session: Session, rules: Rules, *, hall_code: str, day: date, item_code: str) -> SlotsOut:
    """Every slot of the item's pool at the hall on one day, with its free seats; none on a closed day."""
    hall = get_hall(session, code=hall_code)
    item = get_item(session, code=item_code)
    group = pool_for(session, hall=hall, item=item)
    reason = day_problem(rules, day)
    return SlotsOut(
        hall=hall.code,
        date=day,
        item_code=item.code,
        item_name=item.name,
        window=window_of(hall, group).name,
        open=reason is None,
        reason=reason,
        slots=[] if reason else _slot_states(session, rules, hall=hall, group=group, day=day),
    )


def _matches(requested: RequestedTime, label: str) -> bool:
    start, end = slot_bounds(label)
    if requested.at is not None:
        return start <= requested.at < end
    if requested.period == "morning":
        return start < NOON
    if requested.period == "afternoon":
        return start >= NOON
    return True


def _free_slots(
    session: Session, rules: Rules, *, hall: BookingHall, group: CapacityGroup, first: date, last: date
) -> list[FreeSlotOut]:
    window = window_of(hall, group).name
    found: list[FreeSlotOut] = []
    day = max(first, rules.today)
    while day <= min(last, rules.last_day):
        if rules.is_working_day(day):
            found.extend(
                FreeSlotOut(date=day, slot=s.slot, free=s.free, window=window)
                for s in _slot_states(session, rules, hall=hall, group=group, day=day)
                if s.bookable
            )
        day += timedelta(days=1)
    return found


def _anchor(requested: RequestedTime | None, rules: Rules) -> datetime:
    """The moment the citizen asked for, to rank alternatives by closeness."""
    if requested is None:
        return rules.now.replace(tzinfo=None)
    clock = requested.at or (time(13, 30) if requested.period == "afternoon" else time(9))
    return datetime.combine(requested.earliest, clock)


def _why_not(rules: Rules, requested: RequestedTime) -> str:
    if requested.latest < rules.today:
        return t.REQUESTED_PAST
    if requested.earliest > rules.last_day:
        return t.REQUESTED_TOO_FAR.format(days=rules.days_ahead)
    days = [
        requested.earliest + timedelta(days=i) for i in range((requested.latest - requested.earliest).days + 1)
    ]
    if not any(rules.is_working_day(d) for d in days if rules.today <= d <= rules.last_day):
        return t.REQUESTED_CLOSED
    return t.REQUESTED_FULL


def availability(session: Session, rules: Rules, *, hall_code: str, when: str, item_code: str) -> AvailabilityOut:
    """The first free slot in the time the citizen asked for, or the closest ones and why not."""
    hall = get_hall(session, code=hall_code)
    item = get_item(session, code=item_code)
    group = pool_for(session, hall=hall, item=item)
    requested = understand_when(when, now=rules.now)
    if requested is not None:
        asked = [
            s
            for s in _free_slots(session, rules, hall=hall, group=group, first=requested.earliest, last=requested.latest)
            if _matches(requested, s.slot)
        ]
        if asked:
            return AvailabilityOut(requested=_requested_out(requested), slot=asked[0], alternatives=[], reason=None)
    every = _free_slots(session, rules, hall=hall, group=group, first=rules.today, last=rules.last_day)
    anchor = _anchor(requested, rules)
    every.sort(key=lambda s: abs(datetime.combine(s.date, slot_bounds(s.slot)[0]) - anchor))
    if not every:
        reason = t.NO_FREE_SLOTS.format(days=rules.days_ahead, phone=hall.phone)
    else:
        reason = t.WHEN_NOT_UNDERSTOOD if requested is None else _why_not(rules, requested)
    return AvailabilityOut(
        requested=_requested_out(requested) if requested else None,
        slot=None,
        alternatives=every[:MAX_ALTERNATIVES],  # closest first
        reason=reason,
    )


def _requested_out(requested: RequestedTime) -> RequestedOut:
    return RequestedOut.model_validate(requested, from_attributes=True)

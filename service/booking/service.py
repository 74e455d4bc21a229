"""Pre-registration: halls, free capacity, availability, bookings and their status changes.

Seats are taken with a guarded UPDATE of slot_usage (booked < capacity) in the same transaction
that writes the booking, never by reading a count and then inserting.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from service.booking.models import (
    Appointment,
    AppointmentEvent,
    BookingCounter,
    BookingHall,
    CapacityGroup,
    SlotUsage,
    Status,
)
from service.booking.schemas import (
    AgentOut,
    AppointmentIn,
    AppointmentOut,
    AvailabilityOut,
    EventOut,
    FieldCheckOut,
    FreeSlotOut,
    HallBrief,
    HallOut,
    PersonCheckIn,
    PersonCheckOut,
    RequestedOut,
    SlotOut,
    SlotsOut,
    StaffAppointmentOut,
    StaffDayOut,
    WindowOut,
)
from service.booking.when import RequestedTime, understand_when
from service.catalogue.models import Item
from service.catalogue.service import get_item
from service.core import templates as t
from service.core.calendar import CalendarError, WorkCalendar
from service.core.counters import insert_ignoring_duplicates, next_in_sequence
from service.core.errors import ConflictError, InvalidInputError, NotFoundError
from service.core.identity import (
    check_id_number,
    check_mobile,
    check_name,
    hash_id_number,
    mask_id_number,
    mask_mobile,
    mask_name,
)

log = logging.getLogger(__name__)

CITIZEN = "citizen"
STAFF = "staff"
MAX_ALTERNATIVES = 3
NOON = time(12)
# Staff moves: arrived or no-show on the day, done after arrival; a no-show who turns up arrives.
STAFF_MOVES = {
    Status.BOOKED: {Status.ARRIVED, Status.NO_SHOW},
    Status.ARRIVED: {Status.DONE},
    Status.NO_SHOW: {Status.ARRIVED},
}


@dataclass(frozen=True)
class Rules:
    """What a booking is checked against besides the database: the clock and the calendar."""

    now: datetime  # aware, in the halls' timezone
    calendar: WorkCalendar
    days_ahead: int

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def last_day(self) -> date:
        return self.today + timedelta(days=self.days_ahead)

    def is_working_day(self, day: date) -> bool:
        try:
            return self.calendar.is_working_day(day)
        except CalendarError:  # beyond the years the calendar lists: not bookable yet
            return False


# --- halls, slots and pools ------------------------------------------------------------------


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


def list_halls(session: Session, *, item_code: str | None = None) -> list[HallOut]:
    """Every bookable hall, or only those that take bookings for one item."""
    item = get_item(session, code=item_code) if item_code else None
    return [
        HallOut(
            code=hall.code,
            name=hall.name,
            address=hall.address,
            phone=hall.phone,
            hours=hours_text(hall.slots),
            slots=list(hall.slots),
            windows=[WindowOut(code=w.code, name=w.name, hours=hours_text(w.slots)) for w in hall.windows],
        )
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


def _window(hall: BookingHall, group: CapacityGroup):
    return next(w for w in hall.windows if w.code == group.window_code)


def group_slots(hall: BookingHall, group: CapacityGroup) -> list[str]:
    """The hall's slots in which the pool's window is open, in the hall's order."""
    open_slots = set(_window(hall, group).slots)
    return [s for s in hall.slots if s in open_slots]


def _pool(session: Session, *, hall: BookingHall, item: Item) -> CapacityGroup:
    group = group_for(hall, item)
    if group is not None:
        return group
    elsewhere = [h.name for h in session.scalars(_hall_query()) if group_for(h, item) is not None]
    if elsewhere:
        raise InvalidInputError(
            t.ITEM_NOT_AT_HALL.format(item_name=item.name, hall_name=hall.name, halls="、".join(elsewhere))
        )
    raise InvalidInputError(t.ITEM_NOT_BOOKABLE.format(item_name=item.name))


def _booked(session: Session, *, hall: BookingHall, day: date, group: CapacityGroup) -> dict[str, int]:
    rows = session.execute(
        select(SlotUsage.slot, SlotUsage.booked).where(
            SlotUsage.hall_id == hall.id, SlotUsage.day == day, SlotUsage.group_code == group.code
        )
    )
    return {slot: booked for slot, booked in rows}


def _day_problem(rules: Rules, day: date) -> str | None:
    if day < rules.today:
        return t.DATE_PAST.format(date=day.isoformat())
    if day > rules.last_day:
        return t.DATE_TOO_FAR.format(days=rules.days_ahead, last=rules.last_day.isoformat())
    if not rules.is_working_day(day):
        return t.DAY_CLOSED.format(date=day.isoformat(), weekday=t.WEEKDAYS[day.weekday()])
    return None


def _started(rules: Rules, day: date, label: str) -> bool:
    return day == rules.today and slot_bounds(label)[0] <= rules.now.time()


def _slot_states(
    session: Session, rules: Rules, *, hall: BookingHall, group: CapacityGroup, day: date
) -> list[SlotOut]:
    booked = _booked(session, hall=hall, day=day, group=group)
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
                bookable=free > 0 and not _started(rules, day, label),
            )
        )
    return states


def hall_slots(session: Session, rules: Rules, *, hall_code: str, day: date, item_code: str) -> SlotsOut:
    hall = get_hall(session, code=hall_code)
    item = get_item(session, code=item_code)
    group = _pool(session, hall=hall, item=item)
    reason = _day_problem(rules, day)
    return SlotsOut(
        hall=hall.code,
        date=day,
        item_code=item.code,
        item_name=item.name,
        window=_window(hall, group).name,
        open=reason is None,
        reason=reason,
        slots=[] if reason else _slot_states(session, rules, hall=hall, group=group, day=day),
    )


# --- availability: "下周三上午有号吗" -----------------------------------------------------------


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
    window = _window(hall, group).name
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
    hall = get_hall(session, code=hall_code)
    item = get_item(session, code=item_code)
    group = _pool(session, hall=hall, item=item)
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
    return RequestedOut(
        earliest=requested.earliest,
        latest=requested.latest,
        period=requested.period,
        at=requested.at,
        text=requested.text,
    )


# --- bookings ----------------------------------------------------------------------------------


def _take_seat(session: Session, *, hall: BookingHall, group: CapacityGroup, day: date, slot: str) -> bool:
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


def _release_seat(session: Session, *, appointment: Appointment) -> None:
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


def _next_code(session: Session, *, hall: BookingHall, day: date) -> str:
    number = next_in_sequence(session, BookingCounter, hall_id=hall.id, day=day)
    return f"{day:%Y%m%d}-{hall.code}-{number:04d}"


def _check_slot(rules: Rules, *, hall: BookingHall, group: CapacityGroup, day: date, slot: str) -> None:
    """Everything about the day and slot except free capacity (checked when the seat is taken)."""
    problem = _day_problem(rules, day)
    if problem:
        raise InvalidInputError(problem)
    if slot not in hall.slots:
        raise InvalidInputError(
            t.SLOT_UNKNOWN.format(slot=slot, date=day.isoformat(), slots="、".join(group_slots(hall, group)))
        )
    if slot not in group_slots(hall, group):
        raise InvalidInputError(
            t.SLOT_WINDOW_CLOSED.format(
                window=_window(hall, group).name, slot=slot, slots="、".join(group_slots(hall, group))
            )
        )
    if _started(rules, day, slot):
        raise InvalidInputError(t.SLOT_STARTED.format(date=day.isoformat(), slot=slot))


def _check_declared(item: Item, request: AppointmentIn) -> None:
    if request.situation is not None and request.situation not in {s.key for s in item.situations}:
        choices = "、".join(f"{s.key}（{s.name}）" for s in item.situations) or "无"
        raise InvalidInputError(
            t.SITUATION_UNKNOWN.format(item_name=item.name, situation=request.situation, choices=choices)
        )
    known = {m.name for m in item.materials}
    unknown = [n for n in [*request.materials_ready, *request.materials_missing] if n not in known]
    if unknown:
        raise InvalidInputError(t.MATERIAL_UNKNOWN.format(item_name=item.name, names="、".join(unknown)))
    both = sorted(set(request.materials_ready) & set(request.materials_missing))
    if both:
        raise InvalidInputError(t.MATERIAL_BOTH.format(names="、".join(both)))


def request_fingerprint(request: AppointmentIn, *, key: str) -> str:
    """Keyed hash of the request body: tells a retry from a different booking under the same key."""
    canonical = json.dumps(request.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return hmac.new(key.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def _by_key(session: Session, key: str) -> Appointment | None:
    return session.scalars(
        select(Appointment).where(Appointment.idempotency_key == key).options(selectinload(Appointment.hall))
    ).one_or_none()


def _replay(existing: Appointment, fingerprint: str) -> Appointment:
    if existing.request_hash != fingerprint:
        raise ConflictError(t.IDEMPOTENCY_KEY_REUSED)
    return existing


def _duplicate_person(session: Session, *, id_hash: str, item: Item, day: date) -> bool:
    return (
        session.scalar(
            select(Appointment.id).where(
                Appointment.id_hash == id_hash,
                Appointment.item_code == item.code,
                Appointment.day == day,
                Appointment.status.in_([Status.BOOKED, Status.ARRIVED]),
            )
        )
        is not None
    )


def create_appointment(
    session: Session, rules: Rules, *, request: AppointmentIn, idempotency_key: str, hash_key: str
) -> tuple[Appointment, bool]:
    """Book a seat; (booking, True) when written now, (the earlier booking, False) for a retry."""
    fingerprint = request_fingerprint(request, key=hash_key)
    existing = _by_key(session, idempotency_key)
    if existing is not None:
        return _replay(existing, fingerprint), False
    hall = get_hall(session, code=request.hall)
    item = get_item(session, code=request.item_code)
    group = _pool(session, hall=hall, item=item)
    _check_slot(rules, hall=hall, group=group, day=request.date, slot=request.slot)
    _check_declared(item, request)
    id_hash = hash_id_number(request.id_number, key=hash_key)
    if _duplicate_person(session, id_hash=id_hash, item=item, day=request.date):
        raise ConflictError(t.DUPLICATE_BOOKING.format(date=request.date.isoformat(), item_name=item.name))
    try:
        if not _take_seat(session, hall=hall, group=group, day=request.date, slot=request.slot):
            session.rollback()
            raise ConflictError(t.SLOT_FULL.format(date=request.date.isoformat(), slot=request.slot))
        agent = request.agent
        appointment = Appointment(
            code=_next_code(session, hall=hall, day=request.date),
            idempotency_key=idempotency_key,
            request_hash=fingerprint,
            hall=hall,
            item_code=item.code,
            item_name=item.name,
            situation=request.situation,
            group_code=group.code,
            window_name=_window(hall, group).name,
            day=request.date,
            slot=request.slot,
            status=Status.BOOKED,
            name=request.name,
            phone=request.phone,
            id_hash=id_hash,
            id_masked=mask_id_number(request.id_number),
            agent=None
            if agent is None
            else {
                "name": agent.name,
                "phone": agent.phone,
                "id_hash": hash_id_number(agent.id_number, key=hash_key),
                "id_masked": mask_id_number(agent.id_number),
            },
            materials_ready=list(request.materials_ready),
            materials_missing=list(request.materials_missing),
        )
        appointment.events.append(
            AppointmentEvent(actor=CITIZEN, action="create", from_status=None, to_status=Status.BOOKED)
        )
        session.add(appointment)
        session.commit()
    except IntegrityError:
        # A concurrent retry with the same key, or the same person booking the same item and day.
        session.rollback()
        existing = _by_key(session, idempotency_key)
        if existing is not None:
            return _replay(existing, fingerprint), False
        raise ConflictError(
            t.DUPLICATE_BOOKING.format(date=request.date.isoformat(), item_name=item.name)
        ) from None
    log.info("booking %s created for %s at hall %s", appointment.code, item.code, hall.code)
    return appointment, True


def _find(session: Session, *, code: str, phone: str | None) -> Appointment:
    """A booking by code; a citizen must also give the phone it was made with (else: not found)."""
    appointment = session.scalars(
        select(Appointment)
        .where(Appointment.code == code.strip().upper())
        .options(selectinload(Appointment.hall), selectinload(Appointment.events))
    ).one_or_none()
    if appointment is None or (phone is not None and not hmac.compare_digest(appointment.phone, phone)):
        raise NotFoundError(t.APPOINTMENT_NOT_FOUND.format(code=code))
    return appointment


def get_appointment(session: Session, *, code: str, phone: str) -> Appointment:
    return _find(session, code=code, phone=phone)


def cancel_appointment(session: Session, *, code: str, phone: str) -> Appointment:
    appointment = _find(session, code=code, phone=phone)
    if appointment.status is not Status.BOOKED:
        raise ConflictError(_not_changeable(appointment, t.ACTION_CANCEL))
    _release_seat(session, appointment=appointment)
    appointment.events.append(
        AppointmentEvent(actor=CITIZEN, action="cancel", from_status=appointment.status, to_status=Status.CANCELLED)
    )
    appointment.status = Status.CANCELLED
    session.commit()
    return appointment


def reschedule_appointment(
    session: Session, rules: Rules, *, code: str, phone: str, day: date, slot: str
) -> Appointment:
    """Move a booking to another slot in one transaction: the new seat is taken before the old is freed."""
    appointment = _find(session, code=code, phone=phone)
    if appointment.status is not Status.BOOKED:
        raise ConflictError(_not_changeable(appointment, t.ACTION_RESCHEDULE))
    if (appointment.day, appointment.slot) == (day, slot):
        raise InvalidInputError(t.RESCHEDULE_SAME_SLOT)
    hall = get_hall(session, code=appointment.hall.code)
    group = next((g for g in hall.groups if g.code == appointment.group_code), None)
    if group is None:  # the pool was removed from the seed since the booking was made
        group = _pool(session, hall=hall, item=get_item(session, code=appointment.item_code))
    _check_slot(rules, hall=hall, group=group, day=day, slot=slot)
    old = f"{appointment.day.isoformat()} {appointment.slot}"
    try:
        if not _take_seat(session, hall=hall, group=group, day=day, slot=slot):
            session.rollback()
            raise ConflictError(t.SLOT_FULL.format(date=day.isoformat(), slot=slot))
        _release_seat(session, appointment=appointment)
        appointment.day, appointment.slot, appointment.group_code = day, slot, group.code
        appointment.window_name = _window(hall, group).name
        appointment.events.append(
            AppointmentEvent(
                actor=CITIZEN,
                action="reschedule",
                from_status=Status.BOOKED,
                to_status=Status.BOOKED,
                note=f"{old} → {day.isoformat()} {slot}",
            )
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ConflictError(
            t.DUPLICATE_BOOKING.format(date=day.isoformat(), item_name=appointment.item_name)
        ) from None
    return _find(session, code=code, phone=phone)


def _not_changeable(appointment: Appointment, action: str) -> str:
    return t.APPOINTMENT_NOT_CHANGEABLE.format(
        code=appointment.code, status=t.STATUS_LABELS[appointment.status], action=action
    )


# --- staff ---------------------------------------------------------------------------------------


def staff_day(session: Session, *, hall_code: str, day: date) -> StaffDayOut:
    hall = get_hall(session, code=hall_code)
    order = {label: i for i, label in enumerate(hall.slots)}
    appointments = session.scalars(
        select(Appointment)
        .where(Appointment.hall_id == hall.id, Appointment.day == day)
        .options(selectinload(Appointment.hall), selectinload(Appointment.events))
    ).all()
    appointments = sorted(appointments, key=lambda a: (order.get(a.slot, len(order)), a.code))
    return StaffDayOut(
        date=day, hall=_hall_brief(hall), slots=list(hall.slots), appointments=[staff_view(a) for a in appointments]
    )


def set_status(session: Session, *, code: str, status: Status, by: str | None) -> Appointment:
    """A staff move (arrived / done / no-show); repeating the current status changes nothing."""
    appointment = _find(session, code=code, phone=None)
    if appointment.status is status:
        return appointment
    if status not in STAFF_MOVES.get(appointment.status, set()):
        raise ConflictError(
            t.STATUS_CHANGE_INVALID.format(
                code=appointment.code,
                status=t.STATUS_LABELS[appointment.status],
                target=t.STATUS_LABELS[status],
            )
        )
    appointment.events.append(
        AppointmentEvent(
            actor=f"{STAFF}:{by}" if by else STAFF,
            action="status",
            from_status=appointment.status,
            to_status=status,
        )
    )
    appointment.status = status
    session.commit()
    return _find(session, code=code, phone=None)


# --- views ----------------------------------------------------------------------------------------


def _hall_brief(hall: BookingHall) -> HallBrief:
    return HallBrief(code=hall.code, name=hall.name, address=hall.address, phone=hall.phone)


def citizen_view(appointment: Appointment) -> AppointmentOut:
    agent = appointment.agent
    return AppointmentOut(
        code=appointment.code,
        status=appointment.status,
        status_label=t.STATUS_LABELS[appointment.status],
        hall=_hall_brief(appointment.hall),
        item_code=appointment.item_code,
        item_name=appointment.item_name,
        situation=appointment.situation,
        date=appointment.day,
        slot=appointment.slot,
        window=appointment.window_name,
        name=mask_name(appointment.name),
        phone=mask_mobile(appointment.phone),
        id_number=appointment.id_masked,
        agent=None
        if agent is None
        else AgentOut(name=mask_name(agent["name"]), phone=mask_mobile(agent["phone"]), id_number=agent["id_masked"]),
        materials_ready=list(appointment.materials_ready),
        materials_missing=list(appointment.materials_missing),
        created_at=appointment.created_at,
    )


def staff_view(appointment: Appointment) -> StaffAppointmentOut:
    citizen = citizen_view(appointment)
    agent = appointment.agent
    return StaffAppointmentOut(
        **citizen.model_dump(exclude={"name", "agent"}),
        name=appointment.name,
        agent=None
        if agent is None
        else AgentOut(name=agent["name"], phone=mask_mobile(agent["phone"]), id_number=agent["id_masked"]),
        phone_full=appointment.phone,
        agent_phone_full=agent["phone"] if agent else None,
        events=[
            EventOut(
                at=e.at, actor=e.actor, action=e.action, from_status=e.from_status, to_status=e.to_status, note=e.note
            )
            for e in appointment.events
        ],
    )


# --- checking what a citizen typed, for the bot ---------------------------------------------


def check_person(request: PersonCheckIn, *, today: date) -> PersonCheckOut:
    """The same rules as a booking, one field at a time, so the bot can re-ask with the reason."""
    checks = {
        "name": (check_name, mask_name),
        "phone": (check_mobile, mask_mobile),
        "id_number": (lambda text: check_id_number(text, today=today), mask_id_number),
    }
    results = {}
    for field, (check, mask) in checks.items():
        text = getattr(request, field)
        if text is None:
            continue
        try:
            value = check(text)
        except ValueError as error:
            results[field] = FieldCheckOut(ok=False, value=None, masked=None, reason=str(error))
        else:
            results[field] = FieldCheckOut(ok=True, value=value, masked=mask(value), reason=None)
    return PersonCheckOut(**results)

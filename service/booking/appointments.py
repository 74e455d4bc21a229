"""The life of a booking: made once per Idempotency-Key, looked up, cancelled, moved, and staff's status moves."""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from service.booking.halls import get_hall, pool_for, window_of
from service.booking.models import Appointment, AppointmentEvent, BookingHall, Status
from service.booking.policy import policy_of, reschedules_left, reschedules_made, suspended_until
from service.booking.rules import Rules, check_slot, has_started
from service.booking.schemas import AppointmentIn, StaffDayOut
from service.booking.seats import next_code, release_seat, take_seat
from service.booking.views import staff_day_view
from service.catalogue.models import Item
from service.catalogue.notice import checklist_for
from service.catalogue.service import get_item
from service.core import templates as t
from service.core.errors import ConflictError, InvalidInputError, NotFoundError
from service.core.identity import hash_id_number, mask_id_number

log = logging.getLogger(__name__)

CITIZEN = "citizen"
STAFF = "staff"
# Staff moves: arrived or no-show on the day, done after arrival; a no-show who turns up arrives.
STAFF_MOVES = {
    Status.BOOKED: {Status.ARRIVED, Status.NO_SHOW},
    Status.ARRIVED: {Status.DONE},
    Status.NO_SHOW: {Status.ARRIVED},
}


def _check_declared(item: Item, request: AppointmentIn) -> None:
    if request.situation is not None and request.situation not in {s.key for s in item.situations}:
        choices = "、".join(f"{s.key}（{s.name}）" for s in item.situations) or "无"
        raise InvalidInputError(
            t.SITUATION_UNKNOWN.format(item_name=item.name, situation=request.situation, choices=choices)
        )
    declared = [*request.materials_ready, *request.materials_missing]
    known = {m.name for m in item.materials}
    unknown = [n for n in declared if n not in known]
    if unknown:
        raise InvalidInputError(t.MATERIAL_UNKNOWN.format(item_name=item.name, names="、".join(unknown)))
    # Any situation's checklist: a booking on someone's behalf adds the 委托 situation's letter.
    to_bring = {m.name for m in checklist_for(item, None)}
    shared = [n for n in declared if n not in to_bring]
    if shared:
        raise InvalidInputError(t.MATERIAL_SHARED.format(item_name=item.name, names="、".join(shared)))
    both = sorted(set(request.materials_ready) & set(request.materials_missing))
    if both:
        raise InvalidInputError(t.MATERIAL_BOTH.format(names="、".join(both)))


def request_fingerprint(request: AppointmentIn, *, key: str, bundle: str | None = None) -> str:
    """Keyed hash of the request body: tells a retry from a different booking under the same key."""
    body = request.model_dump(mode="json") | ({"bundle": bundle} if bundle else {})
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True)
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


@dataclass(frozen=True)
class CoveredBundle:
    """A life-event bundle one booking covers: done at the window of the booked item."""

    code: str
    name: str
    items: list[str]


def create_appointment(
    session: Session, rules: Rules, *, request: AppointmentIn, idempotency_key: str, hash_key: str,
    bundle: CoveredBundle | None = None,
) -> tuple[Appointment, bool]:
    """Book a seat; (booking, True) when written now, (the earlier booking, False) for a retry."""
    fingerprint = request_fingerprint(request, key=hash_key, bundle=bundle.code if bundle else None)
    existing = _by_key(session, idempotency_key)
    if existing is not None:
        return _replay(existing, fingerprint), False
    hall = get_hall(session, code=request.hall)
    item = get_item(session, code=request.item_code)
    group = pool_for(session, hall=hall, item=item)
    check_slot(rules, hall=hall, group=group, day=request.date, slot=request.slot)
    _check_declared(item, request)
    id_hash = hash_id_number(request.id_number, key=hash_key)
    _check_not_suspended(session, hall=hall, id_hash=id_hash, today=rules.today)
    if _duplicate_person(session, id_hash=id_hash, item=item, day=request.date):
        raise ConflictError(t.DUPLICATE_BOOKING.format(date=request.date.isoformat(), item_name=item.name))
    try:
        if not take_seat(session, hall=hall, group=group, day=request.date, slot=request.slot):
            session.rollback()
            raise ConflictError(t.SLOT_FULL.format(date=request.date.isoformat(), slot=request.slot))
        agent = request.agent
        appointment = Appointment(
            code=next_code(session, hall=hall, day=request.date),
            idempotency_key=idempotency_key,
            request_hash=fingerprint,
            hall=hall,
            item_code=item.code,
            item_name=item.name,
            situation=request.situation,
            group_code=group.code,
            window_name=window_of(hall, group).name,
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
            channel=request.channel,
            conversation_id=request.conversation_id,
            bundle=None if bundle is None else {"code": bundle.code, "name": bundle.name, "items": bundle.items},
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


def _check_not_suspended(session: Session, *, hall: BookingHall, id_hash: str, today: date) -> None:
    until = suspended_until(session, hall=hall, id_hash=id_hash, today=today)
    if until is not None:
        policy = policy_of(hall)
        log.info("booking refused at hall %s: online booking suspended until %s", hall.code, until)
        raise ConflictError(t.BOOKING_SUSPENDED.format(
            window_days=policy.no_show_window_days, count=policy.no_show_limit, hall_name=hall.name,
            until=(until - timedelta(days=1)).isoformat(), phone=hall.phone,
        ))


@dataclass(frozen=True)
class Proof:
    """Who may see or change a booking: whoever gives its phone, or the conversation that made it
    (the bot vouches for the conversation; the router lets only the bot name one)."""

    phone: str | None = None
    conversation_id: str | None = None

    def admits(self, appointment: Appointment) -> bool:
        if self.phone is not None:
            return hmac.compare_digest(appointment.phone, self.phone)
        return self.conversation_id is not None and appointment.conversation_id == self.conversation_id


STAFF_PROOF = None  # staff routes find a booking by its code alone


def _find(session: Session, *, code: str, proof: Proof | None) -> Appointment:
    """A booking by code; a citizen must also prove it is theirs (else: not found, as if absent)."""
    appointment = session.scalars(
        select(Appointment)
        .where(Appointment.code == code.strip().upper())
        .options(selectinload(Appointment.hall), selectinload(Appointment.events))
    ).one_or_none()
    if appointment is None or (proof is not STAFF_PROOF and not proof.admits(appointment)):
        raise NotFoundError(t.APPOINTMENT_NOT_FOUND.format(code=code))
    return appointment


def get_appointment(session: Session, *, code: str, proof: Proof) -> Appointment:
    return _find(session, code=code, proof=proof)


def coming_for_conversation(session: Session, *, conversation_id: str, today: date) -> list[Appointment]:
    """The conversation's bookings from today on that are still to be kept, soonest first."""
    return list(session.scalars(
        select(Appointment)
        .where(Appointment.conversation_id == conversation_id, Appointment.day >= today,
               Appointment.status == Status.BOOKED)
        .options(selectinload(Appointment.hall), selectinload(Appointment.events))
        .order_by(Appointment.day, Appointment.slot, Appointment.code)
    ))


def _check_changeable(rules: Rules, appointment: Appointment, action: str) -> None:
    if appointment.status is not Status.BOOKED:
        raise ConflictError(_not_changeable(appointment, action))
    if appointment.day < rules.today or has_started(rules, appointment.day, appointment.slot):
        raise ConflictError(t.APPOINTMENT_STARTED.format(
            code=appointment.code, date=appointment.day.isoformat(), slot=appointment.slot, action=action,
            phone=appointment.hall.phone,
        ))


def cancel_appointment(session: Session, rules: Rules, *, code: str, proof: Proof) -> Appointment:
    appointment = _find(session, code=code, proof=proof)
    _check_changeable(rules, appointment, t.ACTION_CANCEL)
    release_seat(session, appointment=appointment)
    appointment.events.append(
        AppointmentEvent(actor=CITIZEN, action="cancel", from_status=appointment.status, to_status=Status.CANCELLED)
    )
    appointment.status = Status.CANCELLED
    session.commit()
    return appointment


def reschedule_appointment(
    session: Session, rules: Rules, *, code: str, proof: Proof, day: date, slot: str
) -> Appointment:
    """Move a booking to another slot in one transaction: the new seat is taken before the old is freed."""
    appointment = _find(session, code=code, proof=proof)
    _check_changeable(rules, appointment, t.ACTION_RESCHEDULE)
    if reschedules_left(appointment) == 0:
        raise ConflictError(t.RESCHEDULE_LIMIT.format(
            code=appointment.code, count=reschedules_made(appointment),
            limit=policy_of(appointment.hall).max_reschedules, phone=appointment.hall.phone))
    if (appointment.day, appointment.slot) == (day, slot):
        raise InvalidInputError(t.RESCHEDULE_SAME_SLOT)
    hall = get_hall(session, code=appointment.hall.code)
    group = next((g for g in hall.groups if g.code == appointment.group_code), None)
    if group is None:  # the pool was removed from the seed since the booking was made
        group = pool_for(session, hall=hall, item=get_item(session, code=appointment.item_code))
    check_slot(rules, hall=hall, group=group, day=day, slot=slot)
    old = f"{appointment.day.isoformat()} {appointment.slot}"
    try:
        if not take_seat(session, hall=hall, group=group, day=day, slot=slot):
            session.rollback()
            raise ConflictError(t.SLOT_FULL.format(date=day.isoformat(), slot=slot))
        release_seat(session, appointment=appointment)
        appointment.day, appointment.slot, appointment.group_code = day, slot, group.code
        appointment.window_name = window_of(hall, group).name
        appointment.reminded_at = None  # the new day gets its own reminder
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
    return _find(session, code=code, proof=proof)


def _not_changeable(appointment: Appointment, action: str) -> str:
    return t.APPOINTMENT_NOT_CHANGEABLE.format(
        code=appointment.code, status=t.STATUS_LABELS[appointment.status], action=action
    )


def staff_day(session: Session, *, hall_code: str, day: date) -> StaffDayOut:
    """The hall's bookings of one day for window staff, in slot order."""
    hall = get_hall(session, code=hall_code)
    order = {label: i for i, label in enumerate(hall.slots)}
    appointments = session.scalars(
        select(Appointment)
        .where(Appointment.hall_id == hall.id, Appointment.day == day)
        .options(selectinload(Appointment.hall), selectinload(Appointment.events))
    ).all()
    appointments = sorted(appointments, key=lambda a: (order.get(a.slot, len(order)), a.code))
    return staff_day_view(hall, day=day, appointments=appointments)


def set_status(session: Session, *, code: str, status: Status, by: str | None) -> Appointment:
    """A staff move (arrived / done / no-show); repeating the current status changes nothing."""
    appointment = _find(session, code=code, proof=STAFF_PROOF)
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
    return _find(session, code=code, proof=STAFF_PROOF)

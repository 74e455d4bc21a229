"""Accepting an application (受理): a case from a booking (item and applicant taken from it) or for
a walk-in, its number, its promised deadline, one case per Idempotency-Key and per booking."""

import logging
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.booking.models import Appointment
from service.booking.models import Status as BookingStatus
from service.cases import actors, push
from service.cases.deadlines import Timekeeper
from service.cases.lookup import get_case
from service.cases.models import Case, CaseCounter, CaseEvent, CaseStatus
from service.cases.schemas import CaseIn
from service.catalogue.models import Item, Unpublished
from service.catalogue.notice import unpublished
from service.catalogue.service import get_item
from service.core import templates as t
from service.core.counters import next_in_sequence
from service.core.errors import ConflictError, InvalidInputError, NotFoundError
from service.core.identity import hash_id_number, mask_id_number

log = logging.getLogger(__name__)


def _next_number(session: Session, *, day: date) -> str:
    """SL-YYYYMMDD-NNNN (SL: 受理) from a per-day counter, bumped atomically by an upsert."""
    return f"SL-{day:%Y%m%d}-{next_in_sequence(session, CaseCounter, day=day):04d}"


def _appointment(session: Session, code: str) -> Appointment:
    """The booking the applicant came with (read only: the booking domain keeps its own states)."""
    appointment = session.scalars(select(Appointment).where(Appointment.code == code.strip().upper())).one_or_none()
    if appointment is None:
        raise NotFoundError(t.CASE_APPOINTMENT_NOT_FOUND.format(code=code))
    if appointment.status is BookingStatus.CANCELLED:
        raise ConflictError(t.CASE_APPOINTMENT_CANCELLED.format(code=appointment.code))
    taken = session.scalar(select(Case.number).where(Case.appointment_code == appointment.code))
    if taken is not None:
        raise ConflictError(t.CASE_APPOINTMENT_TAKEN.format(code=appointment.code, number=taken))
    return appointment


def _applicant(session: Session, request: CaseIn, *, hash_key: str) -> dict:
    """Who applies for what, and where they talk to us: from the booking or as the staff typed it."""
    if request.appointment_code is not None:
        booking = _appointment(session, request.appointment_code)
        return {
            "appointment_code": booking.code, "item_code": booking.item_code, "applicant": booking.name,
            "phone": booking.phone, "id_hash": booking.id_hash, "id_masked": booking.id_masked,
            "channel": booking.channel, "conversation_id": booking.conversation_id,
        }
    assert request.id_number is not None  # CaseIn checks a walk-in has every field
    return {
        "appointment_code": None, "item_code": request.item_code, "applicant": request.applicant,
        "phone": request.phone, "id_hash": hash_id_number(request.id_number, key=hash_key),
        "id_masked": mask_id_number(request.id_number), "channel": request.channel,
        "conversation_id": request.conversation_id,
    }


def _by_key(session: Session, key: str | None) -> Case | None:
    if key is None:
        return None
    number = session.scalar(select(Case.number).where(Case.idempotency_key == key))
    return None if number is None else get_case(session, number=number)


def _replay(earlier: Case, request: CaseIn) -> Case:
    same = (earlier.appointment_code == request.appointment_code if request.appointment_code
            else (earlier.item_code, earlier.phone) == (request.item_code, request.phone))
    if not same:
        raise ConflictError(t.CASE_IDEMPOTENCY_REUSED)
    return earlier


def _promised_days(item: Item, request: CaseIn) -> int:
    """The item's published 承诺时限, or, where its guide publishes none, the one the window gives:
    a case's deadline is never invented (0 days would make it due the day it is accepted)."""
    if not unpublished(item, Unpublished.PROMISED_DAYS):
        if request.promised_days is not None:
            raise InvalidInputError(t.CASE_PROMISED_DAYS_PUBLISHED.format(days=item.promised_days))
        return item.promised_days
    if request.promised_days is None:
        legal = (t.CASE_LEGAL_DAYS_HINT.format(days=item.legal_days)
                 if item.legal_days and not unpublished(item, Unpublished.LEGAL_DAYS) else "")
        raise InvalidInputError(t.CASE_PROMISED_DAYS_NEEDED.format(item_name=item.name, legal=legal))
    return request.promised_days


def create_case(
    session: Session,
    *,
    request: CaseIn,
    keeper: Timekeeper,
    now: datetime,
    hash_key: str,
    idempotency_key: str | None = None,
) -> tuple[Case, bool]:
    """(the new case, True), or (the case an earlier request with this Idempotency-Key made, False)."""
    earlier = _by_key(session, idempotency_key)
    if earlier is not None:
        return _replay(earlier, request), False
    person = _applicant(session, request, hash_key=hash_key)
    item = get_item(session, code=person["item_code"])
    promised_days = _promised_days(item, request)
    accepted_on = now.date()  # the local day numbers the case and starts its time limit
    actor = actors.staff(request.staff)
    case = Case(
        **person,
        number=_next_number(session, day=accepted_on),
        item_name=item.name,
        department=item.department.name,
        status=CaseStatus.ACCEPTED,
        promised_days=promised_days,
        accepted_on=accepted_on,
        paused_days=0,
        due_on=keeper.due_date(accepted_on=accepted_on, working_days=promised_days),
        materials_missing=[],
        idempotency_key=idempotency_key,
        created_at=now.astimezone(UTC),
        updated_at=now.astimezone(UTC),
    )
    case.events.append(CaseEvent(at=now, actor=actor, action="accept", to_status=CaseStatus.ACCEPTED))
    session.add(case)
    try:
        session.flush()
        push.state_changed(session, case, author=actor, at=now)
        session.commit()
    except IntegrityError:
        # A concurrent retry with the same key, or the same booking accepted at the same moment.
        session.rollback()
        earlier = _by_key(session, idempotency_key)
        if earlier is not None:
            return _replay(earlier, request), False
        if request.appointment_code is not None:
            _appointment(session, request.appointment_code)  # refuses: accepted meanwhile
        raise
    log.info("case %s accepted for %s", case.number, item.code)
    return get_case(session, number=case.number), True

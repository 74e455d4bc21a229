"""Filing a new work order: its number, the type, topic and item the classifier and the catalogue
suggest for what the citizen left out, the deadline, and one order per Idempotency-Key."""

import logging
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from service.catalogue.models import Item
from service.core import templates as t
from service.core.calendar import WorkCalendar
from service.core.counters import next_in_sequence
from service.core.errors import ConflictError, InvalidInputError
from service.core.privacy import mask_personal_data
from service.tickets import actors
from service.tickets.deadlines import DeadlineRules, compute_deadline
from service.tickets.draft import related_item, summarise
from service.tickets.models import Status, Ticket, TicketCounter, TicketEvent, TicketMessage, TicketType
from service.tickets.schemas import TicketIn
from service.triage.classifier import get_classifier

log = logging.getLogger(__name__)


def _next_number(session: Session, *, day: date) -> str:
    """12345-YYYYMMDD-NNNNN from a per-day counter, bumped atomically by an upsert."""
    number = next_in_sequence(session, TicketCounter, day=day)
    return f"12345-{day:%Y%m%d}-{number:05d}"


def create_ticket(
    session: Session,
    *,
    request: TicketIn,
    now: datetime,
    rules: DeadlineRules,
    calendar: WorkCalendar,
    idempotency_key: str | None = None,
) -> Ticket:
    """A new order; with an Idempotency-Key already used, the order it created (same request only).

    Type and topic the citizen or bot did not give are suggested by the classifier, the related
    item (and so the handling department) by the catalogue search when the words clearly name one.
    """
    if idempotency_key is not None:
        earlier = session.scalars(select(Ticket).where(Ticket.idempotency_key == idempotency_key)).one_or_none()
        if earlier is not None:
            if earlier.conversation_id != request.conversation_id or earlier.phone != request.phone:
                raise ConflictError(t.TICKET_IDEMPOTENCY_REUSED)
            return earlier
    local_now, now = now, now.astimezone(UTC)  # the local day numbers the order; stored in UTC
    department = request.department
    item_code = request.item_code
    if item_code is None and (related := related_item(session, request.content)) is not None:
        item_code = related.code  # read from the words, like type and topic
    if item_code is not None:
        item = session.scalars(
            select(Item).where(Item.code == item_code).options(selectinload(Item.department))
        ).one_or_none()
        if item is None:
            raise InvalidInputError(t.TICKET_ITEM_UNKNOWN.format(code=item_code))
        department = department or item.department.name
    # ID and phone numbers typed into the text are not needed to handle it: stored masked.
    content = mask_personal_data(request.content)
    ticket_type, topic_l1, topic_l2 = request.type, request.topic_l1, request.topic_l2
    if ticket_type is None or topic_l1 is None:
        triage = get_classifier().classify(content=request.content)
        ticket_type = ticket_type or TicketType(triage.type)
        if topic_l1 is None:
            topic_l1, topic_l2 = triage.l1, triage.l2
    ticket = Ticket(
        number=_next_number(session, day=local_now.date()),
        channel=request.channel,
        requester=request.requester or None,
        phone=request.phone,
        confidential=request.confidential,
        type=ticket_type,
        topic_l1=topic_l1,
        topic_l2=topic_l2,
        district=request.district or None,
        place=request.place or None,
        content=content,
        summary=mask_personal_data(request.summary) if request.summary else summarise(content),
        urgency=request.urgency,
        item_code=item_code,
        department=department,
        deadline=compute_deadline(
            rules, calendar, created=local_now, type=ticket_type, urgency=request.urgency
        ).astimezone(UTC),
        status=Status.NEW,
        conversation_id=request.conversation_id,
        idempotency_key=idempotency_key,
        created_at=now,
        updated_at=now,
    )
    ticket.events.append(
        TicketEvent(at=now, actor=actors.CITIZEN, action="create", to_status=Status.NEW, note=request.channel.value)
    )
    for line in request.transcript:
        ticket.messages.append(TicketMessage(at=now, author=line.author, text=mask_personal_data(line.text)))
    session.add(ticket)
    try:
        session.commit()
    except IntegrityError:
        # The same Idempotency-Key committed by a concurrent retry: that order is the answer.
        session.rollback()
        if idempotency_key is None:
            raise
        return create_ticket(
            session, request=request, now=local_now, rules=rules, calendar=calendar, idempotency_key=idempotency_key
        )
    log.info("work order %s created (%s, %s)", ticket.number, ticket.type.value, ticket.channel.value)
    return ticket

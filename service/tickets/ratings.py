"""The requester's 好差评 (satisfaction rating) of a work order: once, after the reply, given
with the phone the order was filed with or in the chat it came from. A 差评 opens its follow-up
task (followups.py) in the same transaction."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from service.core import templates as t
from service.core.calendar import WorkCalendar
from service.core.errors import ConflictError
from service.tickets import actors, followups
from service.tickets.conversation import conversation_ticket
from service.tickets.lookup import get_citizen_ticket, get_ticket
from service.tickets.models import Satisfaction, Status, Ticket, TicketEvent


def rate(session: Session, *, ticket: Ticket, rating: Satisfaction, now: datetime, calendar: WorkCalendar) -> Ticket:
    """The rating of `ticket`, found with the phone or the conversation."""
    rated = session.execute(
        update(Ticket)
        .where(
            Ticket.id == ticket.id,
            Ticket.satisfaction.is_(None),
            Ticket.status.in_((Status.REPLIED, Status.CLOSED)),
        )
        .values(satisfaction=rating, rated_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if rated.rowcount != 1:
        session.rollback()
        if ticket.satisfaction is not None:
            raise ConflictError(t.TICKET_ALREADY_RATED.format(number=ticket.number))
        raise ConflictError(t.TICKET_NOT_YET_REPLIED.format(number=ticket.number))
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            at=now,
            actor=actors.CITIZEN,
            action="rate",
            from_status=ticket.status,
            to_status=ticket.status,
            note=rating.value,
        )
    )
    followups.open_if_poor(session, ticket=ticket, rating=rating, rated_at=now, calendar=calendar)
    session.commit()
    session.expire_all()
    return get_ticket(session, number=ticket.number)


def rate_with_phone(
    session: Session, *, number: str, phone: str, rating: Satisfaction, now: datetime, calendar: WorkCalendar
) -> Ticket:
    ticket = get_citizen_ticket(session, number=number, phone=phone)
    return rate(session, ticket=ticket, rating=rating, now=now, calendar=calendar)


def rate_in_conversation(
    session: Session, *, conversation_id: str, number: str, rating: Satisfaction, now: datetime,
    calendar: WorkCalendar,
) -> Ticket:
    """The rating given in the chat the order came from: the conversation stands in for the phone."""
    ticket = conversation_ticket(session, conversation_id=conversation_id, number=number)
    return rate(session, ticket=ticket, rating=rating, now=now, calendar=calendar)

"""Finding one work order by its number: for agents, or for the citizen with the phone it was filed with."""

import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.core import templates as t
from service.core.errors import NotFoundError
from service.tickets.models import Ticket


def _by_number(session: Session, number: str) -> Ticket | None:
    return session.scalars(
        select(Ticket)
        .where(Ticket.number == number.strip())
        .options(selectinload(Ticket.events), selectinload(Ticket.messages))
    ).one_or_none()


def get_ticket(session: Session, *, number: str) -> Ticket:
    ticket = _by_number(session, number)
    if ticket is None:
        raise NotFoundError(t.TICKET_NOT_FOUND.format(number=number))
    return ticket


def get_citizen_ticket(session: Session, *, number: str, phone: str) -> Ticket:
    """The order only with the phone it was filed with; a wrong phone reads as not found."""
    ticket = _by_number(session, number)
    if ticket is None or not hmac.compare_digest(ticket.phone, phone):
        raise NotFoundError(t.TICKET_NOT_FOUND_FOR_PHONE.format(number=number))
    return ticket

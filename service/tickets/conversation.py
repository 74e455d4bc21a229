"""A work order's chat conversation, in the database: transcript lines, the citizen's outbox.

While an agent owns an order (claimed), the bot is paused in that conversation and what the
citizen writes is relayed here; what the agent writes is stored as an outgoing line, which the
web chat collects from the outbox and WeChat gets pushed (service/tickets/channels.py).
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.core import templates as t
from service.core.errors import ConflictError, NotFoundError
from service.core.privacy import mask_personal_data
from service.tickets import actors
from service.tickets.lookup import get_ticket
from service.tickets.models import Status, Ticket, TicketMessage
from service.wechat.service import SENDER_PREFIX

OUTBOX_PAGE = 50
CONVERSATION_TICKETS = 10


def wechat_openid(conversation_id: str) -> str | None:
    """The WeChat user of a "wechat:<openid>" conversation; None for a web chat."""
    return conversation_id.removeprefix(SENDER_PREFIX) if conversation_id.startswith(SENDER_PREFIX) else None


def add_outgoing(
    session: Session, *, ticket: Ticket, author: str, text: str, now: datetime, buttons: list[dict] | None = None
) -> TicketMessage:
    """A line for the citizen's conversation (stored masked, like every transcript line); the caller commits."""
    message = TicketMessage(
        ticket_id=ticket.id, at=now, author=author, text=mask_personal_data(text), outgoing=True, buttons=buttons
    )
    session.add(message)
    session.flush()
    return message


def add_agent_message(session: Session, *, number: str, agent: str, text: str, now: datetime) -> TicketMessage:
    """The owning agent writes to the citizen while the order is claimed."""
    ticket = get_ticket(session, number=number)
    if ticket.conversation_id is None:
        raise ConflictError(t.TICKET_NO_CONVERSATION.format(number=ticket.number))
    if ticket.status is not Status.CLAIMED:
        status = t.TICKET_STATUS_LABELS[ticket.status.value]
        raise ConflictError(t.TICKET_MESSAGE_NOT_CLAIMED.format(number=ticket.number, status=status))
    if ticket.assignee != agent:
        raise ConflictError(t.TICKET_MESSAGE_NOT_OWNER.format(number=ticket.number, assignee=ticket.assignee))
    return add_outgoing(session, ticket=ticket, author=actors.agent(agent), text=text, now=now)


def owned_ticket(session: Session, *, conversation_id: str) -> Ticket | None:
    """The conversation's order an agent holds now (the bot is paused for it), if any."""
    return session.scalars(
        select(Ticket)
        .where(Ticket.conversation_id == conversation_id, Ticket.status == Status.CLAIMED)
        .order_by(Ticket.id.desc())
        .limit(1)
    ).one_or_none()


def relay_citizen_message(
    session: Session, *, conversation_id: str, text: str, source_id: str | None, now: datetime
) -> TicketMessage:
    """What the citizen wrote while the agent owns the conversation; a retried relay is stored once."""
    if source_id is not None:
        earlier = session.scalars(select(TicketMessage).where(TicketMessage.source_id == source_id)).one_or_none()
        if earlier is not None:
            return earlier
    ticket = owned_ticket(session, conversation_id=conversation_id)
    if ticket is None:
        raise NotFoundError(t.CONVERSATION_NO_AGENT)
    message = TicketMessage(
        ticket_id=ticket.id, at=now, author=actors.CITIZEN, text=mask_personal_data(text), source_id=source_id
    )
    session.add(message)
    try:
        session.commit()
    except IntegrityError:  # the same relay, concurrently
        session.rollback()
        return session.scalars(select(TicketMessage).where(TicketMessage.source_id == source_id)).one()
    return message


def outbox(session: Session, *, conversation_id: str, after: int) -> list[TicketMessage]:
    """Outgoing lines of the conversation's orders newer than `after`, oldest first; a web chat's only."""
    if wechat_openid(conversation_id) is not None:
        raise NotFoundError(t.CONVERSATION_OUTBOX_WECHAT)  # WeChat gets its lines pushed
    return list(
        session.scalars(
            select(TicketMessage)
            .join(Ticket)
            .where(Ticket.conversation_id == conversation_id, TicketMessage.outgoing, TicketMessage.id > after)
            .order_by(TicketMessage.id)
            .limit(OUTBOX_PAGE)
        )
    )


def conversation_tickets(session: Session, *, conversation_id: str) -> list[Ticket]:
    """The orders filed from this conversation, newest first."""
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.conversation_id == conversation_id)
            .order_by(Ticket.id.desc())
            .limit(CONVERSATION_TICKETS)
        )
    )


def newest_ticket(session: Session, *, conversation_id: str) -> Ticket | None:
    tickets = conversation_tickets(session, conversation_id=conversation_id)
    return tickets[0] if tickets else None


def conversation_ticket(session: Session, *, conversation_id: str, number: str) -> Ticket:
    """An order filed from this conversation: the conversation stands in for the phone."""
    ticket = session.scalars(select(Ticket).where(Ticket.number == number.strip())).one_or_none()
    if ticket is None or ticket.conversation_id != conversation_id:
        raise NotFoundError(t.CONVERSATION_TICKET_NOT_FOUND.format(number=number))
    return ticket

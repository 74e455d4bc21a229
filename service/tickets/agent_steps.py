"""An agent's step on a work order together with what it means for the citizen's chat:
claiming pauses the bot, a message or the reply goes into the chat, returning or reassigning
an order an agent held gives the chat back to the bot, closing asks for the rating.

The chat's part is written to the outbox in the step's own transaction, so it is delivered
(channels.py for Rasa, wechat/delivery.py for WeChat) exactly when the step is stored, however
long Rasa or WeChat are away. Orders not filed from a chat have no chat part.
"""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from service.core import templates as t
from service.outbox import store as outbox
from service.tickets import actors, conversation, workflow
from service.tickets.channels import RASA
from service.tickets.conversation import wechat_openid
from service.tickets.lookup import get_ticket
from service.tickets.models import Status, Ticket, TicketMessage
from service.wechat.delivery import enqueue_texts


def _to_conversation(session: Session, ticket: Ticket, kind: str, **payload: Any) -> None:
    if ticket.conversation_id is not None:
        outbox.enqueue(
            session, destination=RASA, stream=ticket.conversation_id, kind=kind,
            payload={"conversation_id": ticket.conversation_id, **payload}, ticket_number=ticket.number,
        )


def _deliver(session: Session, ticket: Ticket, message: TicketMessage, *, at: datetime) -> None:
    """An agent's line: into the conversation's history and, on WeChat, to the citizen."""
    _to_conversation(session, ticket, "agent_line", author=message.author, text=message.text, at=at.timestamp())
    openid = wechat_openid(ticket.conversation_id or "")
    if openid is not None:
        enqueue_texts(session, openid=openid, texts=[t.WECHAT_AGENT_LABEL + message.text], ticket_number=ticket.number)


def _stored(session: Session, number: str) -> Ticket:
    session.commit()
    return get_ticket(session, number=number)


def claim(session: Session, *, number: str, agent: str, now: datetime) -> Ticket:
    ticket = workflow.claim(session, number=number, agent=agent, now=now)
    _to_conversation(session, ticket, "pause")
    return _stored(session, number)


def message_citizen(session: Session, *, number: str, agent: str, text: str, now: datetime) -> TicketMessage:
    """The owning agent writes into the citizen's chat."""
    message = conversation.add_agent_message(session, number=number, agent=agent, text=text, now=now)
    _deliver(session, message.ticket, message, at=now)
    session.commit()
    return message


def reply(session: Session, *, number: str, agent: str, text: str, now: datetime) -> Ticket:
    """The formal answer; it also reaches the citizen's chat when the order came from one."""
    ticket = workflow.reply(session, number=number, agent=agent, text=text, now=now)
    if ticket.conversation_id is not None:
        line = t.TICKET_REPLY_MESSAGE.format(number=ticket.number, reply=text)
        message = conversation.add_outgoing(session, ticket=ticket, author=actors.agent(agent), text=line, now=now)
        _deliver(session, ticket, message, at=now)
    return _stored(session, number)  # with the new transcript line


def return_ticket(session: Session, *, number: str, agent: str, reason: str, now: datetime) -> Ticket:
    ticket = workflow.return_ticket(session, number=number, agent=agent, reason=reason, now=now)
    _to_conversation(session, ticket, "resume")
    return _stored(session, number)


def reassign(
    session: Session, *, number: str, agent: str, department: str, note: str | None, now: datetime
) -> Ticket:
    ticket = workflow.reassign(session, number=number, agent=agent, department=department, note=note, now=now)
    if ticket.events[-1].from_status is Status.CLAIMED:  # an agent held it: the bot takes over again
        _to_conversation(session, ticket, "resume")
    return _stored(session, number)


def close(session: Session, *, number: str, agent: str, now: datetime) -> Ticket:
    ticket = workflow.close(session, number=number, agent=agent, now=now)
    _to_conversation(session, ticket, "resume")
    _to_conversation(session, ticket, "ticket_closed", number=ticket.number)
    return _stored(session, number)

"""An agent's step on a work order together with what it means for the citizen's chat:
claiming pauses the bot, a message or the reply goes into the chat, returning or reassigning
an order an agent held gives the chat back to the bot, closing asks for the rating.

The step is stored first; the chat's part runs after the response (channels.py does it), so a
Rasa or WeChat outage delays nothing. Orders not filed from a chat have no chat part.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from service.core import templates as t
from service.tickets import actors, conversation, workflow
from service.tickets.channels import ConversationChannels
from service.tickets.lookup import get_ticket
from service.tickets.models import Status, Ticket, TicketMessage


@dataclass(frozen=True)
class ChatFollowUp:
    channels: ConversationChannels
    run_later: Callable[..., None]  # runs a job after the response, as FastAPI's BackgroundTasks.add_task

    def later(self, ticket: Ticket, job: Callable[..., Awaitable[None]], **kwargs: Any) -> None:
        """The channels' `job` for the order's conversation, when the order came from one."""
        if ticket.conversation_id is not None:
            self.run_later(job, ticket.conversation_id, **kwargs)

    def deliver(self, ticket: Ticket, message: TicketMessage, *, at: datetime) -> None:
        self.later(ticket, self.channels.deliver, author=message.author, text=message.text, at=at)


def claim(session: Session, chat: ChatFollowUp, *, number: str, agent: str, now: datetime) -> Ticket:
    ticket = workflow.claim(session, number=number, agent=agent, now=now)
    chat.later(ticket, chat.channels.agent_took_over)
    return ticket


def message_citizen(
    session: Session, chat: ChatFollowUp, *, number: str, agent: str, text: str, now: datetime
) -> TicketMessage:
    """The owning agent writes into the citizen's chat."""
    message = conversation.add_agent_message(session, number=number, agent=agent, text=text, now=now)
    chat.deliver(message.ticket, message, at=now)
    return message


def reply(session: Session, chat: ChatFollowUp, *, number: str, agent: str, text: str, now: datetime) -> Ticket:
    """The formal answer; it also reaches the citizen's chat when the order came from one."""
    ticket = workflow.reply(session, number=number, agent=agent, text=text, now=now)
    if ticket.conversation_id is None:
        return ticket
    line = t.TICKET_REPLY_MESSAGE.format(number=ticket.number, reply=text)
    message = conversation.add_outgoing(session, ticket=ticket, author=actors.agent(agent), text=line, now=now)
    chat.deliver(ticket, message, at=now)
    return get_ticket(session, number=number)  # with the new transcript line


def return_ticket(
    session: Session, chat: ChatFollowUp, *, number: str, agent: str, reason: str, now: datetime
) -> Ticket:
    ticket = workflow.return_ticket(session, number=number, agent=agent, reason=reason, now=now)
    chat.later(ticket, chat.channels.agent_let_go)
    return ticket


def reassign(
    session: Session, chat: ChatFollowUp, *, number: str, agent: str, department: str, note: str | None, now: datetime
) -> Ticket:
    ticket = workflow.reassign(session, number=number, agent=agent, department=department, note=note, now=now)
    if ticket.events[-1].from_status is Status.CLAIMED:  # an agent held it: the bot takes over again
        chat.later(ticket, chat.channels.agent_let_go)
    return ticket


def close(session: Session, chat: ChatFollowUp, *, number: str, agent: str, now: datetime) -> Ticket:
    ticket = workflow.close(session, number=number, agent=agent, now=now)
    chat.later(ticket, chat.channels.closed, number=ticket.number, now=now)
    return ticket

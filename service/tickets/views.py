"""Work orders as the API shows them: to the citizen (phone masked), in the agents' queue, in full
to agents (with the steps open to the one asking), and transcript lines."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from service.core import templates as t
from service.core.privacy import mask_mobiles
from service.tickets.deadlines import DeadlineRules, is_overdue
from service.tickets.models import RatingFollowUp, Ticket, TicketMessage
from service.tickets.schemas import (
    CitizenTicketOut,
    EventOut,
    FollowUpOut,
    MessageOut,
    Outbox,
    TicketBrief,
    TicketCreatedOut,
    TicketOut,
)
from service.tickets.workflow import allowed_actions


def _stored_fields(ticket: Ticket, schema: type[BaseModel], *, but: set[str]) -> dict[str, Any]:
    """The schema's fields as stored on the order, except those worked out here (`but`)."""
    return {name: getattr(ticket, name) for name in schema.model_fields if name not in but}


def _status_label(ticket: Ticket) -> str:
    return t.TICKET_STATUS_LABELS[ticket.status.value]


def citizen_view(ticket: Ticket) -> CitizenTicketOut:
    return CitizenTicketOut(
        **_stored_fields(ticket, CitizenTicketOut, but={"status_label", "phone"}),
        status_label=_status_label(ticket),
        phone=mask_mobiles(ticket.phone),
    )


def _brief_fields(ticket: Ticket, *, now: datetime) -> dict[str, Any]:
    return _stored_fields(ticket, TicketBrief, but={"status_label", "overdue"}) | {
        "status_label": _status_label(ticket),
        "overdue": is_overdue(ticket, now=now),
    }


def brief_view(ticket: Ticket, *, now: datetime) -> TicketBrief:
    return TicketBrief(**_brief_fields(ticket, now=now))


def created_view(ticket: Ticket, *, rules: DeadlineRules, now: datetime) -> TicketCreatedOut:
    return TicketCreatedOut(
        **citizen_view(ticket).model_dump(),
        topic_l1=ticket.topic_l1,
        topic_l2=ticket.topic_l2,
        agents_on_duty=rules.agents_back_at(now) is None,
        agents_back_at=rules.agents_back_at(now),
        agent_hours=rules.agent_hours,
    )


def message_view(message: TicketMessage) -> MessageOut:
    return MessageOut.model_validate(message, from_attributes=True)


def agent_view(ticket: Ticket, *, now: datetime, agent: str | None = None) -> TicketOut:
    """The full order; `allowed_actions` for `agent` (the one asking)."""
    computed = {"events", "transcript", "conversation", "allowed_actions"}
    extra = _stored_fields(ticket, TicketOut, but=set(TicketBrief.model_fields) | computed)
    extra["events"] = [EventOut.model_validate(event, from_attributes=True) for event in ticket.events]
    extra["transcript"] = [message_view(message) for message in ticket.messages]
    extra["conversation"] = ticket.conversation_id is not None
    extra["allowed_actions"] = allowed_actions(ticket, agent=agent)
    return TicketOut(**_brief_fields(ticket, now=now), **extra)


def outbox_view(messages: Sequence[TicketMessage], *, newest: Ticket | None) -> Outbox:
    """A web chat's new messages, with the conversation's newest order (is an agent on it?)."""
    return Outbox(messages=[message_view(m) for m in messages], ticket=citizen_view(newest) if newest else None)


def follow_up_view(task: RatingFollowUp, *, now: datetime) -> FollowUpOut:
    ticket = task.ticket
    topics = [topic for topic in (ticket.topic_l1, ticket.topic_l2) if topic]
    return FollowUpOut(
        id=task.id, number=ticket.number, channel=ticket.channel,
        channel_label=t.TICKET_CHANNEL_LABELS[ticket.channel.value], summary=ticket.summary,
        subject=" / ".join(topics) or t.NOT_LABELLED, rating=task.rating, opened_at=task.opened_at,
        due_at=task.due_at, overdue=task.closed_at is None and task.due_at < now, closed_at=task.closed_at,
        closed_by=task.closed_by, action_taken=task.action_taken,
    )

"""The work order's states and the agents' steps between them (claim, reply, return, reassign,
close), each kept as an event; and the agents' corrections of what was filled automatically.

Every step is one guarded UPDATE (compare-and-set on the status read just before, plus the
assignee rule) whose row count says whether it happened; nothing is written when it did not, so
two agents claiming at once cannot both get the order.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.core import templates as t
from service.core.errors import ConflictError, InvalidInputError, NotFoundError
from service.tickets import actors
from service.tickets.lookup import get_ticket
from service.tickets.models import CLAIMABLE, Status, Ticket, TicketEvent, TicketType
from service.tickets.schemas import CorrectionIn
from service.turns.store import mark_handoff_corrected

log = logging.getLogger(__name__)


class Holder(Enum):
    """Who may take a step while an agent holds (is assigned) the order."""

    NOBODY = "nobody"  # the step needs an order nobody holds: claiming
    OWNER = "owner"  # only the agent who holds it (anyone while nobody does)
    ANYONE = "anyone"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[Status, ...]
    target: Status
    holder: Holder


# The allowed steps, in the order agents are offered them.
TRANSITIONS = {
    transition.action: transition
    for transition in (
        Transition("claim", CLAIMABLE, Status.CLAIMED, Holder.NOBODY),
        Transition("reply", (Status.CLAIMED,), Status.REPLIED, Holder.OWNER),
        Transition("return", (Status.CLAIMED, Status.REPLIED), Status.RETURNED, Holder.OWNER),
        Transition("reassign", (*CLAIMABLE, Status.CLAIMED), Status.REASSIGNED, Holder.ANYONE),
        Transition("close", (Status.REPLIED,), Status.CLOSED, Holder.OWNER),
    )
}


def allowed_actions(ticket: Ticket, *, agent: str | None) -> list[str]:
    """What this agent may do with the order now, by the same rules the updates are guarded by."""
    actions = []
    for transition in TRANSITIONS.values():
        if ticket.status not in transition.sources:
            continue
        if transition.holder is Holder.NOBODY and ticket.assignee:
            continue
        if transition.holder is Holder.OWNER and ticket.assignee and ticket.assignee != agent:
            continue
        actions.append(transition.action)
    if ticket.conversation_id is not None and ticket.status is Status.CLAIMED and ticket.assignee == agent:
        actions.append("message")
    return actions + ["correct"]


def _refusal(ticket: Ticket, transition: Transition, agent: str) -> str:
    action = t.TICKET_ACTIONS[transition.action]
    status = t.TICKET_STATUS_LABELS[ticket.status.value]
    claiming = transition.holder is Holder.NOBODY
    if ticket.status in transition.sources:
        if claiming and ticket.assignee:
            return t.TICKET_ALREADY_CLAIMED.format(number=ticket.number, assignee=ticket.assignee)
        if ticket.assignee and ticket.assignee != agent:
            return t.TICKET_NOT_YOURS.format(number=ticket.number, assignee=ticket.assignee, action=action)
    if claiming and ticket.status is Status.CLAIMED:
        return t.TICKET_ALREADY_CLAIMED.format(number=ticket.number, assignee=ticket.assignee)
    return t.TICKET_WRONG_STATE.format(number=ticket.number, status=status, action=action)


def _transition(
    session: Session,
    *,
    number: str,
    action: str,
    agent: str,
    now: datetime,
    values: dict[str, Any],
    note: str | None = None,
) -> Ticket:
    transition = TRANSITIONS[action]
    current = session.execute(select(Ticket.id, Ticket.status).where(Ticket.number == number.strip())).one_or_none()
    if current is None:
        raise NotFoundError(t.TICKET_NOT_FOUND.format(number=number))
    guard = [Ticket.id == current.id, Ticket.status == current.status, Ticket.status.in_(transition.sources)]
    if transition.holder is Holder.NOBODY:
        guard.append(Ticket.assignee.is_(None))
    elif transition.holder is Holder.OWNER:
        guard.append(or_(Ticket.assignee.is_(None), Ticket.assignee == agent))
    changed = session.execute(
        update(Ticket)
        .where(*guard)
        .values(status=transition.target, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        session.rollback()
        ticket = get_ticket(session, number=number)
        raise ConflictError(_refusal(ticket, transition, agent))
    session.add(
        TicketEvent(
            ticket_id=current.id,
            at=now,
            actor=actors.agent(agent),
            action=transition.action,
            from_status=current.status,
            to_status=transition.target,
            note=note,
        )
    )
    session.flush()  # the caller commits, with what the step means for the chat (agent_steps.py)
    session.expire_all()
    log.info("work order %s: %s by %s", number, transition.action, agent)
    return get_ticket(session, number=number)


def claim(session: Session, *, number: str, agent: str, now: datetime) -> Ticket:
    return _transition(session, number=number, action="claim", agent=agent, now=now, values={"assignee": agent})


def reply(session: Session, *, number: str, agent: str, text: str, now: datetime) -> Ticket:
    return _transition(
        session, number=number, action="reply", agent=agent, now=now, values={"reply": text, "replied_at": now}
    )


def return_ticket(session: Session, *, number: str, agent: str, reason: str, now: datetime) -> Ticket:
    return _transition(
        session, number=number, action="return", agent=agent, now=now, values={"assignee": None}, note=reason
    )


def reassign(session: Session, *, number: str, agent: str, department: str, note: str | None, now: datetime) -> Ticket:
    return _transition(
        session,
        number=number,
        action="reassign",
        agent=agent,
        now=now,
        values={"assignee": None, "department": department},
        note=t.TICKET_REASSIGN_NOTE.format(department=department, note=note) if note else department,
    )


def close(session: Session, *, number: str, agent: str, now: datetime) -> Ticket:
    return _transition(session, number=number, action="close", agent=agent, now=now, values={"closed_at": now})


def correct(session: Session, *, number: str, correction: CorrectionIn, now: datetime) -> Ticket:
    """An agent's fix of type, topic or summary; old and new values kept as an event (retraining data)."""
    ticket = get_ticket(session, number=number)
    changes: dict[str, list[str | None]] = {}
    for field in sorted(correction.model_fields_set - {"agent"}):
        old, new = getattr(ticket, field), getattr(correction, field)
        if old != new:
            changes[field] = [old.value if isinstance(old, TicketType) else old, new.value if isinstance(new, TicketType) else new]
            setattr(ticket, field, new)
    if not changes:
        raise ConflictError(t.TICKET_CORRECTION_UNCHANGED.format(number=ticket.number))
    if ticket.topic_l2 and not ticket.topic_l1:
        session.rollback()
        raise InvalidInputError(t.TICKET_TOPIC_L2_WITHOUT_L1)
    ticket.updated_at = now
    ticket.events.append(
        TicketEvent(
            at=now,
            actor=actors.agent(correction.agent),
            action="correct",
            from_status=ticket.status,
            to_status=ticket.status,
            changes=changes,
        )
    )
    if ticket.conversation_id:
        # The bot's reading of the chat that filed it was wrong: its turn goes to review.
        mark_handoff_corrected(session, conversation_id=ticket.conversation_id, started_by=ticket.created_at)
    session.commit()
    return ticket

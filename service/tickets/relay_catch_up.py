"""The other direction: what a citizen writes while an agent owns the conversation reaches the
work order even when the Rasa tracker store's push (bot/conversation_relay.py) did not.

Rasa keeps every message in its SQL tracker store whatever happens to the push. For each order an
agent holds, the service reads the conversation back and adds the citizen's messages since the
pause that the transcript lacks; each is stored once, by Rasa's message id, however often it
arrives, by the push or from here.
"""

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from service.core.errors import NotFoundError
from service.tickets.conversation import relay_citizen_message
from service.tickets.models import Status, Ticket, TicketMessage

log = logging.getLogger(__name__)


def messages_while_paused(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The citizen's typed messages after the last pause, while it lasts (button payloads left out)."""
    paused_at = max((i for i, e in enumerate(events) if e.get("event") == "pause"), default=None)
    if paused_at is None or any(e.get("event") == "resume" for e in events[paused_at + 1:]):
        return []
    return [
        e for e in events[paused_at + 1:]
        if e.get("event") == "user" and isinstance(e.get("text"), str) and e["text"].strip()
        and not e["text"].startswith("/")
    ]


async def catch_up(
    sessions: sessionmaker[Session], read_events: Callable[[str], Awaitable[list[dict[str, Any]]]]
) -> int:
    """One pass over the orders agents hold; how many messages were added (raises when Rasa fails)."""

    def held_conversations() -> list[str]:
        with sessions() as session:
            query = select(Ticket.conversation_id).where(
                Ticket.status == Status.CLAIMED, Ticket.conversation_id.is_not(None)
            ).distinct()
            return list(session.scalars(query))

    added = 0
    for conversation_id in await run_in_threadpool(held_conversations):
        for event in messages_while_paused(await read_events(conversation_id)):
            added += await run_in_threadpool(_keep, sessions, conversation_id, event)
    if added:
        log.warning("%d citizen message(s) recovered from Rasa's tracker store (the push had missed them)", added)
    return added


def _keep(sessions: sessionmaker[Session], conversation_id: str, event: dict[str, Any]) -> int:
    """1 when the message was missing from the transcript and is added now, else 0."""
    source_id = event.get("message_id")
    if not isinstance(source_id, str):
        return 0  # without Rasa's id it could not be told from a copy the push delivered
    with sessions() as session:
        if session.scalar(select(TicketMessage.id).where(TicketMessage.source_id == source_id)) is not None:
            return 0
        try:
            relay_citizen_message(
                session, conversation_id=conversation_id, text=event["text"], source_id=source_id,
                now=datetime.fromtimestamp(float(event.get("timestamp") or 0), UTC),
            )
        except NotFoundError:  # the agent let go meanwhile
            return 0
        return 1

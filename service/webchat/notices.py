"""Notices for a web chat conversation (a booking's reminder, a case's news), kept in the outbox
under the "webchat" destination. No worker pushes them: the citizen's page fetches what waits for
its conversation when it opens and while it stays open, shows it, and acknowledges it, which
records it as delivered. The conversation id, random and kept by the page, is what names them."""

from datetime import datetime

from sqlalchemy.orm import Session

from service.outbox import store as outbox
from service.outbox.models import OutboxMessage

WEB_CHAT = "webchat"
KIND = "notice"


def enqueue_notice(session: Session, *, conversation_id: str, text: str, key: str | None = None) -> OutboxMessage:
    """A notice for the conversation's page once the caller's transaction commits."""
    return outbox.enqueue(session, destination=WEB_CHAT, stream=conversation_id, kind=KIND,
                          payload={"conversation_id": conversation_id, "text": text}, key=key)


def waiting(session: Session, *, conversation_id: str) -> list[OutboxMessage]:
    return outbox.pending_in_stream(session, destination=WEB_CHAT, stream=conversation_id)


def shown(session: Session, *, conversation_id: str, up_to: int, now: datetime) -> int:
    """The page showed the notices up to id `up_to`; the caller commits."""
    return outbox.acknowledge(session, destination=WEB_CHAT, stream=conversation_id, up_to=up_to, now=now)

"""The "sms" destination of the outbox: one text per row, in order per mobile number."""

from typing import Any

from sqlalchemy.orm import Session

from service.core.settings import get_settings
from service.outbox import store as outbox
from service.outbox.models import OutboxMessage
from service.sms.senders import SmsSender

SMS = "sms"
KIND = "text"


def sms_message(*, phone: str, text: str) -> dict[str, Any]:
    """The outbox row's fields for a text, also usable as another message's fallback."""
    return {"destination": SMS, "stream": phone, "kind": KIND,
            "payload": {"phone": phone, "text": get_settings().SMS_SIGNATURE + text}}


def enqueue_sms(session: Session, *, phone: str, text: str, key: str | None = None) -> OutboxMessage:
    """A text for the mobile once the caller's transaction commits."""
    return outbox.enqueue(session, **sms_message(phone=phone, text=text), key=key)


class SmsDelivery:
    def __init__(self, sender: SmsSender) -> None:
        self._sender = sender

    async def deliver(self, message: OutboxMessage) -> None:
        await self._sender.send(phone=message.payload["phone"], text=message.payload["text"], key=message.key)

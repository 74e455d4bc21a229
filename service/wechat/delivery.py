"""The "wechat" destination of the outbox: customer-service text messages, one per outbox row,
in order per citizen (OpenID).

WeChat has no idempotency key, so what it accepted is recorded at once (the row is settled as
delivered); a message WeChat will never take is parked with the reason for the agent to see.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from service.outbox import store as outbox
from service.outbox.models import OutboxMessage
from service.outbox.worker import Undeliverable
from service.wechat.clients import WeChatApiClient
from service.wechat.render import fit_text, render_answer

WECHAT = "wechat"

# errcodes after which no retry can succeed (WeChat's customer-service message API).
NEVER_ERRCODES = {
    45015: "用户超过48小时未与公众号互动，客服消息无法送达",
    45047: "客服消息超过下发条数上限，需等用户再次发言",
    43004: "用户未关注公众号",
    40003: "OpenID 无效",
    45002: "消息内容超过微信长度限制",
    48001: "公众号没有客服消息接口权限",
}


class WeChatRefused(Exception):
    """WeChat did not accept the message this time (unreachable, 5xx, or an errcode worth a retry)."""


def enqueue_answer(
    session: Session,
    *,
    openid: str,
    messages: list[dict[str, Any]],
    ticket_number: str | None = None,
    key_prefix: str | None = None,
) -> int:
    """Rasa-style messages as WeChat texts into the outbox (the caller commits); how many texts."""
    return enqueue_texts(session, openid=openid, texts=render_answer(messages), ticket_number=ticket_number,
                         key_prefix=key_prefix)


def enqueue_texts(
    session: Session, *, openid: str, texts: list[str], ticket_number: str | None = None, key_prefix: str | None = None,
    fallback: dict[str, Any] | None = None, not_before: datetime | None = None,
) -> int:
    """The texts in order, each cut to WeChat's limit (an agent's long line too); how many messages.
    With `key_prefix` the rows' keys are derived from it, so the same texts cannot be queued twice;
    with `not_before` none is sent earlier. A `fallback` (another destination's message) is queued
    instead of a text WeChat will never take."""
    parts = [part for text in texts for part in fit_text(text)]
    for number, part in enumerate(parts, start=1):
        # One fallback for the whole text: it rides on its first part.
        payload = {"openid": openid, "text": part} | ({"fallback": fallback} if fallback and number == 1 else {})
        outbox.enqueue(
            session, destination=WECHAT, stream=openid, kind="text", payload=payload,
            ticket_number=ticket_number, key=f"{key_prefix}:{number}" if key_prefix else None, not_before=not_before,
        )
    return len(parts)


class WeChatDelivery:
    def __init__(self, api: Callable[[], WeChatApiClient | None]) -> None:
        self._api = api  # looked up per message: the WeChat channel starts with the app

    async def deliver(self, message: OutboxMessage) -> None:
        api = self._api()
        if api is None or not api.configured:
            raise WeChatRefused("WeChat is not configured (WECHAT_TOKEN, WECHAT_APP_ID, WECHAT_APP_SECRET)")
        errcode = await api.send_text(openid=message.payload["openid"], content=message.payload["text"])
        if errcode == 0:
            return
        if errcode in NEVER_ERRCODES:
            raise Undeliverable(f"errcode {errcode}: {NEVER_ERRCODES[errcode]}")
        raise WeChatRefused(f"errcode {errcode}")

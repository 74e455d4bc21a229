"""One message from WeChat → at most one bot turn → a passive reply and/or customer-service messages."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from wechatpy.messages import BaseMessage

from service.core import templates as t
from service.core.db import utcnow
from service.core.rasa import RasaClient
from service.wechat import store
from service.wechat.clients import WeChatApiClient
from service.wechat.delivery import enqueue_texts
from service.wechat.models import DeliveryStatus
from service.wechat.render import render_answer

log = logging.getLogger(__name__)

# Menu buttons (CLICK events, by EventKey) → the intent the bot is asked for.
MENU_INTENTS = {
    "GUIDE": "/ask_materials",
    "BOOK": "/book_appointment",
    "PROGRESS": "/check_progress",
    "HOTLINE": "/request_human",
}
SENDER_PREFIX = "wechat:"
# How often a retry looks whether the first delivery of its message has been answered.
RETRY_POLL_S = 0.1
# The rest of an answer waits this long after its passive reply: WeChat shows that reply only once
# our HTTP answer reaches it, and a customer-service message sent sooner would overtake it.
REST_AFTER_PASSIVE_S = 2.0

# Run after the HTTP answer is sent; an async function or a partial of one (Starlette awaits those).
Job = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Outcome:
    """The passive reply (None: answer "success") and what to do after the HTTP answer is sent."""

    reply: str | None = None
    later: Job | None = None


def delivery_key(message: BaseMessage) -> str:
    """Messages by MsgId, events by FromUserName + CreateTime (and the event), as WeChat advises."""
    if message.id:
        return store.digest(f"msg:{message.id}")
    return store.digest(f"event:{message.source}:{message.time}:{getattr(message, 'event', '')}")


def user_tag(openid: str) -> str:
    """How a user appears in logs."""
    return store.digest(openid)[:12]


class WeChatConnector:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        rasa: RasaClient,
        api: WeChatApiClient,
        passive_reply_s: float,
    ):
        self._sessions = sessions
        self._rasa = rasa
        self._api = api
        self._passive_reply_s = passive_reply_s

    async def handle(self, message: BaseMessage) -> Outcome:
        deadline = time.monotonic() + self._passive_reply_s
        fixed_reply, bot_input = self._route(message)
        if fixed_reply is None and bot_input is None:
            return Outcome()
        key = delivery_key(message)
        earlier = await run_in_threadpool(store.claim_delivery, self._sessions, key=key)
        if earlier is not None:
            log.info("wechat retry of delivery %s (user %s): not processed again", key[:12], user_tag(message.source))
            return await self._answer_of_earlier(key, deadline)
        if fixed_reply is not None:
            await run_in_threadpool(store.settle_delivery, self._sessions, key=key,
                                    status=DeliveryStatus.REPLIED, reply=fixed_reply)
            return Outcome(reply=fixed_reply)
        return await self._converse(message.source, bot_input, key=key, deadline=deadline)

    def _route(self, message: BaseMessage) -> tuple[str | None, str | None]:
        """(a fixed reply, or the text for the bot); (None, None): nothing to answer."""
        if message.type == "text":
            return None, message.content
        if message.type == "voice" and getattr(message, "recognition", None):
            return None, message.recognition  # WeChat's own speech recognition, when switched on
        if message.type == "event":
            if message.event in ("subscribe", "subscribe_scan"):
                return t.WECHAT_WELCOME, None
            if message.event == "click" and message.key in MENU_INTENTS:
                return None, MENU_INTENTS[message.key]
            return None, None  # unsubscribe, VIEW, LOCATION, …
        if message.type == "unknown":
            return None, None
        return t.WECHAT_TEXT_ONLY, None  # image, voice, video, location, link, …

    async def _answer_of_earlier(self, key: str, deadline: float) -> Outcome:
        """A retry: the first delivery's passive reply once it has one, else "success"."""
        while True:
            earlier = await run_in_threadpool(store.find_delivery, self._sessions, key=key)
            if earlier is None or earlier.status == DeliveryStatus.DEFERRED:
                return Outcome()
            if earlier.status == DeliveryStatus.REPLIED:
                return Outcome(reply=earlier.reply)
            if time.monotonic() + RETRY_POLL_S >= deadline:
                return Outcome()
            await asyncio.sleep(RETRY_POLL_S)

    async def _converse(self, openid: str, text: str, *, key: str, deadline: float) -> Outcome:
        turn = asyncio.create_task(self._turn(openid, text))
        try:
            texts = await asyncio.wait_for(asyncio.shield(turn), timeout=max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            return await self._defer(openid, turn, key=key)
        first = texts[0] if texts else None
        status = DeliveryStatus.REPLIED
        await run_in_threadpool(store.settle_delivery, self._sessions, key=key, status=status, reply=first)
        # Queued before the reply leaves (durable from now on), sent after it (in order).
        await self._send(openid, texts[1:], not_before=utcnow() + timedelta(seconds=REST_AFTER_PASSIVE_S))
        return Outcome(reply=first)

    async def _defer(self, openid: str, turn: asyncio.Task, *, key: str) -> Outcome:
        log.info("wechat answer to user %s slower than the passive window: customer-service API", user_tag(openid))
        if not self._api.configured:
            log.error("WECHAT_APP_ID / WECHAT_APP_SECRET not set: a slow answer cannot be delivered")
            await run_in_threadpool(store.settle_delivery, self._sessions, key=key,
                                    status=DeliveryStatus.REPLIED, reply=t.WECHAT_TOO_SLOW)
            return Outcome(reply=t.WECHAT_TOO_SLOW, later=partial(self._finish, turn))
        await run_in_threadpool(store.settle_delivery, self._sessions, key=key, status=DeliveryStatus.DEFERRED)

        async def deliver_when_ready() -> None:
            await self._send(openid, await turn)

        return Outcome(later=deliver_when_ready)

    @staticmethod
    async def _finish(turn: asyncio.Task) -> None:
        await turn  # the turn still changes the conversation (a booking, say); only its answer is lost

    async def _turn(self, openid: str, text: str) -> list[str]:
        messages = await self._rasa.converse(sender=SENDER_PREFIX + openid, message=text)
        if messages is None:
            return [t.WECHAT_BOT_UNAVAILABLE]
        return render_answer(messages)

    async def _send(self, openid: str, texts: list[str], *, not_before: datetime | None = None) -> None:
        """The rest of an answer, into the outbox: the worker sends the texts in order as
        customer-service messages, and retries them while WeChat cannot take them."""
        if texts:
            await run_in_threadpool(self._enqueue, openid, texts, not_before)

    def _enqueue(self, openid: str, texts: list[str], not_before: datetime | None) -> None:
        with self._sessions() as session:
            enqueue_texts(session, openid=openid, texts=texts, not_before=not_before)
            session.commit()

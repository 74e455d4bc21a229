"""Keeps the citizen's chat in step with their work order, after the agent's request is answered.

- an agent claims the order → Rasa pauses the conversation (`ConversationPaused`): the bot is quiet;
- the agent writes or replies → the line is recorded in the Rasa conversation and, on WeChat,
  pushed with the customer-service API (the web chat collects it from the outbox);
- the order is returned or reassigned → the bot takes the conversation back (`ConversationResumed`);
- the order is closed → resumed, and the bot asks for the 好差评 rating (an external intent).

Runs as background tasks: the agent's action is stored before any of this happens, so a Rasa or
WeChat outage delays nothing and loses nothing (the line stays in the transcript and the outbox).
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from service.tickets import actors
from service.tickets.conversation import add_outgoing, wechat_openid
from service.tickets.lookup import get_ticket
from service.wechat.service import WeChatConnector

log = logging.getLogger(__name__)

TICKET_CLOSED_INTENT = "EXTERNAL_ticket_closed"
AGENT_LABEL = "【12345话务员】"


class ConversationChannels:
    def __init__(
        self,
        *,
        rasa_url: str,
        timeout_s: float,
        sessions: sessionmaker[Session],
        wechat: Callable[[], WeChatConnector | None],
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        # `token`: Rasa's --auth-token; `transport` lets unit tests put a fake Rasa behind the client.
        params = {"token": token} if token else None
        self._rasa = httpx.AsyncClient(base_url=rasa_url, timeout=timeout_s, params=params, transport=transport)
        self._sessions = sessions
        self._wechat = wechat

    async def agent_took_over(self, conversation_id: str) -> None:
        await self._append_events(conversation_id, [{"event": "pause"}])

    async def agent_let_go(self, conversation_id: str) -> None:
        await self._append_events(conversation_id, [{"event": "resume"}])

    async def deliver(self, conversation_id: str, *, author: str, text: str, at: datetime) -> None:
        """A line the agent wrote: into the Rasa conversation's history, and onto WeChat."""
        await self._append_events(
            conversation_id,
            [{"event": "bot", "text": text, "timestamp": at.timestamp(), "metadata": {"author": author}}],
        )
        await self._push_wechat(conversation_id, [{"text": AGENT_LABEL + text}])

    async def closed(self, conversation_id: str, *, number: str, now: datetime) -> None:
        """The agent closed the order: the bot resumes and asks for the rating."""
        if not await self._append_events(conversation_id, [{"event": "resume"}]):
            return
        messages = await self._trigger(conversation_id, TICKET_CLOSED_INTENT, {"ticket_number": number})
        if not messages:
            return

        def store() -> None:
            with self._sessions() as session:
                ticket = get_ticket(session, number=number)
                for message in messages:
                    if message.get("text"):
                        add_outgoing(
                            session, ticket=ticket, author=actors.BOT, text=message["text"], now=now,
                            buttons=message.get("buttons") or None,
                        )

        await run_in_threadpool(store)
        await self._push_wechat(conversation_id, messages)

    async def _append_events(self, conversation_id: str, events: list[dict[str, Any]]) -> bool:
        path = f"/conversations/{quote(conversation_id, safe='')}/tracker/events"
        try:
            response = await self._rasa.post(path, params={"include_events": "NONE"}, json=events)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            log.warning("conversation not updated in Rasa (%s): %s", events[0]["event"], type(exc).__name__)
            return False
        return True

    async def _trigger(self, conversation_id: str, intent: str, entities: dict[str, str]) -> list[dict[str, Any]]:
        path = f"/conversations/{quote(conversation_id, safe='')}/trigger_intent"
        try:
            response = await self._rasa.post(
                path, params={"include_events": "NONE"}, json={"name": intent, "entities": entities}
            )
            response.raise_for_status()
            messages = response.json().get("messages") or []
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            log.warning("rating question not asked (Rasa: %s)", type(exc).__name__)
            return []
        return [m for m in messages if isinstance(m, dict)]

    async def _push_wechat(self, conversation_id: str, messages: list[dict[str, Any]]) -> None:
        openid = wechat_openid(conversation_id)
        connector = self._wechat()
        if openid is None or connector is None:
            return
        await connector.push(openid, messages)

    async def aclose(self) -> None:
        await self._rasa.aclose()

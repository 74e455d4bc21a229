"""The "rasa" destination of the outbox: keeps the citizen's Rasa conversation in step with their
work order. The agent's step wrote these messages in its own transaction (agent_steps.py); the
outbox worker delivers them here, in order per conversation, and retries what fails.

- `pause` (an agent claimed the order): the bot is quiet;
- `agent_line` (the agent wrote or replied): the line goes into the conversation's history;
- `resume` (returned, reassigned or closed): the bot takes the conversation back;
- `ticket_closed`: the bot asks for the 好差评 rating (an external intent); its question is kept
  in the transcript and, on WeChat, sent on through the outbox.

A retry must not apply a message twice: an agent's line carries its outbox key in the event's
metadata, and the rating question is asked only when the conversation does not hold it yet.
Pausing and resuming are the same when applied twice.
"""

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from service.core.rasa import RasaClient
from service.outbox.models import OutboxMessage
from service.outbox.worker import Undeliverable
from service.tickets import actors
from service.tickets.conversation import add_outgoing, wechat_openid
from service.tickets.lookup import get_ticket
from service.wechat.delivery import enqueue_answer

RASA = "rasa"
TICKET_CLOSED_INTENT = "EXTERNAL_ticket_closed"


class RasaConversations:
    def __init__(self, *, rasa: RasaClient, sessions: sessionmaker[Session]) -> None:
        self._rasa = rasa
        self._sessions = sessions

    async def deliver(self, message: OutboxMessage) -> None:
        """Applies one outbox message to its conversation; raises (to be retried) when Rasa fails."""
        conversation_id = message.payload["conversation_id"]
        if message.kind in ("pause", "resume"):
            await self._rasa.append_events(conversation_id, [{"event": message.kind}])
        elif message.kind == "agent_line":
            if message.key not in await self._applied_keys(conversation_id):
                await self._rasa.append_events(conversation_id, [{
                    "event": "bot", "text": message.payload["text"], "timestamp": message.payload["at"],
                    "metadata": {"author": message.payload["author"], "outbox_key": message.key},
                }])
        elif message.kind == "ticket_closed":
            await self._ask_for_rating(conversation_id, message)
        else:
            raise Undeliverable(f"unknown kind {message.kind!r} for Rasa")

    async def _ask_for_rating(self, conversation_id: str, message: OutboxMessage) -> None:
        number = message.payload["number"]
        asked = await self._rating_question_asked(conversation_id, number)
        if asked is None:
            asked = await self._rasa.trigger_intent(conversation_id, TICKET_CLOSED_INTENT, {"ticket_number": number})
        await run_in_threadpool(self._keep_rating_question, conversation_id, number, asked, message)

    def _keep_rating_question(
        self, conversation_id: str, number: str, messages: list[dict[str, Any]], cause: OutboxMessage
    ) -> None:
        """The question into the transcript and, on WeChat, into the outbox: once, even on a retry
        (the WeChat messages' keys derive from the cause's, and a second insert is refused)."""
        openid = wechat_openid(conversation_id)
        with self._sessions() as session:
            try:
                ticket = get_ticket(session, number=number)
                if any(line.author == actors.BOT and line.at == cause.created_at for line in ticket.messages):
                    return  # kept by an earlier try whose delivery was not recorded
                for line in messages:
                    if line.get("text"):
                        add_outgoing(session, ticket=ticket, author=actors.BOT, text=line["text"],
                                     now=cause.created_at, buttons=line.get("buttons") or None)
                if openid is not None:
                    enqueue_answer(session, openid=openid, messages=messages, ticket_number=number,
                                   key_prefix=cause.key)
                session.commit()
            except IntegrityError:
                session.rollback()  # kept by an earlier try whose delivery was not recorded

    async def _applied_keys(self, conversation_id: str) -> set[str]:
        return {
            key for event in await self._rasa.tracker_events(conversation_id)
            if isinstance(key := (event.get("metadata") or {}).get("outbox_key"), str)
        }

    async def _rating_question_asked(self, conversation_id: str, number: str) -> list[dict[str, Any]] | None:
        """The bot's messages after the closing intent for this order, or None when not yet triggered."""
        events = await self._rasa.tracker_events(conversation_id)
        for index, event in enumerate(events):
            parse = event.get("parse_data") or {}
            if event.get("event") == "user" and (parse.get("intent") or {}).get("name") == TICKET_CLOSED_INTENT and any(
                entity.get("value") == number for entity in parse.get("entities") or []
            ):
                answer = []
                for later in events[index + 1:]:
                    if later.get("event") == "user":
                        break
                    if later.get("event") == "bot":
                        answer.append({"text": later.get("text"), "buttons": (later.get("data") or {}).get("buttons")})
                return answer
        return None

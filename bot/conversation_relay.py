"""Rasa's SQL tracker store, plus two things every turn passes through here:

- a paused conversation's citizen messages go to the work order. While a hotline agent owns a
  conversation the service pauses it (`ConversationPaused`) and the bot stays quiet, but Rasa still
  stores what the citizen writes. This store forwards those messages to the service (POST
  /api/conversations/{id}/messages with BOT_TOKEN), which adds them to the agent's work order. The
  tracker is read from the shared store on every message, so the paused state is right whichever
  Rasa instance takes the message.
- every other turn's outcome is reported (POST /api/turns; bot/turn_outcomes.py reads it from the
  turn's events whatever path produced the reply), and a next message that says the answer was
  wrong or asks for a person marks the previous turn disputed. Reports are fire-and-forget tasks
  with retries: the citizen's reply never waits for them, and a lost report costs one row of
  statistics, never a reply.

A SQLite store commits without waiting for the disk (`fast_sqlite_engine`). Configured in endpoints.yml.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any, Dict, Iterator, List, Set, Text
from urllib.parse import quote

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot import turn_outcomes
from bot.service_post import post_to_service
from common.channels import channel_of_sender
from common.deployment import require_secret


def fast_sqlite_engine(engine: Any) -> Any:
    """For a SQLite tracker store, the same database on an engine that commits without waiting for
    the disk; any other engine as it is (several instances share PostgreSQL, left alone).

    Rasa's SQLite engine opened a connection per session and committed with fsync: about 17 ms,
    twice a turn, with Rasa's event loop blocked meanwhile, most of a turn (`make bench`). Here the
    database is in WAL mode with synchronous=NORMAL (a commit appends to the log; the database
    stays consistent, a power cut may lose the last turns) and the connections are kept open in a
    pool (closing the last one checkpoints the log, another fsync)."""
    if engine.dialect.name != "sqlite":
        return engine
    fast = sa.create_engine(engine.url, poolclass=QueuePool, pool_size=2,
                            connect_args={"check_same_thread": False})

    @sa.event.listens_for(fast, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    engine.dispose()
    return fast


class RelayingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine = fast_sqlite_engine(self.engine)
        self.sessionmaker = sessionmaker(bind=self.engine)
        self._service_url = os.environ.get("SERVICE_URL", "http://127.0.0.1:8000").rstrip("/")
        self._bot_token = require_secret("BOT_TOKEN")
        # Events written by the save in progress, per conversation (set inside SQLTrackerStore.save).
        self._saving: Dict[Text, List[Event]] = {}
        # Reports in flight: a task nobody references may be collected before it finishes.
        self._reports: Set[asyncio.Task] = set()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        events = list(super()._additional_events(session, tracker))
        self._saving[tracker.sender_id] = events
        return iter(events)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        new_events = self._saving.pop(tracker.sender_id, [])
        if not tracker.is_paused():
            self._report_turns(tracker, new_events)
            return
        for event in new_events:
            if isinstance(event, UserUttered) and event.text and not event.text.startswith("/"):
                await self._relay(tracker.sender_id, event)

    async def _relay(self, sender_id: Text, event: UserUttered) -> None:
        await post_to_service(
            f"{self._service_url}/api/conversations/{quote(sender_id, safe='')}/messages",
            {"text": event.text, "message_id": event.message_id},
            token=self._bot_token,
            what="relay of a paused conversation's message",
        )

    def _report_turns(self, tracker: DialogueStateTracker, new_events: List[Event]) -> None:
        new_turns = turn_outcomes.turns([event.as_dict() for event in new_events])
        if not new_turns:
            return
        sender = tracker.sender_id
        channel = channel_of_sender(sender)
        all_turns = turn_outcomes.turns([event.as_dict() for event in self._with_turn_before(tracker, new_events)])
        base = f"{self._service_url}/api/turns"
        for turn in new_turns:
            body = turn_outcomes.report(turn, conversation_id=sender, channel=channel, slots=tracker.current_slot_values())
            self._spawn(post_to_service(base, body.as_body(), token=self._bot_token, what="a turn's report"))
            index = next((i for i, t in enumerate(all_turns) if t[0].get("message_id") == body.message_id), 0)
            reason = turn_outcomes.dispute(all_turns[index - 1], turn) if index > 0 else None
            if reason:
                self._spawn(post_to_service(
                    f"{base}/{quote(sender, safe='')}/disputes",
                    {"message_id": all_turns[index - 1][0]["message_id"], "reason": reason},
                    token=self._bot_token,
                    what="a dispute of the previous turn",
                    retry_not_found=True,  # the previous turn's own report may still be on its way
                ))

    @staticmethod
    def _with_turn_before(tracker: DialogueStateTracker, new_events: List[Event]) -> List[Event]:
        """The new events and the turn before them, all a dispute compares: a long conversation's
        earlier turns are not serialised again on every save."""
        events = list(tracker.events)
        earlier = events[: len(events) - len(new_events)]
        for start in range(len(earlier) - 1, -1, -1):
            if turn_outcomes.is_citizen_message(earlier[start].as_dict()):
                return earlier[start:] + new_events
        return new_events

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._reports.add(task)
        task.add_done_callback(self._reports.discard)

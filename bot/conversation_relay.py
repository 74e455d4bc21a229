"""Rasa's SQL tracker store, plus: a paused conversation's citizen messages go to the work order.

While a hotline agent owns a conversation the service pauses it (`ConversationPaused`) and the bot
stays quiet, but Rasa still stores what the citizen writes. This store forwards those messages
to the service (POST /api/conversations/{id}/messages with BOT_TOKEN), which adds them to the
agent's work order. The tracker is read from the shared store on every message, so the paused
state is right whichever Rasa instance takes the message. Configured in endpoints.yml.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Dict, Iterator, List, Optional, Text
from urllib.parse import quote

import aiohttp
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from common.deployment import require_secret

logger = logging.getLogger(__name__)

RELAY_ATTEMPTS = 3
RELAY_BACKOFF_S = 0.5
RELAY_TIMEOUT_S = 5.0


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

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        events = list(super()._additional_events(session, tracker))
        self._saving[tracker.sender_id] = events
        return iter(events)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        new_events = self._saving.pop(tracker.sender_id, [])
        if not tracker.is_paused():
            return
        for event in new_events:
            if isinstance(event, UserUttered) and event.text and not event.text.startswith("/"):
                await self._relay(tracker.sender_id, event)

    async def _relay(self, sender_id: Text, event: UserUttered) -> None:
        url = f"{self._service_url}/api/conversations/{quote(sender_id, safe='')}/messages"
        body = {"text": event.text, "message_id": event.message_id}
        headers = {"Authorization": f"Bearer {self._bot_token}"}
        timeout = aiohttp.ClientTimeout(total=RELAY_TIMEOUT_S)
        for attempt in range(1, RELAY_ATTEMPTS + 1):
            status: Optional[int] = None
            try:
                async with aiohttp.ClientSession(timeout=timeout) as session:
                    async with session.post(url, json=body, headers=headers) as response:
                        status = response.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                logger.warning("relay of a paused conversation's message failed (%s), attempt %d", type(exc).__name__, attempt)
            else:
                if status < 300:
                    return
                if 400 <= status < 500:  # no agent holds the conversation any more, or a bad message
                    logger.warning("service refused a paused conversation's message: HTTP %s", status)
                    return
                logger.warning("service error %s relaying a paused conversation's message, attempt %d", status, attempt)
            await asyncio.sleep(RELAY_BACKOFF_S * attempt)
        logger.error("a paused conversation's message was not relayed; it stays in the tracker store")

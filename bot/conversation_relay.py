"""Rasa's SQL tracker store, plus two things every turn passes through here:

- a paused conversation's citizen messages go to the work order. While a hotline agent owns a
  conversation the service pauses it (`ConversationPaused`) and the bot stays quiet, but Rasa still
  stores what the citizen writes. This store forwards those messages to the service (POST
  /api/conversations/{id}/messages with BOT_TOKEN), which adds them to the agent's work order. The
  tracker is read from the shared store on every message, so the paused state is right whichever
  Rasa instance takes the message.
- every other turn's outcome is reported (POST /api/turns; bot/turn_outcomes.py reads it from the
  turn's events whatever path produced the reply), and a next message that says the answer was
  wrong or asks for a person marks the previous turn disputed.

Both are written to the service outbox (bot/service_outbox.py) in the transaction that stores the
turn's events, and posted from there in order: the citizen's reply never waits for the service, and
a service away for a while, or a Rasa process killed, loses nothing.

The events themselves are written with citizens' names, ID and mobile numbers masked, except in the
slots of a form that still needs them (bot/stored_personal_data.py).

A SQLite store commits without waiting for the disk (`fast_sqlite_engine`). Configured in endpoints.yml.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any, Dict, Iterator, List, Optional, Text
from urllib.parse import quote

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot import service_outbox, store_tables, stored_personal_data, turn_outcomes
from common.channels import channel_of_sender
from common.deployment import require_secret

logger = logging.getLogger(__name__)

# How often a Rasa process looks for forms abandoned with personal data (at a save, off the loop).
SWEEP_EVERY_S = 600.0


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
        store_tables.create_tables(self.engine, [service_outbox.OUTBOX, stored_personal_data.HELD])
        self._next_sweep = 0.0  # monotonic seconds: the first save after a start sweeps
        self.sweeping: Optional[asyncio.Future] = None  # the latest sweep, for whoever must wait for it
        service_url = os.environ.get("SERVICE_URL", "http://127.0.0.1:8000")
        self.outbox = service_outbox.OutboxSender(self.engine, service_url, require_secret("BOT_TOKEN"))
        try:  # what a previous run left owed is sent from start-up, not from the first message
            asyncio.get_running_loop()
        except RuntimeError:
            return
        self.outbox.wake()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        # Inside SQLTrackerStore.save's transaction: what the service is owed for these events is
        # committed with them, or neither is.
        events = list(super()._additional_events(session, tracker))
        # Citizens' names, ID and mobile numbers are written masked, but where a form still needs
        # them; what the service is owed is read from the events as written.
        slots = tracker.current_slot_values()
        names = stored_personal_data.names_taken(events, slots)
        written = [stored_personal_data.for_storage(event, slots, names) for event in events]
        for owed in self._owed_to_service(tracker, written):
            service_outbox.enqueue(session, conversation_id=tracker.sender_id, **owed)
        changed = stored_personal_data.may_leave_stale_values(events)
        if changed:
            stored_personal_data.mask_stored_stale_values(session, self.SQLEvent, tracker.sender_id, slots)
        if events and (changed or stored_personal_data.holds_personal_value(slots)):
            stored_personal_data.note_saved(session, tracker.sender_id, slots, events[-1].timestamp)
        return iter(written)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        self.outbox.wake()
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + SWEEP_EVERY_S
            self.sweeping = asyncio.get_running_loop().run_in_executor(None, self.mask_abandoned_forms)

    def mask_abandoned_forms(self) -> List[Text]:
        """Masks the personal values that forms left half-way hold in conversations whose session
        has expired (bot/stored_personal_data.py); the conversations masked."""
        minutes = self.domain.session_config.session_expiration_time
        if not minutes:  # sessions never expire: any form may still be taken up again
            return []
        try:
            with self.session_scope() as session:
                masked = stored_personal_data.mask_abandoned(session, self.SQLEvent, time.time() - minutes * 60)
                session.commit()
        except sa.exc.SQLAlchemyError:  # the database away for a moment: the next sweep tries again
            logger.exception("masking the personal data of abandoned forms failed")
            return []
        if masked:
            logger.info("masked the personal data of %d forms left past their session", len(masked))
        return masked

    def _owed_to_service(self, tracker: DialogueStateTracker, new_events: List[Event]) -> List[Dict[Text, Any]]:
        conversation = quote(tracker.sender_id, safe="")
        if tracker.is_paused():
            return [
                {"path": f"/api/conversations/{conversation}/messages",
                 "body": {"text": event.text, "message_id": event.message_id},
                 "what": "relay of a paused conversation's message"}
                for event in new_events
                if isinstance(event, UserUttered) and event.text and not event.text.startswith("/")
            ]
        new_turns = turn_outcomes.turns([event.as_dict() for event in new_events])
        if not new_turns:
            return []
        channel = channel_of_sender(tracker.sender_id)
        all_turns = turn_outcomes.turns([event.as_dict() for event in self._with_turn_before(tracker, new_events)])
        owed = []
        for turn in new_turns:
            body = turn_outcomes.report(turn, conversation_id=tracker.sender_id, channel=channel,
                                        slots=tracker.current_slot_values())
            owed.append({"path": "/api/turns", "body": body.as_body(), "what": "a turn's report"})
            index = next((i for i, t in enumerate(all_turns) if t[0].get("message_id") == body.message_id), 0)
            reason = turn_outcomes.dispute(all_turns[index - 1], turn) if index > 0 else None
            if reason:
                owed.append({"path": f"/api/turns/{conversation}/disputes",
                             "body": {"message_id": all_turns[index - 1][0]["message_id"], "reason": reason},
                             "what": "a dispute of the previous turn", "retry_not_found": True})
        return owed

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

"""What the Rasa server owes the service, kept in the tracker store's own database until taken.

A turn's report, the dispute of the turn before it and a paused conversation's citizen message are
written into `service_outbox` in the same transaction as the turn's events
(`bot/conversation_relay.py`): a crash, a restart or the service away for hours loses none of them,
and the citizen's reply never waits for the service.

One sender per Rasa process posts them: per conversation strictly in order (only the oldest row of
a conversation is ever due), with growing pauses and jitter after a failure, and deletes a row once
the service has taken it or refused it for good (a 4xx, logged by kind, not by content). Several
Rasa processes on one database claim rows with a lease, so each row is normally posted once; a
lease that runs out under a very slow call may post it twice, which the service absorbs: it stores
a turn, a dispute and a relayed message once per Rasa message id.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

import aiohttp
import sqlalchemy as sa

from bot.service_post import Delivery, post_once
from bot.store_tables import METADATA

logger = logging.getLogger(__name__)

OUTBOX = sa.Table(
    "service_outbox",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("what", sa.String(64), nullable=False),
    # A dispute may reach the service before the report of the turn it disputes (another process
    # posted that one): "not found" is then "not yet".
    sa.Column("retry_not_found", sa.Boolean, nullable=False, default=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    # Seconds since the epoch: when the row may be posted next; a claim pushes it a lease ahead.
    sa.Column("due_at", sa.Float, nullable=False),
    sa.Index("ix_service_outbox_conversation", "conversation_id", "id"),
)

BATCH = 50
AT_ONCE = 8
LEASE_S = 30.0
IDLE_WAIT_S = 2.0
FIRST_PAUSE_S = 0.5
LONGEST_PAUSE_S = 300.0
# A dispute whose turn is still unknown after this many tries refers to a report the service
# refused: it is dropped.
NOT_FOUND_TRIES = 5
# Past this many failed tries a row is logged as an error (once), and still tried.
TRIES_BEFORE_ALARM = 10


def enqueue(session: Any, *, conversation_id: Text, path: Text, body: Dict[Text, Any], what: Text,
            retry_not_found: bool = False) -> None:
    """Adds a row to the session's transaction (the one that stores the turn's events)."""
    session.execute(OUTBOX.insert().values(
        conversation_id=conversation_id, path=path, body=json.dumps(body, ensure_ascii=False), what=what,
        retry_not_found=retry_not_found, attempts=0, due_at=time.time(),
    ))


def pause_after(attempts: int) -> float:
    """Exponential back-off with full jitter in its upper half: 0.25–0.5 s, 0.5–1 s, … up to 5 min."""
    ceiling = min(LONGEST_PAUSE_S, FIRST_PAUSE_S * 2 ** (attempts - 1))
    return random.uniform(ceiling / 2, ceiling)


@dataclass(frozen=True)
class Row:
    id: int
    conversation_id: Text
    path: Text
    body: Dict[Text, Any]
    what: Text
    retry_not_found: bool
    attempts: int


class OutboxSender:
    """Posts the outbox's due rows; `wake()` after a commit, or it looks every IDLE_WAIT_S."""

    def __init__(self, engine: sa.engine.Engine, service_url: Text, token: Text, timeout_s: float = 5.0) -> None:
        self._engine = engine
        self._service_url = service_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._task: Optional[asyncio.Task] = None
        self._woken: Optional[asyncio.Event] = None

    def wake(self) -> None:
        """Starts the sender in the running event loop if it is not running, and has it look now."""
        if self._task is None or self._task.done():
            self._woken = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())
        assert self._woken is not None
        self._woken.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        assert self._woken is not None
        async with aiohttp.ClientSession(timeout=self._timeout) as http:
            while True:
                self._woken.clear()
                try:
                    handled = await self.deliver_due(http)
                except Exception:  # the database away for a moment: the rows wait, the loop goes on
                    logger.exception("service outbox: delivery pass failed")
                    handled = 0
                if handled:
                    continue
                try:
                    await asyncio.wait_for(self._woken.wait(), IDLE_WAIT_S)
                except asyncio.TimeoutError:
                    pass

    async def deliver_due(self, http: aiohttp.ClientSession) -> int:
        """Posts each due conversation's oldest row once; the number of rows done with."""
        rows = self._claim_due()
        at_once = asyncio.Semaphore(AT_ONCE)

        async def deliver(row: Row) -> bool:
            async with at_once:
                outcome = await post_once(http, self._service_url + row.path, row.body, token=self._token,
                                          what=row.what)
            if outcome is Delivery.LATER or (
                outcome is Delivery.NOT_FOUND and row.retry_not_found and row.attempts + 1 < NOT_FOUND_TRIES
            ):
                self._try_later(row)
                return False
            if outcome is Delivery.NOT_FOUND:
                logger.warning("service does not know what %s refers to; dropped", row.what)
            self._delete(row)
            return True

        done = await asyncio.gather(*(deliver(row) for row in rows))
        return sum(done)

    def pending(self) -> int:
        with self._engine.connect() as connection:
            return connection.execute(sa.select(sa.func.count()).select_from(OUTBOX)).scalar_one()

    # --- the database side (short transactions of their own) ---------------------------------

    def _claim_due(self) -> List[Row]:
        now = time.time()
        earlier = OUTBOX.alias("earlier")
        oldest_of_conversation = ~sa.exists().where(
            earlier.c.conversation_id == OUTBOX.c.conversation_id, earlier.c.id < OUTBOX.c.id)
        due = sa.select(OUTBOX).where(OUTBOX.c.due_at <= now, oldest_of_conversation).order_by(
            OUTBOX.c.id).limit(BATCH)
        claimed: List[Row] = []
        with self._engine.begin() as connection:
            candidates = connection.execute(due).mappings().all()
            for row in candidates:
                # Ours only if no other process claimed it since it was read.
                taken = connection.execute(OUTBOX.update().where(
                    OUTBOX.c.id == row["id"], OUTBOX.c.due_at == row["due_at"]).values(due_at=now + LEASE_S))
                if taken.rowcount == 1:
                    claimed.append(Row(row["id"], row["conversation_id"], row["path"], json.loads(row["body"]),
                                       row["what"], bool(row["retry_not_found"]), row["attempts"]))
        return claimed

    def _try_later(self, row: Row) -> None:
        attempts = row.attempts + 1
        if attempts == TRIES_BEFORE_ALARM:
            logger.error("service outbox: %s for a conversation not taken after %d tries; still trying",
                         row.what, attempts)
        with self._engine.begin() as connection:
            connection.execute(OUTBOX.update().where(OUTBOX.c.id == row.id).values(
                attempts=attempts, due_at=time.time() + pause_after(attempts)))

    def _delete(self, row: Row) -> None:
        with self._engine.begin() as connection:
            connection.execute(OUTBOX.delete().where(OUTBOX.c.id == row.id))


"""The delivery worker: claims due messages, hands each to its destination with a timeout, and
settles it. Streams are independent; within one, a message waits until the one before it is
delivered or parked, so a conversation's messages arrive in the order they were written."""

import asyncio
import contextlib
import logging
import os
import random
import socket
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from service.core.db import utcnow
from service.outbox import store
from service.outbox.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)


class Undeliverable(Exception):
    """The destination will never take this message (the citizen blocked it, the window closed);
    the message is parked with the reason instead of retried."""


@dataclass(frozen=True)
class Destination:
    deliver: Callable[[OutboxMessage], Awaitable[None]]  # raises on failure; Undeliverable for "never"
    timeout_s: float


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_s: float = 1.0
    cap_s: float = 300.0


class OutboxWorker:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        destinations: dict[str, Destination],
        *,
        retry: RetryPolicy = RetryPolicy(),
        batch: int = 50,
        poll_s: float = 0.2,
        name: str | None = None,
        rng: random.Random | None = None,
        fetched: Collection[str] = (),
    ) -> None:
        """`fetched`: destinations whose readers fetch their messages (the web chat page); never claimed."""
        self._sessions = sessions
        self._destinations = destinations
        self._fetched = tuple(fetched)
        self._retry = retry
        self._batch = batch
        self._poll_s = poll_s
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._rng = rng or random.Random()
        # Longer than any delivery may take, so that a live worker never loses its lease.
        self._lease_s = 2 * max((d.timeout_s for d in destinations.values()), default=10.0) + 5

    async def run_once(self) -> int:
        """One batch: how many messages were tried."""
        messages = await run_in_threadpool(
            store.claim, self._sessions, worker=self.name, limit=self._batch, now=utcnow(), lease_s=self._lease_s,
            fetched=self._fetched,
        )
        await asyncio.gather(*(self._deliver(message) for message in messages))
        return len(messages)

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop` is set; a failing batch is logged and the loop goes on."""
        while not stop.is_set():
            try:
                tried = await self.run_once()
            except Exception:
                log.exception("outbox batch failed")
                tried = 0
            if not tried:
                with contextlib.suppress(TimeoutError):  # nothing due: wait a poll, or for the stop
                    await asyncio.wait_for(stop.wait(), timeout=self._poll_s)

    async def _deliver(self, message: OutboxMessage) -> None:
        destination = self._destinations.get(message.destination)
        try:
            if destination is None:
                raise Undeliverable(f"no destination {message.destination!r} in this service")
            await asyncio.wait_for(destination.deliver(message), timeout=destination.timeout_s)
        except Undeliverable as never:
            await self._failed(message, str(never), never=True)
        except Exception as error:  # any other failure is worth another try
            await self._failed(message, f"{type(error).__name__}: {error}", never=False)
        else:
            await run_in_threadpool(
                store.settle_delivered, self._sessions, message.id, worker=self.name, now=utcnow()
            )

    async def _failed(self, message: OutboxMessage, error: str, *, never: bool) -> None:
        status = await run_in_threadpool(
            store.settle_failed, self._sessions, message.id, worker=self.name, now=utcnow(), error=error,
            never=never, max_attempts=self._retry.max_attempts, base_s=self._retry.base_s,
            cap_s=self._retry.cap_s, rng=self._rng,
        )
        if status is None:
            log.warning("outbox message %s: lease lost while it failed; another worker has it", message.id)
        elif status in (OutboxStatus.DEAD, OutboxStatus.UNDELIVERABLE):
            log.error("outbox message %s (%s %s) parked as %s: %s", message.id, message.destination,
                      message.kind, status.value, error)
        else:
            log.warning("outbox message %s (%s %s) failed, try %s: %s", message.id, message.destination,
                        message.kind, message.attempts + 1, error)

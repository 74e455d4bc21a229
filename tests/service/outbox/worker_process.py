"""A delivery worker in a process of its own, for the kill -9 test (test_faults.py): delivers the
outbox of DB_URL to the HTTP receiver at RECEIVER_URL, and exits once nothing is pending.

    python -m tests.service.outbox.worker_process DB_URL RECEIVER_URL NAME
"""

import asyncio
import sys

import httpx

from service.core.db import get_session_factory
from service.outbox.models import OutboxMessage
from service.outbox.worker import Destination, OutboxWorker
from tests.service.outbox.outbox_fakes import pending

DESTINATION = "http"
# The lease is twice this plus 5 s: long enough that a kill's leases outlast the test's checks.
TIMEOUT_S = 10.0
BATCH = 20  # fewer than the test's streams, so that a kill mid-batch holds only some of them


async def deliver_everything(db_url: str, receiver_url: str, name: str) -> None:
    sessions = get_session_factory(db_url)
    async with httpx.AsyncClient(base_url=receiver_url, timeout=TIMEOUT_S) as client:

        async def post(message: OutboxMessage) -> None:
            body = {"stream": message.stream, "key": message.key, "sender": name}
            (await client.post("/", json=body)).raise_for_status()

        worker = OutboxWorker(sessions, {DESTINATION: Destination(post, timeout_s=TIMEOUT_S)}, batch=BATCH, name=name,
                              poll_s=0.02)
        while pending(sessions):
            if not await worker.run_once():
                await asyncio.sleep(0.02)


if __name__ == "__main__":
    asyncio.run(deliver_everything(*sys.argv[1:4]))

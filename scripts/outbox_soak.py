"""The outbox soak (`make bench` runs it): 1,000 messages in 100 streams, written at a steady pace
while the real delivery worker delivers them to a destination that refuses a share of the tries
at random (seeded: a refused connection, a 503, or no answer within the timeout), beside the same
run without faults as the baseline.

Counted where the messages arrive: delivered, parked, received twice (must be 0), lost (written
minus delivered minus parked: must be 0), streams received out of order (must be 0), and the
delay from writing a message (created_at) to its delivery, p50 / p95.

Runs in the service environment, in-process, on a temporary SQLite database:
`.venvs/svc/bin/python scripts/outbox_soak.py [--json]`; exits 1 when an invariant is broken.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from service.core.db import get_engine, get_session_factory  # noqa: E402
from service.migrate import upgrade_database  # noqa: E402
from service.outbox import store  # noqa: E402
from service.outbox.models import OutboxMessage, OutboxStatus  # noqa: E402
from service.outbox.worker import Destination, OutboxWorker, RetryPolicy  # noqa: E402

MESSAGES = 1_000
STREAMS = 100
PER_TRANSACTION = 10
WRITE_PAUSE_S = 0.08  # 1,000 messages written over about 9 s: less than one worker delivers
TIMEOUT_S = 0.05
RETRY = RetryPolicy(max_attempts=8, base_s=0.05, cap_s=1.0)
POLL_S = 0.02
SEED = 20261206


class FlakyDestination:
    """Accepts a message and records it by key, or (for `fault_share` of the tries) refuses it."""

    def __init__(self, fault_share: float, seed: int) -> None:
        self.fault_share = fault_share
        self.rng = random.Random(seed)
        self.arrivals: list[tuple[str, str]] = []  # (stream, key)
        self.faults: Counter[str] = Counter()

    async def deliver(self, message: OutboxMessage) -> None:
        if self.rng.random() < self.fault_share:
            fault = self.rng.choice(("refused", "503", "no answer"))
            self.faults[fault] += 1
            if fault == "no answer":
                await asyncio.sleep(10 * TIMEOUT_S)  # cut off by the worker's timeout
            raise ConnectionError(f"injected fault: {fault}")
        self.arrivals.append((message.stream, message.key))


def write_messages(sessions) -> dict[str, list[str]]:
    """All the messages at a steady pace, each transaction two at once for each of a few streams
    (as an agent's step writes a pause and a line), the streams in turn; each stream's keys in
    the order written."""
    written: dict[str, list[str]] = {}
    for transaction in range(MESSAGES // PER_TRANSACTION):
        with sessions() as session:
            for number in range(PER_TRANSACTION):
                stream = f"citizen-{(transaction * PER_TRANSACTION + number) // 2 % STREAMS:03d}"
                keys = written.setdefault(f"soak:{stream}", [])
                keys.append(f"{stream}#{len(keys)}")
                store.enqueue(session, destination="soak", stream=stream, kind="text", payload={}, key=keys[-1])
            session.commit()
        time.sleep(WRITE_PAUSE_S)
    return written


async def soak(fault_share: float, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/soak.db"
        upgrade_database(database_url=url)
        sessions = get_session_factory(url)
        destination = FlakyDestination(fault_share, seed)
        worker = OutboxWorker(sessions, {"soak": Destination(destination.deliver, timeout_s=TIMEOUT_S)},
                              retry=RETRY, poll_s=POLL_S, rng=random.Random(seed + 1))
        stop = asyncio.Event()
        started = time.monotonic()
        delivering = asyncio.create_task(worker.run(stop))
        written = await asyncio.to_thread(write_messages, sessions)
        while store_counts(sessions)[OutboxStatus.PENDING] and time.monotonic() - started < 120:
            await asyncio.sleep(POLL_S)
        stop.set()
        await delivering
        elapsed_s = time.monotonic() - started
        counts = store_counts(sessions)
        with sessions() as session:
            delivered = session.execute(select(OutboxMessage.created_at, OutboxMessage.delivered_at).where(
                OutboxMessage.status == OutboxStatus.DELIVERED)).all()
        delays_ms = [(delivered_at - created_at).total_seconds() * 1000 for created_at, delivered_at in delivered]
        get_engine(url).dispose()
    received = Counter(key for _, key in destination.arrivals)
    arrived: dict[str, list[str]] = {}
    for stream, key in destination.arrivals:
        arrived.setdefault(stream, []).append(key)
    parked = counts[OutboxStatus.DEAD] + counts[OutboxStatus.UNDELIVERABLE]
    written_at = {key: n for keys in written.values() for n, key in enumerate(keys)}
    return {
        "fault_share": fault_share,
        "messages": MESSAGES,
        "streams": STREAMS,
        "delivered": counts[OutboxStatus.DELIVERED],
        "parked": parked,
        "received": len(received),
        "duplicated": sum(n - 1 for n in received.values()),
        "lost": MESSAGES - counts[OutboxStatus.DELIVERED] - parked,
        "streams_out_of_order": sum(keys != sorted(keys, key=written_at.__getitem__) for keys in arrived.values()),
        "tries": len(destination.arrivals) + sum(destination.faults.values()),
        "faults": dict(destination.faults),
        "delay_p50_ms": round(statistics.median(delays_ms), 1),
        "delay_p95_ms": round(statistics.quantiles(delays_ms, n=20)[-1], 1),
        "elapsed_s": round(elapsed_s, 1),
    }


def store_counts(sessions) -> dict[str, int]:
    with sessions() as session:
        return store.counts(session)


def broken(run: dict) -> bool:
    return bool(run["duplicated"] or run["lost"] or run["streams_out_of_order"])


def print_report(runs: list[dict]) -> None:
    print(f" outbox soak: {MESSAGES} messages in {STREAMS} streams, one worker, SQLite "
          f"(retry base {RETRY.base_s} s, {RETRY.max_attempts} tries, timeout {TIMEOUT_S} s)")
    print(f" {'faults':>7} {'delivered':>10} {'parked':>7} {'twice':>6} {'lost':>5} {'out of order':>13} "
          f"{'tries':>6} {'delay p50 / p95 ms':>20} {'run s':>6}")
    for run in runs:
        print(f" {run['fault_share']:>7.0%} {run['delivered']:>10} {run['parked']:>7} {run['duplicated']:>6} "
              f"{run['lost']:>5} {run['streams_out_of_order']:>13} {run['tries']:>6} "
              f"{run['delay_p50_ms']:>9} / {run['delay_p95_ms']:<8} {run['elapsed_s']:>6}"
              f"{'  BROKEN: must be 0 twice, 0 lost, 0 out of order' if broken(run) else ''}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    parser.add_argument("--fault-share", type=float, default=0.2, help="share of tries refused (default 0.2)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # every injected fault is a logged retry
    runs = [asyncio.run(soak(share, SEED)) for share in (0.0, args.fault_share)]
    if args.json:
        print(json.dumps(runs, ensure_ascii=False))
    else:
        print_report(runs)
    return 1 if any(broken(run) for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())

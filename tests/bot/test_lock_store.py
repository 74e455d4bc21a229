"""The Redis lock store of the cluster's Rasa servers, on this machine's Redis (127.0.0.1:6379, db 1,
a key prefix of its own per test): two stores stand for two Rasa servers sharing conversations."""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid

import pytest
import redis
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import AtomicRedisLockStore


@pytest.fixture
def servers():
    prefix = f"test{uuid.uuid4().hex[:8]}"
    config = EndpointConfig(url="127.0.0.1", type="bot.lock_store.AtomicRedisLockStore", port=6379, db=1,
                            key_prefix=prefix)
    try:
        stores = [AtomicRedisLockStore(config) for _ in range(2)]
        stores[0].red.ping()
    except redis.ConnectionError as error:
        if os.environ.get("REQUIRE_POSTGRES") == "1":  # CI: the stores of the cluster must be tested
            pytest.fail(f"Redis unreachable at 127.0.0.1:6379: {error}")
        pytest.skip(f"Redis unreachable at 127.0.0.1:6379: {error}")
    yield stores
    for key in stores[0].red.scan_iter(f"{prefix}:*"):
        stores[0].red.delete(key)


def _at_once(count: int, work) -> None:
    """`count` threads released together, as messages of one conversation reaching several servers."""
    barrier = threading.Barrier(count)
    errors = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            work(index)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_tickets_taken_at_once_on_two_servers_are_all_different(servers):
    conversation = "c-tickets"
    tickets = []
    _at_once(40, lambda index: tickets.append(servers[index % 2].issue_ticket(conversation, 30)))
    assert sorted(tickets) == list(range(40))
    assert len(servers[0].get_lock(conversation).tickets) == 40


def test_turns_of_one_conversation_on_two_servers_never_overlap(servers):
    conversation = "c-turns"
    held = []  # (start, end) of each turn

    async def turn(store: AtomicRedisLockStore) -> None:
        async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.01):
            began = time.monotonic()
            await asyncio.sleep(0.02)
            held.append((began, time.monotonic()))

    _at_once(16, lambda index: asyncio.run(turn(servers[index % 2])))
    held.sort()
    assert len(held) == 16
    assert all(end <= next_start for (_, end), (next_start, _) in zip(held, held[1:]))
    assert servers[0].get_lock(conversation) is None  # the last turn removed it


def test_a_ticket_taken_while_another_finishes_is_kept(servers):
    first, second = servers
    conversation = "c-cleanup"
    mine = first.issue_ticket(conversation, 30)
    theirs = second.issue_ticket(conversation, 30)
    first.cleanup(conversation, mine)
    lock = second.get_lock(conversation)
    assert lock is not None and not lock.is_locked(theirs)
    second.cleanup(conversation, theirs)
    assert second.get_lock(conversation) is None


def test_an_expired_ticket_of_a_dead_server_lets_the_next_turn_in(servers):
    dead, alive = servers
    conversation = "c-expired"
    dead.issue_ticket(conversation, 0.2)  # its server was killed before giving it back
    waiting = alive.issue_ticket(conversation, 30)
    assert alive.get_lock(conversation).is_locked(waiting)
    time.sleep(0.3)
    alive.update_lock(conversation)
    assert not alive.get_lock(conversation).is_locked(waiting)

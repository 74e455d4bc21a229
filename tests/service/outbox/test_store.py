"""The outbox's store and worker on SQLite, with the clock in the test's hands (claim and settle
take `now`): order per stream, back-off, leases, parking, replay and counts."""

import random
from datetime import timedelta

import pytest
from outbox_fakes import counts, deliver_all, make_due
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from service.core.db import get_engine, get_session_factory, utcnow
from service.core.errors import ConflictError, NotFoundError
from service.outbox import store
from service.outbox.models import OutboxMessage, OutboxStatus
from service.outbox.worker import Destination, OutboxWorker, RetryPolicy, Undeliverable

LEASE_S = 10.0
BASE_S, CAP_S = 1.0, 60.0
SHORT_RETRY = RetryPolicy(max_attempts=3, base_s=0.001, cap_s=0.002)


@pytest.fixture
def sessions(empty_db_url):
    return get_session_factory(empty_db_url)


def enqueued(sessions, *streams: str, destination: str = "test") -> list[int]:
    """One message in each named stream, in this order; their ids."""
    with sessions() as session:
        messages = [store.enqueue(session, destination=destination, stream=stream, kind="note", payload={"number": n})
                    for n, stream in enumerate(streams)]
        session.commit()
        return [message.id for message in messages]


def claim(sessions, worker: str, now) -> list[int]:
    return [message.id for message in store.claim(sessions, worker=worker, limit=50, now=now, lease_s=LEASE_S)]


def fail(sessions, message_id: int, worker: str, now, *, never: bool = False, max_attempts: int = 8,
         error: str = "HTTPStatusError: 503", rng: random.Random | None = None) -> OutboxStatus | None:
    return store.settle_failed(sessions, message_id, worker=worker, now=now, error=error, never=never,
                               max_attempts=max_attempts, base_s=BASE_S, cap_s=CAP_S, rng=rng or random.Random(0))


def row(sessions, message_id: int) -> OutboxMessage:
    with sessions() as session:
        return session.get(OutboxMessage, message_id)


def test_a_message_held_until_later_holds_back_its_stream_until_then(sessions):
    now = utcnow()
    with sessions() as session:
        held = store.enqueue(session, destination="test", stream="a", kind="note", payload={},
                             not_before=now + timedelta(seconds=5))
        session.commit()
        held_id = held.id
    behind, other = enqueued(sessions, "a", "b")
    soon, later = now + timedelta(seconds=1), now + timedelta(seconds=5)
    assert claim(sessions, "w", soon) == [other]
    assert claim(sessions, "w", later) == [held_id]
    assert store.settle_delivered(sessions, held_id, worker="w", now=later)
    assert claim(sessions, "w", later) == [behind]


def test_only_heads_are_claimed_and_a_failing_head_holds_back_its_stream_alone(sessions):
    a1, b1, a2, b2, c1 = enqueued(sessions, "a", "b", "a", "b", "c")
    now = utcnow()
    assert claim(sessions, "w", now) == [a1, b1, c1]
    assert fail(sessions, a1, "w", now) is OutboxStatus.PENDING
    assert store.settle_delivered(sessions, b1, worker="w", now=now)
    assert store.settle_delivered(sessions, c1, worker="w", now=now)
    assert claim(sessions, "w", now) == [b2]  # a2 waits behind a1, which is not due yet
    assert store.settle_delivered(sessions, b2, worker="w", now=now)
    assert claim(sessions, "w", now) == []
    retry_at = row(sessions, a1).next_attempt_at
    assert claim(sessions, "w", retry_at) == [a1]  # due again: still a1 alone, a2 behind it
    assert store.settle_delivered(sessions, a1, worker="w", now=retry_at)
    assert claim(sessions, "w", retry_at) == [a2]


def test_the_back_off_doubles_to_its_cap_with_jitter_in_the_upper_half_of_each_step():
    rng = random.Random(7)
    medians = []
    for attempts in range(1, 11):
        step = min(CAP_S, BASE_S * 2 ** (attempts - 1))
        delays = sorted(store.backoff_s(attempts, base_s=BASE_S, cap_s=CAP_S, rng=rng) for _ in range(200))
        assert step / 2 <= delays[0] and delays[-1] <= step
        assert delays[-1] - delays[0] > step / 4  # spread out, so that failures together do not return together
        medians.append(delays[100])
    assert all(later > earlier for earlier, later in zip(medians[:6], medians[1:7]))  # 1, 2, 4, … 32 s
    assert all(CAP_S / 2 <= median <= CAP_S for median in medians[6:])  # capped from 64 s on


def test_each_failure_puts_the_next_try_one_back_off_later(sessions):
    (message,) = enqueued(sessions, "a")
    rng = random.Random(3)
    now = utcnow()
    for attempts in range(1, 6):
        assert claim(sessions, "w", now) == [message]
        assert fail(sessions, message, "w", now, rng=rng) is OutboxStatus.PENDING
        retry_at = row(sessions, message).next_attempt_at
        step = BASE_S * 2 ** (attempts - 1)
        assert timedelta(seconds=step / 2) <= retry_at - now <= timedelta(seconds=step)
        assert claim(sessions, "w", retry_at - timedelta(milliseconds=1)) == []
        now = retry_at
    assert row(sessions, message).attempts == 5


def test_a_message_whose_worker_died_is_claimed_by_another_when_the_lease_runs_out(sessions):
    (message,) = enqueued(sessions, "a")
    now = utcnow()
    assert claim(sessions, "died", now) == [message]
    assert claim(sessions, "other", now + timedelta(seconds=LEASE_S - 1)) == []
    taken_at = now + timedelta(seconds=LEASE_S + 1)
    assert claim(sessions, "other", taken_at) == [message]
    held = row(sessions, message)
    assert (held.worker, held.status, held.attempts) == ("other", OutboxStatus.PENDING, 0)
    assert held.lease_until == taken_at + timedelta(seconds=LEASE_S)


def test_a_worker_that_lost_its_lease_settles_nothing(sessions):
    (message,) = enqueued(sessions, "a")
    now = utcnow()
    claim(sessions, "slow", now)
    taken_at = now + timedelta(seconds=LEASE_S + 1)
    claim(sessions, "other", taken_at)
    before = row(sessions, message)
    assert store.settle_delivered(sessions, message, worker="slow", now=taken_at) is False
    assert fail(sessions, message, "slow", taken_at) is None
    assert fail(sessions, message, "slow", taken_at, never=True) is None
    after = row(sessions, message)
    assert (after.status, after.worker, after.attempts, after.lease_until, after.last_error) == (
        OutboxStatus.PENDING, "other", 0, before.lease_until, None)
    assert store.settle_delivered(sessions, message, worker="other", now=taken_at) is True
    assert store.settle_delivered(sessions, message, worker="other", now=taken_at) is False  # settled once only
    delivered = row(sessions, message)
    assert (delivered.status, delivered.attempts) == (OutboxStatus.DELIVERED, 1)


def test_a_lease_taken_over_while_a_failure_is_being_settled_is_reported_lost(empty_db_url, sessions):
    """settle_failed reads the attempts, then writes: another worker may take the message in between."""
    (message,) = enqueued(sessions, "a")
    now = utcnow()
    claim(sessions, "slow", now)
    taken_at = now + timedelta(seconds=LEASE_S + 1)
    taken: list[int] = []

    def take_over(_connection, _cursor, statement, *_args) -> None:
        if statement.startswith("UPDATE outbox_message SET status") and not taken:
            taken.extend(claim(sessions, "other", taken_at))

    engine = get_engine(empty_db_url)
    event.listen(engine, "before_cursor_execute", take_over)
    try:
        assert fail(sessions, message, "slow", taken_at) is None
    finally:
        event.remove(engine, "before_cursor_execute", take_over)
    assert taken == [message]
    after = row(sessions, message)
    assert (after.status, after.worker, after.attempts) == (OutboxStatus.PENDING, "other", 0)


def test_only_parked_messages_can_be_replayed(sessions):
    waiting, delivered, dead, refused = enqueued(sessions, "a", "b", "c", "d")
    now = utcnow()
    claim(sessions, "w", now)
    store.settle_delivered(sessions, delivered, worker="w", now=now)
    assert fail(sessions, dead, "w", now, max_attempts=1) is OutboxStatus.DEAD
    assert fail(sessions, refused, "w", now, never=True) is OutboxStatus.UNDELIVERABLE
    with sessions() as session:
        for message_id in (waiting, delivered):
            with pytest.raises(ConflictError):
                store.replay(session, message_id)
        with pytest.raises(NotFoundError):
            store.replay(session, 999)
        for message_id in (dead, refused):
            store.replay(session, message_id)
        session.commit()
    for message_id in (dead, refused):
        replayed = row(sessions, message_id)
        assert (replayed.status, replayed.attempts, replayed.worker, replayed.lease_until) == (
            OutboxStatus.PENDING, 0, None, None)
    assert claim(sessions, "w", utcnow()) == [dead, refused]  # due at once; `waiting` is still leased


async def test_an_undeliverable_message_is_parked_with_its_reason_never_retried_and_its_stream_goes_on(sessions):
    tried: list[int] = []

    async def refuse_the_first(message: OutboxMessage) -> None:
        tried.append(message.payload["number"])
        if message.payload["number"] == 0:
            raise Undeliverable("errcode 45015: 用户超过48小时未与公众号互动")

    first, second, elsewhere = enqueued(sessions, "a", "a", "b", destination="test")
    (nowhere,) = enqueued(sessions, "c", destination="gone")
    worker = OutboxWorker(sessions, {"test": Destination(refuse_the_first, timeout_s=1.0)}, retry=SHORT_RETRY)
    await deliver_all(worker, sessions)
    make_due(sessions)
    assert await worker.run_once() == 0
    assert sorted(tried) == [0, 1, 2]
    parked = row(sessions, first)
    assert (parked.status, parked.attempts) == (OutboxStatus.UNDELIVERABLE, 1)
    assert "45015" in parked.last_error and "48小时" in parked.last_error
    assert [row(sessions, m).status for m in (second, elsewhere)] == [OutboxStatus.DELIVERED] * 2
    unknown = row(sessions, nowhere)
    assert unknown.status is OutboxStatus.UNDELIVERABLE and "no destination 'gone'" in unknown.last_error


async def test_out_of_tries_a_message_is_parked_dead_with_a_masked_error_and_its_stream_goes_on(sessions):
    tried: list[int] = []

    async def always_fail_the_first(message: OutboxMessage) -> None:
        tried.append(message.payload["number"])
        if message.payload["number"] == 0:
            raise RuntimeError("503 for the citizen 13812345678 " + "x" * 1000)

    first, second = enqueued(sessions, "a", "a")
    worker = OutboxWorker(sessions, {"test": Destination(always_fail_the_first, timeout_s=1.0)}, retry=SHORT_RETRY)
    await deliver_all(worker, sessions)
    assert tried == [0, 0, 0, 1]
    dead = row(sessions, first)
    assert (dead.status, dead.attempts) == (OutboxStatus.DEAD, SHORT_RETRY.max_attempts)
    assert dead.last_error.startswith("RuntimeError: 503") and "13812345678" not in dead.last_error
    assert len(dead.last_error) <= store.MAX_ERROR_CHARS
    assert row(sessions, second).status is OutboxStatus.DELIVERED


def test_counts_name_every_status(sessions):
    assert counts(sessions) == {"pending": 0, "delivered": 0, "dead": 0, "undeliverable": 0}
    waiting, delivered, dead, refused, _later = enqueued(sessions, "a", "b", "c", "d", "a")
    now = utcnow()
    claim(sessions, "w", now)
    store.settle_delivered(sessions, delivered, worker="w", now=now)
    fail(sessions, dead, "w", now, max_attempts=1)
    fail(sessions, refused, "w", now, never=True)
    assert counts(sessions) == {"pending": 2, "delivered": 1, "dead": 1, "undeliverable": 1}


def test_a_message_is_written_with_the_callers_transaction_and_a_key_only_once(sessions):
    with sessions() as session:
        store.enqueue(session, destination="test", stream="a", kind="note", payload={}, key="k-1")
        session.rollback()
    assert counts(sessions)["pending"] == 0
    with sessions() as session:
        store.enqueue(session, destination="test", stream="a", kind="note", payload={}, key="k-1")
        session.commit()
        store.enqueue(session, destination="test", stream="a", kind="note", payload={}, key="k-1")
        with pytest.raises(IntegrityError):
            session.commit()
    assert counts(sessions)["pending"] == 1

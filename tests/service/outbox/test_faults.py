"""The outbox under faults, counted where the messages arrive: a destination down for a while,
WeChat refusing, a worker killed with SIGKILL mid-batch, two workers on one PostgreSQL queue.

What must hold: nothing lost; each stream in the order it was written; nothing twice, except
what a kill caught between the destination accepting a message and the worker recording it."""

import asyncio
import signal
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from outbox_fakes import (
    FAULTS,
    HttpReceiver,
    Receiver,
    counts,
    deliver_all,
    enqueue_round,
    enqueue_streams,
    in_arrival_order,
    make_due,
    pending,
    repeated,
    wait_until,
    without_repeats_in_a_row,
)
from sqlalchemy import func, select, update

from service.core.db import get_session_factory, utcnow
from service.core.settings import REPO_ROOT
from service.migrate import upgrade_database
from service.outbox import store
from service.outbox.models import OutboxMessage, OutboxStatus
from service.outbox.worker import Destination, OutboxWorker, RetryPolicy
from service.wechat.delivery import WECHAT, WeChatDelivery, enqueue_texts
from tests.service.outbox.worker_process import BATCH

QUICK_RETRY = RetryPolicy(max_attempts=50, base_s=0.001, cap_s=0.01)


@pytest.fixture
def sessions(empty_db_url):
    return get_session_factory(empty_db_url)


def assert_once_each_in_order(accepted: list[tuple[str, str]], expected: dict[str, list[str]]) -> None:
    assert repeated(accepted) == {}
    assert in_arrival_order(accepted) == expected


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_destination_down_while_orders_come_in_gets_each_message_once_in_order(sessions, fault):
    receiver = Receiver()
    worker = OutboxWorker(sessions, {"http": receiver.destination(timeout_s=0.05)}, retry=QUICK_RETRY)
    receiver.fault = fault
    expected: dict[str, list[str]] = {}
    for number in range(4):  # 50 orders' pause, two agent lines and resume, while the destination is down
        enqueue_round(sessions, destination="http", streams=50, number=number, into=expected)
        await worker.run_once()
    assert receiver.accepted == [] and receiver.refused >= 50
    with sessions() as session:
        tried = session.scalars(select(OutboxMessage.key).where(OutboxMessage.attempts > 0)).all()
    assert sorted(tried) == sorted(keys[0] for keys in expected.values())  # each stream's head, nothing behind it

    receiver.fault = None
    await deliver_all(worker, sessions)
    assert_once_each_in_order(receiver.accepted, expected)
    assert counts(sessions) == {"pending": 0, "delivered": 200, "dead": 0, "undeliverable": 0}


class ScriptedWeChatApi:
    """WeChat's customer-service API as WeChatDelivery sees it (the real client has already
    refreshed a stale token once): each citizen's calls get the errcodes of their script in turn,
    the last one from then on (0 where there is no script). Records every call and what it took."""

    configured = True

    def __init__(self, scripts: dict[str, list[int]]) -> None:
        self.scripts = scripts
        self.calls: list[tuple[str, str, int]] = []
        self.sent: list[tuple[str, str]] = []

    async def send_text(self, *, openid: str, content: str) -> int:
        script = self.scripts.get(openid, [0])
        errcode = script.pop(0) if len(script) > 1 else script[0]
        self.calls.append((openid, content, errcode))
        if errcode == 0:
            self.sent.append((openid, content))
        return errcode


def wechat_worker(sessions, api: ScriptedWeChatApi) -> OutboxWorker:
    return OutboxWorker(sessions, {WECHAT: Destination(WeChatDelivery(lambda: api).deliver, timeout_s=1.0)},
                        retry=QUICK_RETRY)


def enqueue_text(sessions, openid: str, text: str, ticket_number: str) -> None:
    with sessions() as session:
        enqueue_texts(session, openid=openid, texts=[text], ticket_number=ticket_number)
        session.commit()


async def test_wechat_busy_or_with_a_stale_token_gets_each_text_once_in_order(sessions):
    citizens = [f"oCitizen{n:02d}" for n in range(8)]
    # -1: unreachable or 5xx; 40001: the token was still refused after a refresh; 45009: rate limit.
    api = ScriptedWeChatApi({openid: [-1, 40001, -1, 45009, 0] for openid in citizens})
    worker = wechat_worker(sessions, api)
    expected: dict[str, list[str]] = {}
    for line in range(5):
        for openid in citizens:
            enqueue_text(sessions, openid, f"【12345话务员】第{line}条", ticket_number=f"T-{openid}")
            expected.setdefault(openid, []).append(f"【12345话务员】第{line}条")
        await worker.run_once()
    await deliver_all(worker, sessions)
    assert len(api.sent) == len(set(api.sent)) == 40
    assert in_arrival_order(api.sent) == expected
    refused = [(openid, text, errcode) for openid, text, errcode in api.calls if errcode]
    assert Counter(errcode for *_, errcode in refused) == {-1: 16, 40001: 8, 45009: 8}
    assert {(openid, text) for openid, text, _ in refused} == {(openid, texts[0]) for openid, texts in expected.items()}
    assert counts(sessions)["delivered"] == 40


async def test_wechat_refusing_for_good_parks_the_text_as_undeliverable_with_the_reason(sessions):
    api = ScriptedWeChatApi({"oBlocked": [45015, 0]})  # the citizen has not written for 48 hours
    enqueue_text(sessions, "oBlocked", "第一条", ticket_number="T1")
    enqueue_text(sessions, "oBlocked", "第二条", ticket_number="T1")
    enqueue_text(sessions, "oOther", "您好", ticket_number="T2")
    worker = wechat_worker(sessions, api)
    await deliver_all(worker, sessions)
    make_due(sessions)
    assert await worker.run_once() == 0
    assert [call for call in api.calls if call[1] == "第一条"] == [("oBlocked", "第一条", 45015)]  # never again
    assert sorted(api.sent) == [("oBlocked", "第二条"), ("oOther", "您好")]  # the stream goes on past it
    with sessions() as session:
        (parked,) = store.parked(session, ticket_number="T1")
    assert (parked.status, parked.attempts, parked.payload["text"]) == (OutboxStatus.UNDELIVERABLE, 1, "第一条")
    assert "45015" in parked.last_error and "48小时" in parked.last_error


def start_worker_process(db_url: str, receiver_url: str, name: str, log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.service.outbox.worker_process", db_url, receiver_url, name],
            cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT,
        )


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_what_it_held(empty_db_url, sessions, tmp_path):
    expected = enqueue_streams(sessions, destination="http", streams=50, per_stream=4)
    receiver = HttpReceiver(hold_after=70)
    with receiver.running():
        first = start_worker_process(empty_db_url, receiver.url, "first", tmp_path / "first.log")
        try:
            held = receiver.holding.wait(timeout=30)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        assert held, (tmp_path / "first.log").read_text()
        with sessions() as session:
            leased = session.execute(select(OutboxMessage.key, OutboxMessage.stream).where(
                OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.worker == "first")).all()
        in_flight = {key for key, _ in leased}
        assert 1 <= len(in_flight) <= BATCH  # at most the batch it was delivering
        receiver.release()  # the held answers go to a dead process

        second = start_worker_process(empty_db_url, receiver.url, "second", tmp_path / "second.log")
        try:
            # While the dead worker's leases last, its streams wait and the others are delivered.
            def only_held_streams_pending() -> bool:
                with sessions() as session:
                    return not session.scalar(select(func.count()).where(
                        OutboxMessage.status == OutboxStatus.PENDING,
                        OutboxMessage.stream.not_in({stream for _, stream in leased})))

            wait_until(only_held_streams_pending, within_s=20, what="the streams the kill did not hold")
            assert not in_flight & {key for _, key, sender in receiver.received if sender == "second"}
            with sessions() as session:  # as if the leases had run out
                session.execute(update(OutboxMessage).where(OutboxMessage.worker == "first", OutboxMessage.status ==
                                OutboxStatus.PENDING).values(lease_until=utcnow() - timedelta(seconds=1)))
                session.commit()
            assert second.wait(timeout=30) == 0, (tmp_path / "second.log").read_text()
        finally:
            second.kill()

    arrivals = [(stream, key) for stream, key, _ in receiver.received]
    duplicated = repeated(arrivals)
    assert {key for _, key in arrivals} == {key for keys in expected.values() for key in keys}
    # Twice only what the killed worker held: once from it, once from the worker after it.
    assert 1 <= len(duplicated) and set(duplicated) <= in_flight and set(duplicated.values()) == {2}
    assert sorted(sender for _, key, sender in receiver.received if key in duplicated) == (
        ["first"] * len(duplicated) + ["second"] * len(duplicated))
    ordered = {stream: without_repeats_in_a_row(keys) for stream, keys in in_arrival_order(arrivals).items()}
    assert ordered == expected
    assert counts(sessions) == {"pending": 0, "delivered": 200, "dead": 0, "undeliverable": 0}
    print(f"kill -9 with {len(in_flight)} messages held: {len(duplicated)} of them received twice")


@pytest.mark.postgres
def test_two_workers_on_postgresql_never_deliver_a_message_twice(postgres_url):
    upgrade_database(database_url=postgres_url)
    sessions = get_session_factory(postgres_url)
    expected = enqueue_streams(sessions, destination="http", streams=30, per_stream=10)
    receiver = Receiver(fail_share=0.2, seed=11, latency_s=0.003)
    both_ready = threading.Barrier(2)

    def run_worker(name: str) -> None:
        worker = OutboxWorker(sessions, {"http": receiver.destination(timeout_s=0.05, sender=name)},
                              retry=QUICK_RETRY, batch=5, name=name)
        both_ready.wait(timeout=10)
        asyncio.run(deliver_all(worker, sessions, within_s=40))

    with ThreadPoolExecutor(max_workers=2) as pool:
        for running in [pool.submit(run_worker, name) for name in ("worker-a", "worker-b")]:
            running.result()
    assert_once_each_in_order(receiver.accepted, expected)
    assert receiver.refused > 0 and set(receiver.by_sender) == {"worker-a", "worker-b"}
    assert counts(sessions) == {"pending": 0, "delivered": 300, "dead": 0, "undeliverable": 0}

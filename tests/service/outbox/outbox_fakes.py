"""The receiving side of outbox destinations, for the outbox tests: each records every message it
accepts with the message's key, in arrival order, and can be told to fail; Rasa's conversation API
over HTTP for a service in another process. Also the helpers that write streams of messages and
run a worker until nothing is pending."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from service.core.db import utcnow
from service.outbox import store
from service.outbox.models import OutboxMessage, OutboxStatus
from service.outbox.worker import Destination, OutboxWorker

FAULTS = ("5xx", "timeout", "exception")


class Receiver:
    """A destination behind HTTP (httpx's MockTransport). It accepts each message and records it;
    while `fault` is set, or at random for a `fail_share` of requests, it refuses instead: answers
    503, hangs past the worker's timeout, or drops the connection."""

    def __init__(self, *, fail_share: float = 0.0, seed: int = 0, latency_s: float = 0.0) -> None:
        self.fault: str | None = None
        self.accepted: list[tuple[str, str]] = []  # (stream, key) in arrival order
        self.by_sender: Counter[str] = Counter()
        self.refused = 0
        self._fail_share = fail_share
        self._rng = random.Random(seed)
        self._latency_s = latency_s

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if self._latency_s:
            await asyncio.sleep(self._rng.uniform(0, self._latency_s))
        fault = self.fault or (self._rng.choice(FAULTS) if self._rng.random() < self._fail_share else None)
        if fault is not None:
            self.refused += 1
        if fault == "5xx":
            return httpx.Response(503)
        if fault == "timeout":
            await asyncio.sleep(60)  # the worker's timeout cancels this
        if fault == "exception":
            raise httpx.ConnectError("connection refused", request=request)
        self.accepted.append((body["stream"], body["key"]))
        self.by_sender[body["sender"]] += 1
        return httpx.Response(200)

    def destination(self, *, timeout_s: float, sender: str = "worker") -> Destination:
        async def deliver(message: OutboxMessage) -> None:
            body = {"stream": message.stream, "key": message.key, "sender": sender}
            async with httpx.AsyncClient(transport=httpx.MockTransport(self._handle)) as client:
                (await client.post("http://receiver.test/messages", json=body)).raise_for_status()

        return Destination(deliver, timeout_s=timeout_s)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a whole batch connects at once; the default 5 drops connections


class HttpReceiver:
    """A real HTTP server in a thread of the test process, for workers in other processes: records
    each message on arrival with the worker that sent it, then answers 200. From the
    `hold_after`-th message on it holds its answers until `release()`, so that a kill lands
    between accepting and answering."""

    def __init__(self, *, hold_after: int) -> None:
        self.received: list[tuple[str, str, str]] = []  # (stream, key, sender) in arrival order
        self.holding = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with receiver._lock:
                    receiver.received.append((body["stream"], body["key"], body["sender"]))
                    if len(receiver.received) >= hold_after:
                        receiver.holding.set()
                if receiver.holding.is_set():
                    receiver._released.wait(timeout=30)
                try:
                    self.send_response(200)
                    self.end_headers()
                except OSError:
                    pass  # the worker died waiting for this answer

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def release(self) -> None:
        self._released.set()

    @contextmanager
    def running(self) -> Iterator[HttpReceiver]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.release()
            self._server.shutdown()
            self._server.server_close()


class RasaTrackers:
    """Rasa's conversation API as the outbox's "rasa" destination uses it, on a real HTTP server in
    a thread of the test process: keeps each conversation's events as appended (POST
    /conversations/{id}/tracker/events) and gives them back (GET /conversations/{id}/tracker)."""

    def __init__(self) -> None:
        self._events: dict[str, list[dict]] = {}
        self._lock = threading.Lock()
        trackers = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _conversation(self, tail: str) -> str | None:
                _, root, conversation, *rest = urlsplit(self.path).path.split("/")
                return unquote(conversation) if root == "conversations" and "/".join(rest) == tail else None

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the service died waiting for this answer

            def do_GET(self) -> None:
                conversation = self._conversation("tracker")
                if conversation is None:
                    self._answer(404, {})
                    return
                self._answer(200, {"sender_id": conversation, "events": trackers.events(conversation)})

            def do_POST(self) -> None:
                conversation = self._conversation("tracker/events")
                try:
                    events = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                except ValueError:
                    return  # cut short: the service died while sending it
                if conversation is None:
                    self._answer(404, {})
                    return
                with trackers._lock:
                    trackers._events.setdefault(conversation, []).extend(events)
                self._answer(200, {})

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def events(self, conversation: str) -> list[dict]:
        with self._lock:
            return list(self._events.get(conversation, []))

    @contextmanager
    def running(self) -> Iterator[RasaTrackers]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()


def enqueue_round(sessions: sessionmaker[Session], *, destination: str, streams: int, number: int,
                  into: dict[str, list[str]]) -> None:
    """Message `number` of each of `streams` streams, one transaction each (as agents' steps write
    them); each key appended to its stream's list in `into`."""
    for stream in range(streams):
        with sessions() as session:
            name = f"order-{stream:03d}"
            message = store.enqueue(session, destination=destination, stream=name, kind="note",
                                    payload={"number": number}, key=f"{name}#{number}")
            session.commit()
        into.setdefault(message.stream, []).append(message.key)


def enqueue_streams(
    sessions: sessionmaker[Session], *, destination: str, streams: int, per_stream: int
) -> dict[str, list[str]]:
    """`per_stream` messages in each of `streams` streams, written round-robin; the keys each
    stream must receive, in order."""
    expected: dict[str, list[str]] = {}
    for number in range(per_stream):
        enqueue_round(sessions, destination=destination, streams=streams, number=number, into=expected)
    return expected


def in_arrival_order(accepted: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Each stream's keys as they arrived, repeats included."""
    streams: dict[str, list[str]] = {}
    for stream, key in accepted:
        streams.setdefault(stream, []).append(key)
    return streams


def repeated(accepted: list[tuple[str, str]]) -> dict[str, int]:
    return {key: n for key, n in Counter(key for _, key in accepted).items() if n > 1}


def without_repeats_in_a_row(keys: list[str]) -> list[str]:
    return [key for n, key in enumerate(keys) if n == 0 or keys[n - 1] != key]


def wait_until(condition, *, within_s: float, what: str) -> None:
    """Polls `condition` until it holds; fails after `within_s`."""
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, f"not within {within_s} s: {what}"
        time.sleep(0.02)


def counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        return store.counts(session)


def pending(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING))


def make_due(sessions: sessionmaker[Session]) -> None:
    """As if every back-off had passed."""
    with sessions() as session:
        session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        session.commit()


async def deliver_all(worker: OutboxWorker, sessions: sessionmaker[Session], *, within_s: float = 20.0) -> None:
    """Runs `worker` until no message is pending (back-offs are short in these tests)."""
    deadline = time.monotonic() + within_s
    while pending(sessions):
        assert time.monotonic() < deadline, f"still pending after {within_s} s: {counts(sessions)}"
        if not await worker.run_once():
            await asyncio.sleep(0.005)

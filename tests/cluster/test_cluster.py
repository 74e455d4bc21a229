"""The cluster under load: 2 Rasa servers, 2 action servers and 2 service processes behind nginx, on
PostgreSQL (fresh databases) and Redis (a key prefix of its own), the way `make run-cluster` starts them.

200 conversations run at once (catalogue questions, a booking to its code, a 12345 complaint), each turn
to a random Rasa server. When 40 % of the turns are done one Rasa server is killed (SIGKILL); the
conversations go on on the other with their state. A turn the dead server refused or dropped is sent
again to the other server, as a load balancer would (README, Cluster mode). Then, counted where it is
stored: every tracker holds exactly the citizen's messages, in order, none lost or doubled, and every
booking and work order exists once in the service's database. Before that, two messages of one
conversation sent at once to both servers run one after the other (the lock in Redis); after it,
agents' steps reach the surviving server once each through both service processes' outbox workers.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import partial

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.resent_messages import CLIENT_MESSAGE_ID, RESENT
from common.personal_data import mask_as_typed, mask_name
from scripts.stack import MODEL_PATH, REPO_ROOT, Cluster, ClusterPorts, ClusterSize
from tests import postgres
from tests.e2e.conftest import Chat, after_hours_tickets_config, texts
from tests.e2e.test_booking import BOOKING_NAME, CODE, _valid_id, answer_person, start
from tests.e2e.test_handoff import file_complaint
from tests.e2e.test_rasa_outage import OUTBOX_EVENTS, STAFF, file_and_work

# Inside 7000-7100 but apart from `make run-cluster` (7000), so both can run on one machine.
PORTS = ClusterPorts(base=int(os.environ.get("CLUSTER_TEST_PORT", 7050)))
CONVERSATIONS = int(os.environ.get("CLUSTER_CONVERSATIONS", 200))
KILL_AFTER = 0.4  # of the expected turns
REDIS = "redis://127.0.0.1:6379/1"
# Rasa keeps a conversation's lock this long when the server holding it dies (Rasa's default is 60 s):
# the turns the killed server dropped wait for it once, on the other server.
LOCK_LIFETIME_S = "20"
BOOKING_ITEM = "GA-SFZ-001"
MORNING = "09:00-10:00"
PER_MORNING = 6


def _redis_reachable() -> None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=3) as connection:
            connection.sendall(b"PING\r\n")
            if connection.recv(16).startswith(b"+PONG"):
                return
    except OSError:
        pass
    reason = "Redis unreachable at 127.0.0.1:6379"
    if os.environ.get("REQUIRE_POSTGRES") == "1":  # CI: the cluster test must run, never skip quietly
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def cluster():
    if not MODEL_PATH.exists():
        pytest.fail(f"no trained model at {MODEL_PATH}: run `make train` (make test does)")
    _redis_reachable()
    # Under var/, not pytest's temporary folders (only the last three runs are kept): a failed run's
    # logs stay until the next run.
    work = REPO_ROOT / "var" / "cluster_test"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.monotonic()
    with postgres.throwaway_databases("daoban_cluster", count=2) as (service_db, tracker_db):
        env = {
            "DATABASE_URL": postgres.url(service_db, driver="postgresql+psycopg"),
            "TRACKER_STORE_URL": postgres.url(tracker_db),
            "REDIS_URL": REDIS,
            "REDIS_KEY_PREFIX": f"test{uuid.uuid4().hex[:8]}",
            "TICKET_LOCK_LIFETIME": LOCK_LIFETIME_S,
            "TICKETS_CONFIG_PATH": str(after_hours_tickets_config(work)),
        }
        running = Cluster(size=ClusterSize(rasa=2, actions=2, service=2), ports=PORTS, work_dir=work, extra_env=env)
        running.prepare()
        try:
            running.start()
            running.start_up_s = time.monotonic() - started
            yield running
        finally:
            running.stop()


class ClusterChat(Chat):
    """A citizen whose every turn goes to a random Rasa server (no stickiness). A server that refuses
    the connection never saw the turn: it goes to another server. A connection dropped in the middle
    (the server died) is sent again too, as a load balancer or the web chat's 重试 would."""

    def __init__(self, run: "LoadRun") -> None:
        super().__init__(PORTS.rasa(0))
        self.run = run
        self.sent: list[str] = []
        self.code: str | None = None  # the booking's, when the conversation books
        self.number: str | None = None  # the work order's, when it files one

    def say(self, message: str) -> list[dict]:
        ports = self.run.rasa_ports[:]
        random.shuffle(ports)
        # Named, and marked when sent again, as the web chat does (bot/resent_messages.py): a copy
        # whose first the dead server stored before it could answer gets that copy's replies.
        metadata = {CLIENT_MESSAGE_ID: uuid.uuid4().hex, RESENT: False}
        for port in ports * 2:
            try:
                response = httpx.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                                      json={"sender": self.sender, "message": message, "metadata": metadata},
                                      timeout=120)
            except httpx.ConnectError:
                self.run.count("refused")
                continue
            except (httpx.ReadError, httpx.RemoteProtocolError):
                self.run.count("dropped")
                metadata[RESENT] = True
                continue
            response.raise_for_status()
            self.sent.append(message)
            self.run.turn_done()
            return response.json()
        raise AssertionError(f"no Rasa server took {message!r}")


class LoadRun:
    """Counts turns across the conversations' threads and kills one Rasa server part-way."""

    def __init__(self, cluster: Cluster, expected_turns: int) -> None:
        self.cluster = cluster
        self.rasa_ports = [PORTS.rasa(i) for i in range(cluster.size.rasa)]
        self.kill_at = int(expected_turns * KILL_AFTER)
        self.counts = {"turns": 0, "refused": 0, "dropped": 0}
        self.killed_at_turn: int | None = None
        self._lock = threading.Lock()

    def count(self, what: str) -> None:
        with self._lock:
            self.counts[what] += 1

    def turn_done(self) -> None:
        with self._lock:
            self.counts["turns"] += 1
            kill = self.counts["turns"] == self.kill_at
        if kill:
            self.killed_at_turn = self.kill_at
            self.cluster.processes["rasa-2"].kill()


def catalogue_questions(chat: ClusterChat) -> None:
    """Six turns; the follow-ups ("那…", "第一个") only make sense with the conversation's state."""
    assert "20元" in texts(chat.say("补办身份证要交多少钱"))
    follow_up = texts(chat.say("那大概多久能拿到"))
    assert "个工作日" in follow_up and "居民身份证补领" in follow_up
    chat.say("驾照快到期了换证要带哪些东西")
    assert "【机动车驾驶证期满换证】一次性告知" in texts(chat.say("第一个"))
    assert "出入境接待大厅" in texts(chat.say("办护照要去哪里办"))
    assert "导办助手" in texts(chat.say("你好呀"))


def complaint(chat: ClusterChat) -> None:
    """Two questions, a complaint filed as a 12345 work order, and its status: six turns."""
    assert "20元" in texts(chat.say("补办身份证要交多少钱"))
    assert "出入境接待大厅" in texts(chat.say("办护照要去哪里办"))
    number, _done = file_complaint(chat)
    chat.number = number
    assert number in texts(chat.say("我刚才投诉的那个事现在怎么样了"))


def booking(chat: ClusterChat, day: date, serial: int) -> None:
    """A booking from the first message to its code (seven or eight turns); one person per booking."""
    start(chat, f"我想预约{day.month}月{day.day}号上午换身份证")
    answer_person(chat, _valid_id(serial))
    assert "请核对预约信息" in texts(chat.say("都备齐了"))
    done = texts(chat.say("/affirm"))
    code = CODE.search(done)
    assert code, done
    chat.code = code.group(1)


def bookable_mornings(cluster: Cluster, wanted: int) -> list[date]:
    """Working days whose first morning slot has room for this run's bookings, PER_MORNING a day
    (less than its capacity: the last seats are never raced for)."""
    service = f"http://127.0.0.1:{PORTS.public}"
    days = []
    for offset in range(2, 15):
        day = date.today() + timedelta(days=offset)
        body = httpx.get(f"{service}/api/halls/A/slots", params={"date": f"{day}", "item": BOOKING_ITEM},
                         timeout=10).json()
        if body.get("open") and any(s["slot"] == MORNING and s["free"] >= PER_MORNING + 2 for s in body["slots"]):
            days.append(day)
    assert len(days) * PER_MORNING >= wanted, f"only {len(days)} bookable mornings"
    return days


def tracker_user_texts(cluster: Cluster, sender: str) -> list[str]:
    """From Rasa's API on the surviving server, with the token."""
    response = httpx.get(f"http://127.0.0.1:{PORTS.rasa(0)}/conversations/{sender}/tracker",
                         params=cluster.rasa_api_params, timeout=30)
    response.raise_for_status()
    return [event["text"] for event in response.json()["events"] if event["event"] == "user"]


async def _run_all(scripts: list, run: LoadRun) -> list[tuple[ClusterChat, BaseException | None]]:
    """Every conversation at once: the helpers of tests/e2e are synchronous, so each runs in a thread."""
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(max_workers=len(scripts)))

    async def one(script):
        chat = ClusterChat(run)
        try:
            await asyncio.to_thread(script, chat)
        except BaseException as error:  # noqa: BLE001 - reported per conversation below
            return chat, error
        return chat, None

    return await asyncio.gather(*(one(script) for script in scripts))


def test_nginx_serves_the_channels_and_pages_but_not_rasas_api(cluster):
    public = f"http://127.0.0.1:{PORTS.public}"
    token = cluster.rasa_api_params
    for path in ("/status", "/conversations/x/tracker", "/conversations/x/tracker/events", "/model/parse",
                 "/version", "/webhooks/rest"):
        assert httpx.get(f"{public}{path}", params=token, timeout=10).status_code == 404, path
    assert httpx.post(f"{public}/model/parse", params=token, json={"text": "你好"}, timeout=10).status_code == 404
    assert httpx.get(f"{public}/health", timeout=10).json()["database"] == "ok"
    assert "<html" in httpx.get(f"{public}/chat", timeout=10).text.lower()
    assert httpx.get(f"{public}/api/chat/config", timeout=10).json()["rasa_url"] == f"http://localhost:{PORTS.public}"
    reply = httpx.post(f"{public}/webhooks/rest/webhook", json={"sender": "nginx-check", "message": "你好呀"},
                       timeout=60).json()
    assert "导办助手" in texts(reply)
    handshake = httpx.get(f"{public}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10)
    assert handshake.status_code == 200 and '"sid"' in handshake.text


def test_two_messages_of_one_conversation_at_once_on_two_servers_run_one_after_the_other(cluster):
    """The shared lock in Redis: the second turn starts only when the first has finished."""
    messages = ("补办身份证要交多少钱", "办护照要去哪里办")

    async def both_at_once(client: httpx.AsyncClient, sender: str) -> None:
        await asyncio.gather(*(client.post(f"http://127.0.0.1:{PORTS.rasa(i)}/webhooks/rest/webhook",
                                           json={"sender": sender, "message": message})
                               for i, message in enumerate(messages)))

    async def all_conversations(senders: list[str]) -> None:
        async with httpx.AsyncClient(timeout=120) as client:
            await asyncio.gather(*(both_at_once(client, sender) for sender in senders))

    senders = [f"cluster-lock-{n:02d}" for n in range(20)]
    asyncio.run(all_conversations(senders))
    for sender in senders:
        events = httpx.get(f"http://127.0.0.1:{PORTS.rasa(1)}/conversations/{sender}/tracker",
                           params=cluster.rasa_api_params, timeout=30).json()["events"]
        turns = [event for event in events if event["event"] in ("user", "action")]
        users = [i for i, event in enumerate(turns) if event["event"] == "user"]
        assert sorted(turns[i]["text"] for i in users) == sorted(messages), sender
        # The first turn ends (the bot listens again) before the second message is read.
        assert turns[users[1] - 1].get("name") == "action_listen", (sender, turns)
        assert turns[-1].get("name") == "action_listen", sender


def test_two_hundred_conversations_survive_a_killed_rasa_server(cluster):
    bookings, complaints = CONVERSATIONS // 4, CONVERSATIONS // 4
    days = bookable_mornings(cluster, bookings)
    scripts = ([partial(booking, day=days[n % len(days)], serial=n) for n in range(bookings)]
               + [complaint] * complaints + [catalogue_questions] * (CONVERSATIONS - bookings - complaints))
    random.Random(7).shuffle(scripts)
    run = LoadRun(cluster, expected_turns=bookings * 7 + (CONVERSATIONS - bookings) * 6)

    began = time.monotonic()
    results = asyncio.run(_run_all(scripts, run))
    load_s = time.monotonic() - began

    failed = [(chat.sender, repr(error)[:300]) for chat, error in results if error is not None]
    assert not failed, f"{len(failed)} conversations failed, e.g. {failed[:3]}"
    assert run.killed_at_turn is not None and not cluster.processes["rasa-2"].running()

    # Rasa's trackers: each citizen message once, in the order it was sent (stored with its ID and
    # mobile numbers masked, and the name the booking form took: bot/stored_personal_data.py).
    def as_stored(sent: str) -> str:
        return mask_as_typed(sent).replace(BOOKING_NAME, mask_name(BOOKING_NAME))

    for chat, _ in results:
        assert tracker_user_texts(cluster, chat.sender) == [as_stored(t) for t in chat.sent], chat.sender

    # The service's database: each booking and each work order once.
    codes = [chat.code for chat, _ in results if chat.code]
    numbers = {chat.sender: chat.number for chat, _ in results if chat.number}
    assert len(codes) == bookings and len(numbers) == complaints
    with create_engine(cluster.env["DATABASE_URL"]).connect() as database:
        stored_codes = database.execute(text("SELECT code, conversation_id FROM appointment")).all()
        stored_orders = database.execute(
            text("SELECT number, conversation_id FROM ticket WHERE conversation_id IS NOT NULL")).all()
    assert sorted(code for code, _ in stored_codes) == sorted(codes)
    assert len({conversation for _, conversation in stored_codes}) == bookings
    assert dict((conversation, number) for number, conversation in stored_orders) == numbers
    assert len(stored_orders) == complaints

    # Every turn's report reached the service once, the killed server's included: the survivor
    # sends what the tracker store's outbox still holds (bot/service_outbox.py).
    deadline = time.monotonic() + 90
    tracker_url = make_url(cluster.env["TRACKER_STORE_URL"]).set(drivername="postgresql+psycopg")
    with create_engine(tracker_url).connect() as trackers:
        while owed := trackers.execute(text("SELECT count(*) FROM service_outbox")).scalar_one():
            assert time.monotonic() < deadline, f"{owed} reports still owed to the service"
            time.sleep(1)
    with create_engine(cluster.env["DATABASE_URL"]).connect() as database:
        reported = dict(database.execute(text("SELECT conversation_id, count(*) FROM turn GROUP BY conversation_id")).all())
    assert {chat.sender: reported.get(chat.sender, 0) for chat, _ in results} == {
        chat.sender: len(chat.sent) for chat, _ in results}

    figures = {"conversations": CONVERSATIONS, "turns": run.counts["turns"], "killed_at_turn": run.killed_at_turn,
               "turns_refused_then_resent": run.counts["refused"],
               "turns_dropped_then_resent": run.counts["dropped"],
               "start_up_s": round(cluster.start_up_s, 1), "load_s": round(load_s, 1),
               "turns_per_s": round(run.counts["turns"] / load_s, 1)}
    results_dir = REPO_ROOT / "var" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "cluster.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(f"\ncluster: {figures}")


def test_agents_work_orders_on_both_service_processes_and_each_reaches_rasa_once(cluster):
    """After the kill: the outbox workers of both service processes deliver, through nginx's inside
    port and with the token, to the Rasa server that is left: pause, the answer, resume and the rating
    question, once each and in order."""
    public = f"http://127.0.0.1:{PORTS.public}"
    orders = dict(file_and_work(public, n) for n in range(20))
    deadline = time.monotonic() + 120
    while (counts := httpx.get(f"{public}/api/outbox/counts", headers=STAFF, timeout=10).json()["counts"])["pending"]:
        assert time.monotonic() < deadline, f"the outbox did not drain: {counts}"
        time.sleep(1)
    assert counts["dead"] == counts["undeliverable"] == 0
    for conversation in orders:
        events = httpx.get(f"http://127.0.0.1:{PORTS.rasa(0)}/conversations/{conversation}/tracker",
                           params=cluster.rasa_api_params, timeout=30).json()["events"]
        assert [e["event"] for e in events if e["event"] in OUTBOX_EVENTS] == ["pause", "bot", "resume", "user", "bot"]

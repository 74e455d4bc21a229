"""The tracker store owes the service each saved turn's report, the dispute of the one before, and
a paused conversation's messages; it writes them with the turn's events and posts them from its
outbox (bot/service_outbox.py) without the turn waiting, in order, until the service takes them.

Replays a recorded conversation (tests/bot/fixtures/recorded_turns.json) into the real store on a
SQLite file; the service is a small HTTP server that records what it is sent."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiohttp import web
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ConversationPaused, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import service_outbox, store_tables, stored_personal_data
from bot.conversation_relay import RelayingSQLTrackerStore
from tests import postgres

REPO_ROOT = Path(__file__).resolve().parents[2]
OWN_TABLES = [service_outbox.OUTBOX, stored_personal_data.HELD]
RECORDED = json.loads((Path(__file__).parent / "fixtures" / "recorded_turns.json").read_text(encoding="utf-8"))


class FakeService:
    """The service's POST endpoints as the tracker store sees them: each request recorded, and
    answered with the next status of `answers` (201 once they run out)."""

    def __init__(self) -> None:
        self.posted: list[tuple[str, dict]] = []
        self.answers: list[int] = []
        self.slow_s = 0.0
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def _take(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.slow_s)
        status = self.answers.pop(0) if self.answers else 201
        if status < 300:
            self.posted.append((request.path, await request.json()))
        return web.json_response({}, status=status)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{path:.*}", self._take)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def bodies(self, suffix: str) -> list[dict]:
        return [body for path, body in self.posted if path.endswith(suffix)]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(REPO_ROOT / "domain.yml"))


@pytest.fixture
async def service(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "development")
    monkeypatch.setattr(service_outbox, "FIRST_PAUSE_S", 0.02)  # retries within a test's patience
    fake = FakeService()
    await fake.start()
    monkeypatch.setenv("SERVICE_URL", fake.url)
    yield fake
    await fake.stop()


@pytest.fixture
async def open_store(tmp_path):
    """Opens stores on the test's SQLite file (several: a restart); their senders stop at the end."""
    opened: list[RelayingSQLTrackerStore] = []

    def open_one() -> RelayingSQLTrackerStore:
        opened.append(RelayingSQLTrackerStore(domain=Domain.empty(), db=str(tmp_path / "tracker.db")))
        return opened[-1]

    yield open_one
    for store in opened:
        await store.outbox.stop()


async def all_taken(store: RelayingSQLTrackerStore, timeout_s: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while store.outbox.pending():
        assert loop.time() < deadline, f"{store.outbox.pending()} rows still owed to the service"
        await asyncio.sleep(0.02)


def user_message_indexes(events: list[dict]) -> list[int]:
    return [i for i, e in enumerate(events) if e["event"] == "user"]


async def save_turn_by_turn(store, domain, sender: str, events: list[dict], extra: list[Event] = ()) -> None:
    """Saves the conversation as Rasa does: once after each citizen message's turn."""
    starts = user_message_indexes(events)[1:] + [len(events)]
    tracker = DialogueStateTracker.from_events(sender, [], domain.slots)
    done = 0
    for end in starts:
        for event in events[done:end]:
            tracker.update(Event.from_parameters(event), domain)
        for event in extra if end == len(events) else ():
            tracker.update(event, domain)
        done = end
        await store.save(tracker)


async def test_each_turn_is_reported_and_the_next_message_disputes_the_answer(open_store, domain, service):
    store = open_store()
    service.slow_s = 0.05  # the service takes a while: the saves must not wait for it
    await save_turn_by_turn(store, domain, "web-relay-1", RECORDED["fee_then_not_this"])
    assert service.posted == []  # posted after the saves returned
    await all_taken(store)
    reports = service.bodies("/api/turns")
    assert [r["outcome"] for r in reports] == ["notice", "other"]
    assert reports[0]["text"] == "补办身份证要交多少钱" and reports[0]["item_code"] == "GA-SFZ-002"
    assert service.bodies("/api/turns/web-relay-1/disputes") == [
        {"message_id": reports[0]["message_id"], "reason": "denied"}]
    # In order: the disputed turn's report reached the service before its dispute.
    assert [path for path, _ in service.posted][-1].endswith("/disputes")


async def test_a_paused_conversation_is_relayed_not_reported(open_store, domain, service):
    store = open_store()
    await save_turn_by_turn(store, domain, "web-relay-2", RECORDED["greeting"], extra=[ConversationPaused()])
    await all_taken(store)
    assert [r["text"] for r in service.bodies("/api/turns")] == ["你好呀"]
    # The second message came while an agent held the conversation.
    assert [m["text"] for m in service.bodies("/api/conversations/web-relay-2/messages")] == ["谢谢"]


async def test_what_is_owed_while_the_service_is_away_is_sent_after_a_restart_once_in_order(
    open_store, domain, service, monkeypatch
):
    # The service is not listening: the turns are saved and answered all the same.
    monkeypatch.setenv("SERVICE_URL", "http://127.0.0.1:9")
    first = open_store()
    for name in ("fee_then_not_this", "notice_then_person"):
        await save_turn_by_turn(first, domain, f"web-{name}", RECORDED[name])
    owed = first.outbox.pending()
    assert owed >= 5
    await first.outbox.stop()  # the process dies with everything still owed

    monkeypatch.setenv("SERVICE_URL", service.url)
    again = open_store()  # Rasa restarted on the same database
    await all_taken(again)
    assert len(service.posted) == owed  # each once
    sent_for: dict[str, list[str]] = {}
    for path, body in service.posted:  # /api/turns carries the conversation; a dispute names it in its path
        conversation = body.get("conversation_id") or path.split("/")[3]
        sent_for.setdefault(conversation, []).append(path.rsplit("/", 1)[-1])
    assert sent_for["web-fee_then_not_this"] == ["turns", "turns", "disputes"]  # in the order of the turns
    assert set(sent_for) == {"web-fee_then_not_this", "web-notice_then_person"}


async def test_a_failing_service_is_tried_again_until_it_takes_the_report(open_store, domain, service):
    service.answers = [503, 503, 502]
    store = open_store()
    await save_turn_by_turn(store, domain, "web-relay-3", RECORDED["declined"])
    await all_taken(store)
    assert [r["outcome"] for r in service.bodies("/api/turns")] == ["declined"]  # taken once, after three tries


async def test_a_refused_report_is_dropped_and_the_next_still_goes(open_store, domain, service):
    service.answers = [422]
    store = open_store()
    await save_turn_by_turn(store, domain, "web-relay-4", RECORDED["fee_then_not_this"])
    await all_taken(store)
    # The first report was refused for good; its dispute then finds no turn and is dropped too.
    assert [r["outcome"] for r in service.bodies("/api/turns")] == ["other"]


def test_pauses_grow_with_each_try_and_are_jittered():
    pauses = [service_outbox.pause_after(n) for n in range(1, 20)]
    assert 0.25 <= pauses[0] <= 0.5 and 1.0 <= pauses[3] <= 4.0 * 1.0
    assert max(pauses) <= service_outbox.LONGEST_PAUSE_S
    assert len({round(service_outbox.pause_after(3), 6) for _ in range(20)}) > 1


def test_servers_starting_together_on_one_postgresql_all_get_the_stores_own_tables():
    # Each Rasa server creates the tables when missing; unguarded, all but one of those starting at
    # once failed on PostgreSQL's catalogue keys and exited (the cluster's start).
    starting = 4
    with postgres.throwaway_databases("outbox_race") as (database,):
        engines = [sa.create_engine(postgres.url(database)) for _ in range(starting)]
        together = threading.Barrier(starting)
        failures: list[Exception] = []

        def start(engine: sa.engine.Engine) -> None:
            together.wait()
            try:
                store_tables.create_tables(engine, OWN_TABLES)
            except Exception as error:  # noqa: BLE001 - each server's failure is what is counted
                failures.append(error)

        servers = [threading.Thread(target=start, args=(engine,)) for engine in engines]
        for server in servers:
            server.start()
        for server in servers:
            server.join()
        assert failures == []
        assert all(sa.inspect(engines[0]).has_table(table.name) for table in OWN_TABLES)
        for engine in engines:
            engine.dispose()


ID_NUMBER, MOBILE, NEW_MOBILE = "110101199003074477", "13812345678", "13987654321"


def citizen_says(text: str, number: str, message_id: str) -> UserUttered:
    start = text.index(number)
    entity = {"entity": "phone", "value": number, "start": start, "end": start + len(number)}
    return UserUttered(text, intent={"name": "inform", "confidence": 0.9}, entities=[entity], message_id=message_id)


def stored_data(tmp_path: Path, sender: str) -> dict[str, list[str]]:
    """The events table's JSON for the sender, by event type, as a database dump would show it."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                                  {"s": sender}).all()
    engine.dispose()
    found: dict[str, list[str]] = {}
    for type_name, data in rows:
        found.setdefault(type_name, []).append(data)
    return found


def held(tmp_path: Path) -> list[str]:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with engine.connect() as connection:
        senders = list(connection.execute(sa.select(stored_personal_data.HELD.c.sender_id)).scalars())
    engine.dispose()
    return senders


async def test_names_id_and_mobile_numbers_are_stored_only_while_a_form_needs_them(
        open_store, domain, service, tmp_path):
    store, sender = open_store(), "web-personal-1"
    tracker = DialogueStateTracker.from_events(sender, [], domain.slots)
    turns = [
        [citizen_says(f"我叫张三，身份证{ID_NUMBER}，电话{MOBILE}", ID_NUMBER, "m1"),
         SlotSet("applicant_name", "张三"), SlotSet("applicant_id", ID_NUMBER), SlotSet("applicant_phone", MOBILE)],
        [citizen_says(f"电话写错了，是{NEW_MOBILE}", NEW_MOBILE, "m2"), SlotSet("applicant_phone", NEW_MOBILE)],
        # The booking is made: the form clears its slots.
        [citizen_says(f"确认，{NEW_MOBILE}", NEW_MOBILE, "m3"),
         SlotSet("applicant_name", None), SlotSet("applicant_id", None), SlotSet("applicant_phone", None)],
    ]
    saved: list[dict[str, list[str]]] = []
    listed: list[bool] = []
    for events in turns:
        for event in events:
            tracker.update(event, domain)
        await store.save(tracker)
        saved.append(stored_data(tmp_path, sender))
        listed.append(sender in held(tmp_path))
    assert listed == [True, True, False]  # a form holds numbers (for the sweep of abandoned ones)

    first, corrected, done = saved
    assert not any(n in data for data in first["user"] for n in (ID_NUMBER, MOBILE))  # text, entities
    assert json.loads(first["user"][0])["text"] == "我叫张*，身份证110***********4477，电话138****5678"
    assert sum(ID_NUMBER in d for d in first["slot"]) == 1 and sum(MOBILE in d for d in first["slot"]) == 1
    assert not any(MOBILE in d for d in corrected["slot"]) and any(NEW_MOBILE in d for d in corrected["slot"])
    assert not any(n in d for d in sum(done.values(), []) for n in (ID_NUMBER, MOBILE, NEW_MOBILE, "张三"))
    # What the store gives back is what later turns read: the form's values while they are needed.
    await all_taken(store)
    assert [r["text"] for r in service.bodies("/api/turns")] == [  # the review page's, as written
        "我叫张*，身份证110***********4477，电话138****5678", "电话写错了，是139****4321", "确认，139****4321"]
    back = await store.retrieve(sender)
    assert back.latest_message.text == "确认，139****4321" and back.latest_message.intent["name"] == "inform"
    assert back.get_slot("applicant_phone") is None
    assert [e.value for e in back.events if isinstance(e, SlotSet) and e.key == "applicant_id"] == [
        "110***********4477", None]


def half_filled_form(sender: str, domain: Domain, at: float) -> DialogueStateTracker:
    """A booking left after the phone number, at `at` (seconds since the epoch)."""
    tracker = DialogueStateTracker.from_events(sender, [], domain.slots)
    for event in (UserUttered(f"电话{MOBILE}", intent={"name": "inform", "confidence": 0.9}, timestamp=at),
                  SlotSet("applicant_phone", MOBILE, timestamp=at)):
        tracker.update(event, domain)
    return tracker


def stored_phones(tmp_path: Path, sender: str) -> list[str]:
    return [json.loads(data)["value"] for data in stored_data(tmp_path, sender)["slot"]]


async def test_a_form_abandoned_past_the_sessions_expiry_has_its_numbers_masked(open_store, domain, service, tmp_path):
    store = open_store()
    await store.save(half_filled_form("web-going-on-1", domain, time.time()))
    await store.sweeping  # the first save's sweep, done before the next form is left
    await store.save(half_filled_form("web-left-1", domain, time.time() - 7200))  # expires after 60 min
    assert stored_phones(tmp_path, "web-left-1") == [MOBILE]

    assert store.mask_abandoned_forms() == ["web-left-1"]
    assert stored_phones(tmp_path, "web-left-1") == ["138****5678"]
    assert stored_phones(tmp_path, "web-going-on-1") == [MOBILE]  # its form still needs it
    assert store.mask_abandoned_forms() == []  # done with: no longer listed


async def test_after_a_restart_the_first_save_sweeps(open_store, domain, service, tmp_path):
    first = open_store()
    await first.save(half_filled_form("web-going-on-2", domain, time.time()))
    await first.sweeping  # its next sweep is minutes away
    await first.save(half_filled_form("web-left-2", domain, time.time() - 7200))
    restarted = open_store()
    await restarted.save(half_filled_form("web-going-on-2", domain, time.time()))
    assert await restarted.sweeping == ["web-left-2"]
    assert stored_phones(tmp_path, "web-left-2") == ["138****5678"]

"""The tracker store reports each saved turn, and the dispute of the one before, without the turn
waiting for the service; a paused conversation's messages go to the work order instead.

Replays a recorded conversation (tests/bot/fixtures/recorded_turns.json) into the real store on a
SQLite file; the POSTs to the service are captured."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ConversationPaused, Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot import conversation_relay
from bot.conversation_relay import RelayingSQLTrackerStore

REPO_ROOT = Path(__file__).resolve().parents[2]
RECORDED = json.loads((Path(__file__).parent / "fixtures" / "recorded_turns.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(REPO_ROOT / "domain.yml"))


@pytest.fixture
def posted(monkeypatch) -> list[tuple[str, dict, dict]]:
    sent: list[tuple[str, dict, dict]] = []

    async def capture(url, body, **options):
        await asyncio.sleep(0.05)  # the service takes a while: the save must not wait for it
        sent.append((url, body, options))
        return True

    monkeypatch.setenv("ENVIRONMENT", "development")
    monkeypatch.setattr(conversation_relay, "post_to_service", capture)
    return sent


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


async def test_each_turn_is_reported_and_the_next_message_disputes_the_answer(tmp_path, domain, posted):
    store = RelayingSQLTrackerStore(domain=domain, db=str(tmp_path / "tracker.db"))
    events = RECORDED["fee_then_not_this"]
    await save_turn_by_turn(store, domain, "web-relay-1", events)
    assert posted == []  # reported in the background, after the saves returned
    await asyncio.gather(*store._reports)
    reports = [body for url, body, _ in posted if url.endswith("/api/turns")]
    assert [r["outcome"] for r in reports] == ["notice", "other"]
    assert reports[0]["text"] == "补办身份证要交多少钱" and reports[0]["item_code"] == "GA-SFZ-002"
    [(url, dispute, options)] = [p for p in posted if p[0].endswith("/disputes")]
    assert url.endswith("/api/turns/web-relay-1/disputes") and options["retry_not_found"]
    assert dispute == {"message_id": reports[0]["message_id"], "reason": "denied"}


async def test_a_paused_conversation_is_relayed_not_reported(tmp_path, domain, posted):
    store = RelayingSQLTrackerStore(domain=domain, db=str(tmp_path / "tracker.db"))
    events = RECORDED["greeting"]
    await save_turn_by_turn(store, domain, "web-relay-2", events, extra=[ConversationPaused()])
    await asyncio.gather(*store._reports)
    reports = [body["text"] for url, body, _ in posted if url.endswith("/api/turns")]
    relayed = [body["text"] for url, body, _ in posted if url.endswith("/api/conversations/web-relay-2/messages")]
    assert reports == ["你好呀"] and relayed == ["谢谢"]  # the second message came while an agent held it

"""A citizen's messages while an agent owns the conversation reach the order even when the
tracker store's push missed them: read back from Rasa, each added once."""

import asyncio

import pytest
from conftest import make_client, rasa_down_transport
from tickets_helpers import ticket_body

from service.core.db import get_session_factory
from service.tickets.relay_catch_up import catch_up, messages_while_paused

CONVERSATION = "web-catchup1"


def user(text: str, message_id: str, at: float = 1764550000.0) -> dict:
    return {"event": "user", "text": text, "message_id": message_id, "timestamp": at}


def test_only_typed_messages_after_the_last_pause_count_while_it_lasts():
    events = [user("之前说的", "m0"), {"event": "pause"}, user("还在吗", "m1"), user("/affirm", "m2"), user(" ", "m3")]
    assert [e["message_id"] for e in messages_while_paused(events)] == ["m1"]
    assert messages_while_paused([*events, {"event": "resume"}, user("谢谢", "m4")]) == []
    assert messages_while_paused([user("你好", "m5")]) == []


@pytest.fixture
def claimed(booking_db_url, staff_headers) -> str:
    with make_client(booking_db_url, rasa_down_transport()) as api:
        number = api.post("/api/tickets", json=ticket_body(conversation_id=CONVERSATION)).json()["number"]
        assert api.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers).status_code == 200
    return number


def transcript(db_url: str, number: str, staff_headers) -> list[tuple[str, str]]:
    with make_client(db_url, rasa_down_transport()) as api:
        lines = api.get(f"/api/tickets/{number}", headers=staff_headers).json()["transcript"]
    return [(line["author"], line["text"]) for line in lines]


def test_missed_messages_are_added_once_and_in_order(booking_db_url, claimed, staff_headers):
    tracker = {CONVERSATION: [{"event": "pause"}, user("路灯还是不亮", "m1"), user("我电话13812345678", "m2")]}
    reads: list[str] = []

    async def read_events(conversation_id: str) -> list[dict]:
        reads.append(conversation_id)
        return tracker.get(conversation_id, [])

    sessions = get_session_factory(booking_db_url)
    assert asyncio.run(catch_up(sessions, read_events)) == 2
    assert asyncio.run(catch_up(sessions, read_events)) == 0  # already there: not again
    assert reads == [CONVERSATION, CONVERSATION]
    assert transcript(booking_db_url, claimed, staff_headers)[-2:] == [
        ("citizen", "路灯还是不亮"), ("citizen", "我电话138****5678")]


def test_a_rasa_outage_is_raised_for_the_next_pass(booking_db_url, claimed):
    async def rasa_down(_conversation_id: str) -> list[dict]:
        raise ConnectionError("rasa down")

    with pytest.raises(ConnectionError):
        asyncio.run(catch_up(get_session_factory(booking_db_url), rasa_down))

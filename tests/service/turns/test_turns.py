"""Turns reported by the bot: stored once per message, masked, disputed later, refused when malformed."""

import pytest
from conftest import make_client, rasa_down_transport

from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.turns.models import Disputed, Outcome, Turn

CONVERSATION = "web-0123456789abcdef01234567"


@pytest.fixture
def client(empty_db_url):
    with make_client(empty_db_url, rasa_down_transport()) as test_client:
        yield test_client


def bot() -> dict[str, str]:
    return {"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}


def turn(**changes) -> dict:
    return {
        "conversation_id": CONVERSATION, "message_id": "m1", "at": "2026-12-07T10:00:00+08:00", "channel": "web",
        "text": "我身份证110101199003074578丢了，电话13912345678，补办要带啥", "intent": "ask_materials",
        "intent_confidence": 0.93, "item_code": "GA-001", "item_confidence": 0.88, "outcome": "notice",
        "topic": None, **changes,
    }


def stored(db_url: str) -> list[Turn]:
    with get_session_factory(db_url)() as session:
        return session.query(Turn).order_by(Turn.id).all()


def test_a_turn_is_stored_once_with_personal_data_masked(client, empty_db_url):
    first = client.post("/api/turns", json=turn(), headers=bot())
    again = client.post("/api/turns", json=turn(outcome="offered"), headers=bot())  # a retry of the same report
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again.json()["outcome"] == "notice"
    [row] = stored(empty_db_url)
    assert "110101199003074578" not in row.text and "13912345678" not in row.text
    assert row.text.endswith("补办要带啥") and row.outcome is Outcome.NOTICE and row.item_confidence == 0.88


def test_a_long_story_is_kept_to_its_start(client, empty_db_url):
    client.post("/api/turns", json=turn(text="领导您好，" * 1000, message_id="long"), headers=bot())
    [row] = stored(empty_db_url)
    assert len(row.text) == 2000


def test_each_government_matter_gets_its_12345_topic(client, empty_db_url):
    reports = [
        turn(message_id="notice"),  # the 12345 classifier reads the question
        turn(message_id="handoff", outcome="handoff", text="楼下烧烤店天天半夜吵", topic="环境保护/噪声污染"),
        turn(message_id="greeting", outcome="other", text="你好"),
        turn(message_id="declined", outcome="declined", text="帮我订个酒店"),
    ]
    for report in reports:
        assert client.post("/api/turns", json=report, headers=bot()).status_code == 201
    topics = {row.message_id: row.topic for row in stored(empty_db_url)}
    # The citizen's confirmed topic wins for a handoff, at its first level, as the dashboard groups.
    assert topics == {"notice": "政法", "handoff": "环境保护", "greeting": None, "declined": None}


def test_the_next_message_marks_a_turn_as_disputed_once(client, empty_db_url):
    client.post("/api/turns", json=turn(), headers=bot())
    url = f"/api/turns/{CONVERSATION}/disputes"
    assert client.post(url, json={"message_id": "m1", "reason": "denied"}, headers=bot()).status_code == 204
    assert client.post(url, json={"message_id": "m1", "reason": "asked_person"}, headers=bot()).status_code == 204
    assert stored(empty_db_url)[0].disputed is Disputed.DENIED  # the first reason stays
    missing = client.post(url, json={"message_id": "nope", "reason": "denied"}, headers=bot())
    assert missing.status_code == 404 and "没有找到" in missing.json()["detail"]


@pytest.mark.parametrize(
    "changes", [{"outcome": "maybe"}, {"intent_confidence": 1.5}, {"text": ""}, {"at": "yesterday"}]
)
def test_a_malformed_report_is_refused_with_a_reason(client, empty_db_url, changes):
    answer = client.post("/api/turns", json=turn(**changes), headers=bot())
    assert answer.status_code == 422 and answer.json()["detail"]
    assert stored(empty_db_url) == []


def test_only_the_bot_reports_turns(client):
    assert client.post("/api/turns", json=turn()).status_code == 401

"""The work-order state machine: new → claimed → replied → closed, returned and reassigned.

Each refused step answers 409 in Chinese and writes nothing.
"""

import pytest
from sqlalchemy import select
from tickets_helpers import PHONE, ticket_body, ticket_counts

from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.tickets.models import Ticket
from service.turns.models import Disputed, Turn


@pytest.fixture
def number(booking_client) -> str:
    response = booking_client.post("/api/tickets", json=ticket_body())
    assert response.status_code == 201
    return response.json()["number"]


@pytest.fixture
def act(booking_client, staff_headers, number):
    def _act(action: str, **body):
        return booking_client.post(f"/api/tickets/{number}/{action}", json=body, headers=staff_headers)

    return _act


def _stored(url: str, number: str) -> tuple:
    with get_session_factory(url)() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        return ticket.status, ticket.assignee, ticket.reply, ticket.department, ticket.satisfaction


def test_the_whole_loop_with_a_rating(booking_client, staff_headers, number, act):
    claimed = act("claim", agent="王芳")
    assert claimed.status_code == 200 and claimed.json()["assignee"] == "王芳"
    replied = act("reply", agent="王芳", reply="路灯已于今日修复。")
    assert replied.json()["status"] == "replied" and replied.json()["replied_at"]
    closed = act("close", agent="王芳")
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]
    citizen = booking_client.get(f"/api/tickets/{number}/status", params={"phone": PHONE}).json()
    assert citizen["status_label"] == "已办结" and citizen["reply"] == "路灯已于今日修复。"
    rated = booking_client.post(f"/api/tickets/{number}/rating", json={"phone": PHONE, "rating": "满意"})
    assert rated.status_code == 200 and rated.json()["satisfaction"] == "满意"
    events = booking_client.get(f"/api/tickets/{number}", headers=staff_headers).json()["events"]
    assert [(e["action"], e["actor"], e["from_status"], e["to_status"]) for e in events] == [
        ("create", "citizen", None, "new"),
        ("claim", "agent:王芳", "new", "claimed"),
        ("reply", "agent:王芳", "claimed", "replied"),
        ("close", "agent:王芳", "replied", "closed"),
        ("rate", "citizen", "closed", "closed"),
    ]
    assert all(e["at"].endswith("Z") or "+" in e["at"] for e in events)


def test_return_and_reassign_put_the_order_back_in_the_queue(booking_client, staff_headers, act, number):
    act("claim", agent="王芳")
    returned = act("return", agent="王芳", reason="诉求地点不在本区")
    assert returned.json()["status"] == "returned" and returned.json()["assignee"] is None
    assert act("claim", agent="李明").json()["assignee"] == "李明"
    reassigned = act("reassign", agent="李明", department="市城市管理局", note="路灯归城管")
    body = reassigned.json()
    assert body["status"] == "reassigned" and body["department"] == "市城市管理局" and body["assignee"] is None
    assert body["events"][-1]["note"] == "改派至市城市管理局：路灯归城管"
    assert body["events"][2]["note"] == "诉求地点不在本区"
    assert act("claim", agent="赵强").json()["status"] == "claimed"


REFUSALS = [
    # (steps before, the refused step, words in the detail)
    ([], ("reply", {"agent": "王芳", "reply": "好"}), "当前状态为“待受理”，不能答复"),
    ([], ("close", {"agent": "王芳"}), "不能办结"),
    ([], ("return", {"agent": "王芳", "reason": "不归我管"}), "不能退回"),
    ([("claim", {"agent": "王芳"})], ("claim", {"agent": "李明"}), "已由王芳受理"),
    ([("claim", {"agent": "王芳"})], ("claim", {"agent": "王芳"}), "已由王芳受理"),
    ([("claim", {"agent": "王芳"})], ("reply", {"agent": "李明", "reply": "好"}), "只有受理人可以答复"),
    ([("claim", {"agent": "王芳"})], ("close", {"agent": "王芳"}), "当前状态为“办理中”，不能办结"),
    (
        [("claim", {"agent": "王芳"}), ("reply", {"agent": "王芳", "reply": "已处理"})],
        ("reassign", {"agent": "王芳", "department": "市城管局"}),
        "不能改派",
    ),
    (
        [("claim", {"agent": "王芳"}), ("reply", {"agent": "王芳", "reply": "已处理"}), ("close", {"agent": "王芳"})],
        ("reply", {"agent": "王芳", "reply": "再补充"}),
        "当前状态为“已办结”",
    ),
]


@pytest.mark.parametrize(("before", "refused", "words"), REFUSALS)
def test_wrong_transitions_are_409_and_write_nothing(booking_db_url, act, number, before, refused, words):
    for action, body in before:
        assert act(action, **body).status_code == 200
    stored, counts = _stored(booking_db_url, number), ticket_counts(booking_db_url)
    action, body = refused
    response = act(action, **body)
    assert response.status_code == 409
    assert words in response.json()["detail"]
    assert _stored(booking_db_url, number) == stored
    assert ticket_counts(booking_db_url) == counts


def test_unknown_order_is_404(act, booking_client, staff_headers):
    response = booking_client.post("/api/tickets/12345-20261201-09999/claim", json={"agent": "王"}, headers=staff_headers)
    assert response.status_code == 404


def test_rating_once_after_the_reply_and_only_with_the_phone(booking_client, booking_db_url, act, number):
    def rate(phone: str = PHONE, rating: str = "非常满意"):
        return booking_client.post(f"/api/tickets/{number}/rating", json={"phone": phone, "rating": rating})

    early = rate()
    assert early.status_code == 409 and "答复后才能评价" in early.json()["detail"]
    act("claim", agent="王芳")
    act("reply", agent="王芳", reply="已修复")
    assert rate(phone="13900000000").status_code == 404
    assert rate(rating="还行").status_code == 422
    assert rate(rating="不满意").json()["satisfaction"] == "不满意"
    counts = ticket_counts(booking_db_url)
    again = rate()
    assert again.status_code == 409 and "只能评价一次" in again.json()["detail"]
    assert ticket_counts(booking_db_url) == counts
    assert _stored(booking_db_url, number)[4].value == "不满意"


def test_corrections_are_kept_as_events_for_retraining(booking_client, staff_headers, number):
    url = f"/api/tickets/{number}"
    corrected = booking_client.patch(
        url, json={"agent": "王芳", "type": "求助", "topic_l2": "城市公共设施", "summary": "路灯损坏"}, headers=staff_headers
    )
    assert corrected.status_code == 200, corrected.text
    body = corrected.json()
    assert (body["type"], body["topic_l2"], body["summary"], body["status"]) == ("求助", "城市公共设施", "路灯损坏", "new")
    event = body["events"][-1]
    assert event["action"] == "correct" and event["actor"] == "agent:王芳"
    assert event["changes"] == {
        "summary": [ticket_body()["content"].rstrip("。"), "路灯损坏"],  # the first sentence
        "topic_l2": ["城市建设和市政管理", "城市公共设施"],
        "type": ["投诉", "求助"],
    }
    same = booking_client.patch(url, json={"agent": "王芳", "type": "求助"}, headers=staff_headers)
    assert same.status_code == 409
    empty = booking_client.patch(url, json={"agent": "王芳"}, headers=staff_headers)
    assert empty.status_code == 422 and "至少修改" in empty.json()["detail"]


def test_a_correction_sends_the_chat_turn_that_filed_the_order_to_review(booking_client, booking_db_url, staff_headers):
    bot = {"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}
    conversation = "web-corrected-0001"
    for message_id, outcome in (("m1", "notice"), ("m2", "handoff"), ("m3", "other")):
        booking_client.post("/api/turns", headers=bot, json={
            "conversation_id": conversation, "message_id": message_id, "at": "2026-01-05T10:00:00+08:00",
            "channel": "web", "text": "楼下路灯坏了", "outcome": outcome,
        })
    number = booking_client.post("/api/tickets", json=ticket_body(conversation_id=conversation)).json()["number"]
    corrected = booking_client.patch(f"/api/tickets/{number}", json={"agent": "王芳", "type": "求助"}, headers=staff_headers)
    assert corrected.status_code == 200, corrected.text
    with get_session_factory(booking_db_url)() as session:
        disputed = dict(session.execute(select(Turn.message_id, Turn.disputed)).all())
    assert disputed == {"m1": None, "m2": Disputed.AGENT_CORRECTED, "m3": None}


def test_agent_actions_keep_the_moment_they_happened(booking_client, staff_headers, number):
    """The clock gives local time (+08:00); SQLite must still read back the same moment."""
    from datetime import datetime

    from service.core import clock

    claimed = booking_client.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers).json()
    at = datetime.fromisoformat(claimed["events"][-1]["at"])
    assert at == clock.now()


def test_allowed_actions_follow_the_state_and_the_owner(booking_client, staff_headers, number):
    def allowed(agent):
        return booking_client.get(f"/api/tickets/{number}", params={"agent": agent}, headers=staff_headers).json()[
            "allowed_actions"]

    assert allowed("王芳") == ["claim", "reassign", "correct"]
    booking_client.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers)
    assert allowed("王芳") == ["reply", "return", "reassign", "correct"]  # no chat: no messages
    assert allowed("李强") == ["reassign", "correct"]
    replied = booking_client.post(f"/api/tickets/{number}/reply", json={"agent": "王芳", "reply": "已修复"},
                                  headers=staff_headers).json()
    assert replied["allowed_actions"] == ["return", "close", "correct"]

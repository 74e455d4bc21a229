"""A work order and the chat it came from: transcript, pause while an agent owns it, relayed
citizen messages, agent messages and reply into the chat, resume and rating question on close.

Rasa is a recording fake here (its real behaviour is in tests/e2e/test_handoff.py)."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from conftest import deliver_outbox, make_client, rasa_client_on, rasa_down_transport
from conftest import valid_id_number as make_id
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tickets_helpers import PHONE, ticket_body

from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.outbox.models import OutboxMessage, OutboxStatus
from service.tickets.channels import RasaConversations
from service.wechat.render import render_answer

CONVERSATION = "web-5f3a9c"
RATING_QUESTION = {"recipient_id": CONVERSATION, "text": "请您对这次办理打个分",
                   "buttons": [{"title": "满意", "payload": '/rate_service{"rating": "满意"}'}]}


class FakeRasa:
    """Rasa's conversation API as the service uses it: records the calls that change a
    conversation, and keeps each conversation's events so that the service can read them back."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []
        self.tokens: list[str | None] = []
        self.trackers: dict[str, list[dict]] = {}
        self.down = False

    def transport(self) -> httpx.MockTransport:
        def handler(request: httpx.Request) -> httpx.Response:
            self.tokens.append(request.url.params.get("token"))
            if self.down:
                return httpx.Response(503)
            conversation = request.url.path.split("/")[2]
            events = self.trackers.setdefault(conversation, [])
            if request.method == "GET":
                return httpx.Response(200, json={"sender_id": conversation, "events": events})
            body = json.loads(request.content or b"null")
            self.calls.append((request.url.path, body))
            if request.url.path.endswith("/trigger_intent"):
                entities = [{"entity": k, "value": v} for k, v in body["entities"].items()]
                events.append({"event": "user", "parse_data": {"intent": {"name": body["name"]}, "entities": entities}})
                events.append({"event": "bot", "text": RATING_QUESTION["text"], "data": {"buttons": RATING_QUESTION["buttons"]}})
                return httpx.Response(200, json={"tracker": {}, "messages": [RATING_QUESTION]})
            events.extend(body)
            return httpx.Response(200, json={})

        return httpx.MockTransport(handler)

    def events(self) -> list[str]:
        out = []
        for path, body in self.calls:
            if path.endswith("/tracker/events"):
                out += [event["event"] for event in body]
            else:
                out.append(body["name"])
        return out


class FakeWeChatApi:
    """WeChat's customer-service API: accepts every text, or answers `errcode` while it is set."""

    configured = True

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.errcode = 0

    async def send_text(self, *, openid: str, content: str) -> int:
        if self.errcode == 0:
            self.sent.append((openid, content))
        return self.errcode


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def api(booking_db_url) -> Iterator[TestClient]:
    with make_client(booking_db_url, rasa_down_transport()) as client:
        yield client


@pytest.fixture
def wechat_api() -> FakeWeChatApi:
    return FakeWeChatApi()


@pytest.fixture
def deliver(booking_db_url, rasa, wechat_api):
    """Delivers what is due in the outbox, to the fake Rasa and WeChat."""
    return lambda: deliver_outbox(booking_db_url, rasa=rasa.transport(), wechat_api=wechat_api)


@pytest.fixture
def bot_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}


def file_from_chat(api, **overrides) -> dict:
    raw_id = make_id(7)
    body = ticket_body(
        conversation_id=CONVERSATION,
        transcript=[
            {"author": "citizen", "text": f"我身份证号 {raw_id}，手机 {PHONE}，路灯坏了"},
            {"author": "bot", "text": "好的，我来帮您转交 12345"},
        ],
        **overrides,
    )
    created = api.post("/api/tickets", json=body, headers={"Idempotency-Key": "chat-key-0001"})
    assert created.status_code == 201, created.text
    return created.json()


def test_the_transcript_is_stored_masked_and_shown_to_agents(api, staff_headers):
    number = file_from_chat(api)["number"]
    order = api.get(f"/api/tickets/{number}", headers=staff_headers).json()
    assert order["conversation"] is True
    citizen_line = order["transcript"][0]
    assert citizen_line["author"] == "citizen" and make_id(7) not in citizen_line["text"]
    assert PHONE not in citizen_line["text"] and "138****5678" in citizen_line["text"]
    assert order["phone"] == PHONE  # the contact field itself stays usable for the call back


def test_a_retried_create_returns_the_same_order(api):
    first, again = file_from_chat(api), file_from_chat(api)
    assert first["number"] == again["number"]
    other = api.post("/api/tickets", json=ticket_body(conversation_id="web-other"),
                     headers={"Idempotency-Key": "chat-key-0001"})
    assert other.status_code == 409 and "Idempotency-Key" in other.json()["detail"]


def test_type_and_topic_are_suggested_when_not_given(api):
    body = ticket_body(type=None, topic_l1=None, topic_l2=None, content="楼下烧烤店油烟太大，熏得家里没法开窗")
    created = api.post("/api/tickets", json={k: v for k, v in body.items() if v is not None})
    assert created.status_code == 201, created.text
    order = created.json()
    assert (order["type"], order["topic_l1"], order["topic_l2"]) == ("投诉", "环境保护", "环境污染")


def test_after_hours_the_order_says_when_agents_are_back(api, monkeypatch):
    monkeypatch.setenv("FIXED_NOW", "2026-12-01T22:30:00")
    get_settings.cache_clear()
    created = api.post("/api/tickets", json=ticket_body())
    body = created.json()
    assert body["agents_on_duty"] is False and body["agent_hours"] == "08:00-20:00"
    assert body["agents_back_at"].startswith("2026-12-02T08:00:00")
    monkeypatch.setenv("FIXED_NOW", "2026-12-01T10:00:00")
    get_settings.cache_clear()
    assert api.post("/api/tickets", json=ticket_body()).json()["agents_on_duty"] is True


def test_draft_reads_phone_place_and_suggests_type_and_topic(api):
    drafted = api.post("/api/tickets/draft", json={"content": "锦绣花园3栋楼下烧烤店油烟太大了，我电话13912345678"})
    assert drafted.status_code == 200, drafted.text
    body = drafted.json()
    assert body["phone"] == "13912345678" and body["place"] == "锦绣花园3栋"
    assert (body["type"], body["topic"]) == ("投诉", {"l1": "环境保护", "l2": "环境污染"})
    assert 0 < body["confidence"] <= 1
    assert "13912345678" not in body["summary"]
    assert api.post("/api/tickets/draft", json={"content": "  "}).status_code == 422


def test_pause_relay_message_reply_close_and_rating(api, staff_headers, bot_headers, rasa, deliver):
    number = file_from_chat(api)["number"]
    path = f"/api/conversations/{CONVERSATION}"
    # Nobody owns the conversation yet: a relayed message has nowhere to go.
    early = api.post(f"{path}/messages", json={"text": "还在吗"}, headers=bot_headers)
    assert early.status_code == 404

    assert api.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers).status_code == 200
    assert rasa.events() == []  # written with the claim; the outbox worker delivers it
    assert deliver() == 1
    assert rasa.events() == ["pause"]

    relay = {"text": f"补充一下，我身份证 {make_id(8)}", "message_id": "rasa-msg-1"}
    assert api.post(f"{path}/messages", json=relay).status_code == 401  # the bot's token is required
    first = api.post(f"{path}/messages", json=relay, headers=bot_headers)
    again = api.post(f"{path}/messages", json=relay, headers=bot_headers)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert make_id(8) not in first.json()["text"]

    said = api.post(f"/api/tickets/{number}/messages", json={"agent": "王芳", "text": "您好，我是话务员王芳"},
                    headers=staff_headers)
    assert said.status_code == 201, said.text
    not_owner = api.post(f"/api/tickets/{number}/messages", json={"agent": "李强", "text": "你好"}, headers=staff_headers)
    assert not_owner.status_code == 409 and "王芳" in not_owner.json()["detail"]
    replied = api.post(f"/api/tickets/{number}/reply", json={"agent": "王芳", "reply": "已派人维修，今晚恢复"},
                       headers=staff_headers)
    assert replied.status_code == 200
    deliver()
    assert rasa.events() == ["pause", "bot", "bot"]

    outbox = api.get(f"{path}/outbox").json()
    assert [m["text"] for m in outbox["messages"]] == [
        "您好，我是话务员王芳", f"关于您反映的问题（工单 {number}），答复如下：\n已派人维修，今晚恢复"]
    assert outbox["ticket"]["status"] == "replied"
    last_seen = outbox["messages"][-1]["id"]

    assert api.post(f"/api/tickets/{number}/close", json={"agent": "王芳"}, headers=staff_headers).status_code == 200
    deliver()
    assert rasa.events()[-2:] == ["resume", "EXTERNAL_ticket_closed"]
    trigger_body = rasa.calls[-1][1]
    assert trigger_body["entities"] == {"ticket_number": number}
    question = api.get(f"{path}/outbox", params={"after": last_seen}).json()["messages"]
    assert [(m["text"], m["buttons"]) for m in question] == [("请您对这次办理打个分", RATING_QUESTION["buttons"])]

    transcript = api.get(f"/api/tickets/{number}", headers=staff_headers).json()["transcript"]
    assert [line["author"] for line in transcript] == ["citizen", "bot", "citizen", "agent:王芳", "agent:王芳", "bot"]

    rated = api.post(f"{path}/tickets/{number}/rating", json={"rating": "满意"}, headers=bot_headers)
    assert rated.status_code == 200 and rated.json()["satisfaction"] == "满意"
    elsewhere = api.post(f"/api/conversations/web-stranger/tickets/{number}/rating", json={"rating": "不满意"},
                         headers=bot_headers)
    assert elsewhere.status_code == 404


def test_returning_the_order_gives_the_conversation_back_to_the_bot(api, staff_headers, rasa, deliver):
    number = file_from_chat(api)["number"]
    api.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers)
    returned = api.post(f"/api/tickets/{number}/return", json={"agent": "王芳", "reason": "不属于本组"},
                        headers=staff_headers)
    assert returned.status_code == 200
    deliver()
    assert rasa.events() == ["pause", "resume"]


def test_orders_without_a_chat_cannot_be_messaged_and_rasa_is_not_called(api, staff_headers, rasa, deliver):
    number = api.post("/api/tickets", json=ticket_body(channel="hotline")).json()["number"]
    api.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers)
    said = api.post(f"/api/tickets/{number}/messages", json={"agent": "王芳", "text": "您好"}, headers=staff_headers)
    assert said.status_code == 409 and "电话" in said.json()["detail"]
    assert deliver() == 0 and rasa.calls == []


def test_the_outbox_of_a_wechat_conversation_is_not_readable(api):
    assert api.get("/api/conversations/wechat:oAbc/outbox").status_code == 404
    assert api.get("/api/conversations/bad id!/outbox").status_code == 422


def due_now(db_url: str) -> None:
    """As if the back-off had passed: every pending message is due."""
    with get_session_factory(db_url)() as session:
        session.execute(update(OutboxMessage).values(next_attempt_at=datetime.now(UTC)))
        session.commit()


def test_a_rasa_outage_delays_and_loses_nothing(api, booking_db_url, staff_headers, rasa, deliver):
    number = file_from_chat(api)["number"]
    rasa.down = True
    assert api.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers).status_code == 200
    for text in ("在吗", "您的问题已转维修班组"):
        said = api.post(f"/api/tickets/{number}/messages", json={"agent": "王芳", "text": text}, headers=staff_headers)
        assert said.status_code == 201
    assert [m["text"] for m in api.get(f"/api/conversations/{CONVERSATION}/outbox").json()["messages"]] == [
        "在吗", "您的问题已转维修班组"]
    assert deliver() == 1  # only the head of the conversation is tried; the rest wait behind it
    assert rasa.events() == []
    with get_session_factory(booking_db_url)() as session:
        waiting = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(m.kind, m.status.value, m.attempts) for m in waiting] == [
            ("pause", "pending", 1), ("agent_line", "pending", 0), ("agent_line", "pending", 0)]
        assert "503" in waiting[0].last_error
    rasa.down = False
    due_now(booking_db_url)
    assert deliver() == 3
    assert rasa.events() == ["pause", "bot", "bot"]
    lines = [event["text"] for event in rasa.trackers[CONVERSATION] if event["event"] == "bot"]
    assert lines == ["在吗", "您的问题已转维修班组"]


def test_rasa_down_while_agents_work_50_orders_then_every_conversation_in_order_once(
    api, booking_db_url, staff_headers, rasa, deliver
):
    """Agents claim, answer and close 50 chat orders while Rasa is away; when it is back, each
    conversation gets pause, the answer, resume and the rating question, once each and in that
    order, so the bot is quiet exactly while the agent holds the order."""
    rasa.down = True
    orders = {}
    for n in range(50):
        conversation = f"web-outage{n:02d}"
        body = ticket_body(conversation_id=conversation, content=f"第{n}号路灯不亮，晚上很黑，请尽快维修")
        number = api.post("/api/tickets", json=body).json()["number"]
        for step, extra in (("claim", {}), ("reply", {"reply": f"第{n}号已派人维修"}), ("close", {})):
            answer = api.post(f"/api/tickets/{number}/{step}", json={"agent": "王芳", **extra}, headers=staff_headers)
            assert answer.status_code in (200, 201), answer.text
        orders[conversation] = number
    deliver()  # Rasa still down: each conversation's first message fails and holds the rest back
    assert rasa.events() == []
    rasa.down = False
    for _ in range(5):  # back-offs pass
        due_now(booking_db_url)
        deliver()
    for conversation, number in orders.items():
        events = rasa.trackers[conversation]
        assert [e["event"] for e in events] == ["pause", "bot", "resume", "user", "bot"], conversation
        assert events[3]["parse_data"]["entities"] == [{"entity": "ticket_number", "value": number}]
    with get_session_factory(booking_db_url)() as session:
        left = session.scalars(select(OutboxMessage).where(OutboxMessage.status != OutboxStatus.DELIVERED)).all()
    assert left == []


def test_a_retried_line_is_not_applied_twice(api, booking_db_url, staff_headers, rasa, deliver):
    """The delivery reached Rasa but its success was not recorded (a crash): the next try finds
    the line's key in the conversation and does not append it again."""
    number = file_from_chat(api)["number"]
    api.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers)
    api.post(f"/api/tickets/{number}/messages", json={"agent": "王芳", "text": "您好"}, headers=staff_headers)
    deliver()
    with get_session_factory(booking_db_url)() as session:
        session.execute(update(OutboxMessage).values(status=OutboxStatus.PENDING, delivered_at=None))
        session.commit()
    deliver()
    assert rasa.events() == ["pause", "bot", "pause"]  # pausing twice is the same; the line went once


def test_a_message_out_of_tries_is_parked_and_can_be_replayed(api, booking_db_url, staff_headers, rasa):
    number = file_from_chat(api)["number"]
    api.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers)
    rasa.down = True
    for _ in range(8):  # OUTBOX_MAX_ATTEMPTS
        due_now(booking_db_url)
        deliver_outbox(booking_db_url, rasa=rasa.transport())
    parked = api.get("/api/outbox/parked", headers=staff_headers).json()
    assert [(m["kind"], m["status"], m["attempts"], m["ticket_number"]) for m in parked] == [
        ("pause", "dead", 8, number)]
    assert api.get("/api/outbox/parked").status_code == 401
    rasa.down = False
    replayed = api.post(f"/api/outbox/{parked[0]['id']}/replay", headers=staff_headers)
    assert replayed.status_code == 200 and replayed.json()["status"] == "pending"
    assert api.post(f"/api/outbox/{parked[0]['id']}/replay", headers=staff_headers).status_code == 409
    assert deliver_outbox(booking_db_url, rasa=rasa.transport()) == 1
    assert rasa.events() == ["pause"]
    assert api.get("/api/outbox/counts", headers=staff_headers).json()["counts"]["delivered"] == 1


def test_wechat_conversations_get_agent_lines_and_the_rating_question(api, staff_headers, rasa, deliver, wechat_api):
    number = api.post("/api/tickets", json=ticket_body(channel="wechat", conversation_id="wechat:oAbc")).json()["number"]
    api.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers)
    api.post(f"/api/tickets/{number}/messages", json={"agent": "王芳", "text": "您好，我是话务员"}, headers=staff_headers)
    api.post(f"/api/tickets/{number}/reply", json={"agent": "王芳", "reply": "已处理"}, headers=staff_headers)
    api.post(f"/api/tickets/{number}/close", json={"agent": "王芳"}, headers=staff_headers)
    deliver()
    deliver()  # the rating question's WeChat text is queued when Rasa has asked it
    assert wechat_api.sent == [
        ("oAbc", "【12345话务员】您好，我是话务员"),
        ("oAbc", f"【12345话务员】关于您反映的问题（工单 {number}），答复如下：\n已处理"),
        ("oAbc", render_answer([RATING_QUESTION])[0]),
    ]


def test_wechat_refusing_for_good_parks_the_message_for_the_agent(api, staff_headers, deliver, wechat_api):
    number = api.post("/api/tickets", json=ticket_body(channel="wechat", conversation_id="wechat:oAbc")).json()["number"]
    api.post(f"/api/tickets/{number}/claim", json={"agent": "王芳"}, headers=staff_headers)
    api.post(f"/api/tickets/{number}/messages", json={"agent": "王芳", "text": "您好"}, headers=staff_headers)
    wechat_api.errcode = 45015  # the citizen has not written for 48 hours
    deliver()
    parked = api.get("/api/outbox/parked", params={"ticket": number}, headers=staff_headers).json()
    assert [(m["destination"], m["status"], m["attempts"]) for m in parked] == [("wechat", "undeliverable", 1)]
    assert "45015" in parked[0]["last_error"] and "48小时" in parked[0]["last_error"]
    assert wechat_api.sent == []


def test_an_order_about_a_service_item_goes_to_its_department(api, staff_headers):
    body = ticket_body(content="身份证补办了一个多月还没拿到，打电话也没人接", department=None)
    number = api.post("/api/tickets", json={k: v for k, v in body.items() if v is not None}).json()["number"]
    order = api.get(f"/api/tickets/{number}", headers=staff_headers).json()
    assert order["item_code"] == "GA-SFZ-002" and "公安" in order["department"]


async def test_rasas_auth_token_goes_with_every_conversation_call(rasa):
    client = rasa_client_on(rasa.transport(), token="s3cret")
    conversations = RasaConversations(rasa=client, sessions=None)
    payload = {"conversation_id": "web-1", "author": "agent:王芳", "text": "您好", "at": 0.0}
    for kind in ("pause", "agent_line", "resume"):
        await conversations.deliver(OutboxMessage(kind=kind, key=f"key-{kind}", payload=payload))
    await client.aclose()
    assert rasa.events() == ["pause", "bot", "resume"]
    assert rasa.tokens == ["s3cret"] * 4  # the line's check of the conversation included


def test_reassigning_gives_the_bot_back_only_what_an_agent_held(api, staff_headers, rasa, deliver):
    held = file_from_chat(api)["number"]
    api.post(f"/api/tickets/{held}/claim", json={"agent": "王芳"}, headers=staff_headers)
    reassign = {"agent": "王芳", "department": "市城管局"}
    assert api.post(f"/api/tickets/{held}/reassign", json=reassign, headers=staff_headers).status_code == 200
    deliver()
    assert rasa.events() == ["pause", "resume"]
    waiting = api.post("/api/tickets", json=ticket_body(conversation_id="web-other")).json()["number"]
    assert api.post(f"/api/tickets/{waiting}/reassign", json=reassign, headers=staff_headers).status_code == 200
    assert deliver() == 0 and rasa.events() == ["pause", "resume"]

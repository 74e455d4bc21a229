"""好差评 follow-ups: a 差评 opens one 整改 task due 15 working days later (the holiday calendar); staff
close it with what was done, once, and the citizen is told once through the order's channel."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import make_client, rasa_down_transport
from sqlalchemy import select

from service.core.calendar import load_calendar
from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.outbox.models import OutboxMessage
from service.tickets.followups import follow_up_due
from service.tickets.models import Channel, RatingFollowUp, Satisfaction, Status, Ticket, TicketType

SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = "13812345678"


@pytest.fixture
def client(empty_db_url):
    with make_client(empty_db_url, rasa_down_transport()) as test_client:
        yield test_client


def replied_ticket(db_url: str, number: str, *, channel: Channel = Channel.WEB, conversation: str | None = None) -> str:
    with get_session_factory(db_url)() as session:
        session.add(Ticket(
            number=number, channel=channel, phone=PHONE, type=TicketType.COMPLAINT, topic_l1="城乡建设",
            content="小区门口的路灯坏了一个多月", summary="小区路灯损坏", status=Status.REPLIED, reply="已安排维修",
            deadline=datetime(2026, 11, 30, 10, tzinfo=SHANGHAI), replied_at=datetime(2026, 11, 27, tzinfo=SHANGHAI),
            conversation_id=conversation,
        ))
        session.commit()
    return number


def rate(client, number: str, rating: str):
    return client.post(f"/api/tickets/{number}/rating", json={"phone": PHONE, "rating": rating})


def tasks(db_url: str) -> list[RatingFollowUp]:
    with get_session_factory(db_url)() as session:
        return list(session.scalars(select(RatingFollowUp).order_by(RatingFollowUp.id)))


def outbox(db_url: str) -> list[OutboxMessage]:
    with get_session_factory(db_url)() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_deadline_is_15_working_days_across_national_day_and_a_make_up_saturday():
    calendar = load_calendar()
    rated = datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)  # a Monday, three days before 国庆
    # 9/29, 9/30; 10/1-10/7 off; 10/8, 10/9, Saturday 10/10 (调休 working day), 10/12-16, 10/19-23.
    assert follow_up_due(calendar, rated_at=rated) == datetime(2026, 10, 23, 10, 0, tzinfo=SHANGHAI)
    # Without the make-up Saturday it would be a day later: the calendar, not weekdays, counts.
    rated_after = datetime(2026, 10, 10, 9, 0, tzinfo=SHANGHAI)  # on the make-up Saturday itself
    assert follow_up_due(calendar, rated_at=rated_after) == datetime(2026, 10, 30, 9, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("rating", ["不满意", "非常不满意"])
def test_a_poor_rating_opens_one_task_in_the_same_step(client, empty_db_url, staff_headers, rating):
    number = replied_ticket(empty_db_url, "12345-20261127-00001")
    assert rate(client, number, rating).status_code == 200
    [task] = tasks(empty_db_url)
    assert task.rating is Satisfaction(rating) and task.closed_at is None
    # Rated at the tests' clock, Tuesday 1 December 2026 08:30: 15 working days on is Tuesday the 22nd.
    assert task.due_at.astimezone(SHANGHAI) == datetime(2026, 12, 22, 8, 30, tzinfo=SHANGHAI)
    assert rate(client, number, rating).status_code == 409  # rated once: still one task
    assert len(tasks(empty_db_url)) == 1
    [listed] = client.get("/api/follow-ups", headers=staff_headers).json()
    assert listed["number"] == number and listed["subject"] == "城乡建设" and listed["overdue"] is False


@pytest.mark.parametrize("rating", ["非常满意", "满意", "基本满意"])
def test_other_ratings_open_no_task(client, empty_db_url, staff_headers, rating):
    assert rate(client, replied_ticket(empty_db_url, "12345-20261127-00002"), rating).status_code == 200
    assert tasks(empty_db_url) == []
    assert client.get("/api/follow-ups", headers=staff_headers).json() == []


def test_a_poor_rating_in_the_chat_opens_a_task_too(client, empty_db_url):
    number = replied_ticket(empty_db_url, "12345-20261127-00003", conversation="web-conversation-0003")
    bot = {"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}
    response = client.post(f"/api/conversations/web-conversation-0003/tickets/{number}/rating",
                           json={"rating": "非常不满意"}, headers=bot)
    assert response.status_code == 200, response.text
    assert [task.rating for task in tasks(empty_db_url)] == [Satisfaction.VERY_DISSATISFIED]


def close(client, headers, task_id: int, text: str):
    return client.post(f"/api/follow-ups/{task_id}/close", json={"agent": "王芳", "action_taken": text},
                       headers=headers)


@pytest.mark.parametrize(("channel", "conversation", "destination", "stream"), [
    (Channel.WECHAT, "wechat:o-openid-1", "wechat", "wechat:o-openid-1"),
    (Channel.WEB, "web-conversation-1", "webchat", "webchat:web-conversation-1"),
    (Channel.HOTLINE, None, "sms", f"sms:{PHONE}"),
])
def test_closing_tells_the_citizen_once_through_the_orders_channel(
    client, empty_db_url, staff_headers, channel, conversation, destination, stream
):
    number = replied_ticket(empty_db_url, "12345-20261127-00004", channel=channel, conversation=conversation)
    rate(client, number, "不满意")
    [task] = tasks(empty_db_url)
    assert outbox(empty_db_url) == []

    done = close(client, staff_headers, task.id, "已更换路灯灯头，并请物业每周巡查。联系人手机13912345678")
    assert done.status_code == 200, done.text
    assert done.json()["closed_by"] == "王芳" and "139****5678" in done.json()["action_taken"]
    [message] = outbox(empty_db_url)
    assert (message.destination, message.stream) == (destination, stream)
    assert number in message.payload["text"] and "已更换路灯灯头" in message.payload["text"]
    assert "13912345678" not in message.payload["text"]  # masked like everything stored for review
    if destination == "wechat":  # weeks later WeChat may refuse: the SMS rides along as the fallback
        assert message.payload["fallback"]["payload"]["phone"] == PHONE

    again = close(client, staff_headers, task.id, "再次办结")
    assert again.status_code == 409 and "已于 2026-12-01 08:30 办结" in again.json()["detail"]
    assert len(outbox(empty_db_url)) == 1
    assert client.get("/api/follow-ups", headers=staff_headers).json() == []  # off the dashboard


def test_closing_needs_what_was_done_and_a_real_task(client, empty_db_url, staff_headers):
    rate(client, replied_ticket(empty_db_url, "12345-20261127-00005"), "非常不满意")
    [task] = tasks(empty_db_url)
    empty = close(client, staff_headers, task.id, "   ")
    assert empty.status_code == 422 and empty.json()["detail"] == "请填写整改情况，办结后会告知市民"
    too_long = close(client, staff_headers, task.id, "整" * 1001)
    assert too_long.status_code == 422 and "1000字以内" in too_long.json()["detail"]
    missing = close(client, staff_headers, 999, "已整改")
    assert missing.status_code == 404 and missing.json()["detail"] == "未找到整改任务 999"
    assert client.post(f"/api/follow-ups/{task.id}/close", json={"agent": "王芳", "action_taken": "x"}).status_code == 401
    assert tasks(empty_db_url)[0].closed_at is None and outbox(empty_db_url) == []

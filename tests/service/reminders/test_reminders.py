"""Reminders the day before a booking: due from the hall's time, queued once, sent on WeChat
where the booking was made there (an SMS when WeChat will not take it), else by SMS."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from conftest import booking_body, deliver_outbox, valid_id_number
from sqlalchemy import select, update

from service.booking.models import Appointment
from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.outbox.models import OutboxMessage, OutboxStatus
from service.outbox.worker import Undeliverable
from service.reminders.sweep import send_due_reminders
from service.sms.senders import HttpSmsSender, SmsRefused

SHANGHAI = ZoneInfo("Asia/Shanghai")
EVE = datetime(2026, 12, 1, 16, 0, tzinfo=SHANGHAI)  # the day before BOOKING_DAY, at the default 16:00


class RecordingSms:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def send(self, *, phone: str, text: str, key: str) -> None:
        self.sent.append({"phone": phone, "text": text, "key": key})


class WeChatAnswering:
    """WeChat's customer-service API answering one errcode to every message."""

    configured = True

    def __init__(self, errcode: int) -> None:
        self.errcode = errcode
        self.sent: list[tuple[str, str]] = []

    async def send_text(self, *, openid: str, content: str) -> int:
        if self.errcode == 0:
            self.sent.append((openid, content))
        return self.errcode


@pytest.fixture
def booked(booking_client, booking_db_url) -> dict[str, str]:
    """A WeChat booking and a web one for BOOKING_DAY, made a day before the reminders are due."""
    bot = {"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}
    codes = {}
    for name, serial, extra in (("wechat", 1, {"channel": "wechat", "conversation_id": "wechat:o-reminded"}),
                                ("web", 2, {"channel": "web", "conversation_id": "web-123",
                                            "phone": "13900001111"})):
        response = booking_client.post("/api/appointments", json=booking_body(id_number=valid_id_number(serial), **extra),
                                       headers={"Idempotency-Key": f"remind-{name}", **bot})
        assert response.status_code == 201, response.text
        codes[name] = response.json()["code"]
    with get_session_factory(booking_db_url)() as session:
        session.execute(update(Appointment).values(created_at=EVE - timedelta(days=1)))
        session.commit()
    return codes


def outbox_rows(db_url: str) -> list[OutboxMessage]:
    with get_session_factory(db_url)() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_reminders_are_due_from_the_halls_time_and_queued_once(booked, booking_db_url):
    sessions = get_session_factory(booking_db_url)
    assert send_due_reminders(sessions, now=EVE - timedelta(minutes=1)) == 0
    assert send_due_reminders(sessions, now=EVE) == 2
    assert send_due_reminders(sessions, now=EVE + timedelta(hours=1)) == 0
    rows = outbox_rows(booking_db_url)
    assert [(r.destination, r.stream) for r in rows] == [
        ("wechat", "wechat:o-reminded"), ("webchat", "webchat:web-123"), ("sms", "sms:13900001111")]
    text = rows[0].payload["text"]
    assert booked["wechat"] in text and "明天（12月2日，星期三）10:00-11:00" in text and "0571-86012345" in text
    assert rows[0].payload["fallback"]["destination"] == "sms"
    assert booked["web"] in rows[1].payload["text"]  # the web chat's own outbox, for its page
    assert rows[2].payload["text"].startswith(get_settings().SMS_SIGNATURE)


def test_a_cancelled_booking_gets_no_reminder_and_a_moved_one_gets_a_new_one(booked, booking_client, booking_db_url):
    sessions = get_session_factory(booking_db_url)
    assert booking_client.post(f"/api/appointments/{booked['web']}/cancel", json={"phone": "13900001111"}).status_code == 200
    assert send_due_reminders(sessions, now=EVE) == 1
    moved = booking_client.post(f"/api/appointments/{booked['wechat']}/reschedule",
                                json={"phone": "13812345678", "date": "2026-12-03", "slot": "09:00-10:00"})
    assert moved.status_code == 200
    assert send_due_reminders(sessions, now=EVE + timedelta(days=1)) == 1
    assert len(outbox_rows(booking_db_url)) == 2


def test_a_booking_made_after_the_reminder_time_is_not_reminded(booked, booking_db_url):
    with get_session_factory(booking_db_url)() as session:
        session.execute(update(Appointment).values(created_at=EVE + timedelta(hours=2)))
        session.commit()
    assert send_due_reminders(get_session_factory(booking_db_url), now=EVE + timedelta(hours=3)) == 0


def test_wechat_reminders_go_out_and_an_sms_replaces_one_wechat_refuses(booked, booking_db_url):
    send_due_reminders(get_session_factory(booking_db_url), now=EVE)
    sms, wechat = RecordingSms(), WeChatAnswering(45015)
    deliver_outbox(booking_db_url, wechat_api=wechat, sms=sms)
    statuses = {r.destination: r.status for r in outbox_rows(booking_db_url) if "fallback" in r.key}
    assert statuses == {"sms": OutboxStatus.DELIVERED}
    assert sorted(s["phone"] for s in sms.sent) == ["13812345678", "13900001111"]
    assert all(booked["wechat"] in s["text"] or booked["web"] in s["text"] for s in sms.sent)


def test_a_wechat_reminder_that_is_taken_sends_no_sms(booked, booking_db_url):
    send_due_reminders(get_session_factory(booking_db_url), now=EVE)
    sms, wechat = RecordingSms(), WeChatAnswering(0)
    deliver_outbox(booking_db_url, wechat_api=wechat, sms=sms)
    assert [openid for openid, _ in wechat.sent] == ["o-reminded"]
    assert [s["phone"] for s in sms.sent] == ["13900001111"]


# --- the SMS provider's gateway -----------------------------------------------------------------

def gateway(status: int, seen: list[httpx.Request]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, text="rejected: 13812345678 blacklisted" if status == 400 else "ok")
    return httpx.MockTransport(answer)


async def test_the_http_sender_posts_with_the_key_and_tells_retry_from_never():
    seen: list[httpx.Request] = []
    sender = HttpSmsSender(url="https://sms.example/send", token="secret", timeout_s=1, transport=gateway(200, seen))
    await sender.send(phone="13812345678", text="明天见", key="reminder:1")
    assert seen[0].headers["Idempotency-Key"] == "reminder:1" and seen[0].headers["Authorization"] == "Bearer secret"
    for status, raised in ((503, SmsRefused), (429, SmsRefused), (400, Undeliverable)):
        failing = HttpSmsSender(url="https://sms.example/send", token="", timeout_s=1, transport=gateway(status, []))
        with pytest.raises(raised) as error:
            await failing.send(phone="13812345678", text="明天见", key="k")
        assert "13812345678" not in str(error.value)


def test_an_http_sender_needs_its_url(monkeypatch):
    monkeypatch.setenv("SMS_SENDER", "http")
    monkeypatch.setenv("SMS_HTTP_URL", "")
    get_settings.cache_clear()
    with pytest.raises(SystemExit):
        get_settings()
    get_settings.cache_clear()

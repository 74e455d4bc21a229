"""办件进度 with the real processes: the window accepts a booking made in the chat as a case, moves
it to 补正, and the citizen asks "办到哪了" in the same conversation and from another one."""

from __future__ import annotations

import httpx

from common.deployment import DEVELOPMENT_SECRETS
from tests.e2e.conftest import Chat, texts
from tests.e2e.test_manage_booking import book_in_chat

APPLICANT_ID = "440106198502140014"
STAFF = {"Authorization": f"Bearer {DEVELOPMENT_SECRETS['STAFF_TOKEN']}"}


def accept(service: str, appointment_code: str) -> str:
    case = httpx.post(f"{service}/api/cases", json={"staff": "王芳", "appointment_code": appointment_code},
                      headers=STAFF, timeout=10)
    assert case.status_code == 201, case.text
    return case.json()["number"]


def step(service: str, number: str, action: str, **body) -> None:
    moved = httpx.post(f"{service}/api/cases/{number}/{action}", json={"staff": "王芳", **body},
                       headers=STAFF, timeout=10)
    assert moved.status_code == 200, moved.text


def test_a_case_from_a_chat_booking_is_followed_in_the_chat(stack, chat):
    service = f"http://127.0.0.1:{stack.ports.service}"
    number = accept(service, book_in_chat(chat, APPLICANT_ID))
    accepted = texts(chat.say("我的件办到哪一步了"))
    assert number in accepted and "已受理" in accepted and "承诺" in accepted

    step(service, number, "review")
    step(service, number, "supplement", materials=["近期免冠照片", "居民户口簿"])
    supplement = texts(chat.say("进度咋样了"))
    assert "待补正" in supplement and "1. 近期免冠照片\n2. 居民户口簿" in supplement

    stranger = Chat(stack.ports.rasa)
    assert "办件编号" in texts(stranger.say("查一下办理进度"))
    assert "手机号" in texts(stranger.say(number.lower().replace("-", "")))
    assert "没有找到" in texts(stranger.say("13900000000"))
    stranger.say("查进度")
    stranger.say(number)
    assert "待补正" in texts(stranger.say("13812345678"))

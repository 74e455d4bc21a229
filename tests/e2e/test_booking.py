"""Pre-registration conversations through Rasa's REST webhook, with the real processes."""

from __future__ import annotations

import json
import re

import httpx
from sqlalchemy import create_engine, text

from tests.e2e.conftest import Chat, buttons, texts

# Well-formed ID numbers (checksum, birth date): one person per test, as the service allows one
# active booking per person, item and day.
VALID_ID = "11010519491231002X"
SECOND_ID = "33010219800101123X"
THIRD_ID = "440306199203154569"
FOURTH_ID = "510104197506207897"
CODE = re.compile(r"预约码：(\d{8}-[A-Z]-\d{4})")
BOOKING_NAME = "张三"


def start(chat: Chat, first_message: str = "我想预约一下换身份证") -> str:
    """Answers the item, situation and time questions; returns the next question's text."""
    replies = chat.say(first_message)
    if "情形" in texts(replies):
        replies = chat.say(buttons(replies)[0]["payload"])
    if "什么时间" in texts(replies):
        replies = chat.say("后天上午")
    if "最近还能预约的时段" in texts(replies):
        replies = chat.say(buttons(replies)[0]["payload"])
    assert "本人办理，还是替别人代办" in texts(replies), texts(replies)
    return texts(replies)


def answer_person(chat: Chat, id_number: str) -> str:
    assert "姓名" in texts(chat.say("本人办理"))
    assert "手机号码" in texts(chat.say(f"我叫{BOOKING_NAME}"))
    assert "身份证号码" in texts(chat.say("13812345678"))
    reply = texts(chat.say(id_number))
    assert "以下材料您是否已备齐" in reply and "\n1. " in reply
    return reply


def test_a_booking_from_first_message_to_code(stack, chat):
    start(chat)
    answer_person(chat, VALID_ID)
    summary = texts(chat.say("缺第1项"))
    assert "请核对预约信息" in summary and "138****5678" in summary and VALID_ID not in summary
    done = texts(chat.say("/affirm"))
    code = CODE.search(done).group(1)
    assert "（尚未备齐）" in done and "清江市政务服务中心" in done

    looked_up = httpx.get(f"http://127.0.0.1:{stack.ports.service}/api/appointments/{code}",
                          params={"phone": "13812345678"}, timeout=10).json()
    assert looked_up["status"] == "booked" and looked_up["item_name"] == "居民身份证换领"
    assert looked_up["materials_missing"] and looked_up["id_number"].startswith("110")

    # Booked, the form has let the numbers go: Rasa's tracker store keeps them masked only.
    tracker = httpx.get(f"http://127.0.0.1:{stack.ports.rasa}/conversations/{chat.sender}/tracker",
                        params=stack.rasa_api_params, timeout=10).json()
    stored = json.dumps(tracker, ensure_ascii=False)
    assert "13812345678" not in stored and VALID_ID not in stored and "110***********002X" in stored
    assert BOOKING_NAME not in stored and "张*" in stored  # the name, in the citizen's answer and the summary


def test_question_in_the_middle_is_answered_and_the_form_goes_on(chat):
    start(chat)
    chat.say("本人办理")
    reply = texts(chat.say("对了换身份证要交多少钱"))
    assert "20元" in reply and "姓名" in reply


def up_to_the_id_number(chat: Chat, name: str, phone: str) -> None:
    start(chat)
    chat.say("本人办理")
    chat.say(name)
    assert "身份证号码" in texts(chat.say(phone))


def test_invalid_id_twice_offers_to_stop_and_stopping_forgets(chat):
    up_to_the_id_number(chat, "李四", "13912345678")
    first = texts(chat.say("110105194912310021"))
    assert "校验" in first or "不正确" in first
    second = texts(chat.say("1101051949"))
    assert "算了" in second
    assert "已取消这次预约" in texts(chat.say("算了不约了"))


def test_phone_correction_is_taken(chat):
    up_to_the_id_number(chat, "王五", "13812345678")
    reply = texts(chat.say("电话写错了，是13987654321"))
    assert "139****4321" in reply and "身份证号码" in reply


def test_booking_for_someone_else_asks_the_agent_and_the_authorisation(chat):
    start(chat)
    assert "办事人（被代办人）的姓名" in texts(chat.say("替别人代办"))
    chat.say("赵老汉")
    chat.say("13800001111")
    assert "代办人" in texts(chat.say(SECOND_ID))
    chat.say("赵小明")
    chat.say("13800002222")
    reply = texts(chat.say(THIRD_ID))
    assert "以下材料您是否已备齐" in reply
    summary = texts(chat.say("都备齐了"))
    assert "代办人：赵小明" in summary and "138****2222" in summary


def test_service_down_at_submit_then_a_retry_books_once(stack, chat):
    start(chat)
    answer_person(chat, FOURTH_ID)
    chat.say("都备齐了")
    service = stack.processes["service"]
    service.stop()
    try:
        assert "没有提交成功" in texts(chat.say("/affirm"))
    finally:
        service.start()
        stack.wait_healthy(("service",), 60)
    done = texts(chat.say("确认"))
    assert CODE.search(done), done
    # Counted where it is stored: one booking for this person, not one per try.
    masked = FOURTH_ID[:3] + "*" * 11 + FOURTH_ID[-4:]
    with create_engine(stack.extra_env["DATABASE_URL"]).connect() as database:
        stored = database.execute(text("SELECT count(*) FROM appointment WHERE id_masked = :m"), {"m": masked})
        assert stored.scalar_one() == 1


def _valid_id(serial: int) -> str:
    body = f"32010219850101{serial:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def test_a_full_slot_gets_the_nearest_free_ones(stack, chat):
    service = f"http://127.0.0.1:{stack.ports.service}"
    item, slot = "JT-WYC-001", "09:00-10:00"
    day = next(
        body["date"] for body in (
            httpx.get(f"{service}/api/halls/A/slots", params={"date": f"{d}", "item": item}, timeout=10).json()
            for d in _next_days(2, 20))
        if body["open"] and any(s["slot"] == slot and s["bookable"] for s in body["slots"]))
    free = next(s["free"] for s in httpx.get(f"{service}/api/halls/A/slots", params={"date": day, "item": item},
                                               timeout=10).json()["slots"] if s["slot"] == slot)
    for serial in range(free):
        response = httpx.post(f"{service}/api/appointments", headers={"Idempotency-Key": f"e2e-fill-{day}-{serial}"},
                              json={"item_code": item, "situation": None, "hall": "A", "date": day, "slot": slot,
                                    "name": "占位", "phone": "13700000000", "id_number": _valid_id(serial)}, timeout=10)
        assert response.status_code in (200, 201), response.text

    replies = chat.say("我想预约网约车驾驶员证")
    if "情形" in texts(replies):
        replies = chat.say(buttons(replies)[0]["payload"])
    month, date_of_month = int(day[5:7]), int(day[8:10])
    replies = chat.say(f"{month}月{date_of_month}号上午9点")
    offered = [button["title"] for button in buttons(replies)]
    assert "最近还能预约的时段" in texts(replies)
    assert offered and not any(f"{month}月{date_of_month}日" in title and slot in title for title in offered)


def _next_days(first: int, last: int):
    from datetime import date, timedelta
    return [date.today() + timedelta(days=n) for n in range(first, last)]

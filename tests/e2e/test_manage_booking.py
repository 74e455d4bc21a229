"""Looking up, moving and cancelling a booking in the chat through Rasa's REST webhook, with the
real processes: the conversation that booked, and a stranger with the code and phone. The WeChat
journey is in test_wechat.py."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import Chat, buttons, texts
from tests.e2e.test_booking import CODE, answer_person, start

PERSON_ID = "320102198807120011"
STRANGER_ID = "110101199003074514"


def book_in_chat(chat: Chat, id_number: str) -> str:
    start(chat)
    answer_person(chat, id_number)
    chat.say("都齐了")
    return CODE.search(texts(chat.say("/affirm"))).group(1)


def test_the_conversation_that_booked_looks_up_moves_and_cancels(stack, chat):
    code = book_in_chat(chat, PERSON_ID)
    listed = texts(chat.say("我约的是哪天来着"))
    assert code in listed and "居民身份证换领" in listed

    asked = texts(chat.say("那天要加班 能改个时间吗"))
    assert "想改到哪天" in asked
    offered = chat.say("下周三下午")
    if "确认把以下预约改到" not in texts(offered):  # that afternoon was full or closed: take an offered slot
        offered = chat.say(buttons(offered)[0]["payload"])
    assert "确认把以下预约改到" in texts(offered) and code in texts(offered)
    moved = texts(chat.say("确认"))
    assert "改约成功" in moved and code in moved

    assert "确认取消以下预约吗" in texts(chat.say("算了 还是取消吧"))
    assert "已为您取消预约" in texts(chat.say("/affirm"))
    seen = httpx.get(f"http://127.0.0.1:{stack.ports.service}/api/appointments/{code}",
                     params={"phone": "13812345678"}, timeout=10).json()
    assert seen["status"] == "cancelled" and seen["reschedules_left"] == 1


def test_a_stranger_needs_the_code_and_the_matching_phone(stack, chat):
    code = book_in_chat(chat, STRANGER_ID)
    # A change asked for before any code: the code is asked for (it used to end without a word).
    assert "预约码" in texts(Chat(stack.ports.rasa).say("我想改一下预约时间"))
    stranger = Chat(stack.ports.rasa)
    assert "预约码" in texts(stranger.say("帮我查下我的预约"))
    assert "手机号" in texts(stranger.say(code))
    assert "没有找到" in texts(stranger.say("13900000000"))
    stranger.say(code)
    shown = texts(stranger.say("13812345678"))
    assert code in shown and "已预约" in shown

"""高效办成一件事 with the real processes, through Rasa's REST webhook: a life event in everyday
words gets the merged notice and the card. The WeChat journey is in test_wechat.py."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import buttons, texts
from tests.e2e.test_booking import CODE, answer_person, start


def test_opening_a_small_restaurant_gets_one_merged_notice_and_a_card(chat):
    replies = chat.say("我想开个小饭馆 都要办哪些手续啊 先办啥后办啥")
    notice = texts(replies)
    assert "开办餐饮店一件事" in notice and "食品经营许可" in notice and "先办" in notice
    assert "用于：" in notice  # the shared materials once, with the items that use them
    cards = [r["custom"]["life_event"] for r in replies if "life_event" in (r.get("custom") or {})]
    assert len(cards) == 1 and cards[0]["name"] == "开办餐饮店一件事"


def test_one_booking_at_the_comprehensive_window_covers_the_life_event(stack, chat):
    replies = chat.say("我想开个小饭馆 都要办哪些手续啊 先办啥后办啥")
    book = next(b for b in buttons(replies) if "一次办" in b["title"])
    start(chat, book["payload"])
    answer_person(chat, "310101198001010018")
    chat.say("都齐了")
    done = texts(chat.say("/affirm"))
    assert "预约成功" in done and "一件事：开办餐饮店一件事" in done
    code = CODE.search(done).group(1)
    booked = httpx.get(f"http://127.0.0.1:{stack.ports.service}/api/appointments/{code}",
                       params={"phone": "13812345678"}, timeout=10).json()
    assert booked["bundle"]["code"] == "restaurant" and len(booked["bundle"]["items"]) >= 2

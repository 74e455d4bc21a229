"""高效办成一件事 with the real processes, through Rasa's REST webhook: a life event in everyday
words gets the merged notice and the card. The WeChat journey is in test_wechat.py."""

from __future__ import annotations

from tests.e2e.conftest import texts


def test_opening_a_small_restaurant_gets_one_merged_notice_and_a_card(chat):
    replies = chat.say("我想开个小饭馆 都要办哪些手续啊 先办啥后办啥")
    notice = texts(replies)
    assert "开办餐饮店一件事" in notice and "食品经营许可" in notice and "先办" in notice
    assert "用于：" in notice  # the shared materials once, with the items that use them
    cards = [r["custom"]["life_event"] for r in replies if "life_event" in (r.get("custom") or {})]
    assert len(cards) == 1 and cards[0]["name"] == "开办餐饮店一件事"

"""A short typed reply to the bot's buttons is the button, whatever the channel."""

from __future__ import annotations

import pytest

from bot.replies import last_buttons, picked_payload

ITEMS = [
    {"title": "1. 居民身份证换领（公安局）", "payload": '/inform{"item_code": "GA-SFZ-001"}'},
    {"title": "2. 居民身份证补领（公安局）", "payload": '/inform{"item_code": "GA-SFZ-002"}'},
    {"title": "都不是，转人工咨询", "payload": "/request_consultation"},
]
CONFIRM = [{"title": "确认提交", "payload": "/affirm"}, {"title": "先不提交", "payload": "/deny"}]


@pytest.mark.parametrize("reply, payload", [
    ("2", ITEMS[1]["payload"]), ("２", ITEMS[1]["payload"]), ("第二个", ITEMS[1]["payload"]),
    ("选1", ITEMS[0]["payload"]), ("最后一个", ITEMS[2]["payload"]), ("都不是", ITEMS[2]["payload"]),
    ("补领", ITEMS[1]["payload"]),
])
def test_a_short_reply_picks_the_button(reply, payload):
    assert picked_payload(reply, ITEMS) == payload


def test_typed_confirmation_is_the_confirm_button():
    assert picked_payload("确认提交", CONFIRM) == "/affirm"
    assert picked_payload("先不提交吧", CONFIRM) == "/deny"


@pytest.mark.parametrize("reply", [
    "5", "身份证丢了补办要带什么材料啊", "你好", "/greet", "",
])
def test_other_replies_are_left_to_the_nlu(reply):
    assert picked_payload(reply, ITEMS) is None
    assert picked_payload("1", []) is None


def test_only_the_buttons_offered_since_the_citizen_last_wrote_count():
    events = [
        {"event": "bot", "data": {"buttons": CONFIRM}},
        {"event": "user", "text": "好"},
        {"event": "bot", "text": "您说的可能是以下事项", "data": {"buttons": ITEMS[:2]}},
        {"event": "action", "name": "action_listen"},
        {"event": "bot", "text": "都不是的话", "data": {"buttons": ITEMS[2:]}},
    ]
    assert last_buttons(events) == ITEMS
    assert last_buttons(events + [{"event": "user", "text": "2"}]) == []

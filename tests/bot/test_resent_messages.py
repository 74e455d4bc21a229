"""A message sent again after its first copy was stored gets that copy's replies (bot/resent_messages.py)."""

from __future__ import annotations

from bot.resent_messages import CLIENT_MESSAGE_ID, RESENT, resent_id, stored_replies

BUTTONS = [{"title": "确认提交", "payload": "/affirm"}]


def user(text, client_id=None):
    return {"event": "user", "text": text, "metadata": {CLIENT_MESSAGE_ID: client_id} if client_id else {}}


def bot(text, **data):
    return {"event": "bot", "text": text, "data": data, "metadata": {}}


EVENTS = [
    {"event": "action", "name": "action_session_start"},
    user("补办身份证要多少钱", "a1"), bot("工本费20元"),
    user("确认", "a2"), {"event": "action", "name": "action_x"}, bot("请核对", buttons=BUTTONS),
    bot(None, custom={"handoff": True}),
    user("好的", "a3"),
]


def test_only_a_copy_the_client_marks_as_resent_is_looked_up():
    assert resent_id({CLIENT_MESSAGE_ID: "a2", RESENT: True}) == "a2"
    for metadata in (None, {}, {CLIENT_MESSAGE_ID: "a2"}, {CLIENT_MESSAGE_ID: "a2", RESENT: "yes"},
                     {CLIENT_MESSAGE_ID: "", RESENT: True}, {CLIENT_MESSAGE_ID: 7, RESENT: True}):
        assert resent_id(metadata) is None


def test_the_replies_stored_after_the_first_copy_are_given_again_with_their_buttons():
    assert stored_replies(EVENTS, "a1") == [{"text": "工本费20元"}]
    assert stored_replies(EVENTS, "a2") == [{"text": "请核对", "buttons": BUTTONS},
                                            {"text": None, "custom": {"handoff": True}}]
    assert stored_replies(EVENTS, "a3") == []  # stored, its turn not (yet) answered: nothing to run twice


def test_a_copy_whose_first_was_never_stored_is_a_new_turn():
    assert stored_replies(EVENTS, "zz") is None
    assert stored_replies([], "a1") is None


def test_an_id_the_store_masked_like_a_mobile_number_is_still_found():
    events = [user("你好", "13812345678"), bot("您好")]  # the store writes every string masked
    events[0]["metadata"][CLIENT_MESSAGE_ID] = "138****5678"
    assert stored_replies(events, "13812345678") == [{"text": "您好"}]

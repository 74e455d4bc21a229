"""Every turn's outcome reaches the service's turn table from Rasa's tracker store, whatever
path answered it (a custom action's notice, the fallback, the handoff form), with the citizen's
personal data masked; a request for a person marks the answer before it disputed."""

from __future__ import annotations

import time

from sqlalchemy import select

from service.core.db import get_session_factory
from service.turns.models import Disputed, Outcome, Turn
from tests.e2e.conftest import Chat, texts

RAW_ID = "110101199003074477"
PHONE = "13812345678"


def turns_of(stack, sender: str, count: int) -> list[Turn]:
    """The conversation's turns once `count` arrived (reports are sent after the reply)."""
    factory = get_session_factory(stack.extra_env["DATABASE_URL"])
    deadline = time.monotonic() + 15
    while True:
        with factory() as session:
            rows = list(session.scalars(select(Turn).where(Turn.conversation_id == sender).order_by(Turn.at, Turn.id)))
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(0.3)


def test_a_notice_then_a_request_for_a_person(stack, chat: Chat):
    assert "机动车驾驶证期满换证" in texts(chat.say("换驾照要带什么材料"))
    chat.say("转人工")
    notice, handoff = turns_of(stack, chat.sender, 2)
    assert notice.outcome is Outcome.NOTICE and notice.text == "换驾照要带什么材料"
    assert notice.intent == "ask_materials" and notice.item_code and 0 < notice.item_confidence <= 1
    assert notice.channel == "web" and notice.message_id
    assert handoff.outcome is Outcome.HANDOFF and handoff.intent == "request_human"
    deadline = time.monotonic() + 15
    while turns_of(stack, chat.sender, 2)[0].disputed is None and time.monotonic() < deadline:
        time.sleep(0.3)
    assert turns_of(stack, chat.sender, 2)[0].disputed is Disputed.ASKED_PERSON


def test_a_message_not_understood_then_a_complaint_with_personal_data(stack, chat: Chat):
    assert "换个说法" in texts(chat.say("/nlu_fallback"))
    complaint = (f"我要投诉，锦绣花园3栋楼下的烧烤店天天开到凌晨两点，油烟呛人吵得没法睡，"
                 f"我身份证{RAW_ID}，电话{PHONE}")
    assert "12345" in texts(chat.say(complaint))
    not_understood, handoff = turns_of(stack, chat.sender, 2)
    assert not_understood.outcome is Outcome.NOT_UNDERSTOOD and not_understood.intent == "nlu_fallback"
    assert handoff.outcome is Outcome.HANDOFF and handoff.intent == "complain"
    assert RAW_ID not in handoff.text and PHONE not in handoff.text and "锦绣花园3栋" in handoff.text
    assert not_understood.disputed is None  # a complaint is no verdict on the answer before

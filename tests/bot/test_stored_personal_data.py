"""What the tracker store writes of ID and mobile numbers (bot/stored_personal_data.py); the store
itself, on a real database, in test_conversation_relay.py."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from bot.stored_personal_data import (
    NAME_SLOTS,
    NUMBER_SLOTS,
    for_storage,
    masked_slot_data,
    may_leave_stale_values,
    names_taken,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER, MOBILE = "11010519491231002X", "13912345678"


def test_every_slot_a_form_fills_with_a_phone_or_id_number_is_personal():
    slots = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))["slots"]
    numbers = {name for name in slots if name.endswith(("_phone", "_id"))}
    assert numbers - {"hall_phone"} == NUMBER_SLOTS  # the hall's own number is no citizen's
    assert NAME_SLOTS <= set(slots)


def test_a_name_the_form_took_from_a_message_is_masked_there_and_in_its_slot_once_let_go():
    events = [UserUttered("我叫欧阳娜娜", intent={"name": "inform", "confidence": 0.7}),
              SlotSet("applicant_name", "欧阳娜娜")]
    held = {"applicant_name": "欧阳娜娜"}
    names = names_taken(events, held)
    assert names == ["欧阳娜娜"]
    assert for_storage(events[0], held, names).text == "我叫欧阳**"
    assert for_storage(events[1], held, names) is events[1]  # the form still needs it
    assert for_storage(events[1], {}, names).value == "欧阳**"
    summary = BotUttered("请核对：欧阳娜娜，138****5678", data={"buttons": [{"title": "确认", "payload": "/affirm"}]})
    stored = for_storage(summary, held, names)
    assert stored.text == "请核对：欧阳**，138****5678" and stored.data == summary.data
    assert names_taken([SlotSet("applicant_name", "李")], {}) == []  # nothing to mask in one character


def test_a_citizens_message_is_written_masked_with_its_entities_and_nothing_else_changed():
    text = f"我的手机 139 1234 5678，身份证{ID_NUMBER}"
    said = UserUttered(text, intent={"name": "inform", "confidence": 0.8},
                       entities=[{"entity": "id_number", "value": ID_NUMBER}], message_id="abc", input_channel="rest")
    stored = for_storage(said, {})
    assert stored.text == "我的手机 139****5678，身份证110***********002X"
    assert stored.entities == [{"entity": "id_number", "value": "110***********002X"}]
    assert ID_NUMBER not in json.dumps(stored.as_dict()) and "1234 5678" not in json.dumps(stored.as_dict())
    assert (stored.intent_name, stored.message_id, stored.input_channel, stored.timestamp) == (
        "inform", "abc", "rest", said.timestamp)


def test_a_personal_slot_keeps_the_number_only_while_it_holds_it():
    current = SlotSet("applicant_phone", MOBILE)
    assert for_storage(current, {"applicant_phone": MOBILE}) is current
    stale = for_storage(current, {"applicant_phone": None})
    assert (stale.key, stale.value, stale.timestamp) == ("applicant_phone", "139****5678", current.timestamp)
    other = SlotSet("booking_code", "YY-20261208-0001")  # not personal: as it is
    assert for_storage(other, {}) is other


def test_a_stored_slot_is_rewritten_only_when_its_number_is_stale():
    data = json.dumps(SlotSet("applicant_id", ID_NUMBER).as_dict())
    assert masked_slot_data(data, {"applicant_id": ID_NUMBER}) is None
    rewritten = json.loads(masked_slot_data(data, {"applicant_id": None}))
    assert rewritten["value"] == "110***********002X" and rewritten["name"] == "applicant_id"
    already = json.dumps(SlotSet("applicant_id", "110***********002X").as_dict())
    assert masked_slot_data(already, {}) is None  # nothing to write again


def test_only_personal_slots_and_resets_can_leave_stale_numbers():
    assert may_leave_stale_values([ActionExecuted("action_listen"), SlotSet("handoff_phone", None)])
    assert may_leave_stale_values([SessionStarted()])
    assert not may_leave_stale_values([ActionExecuted("booking_form"), SlotSet("booking_date", "2026-12-09")])

"""Looking up, cancelling and moving a booking in the chat (actions/manage_booking.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.api.service_client import Availability, FreeSlot, Refused
from actions.booking_text import find_booking_code
from actions.manage_booking import (
    AskManageCode,
    AskManageConfirmed,
    ManageBooking,
    StartManaging,
    StopManaging,
    ValidateManageBookingForm,
)
from tests.actions.conftest import form_tracker, make_tracker, responses, slots

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
CODE = "20261208-A-0015"
FREE = FreeSlot(date="2026-12-10", slot="14:30-15:30", window="A3")


@pytest.mark.parametrize("text, code", [
    ("预约码20261208-A-0015 取消", CODE),
    ("20261208a15改期", CODE),
    ("码是 20261208 - A - 0015", CODE),
    ("我的号是A1177", None),
    ("手机13812345678", None),
])
def test_booking_codes_are_read_as_citizens_type_them(text, code):
    assert find_booking_code(text) == code


async def start(fake, text, intent, dispatcher):
    return slots(await StartManaging(fake).run(dispatcher, make_tracker(text, intent), DOMAIN))


async def test_the_conversation_that_booked_needs_no_code_or_phone(dispatcher, fake_service):
    fake_service.add_appointment(CODE)
    started = await start(fake_service, "明天去不了 帮我取消", "cancel_appointment", dispatcher)
    assert (started["manage_action"], started["manage_code"], started["manage_phone"]) == ("cancel", CODE, "own")


async def test_my_bookings_lists_them_all(dispatcher, fake_service):
    fake_service.add_appointment(CODE)
    fake_service.add_appointment("20261209-B-0002", day="2026-12-09")
    started = await start(fake_service, "我的预约", "query_appointment", dispatcher)
    assert started["manage_code"] == "all"
    filled = {**started, "requested_slot": None}
    await ManageBooking(fake_service).run(dispatcher, make_tracker("", "inform", slots=filled), DOMAIN)
    assert responses(dispatcher) == ["utter_manage_list"]
    assert dispatcher.messages[0]["count"] == 2 and CODE in dispatcher.messages[0]["bookings"]


async def test_several_bookings_are_offered_to_pick_from(dispatcher, fake_service):
    fake_service.add_appointment(CODE)
    fake_service.add_appointment("20261209-B-0002", day="2026-12-09")
    started = await start(fake_service, "改个时间", "reschedule_appointment", dispatcher)
    assert started["manage_code"] is None and len(started["manage_offered"]) == 2
    await AskManageCode().run(dispatcher, make_tracker("", "inform", slots=started), DOMAIN)
    assert [b["title"][:6] for b in dispatcher.messages[0]["buttons"]] == ["12月8日（", "12月9日（"]
    picked = slots(await ValidateManageBookingForm(fake_service).run(
        dispatcher, form_tracker("2", slots_now={**started, "requested_slot": "manage_code"}), DOMAIN))
    assert picked["manage_code"] == "20261209-B-0002" and "12月9日" in picked["manage_current"]


async def test_a_stranger_gives_code_and_phone_and_a_wrong_pair_is_asked_again(dispatcher, fake_service):
    fake_service.add_appointment(CODE, conversation="someone-else")
    started = await start(fake_service, "取消预约", "cancel_appointment", dispatcher)
    assert started["manage_code"] is None and started["manage_phone"] is None
    form = ValidateManageBookingForm(fake_service)
    asked = {**started, "requested_slot": "manage_code"}
    code = slots(await form.run(dispatcher, form_tracker(f"预约码 {CODE}", slots_now=asked), DOMAIN))
    assert code["manage_code"] == CODE
    wrong = slots(await form.run(dispatcher, form_tracker(
        "13900000000", slots_now={**asked, **code, "requested_slot": "manage_phone"}), DOMAIN))
    assert wrong["manage_code"] is None and wrong["manage_phone"] is None and wrong["manage_tries"] == 1
    assert responses(dispatcher)[-1] == "utter_manage_not_found"
    right = slots(await form.run(dispatcher, form_tracker(
        "13812345678", slots_now={**asked, **code, "manage_tries": 1.0, "requested_slot": "manage_phone"}), DOMAIN))
    assert right["manage_phone"] == "13812345678" and right["manage_hall"] == "A"


async def test_a_strangers_reschedule_starts_by_asking_for_the_code(dispatcher, fake_service):
    # The start action clears the form's slots and the form validates them on the same turn: a
    # cleared new time was asked of the service, which refused it, and the form ended without a word.
    text, intent = "我想改一下预约时间", "reschedule_appointment"
    started = await StartManaging(fake_service).run(dispatcher, make_tracker(text, intent), DOMAIN)
    events = [{"event": "user", "text": text}, {"event": "action", "name": "action_start_managing"}, *started]
    form_start = make_tracker(text, intent, slots=slots(started), events=events)
    validated = await ValidateManageBookingForm(fake_service).run(dispatcher, form_start, DOMAIN)
    assert not any(call[0] == "availability" for call in fake_service.calls)
    assert not any(e["event"] == "active_loop" for e in validated) and responses(dispatcher) == []


async def test_two_wrong_pairs_end_with_the_halls_phone(dispatcher, fake_service):
    filled = {"manage_action": "cancel", "manage_code": CODE, "manage_tries": 1.0, "requested_slot": "manage_phone"}
    events = await ValidateManageBookingForm(fake_service).run(dispatcher, form_tracker("13900000000", slots_now=filled),
                                                               DOMAIN)
    assert responses(dispatcher) == ["utter_manage_not_found_call"]
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)


async def test_a_code_locked_after_too_many_wrong_phones_says_why_and_stops(dispatcher, fake_service):
    fake_service.add_appointment(CODE)
    fake_service.locked_codes.add(CODE)
    filled = {"manage_action": "cancel", "manage_code": CODE, "requested_slot": "manage_phone"}
    events = await ValidateManageBookingForm(fake_service).run(dispatcher, form_tracker("13812345678", slots_now=filled),
                                                               DOMAIN)
    assert responses(dispatcher) == ["utter_manage_refused"]
    assert "分钟后再试" in dispatcher.messages[0]["reason"]
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)


async def test_cancel_is_confirmed_then_done_by_the_conversation(dispatcher, fake_service):
    fake_service.add_appointment(CODE)
    filled = {"manage_action": "cancel", "manage_code": CODE, "manage_phone": "own",
              "manage_current": "12月8日 居民身份证换领", "manage_confirmed": True}
    await AskManageConfirmed().run(dispatcher, make_tracker("", "inform", slots=filled), DOMAIN)
    await ManageBooking(fake_service).run(dispatcher, make_tracker("确认", "affirm", slots=filled), DOMAIN)
    assert responses(dispatcher) == ["utter_ask_manage_cancel", "utter_manage_cancelled"]
    assert ("cancel_appointment", CODE, str({"conversation_id": "test"})) in fake_service.calls


async def test_a_reschedule_finds_a_free_slot_at_the_bookings_hall(dispatcher, fake_service):
    fake_service.availability_by_text["下周四下午"] = Availability(True, FREE, [], None)
    filled = {"manage_action": "reschedule", "manage_code": CODE, "manage_phone": "own", "manage_hall": "A",
              "manage_item": "GA-SFZ-001", "requested_slot": "manage_when"}
    when = slots(await ValidateManageBookingForm(fake_service).run(
        dispatcher, form_tracker("下周四下午", slots_now=filled), DOMAIN))
    assert (when["manage_date"], when["manage_slot"]) == ("2026-12-10", "14:30-15:30")
    assert ("availability", "A", "下周四下午", "GA-SFZ-001") in fake_service.calls


async def test_a_slot_taken_before_the_confirmation_asks_for_another_time(dispatcher, fake_service):
    fake_service.add_appointment(CODE)
    fake_service.refusals["reschedule_appointment"] = Refused(409, "2026-12-10 14:30-15:30 已约满，请选择其他时段")
    filled = {"manage_action": "reschedule", "manage_code": CODE, "manage_phone": "own",
              "manage_date": "2026-12-10", "manage_slot": "14:30-15:30", "manage_confirmed": True}
    events = await ManageBooking(fake_service).run(dispatcher, make_tracker("确认", "affirm", slots=filled), DOMAIN)
    assert responses(dispatcher) == ["utter_booking_slot_gone"]
    assert any(e["event"] == "active_loop" and e["name"] == "manage_booking_form" for e in events)
    assert slots(events)["requested_slot"] == "manage_when"


async def test_a_refusal_is_told_with_its_reason(dispatcher, fake_service):
    fake_service.add_appointment(CODE)
    fake_service.refusals["cancel_appointment"] = Refused(409, "预约的时段已经开始，不能再取消")
    filled = {"manage_action": "cancel", "manage_code": CODE, "manage_phone": "own", "manage_confirmed": True}
    await ManageBooking(fake_service).run(dispatcher, make_tracker("确认", "affirm", slots=filled), DOMAIN)
    assert responses(dispatcher) == ["utter_manage_refused"] and "已经开始" in dispatcher.messages[0]["reason"]


async def test_the_service_down_leaves_the_booking_as_it_was(dispatcher, fake_service):
    fake_service.down = True
    filled = {"manage_action": "cancel", "manage_code": CODE, "manage_phone": "own", "manage_confirmed": True}
    events = await ManageBooking(fake_service).run(dispatcher, make_tracker("确认", "affirm", slots=filled), DOMAIN)
    assert responses(dispatcher) == ["utter_manage_service_down"]
    assert slots(events)["manage_code"] is None


async def test_stopping_keeps_the_booking(dispatcher):
    events = await StopManaging().run(dispatcher, make_tracker("算了", "deny"), DOMAIN)
    assert responses(dispatcher) == ["utter_manage_stopped"] and any(e["event"] == "active_loop" and e["name"] is None for e in events)

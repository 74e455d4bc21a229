from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.api.service_client import (
    Availability,
    FreeSlot,
    Hall,
    Refused,
    SearchHit,
    SearchResult,
)
from actions.booking import StopBooking, SubmitBooking, ValidateBookingForm
from actions.booking_questions import AskBookingConfirmed, AskBookingItem, AskMaterialsAnswer
from tests.actions.conftest import USER, form_tracker, make_tracker, responses, slots

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
HALL_PHONE = str(yaml.safe_load((REPO_ROOT / "service" / "seed" / "hall.yaml").read_text(encoding="utf-8"))["phone"])
FREE = FreeSlot(date="2026-11-25", slot="09:00-10:00", window="A3")
OTHER = FreeSlot(date="2026-11-26", slot="14:30-15:30", window="A3")
FILLED = {
    "booking_item": "GA-SFZ-001", "booking_item_name": "居民身份证换领", "booking_hall": "A",
    "booking_hall_name": "清江市政务服务中心", "booking_when": "2026-11-25 09:00-10:00",
    "booking_date": "2026-11-25", "booking_slot": "09:00-10:00", "booking_window": "A3",
    "booking_for": "self", "applicant_name": "张三", "applicant_phone": "13812345678",
    "applicant_phone_masked": "138****", "applicant_id": "11010119900307123X",
    "applicant_id_masked": "110****", "booking_materials": ["居民户口簿", "近期免冠照片"],
    "materials_answer": "checked", "materials_missing": ["近期免冠照片"], "booking_nonce": "abc",
}
# What the submit action finds once the citizen said yes.
CONFIRMED = {**FILLED, "booking_confirmed": True}


async def validate(fake, tracker, dispatcher):
    return await ValidateBookingForm(fake).run(dispatcher, tracker, DOMAIN)


async def test_first_message_gives_item_and_time_at_once(dispatcher, fake_service):
    text = "我想预约下周三上午换身份证"
    fake_service.results_by_query[text] = SearchResult(
        hits=[SearchHit("GA-SFZ-001", "居民身份证换领", "公安局", 0.9)], confident=True)
    fake_service.availability_by_text[text] = Availability(True, FREE, [], None)

    events = await validate(fake_service, form_tracker(text, "book_appointment"), dispatcher)

    got = slots(events)
    assert got["booking_item"] == "GA-SFZ-001" and got["booking_hall"] == "A"
    assert got["booking_date"] == "2026-11-25" and got["booking_slot"] == "09:00-10:00"
    assert got["requested_slot"] == "booking_for"
    assert responses(dispatcher)[0] == "utter_booking_item_taken"  # the citizen hears which item


async def test_an_unsure_item_is_asked_with_the_likely_ones_as_buttons_and_a_tap_is_taken(dispatcher, fake_service):
    text = "想约个时间去弄一下那个证"
    fake_service.results_by_query[text] = SearchResult(
        hits=[SearchHit("GA-SFZ-001", "居民身份证换领", "公安局", 0.4),
              SearchHit("GA-SFZ-002", "居民身份证补领", "公安局", 0.38)], confident=False)

    await AskBookingItem(fake_service).run(dispatcher, form_tracker(text, "book_appointment"), DOMAIN)

    assert responses(dispatcher) == ["utter_ask_booking_item_choices"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        '/inform{"item_code": "GA-SFZ-001"}', '/inform{"item_code": "GA-SFZ-002"}']

    tapped = form_tracker('/inform{"item_code": "GA-SFZ-002"}', slots_now={"requested_slot": "booking_item"},
                          entities=[{"entity": "item_code", "value": "GA-SFZ-002"}])
    events = await validate(fake_service, tapped, dispatcher)
    assert slots(events)["booking_item"] == "GA-SFZ-002"


async def test_item_with_situations_asks_the_situation_first(dispatcher, fake_service):
    tracker = form_tracker("补办身份证", "book_appointment", {"item_code": "GA-SFZ-002"})

    events = await validate(fake_service, tracker, dispatcher)

    assert slots(events)["requested_slot"] == "booking_situation"
    assert [s["id"] for s in slots(events)["booking_situations"]] == ["adult", "minor"]


async def test_full_time_offers_the_nearest_free_slots_and_takes_a_typed_choice(dispatcher, fake_service):
    fake_service.availability_by_text["明天上午"] = Availability(True, None, [FREE, OTHER], "明天上午已约满。")
    asked = {**{k: FILLED[k] for k in ("booking_item", "booking_item_name", "booking_hall")},
             "requested_slot": "booking_when"}

    events = await validate(fake_service, form_tracker("明天上午", slots_now=asked), dispatcher)

    assert responses(dispatcher) == ["utter_booking_time_unavailable"]
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [
        "11月25日（周三）09:00-10:00", "11月26日（周四）14:30-15:30"]
    offered = slots(events)["booking_offered"]

    events = await validate(fake_service, form_tracker(
        "第二个", slots_now={**asked, "booking_offered": offered}), dispatcher)

    assert slots(events)["booking_date"] == "2026-11-26" and slots(events)["booking_slot"] == "14:30-15:30"


async def test_invalid_id_is_reasked_with_the_reason_then_stopping_is_offered(dispatcher, fake_service):
    asked = {**FILLED, "applicant_id": None, "requested_slot": "applicant_id"}

    first = await validate(fake_service, form_tracker("12345", slots_now=asked), dispatcher)
    again = {**asked, "invalid_answers": slots(first)["invalid_answers"]}
    await validate(fake_service, form_tracker("110101199003071234", slots_now=again), dispatcher)

    assert responses(dispatcher) == ["utter_booking_invalid", "utter_booking_invalid_offer_stop"]
    assert "id_number 不正确" in dispatcher.messages[0]["reason"]


async def test_a_phone_correction_is_taken_while_another_question_is_open(dispatcher, fake_service):
    asked = {**FILLED, "applicant_id": None, "requested_slot": "applicant_id"}

    events = await validate(fake_service, form_tracker("电话写错了，是13912345678", slots_now=asked), dispatcher)

    assert slots(events)["applicant_phone"] == "13912345678"
    assert responses(dispatcher) == ["utter_booking_corrected"]


async def test_booking_for_someone_else_also_asks_the_agent(dispatcher, fake_service):
    asked = {**FILLED, "booking_for": None, "requested_slot": "booking_for"}
    fake_service.extra_materials = ["授权委托书"]

    events = await validate(fake_service, form_tracker("帮我爸代办的", "inform", asked), dispatcher)

    assert slots(events)["booking_for"] == "other"
    assert slots(events)["booking_materials"] == ["居民户口簿", "近期免冠照片", "授权委托书"]
    required = await ValidateBookingForm(fake_service).required_slots(
        [], dispatcher, form_tracker("", slots_now={**asked, "booking_for": "other"}), DOMAIN)
    assert {"agent_name", "agent_phone", "agent_id"} <= set(required)


async def test_questions_and_stops_are_not_taken_as_answers(dispatcher, fake_service):
    asked = {**FILLED, "applicant_name": None, "requested_slot": "applicant_name"}
    for text, intent in (("这个要多少钱", "ask_fee"), ("算了不约了", "deny")):
        tracker = form_tracker(text, intent, asked)
        tracker.latest_message["message_id"] = f"id-{intent}"
        events = await validate(fake_service, tracker, dispatcher)
        # Nothing filled: the form is rejected, so the rules answer the question or stop.
        assert set(slots(events)) <= {"requested_slot"}


async def test_submit_sends_the_declared_materials_and_reports_the_code(dispatcher, fake_service):
    events = await SubmitBooking(fake_service).run(dispatcher, make_tracker("/affirm", "affirm", slots=CONFIRMED), DOMAIN)

    key, booking = fake_service.bookings[0]
    assert booking["materials_ready"] == ["居民户口簿"] and booking["materials_missing"] == ["近期免冠照片"]
    assert responses(dispatcher) == ["utter_booking_done"]
    assert "2. 近期免冠照片（尚未备齐）" in dispatcher.messages[0]["checklist"]
    assert slots(events)["booking_code"] == "20261125-A-0001" and slots(events)["applicant_id"] is None


async def test_an_unclear_submit_is_retried_with_the_same_key(dispatcher, fake_service):
    fake_service.down = True
    events = await SubmitBooking(fake_service).run(dispatcher, make_tracker("/affirm", "affirm", slots=CONFIRMED), DOMAIN)
    assert responses(dispatcher) == ["utter_booking_not_sent"]
    assert slots(events)["requested_slot"] == "booking_confirmed"
    assert {"event": "active_loop", "name": "booking_form"} in [
        {k: e[k] for k in ("event", "name")} for e in events if e["event"] == "active_loop"]

    fake_service.down = False
    await SubmitBooking(fake_service).run(dispatcher, make_tracker("/affirm", "affirm", slots=CONFIRMED), DOMAIN)
    await SubmitBooking(fake_service).run(dispatcher, make_tracker("/affirm", "affirm", slots=CONFIRMED), DOMAIN)
    keys = {key for key, _ in fake_service.bookings}
    assert len(keys) == 1


@pytest.mark.parametrize("detail,asks_again", [("该时段已约满。", True), ("您当天已预约过该事项。", False)])
async def test_refused_booking(dispatcher, fake_service, detail, asks_again):
    fake_service.refuse_booking = Refused(409, detail)

    events = await SubmitBooking(fake_service).run(dispatcher, make_tracker("/affirm", "affirm", slots=CONFIRMED), DOMAIN)

    assert (slots(events).get("requested_slot") == "booking_when") is asks_again


async def test_a_suspended_person_is_told_why_until_when_and_the_halls_phone(dispatcher, fake_service):
    # The service's words (BOOKING_SUSPENDED): 爽约 three times in 90 days.
    detail = ("您近 90 天内有 3 次预约未到场（爽约），按清江市政务服务中心的规定，网上预约暂停至 2027-01-02（含）。"
              "期间仍可到大厅现场取号办理；如有疑问请致电 0571-86012345")
    fake_service.refuse_booking = Refused(409, detail)
    events = await SubmitBooking(fake_service).run(dispatcher, make_tracker("/affirm", "affirm", slots=CONFIRMED), DOMAIN)
    assert responses(dispatcher) == ["utter_booking_refused"] and dispatcher.messages[0]["reason"] == detail
    assert slots(events)["applicant_id"] is None  # the booking ends; its personal data is not kept


async def test_a_resumed_form_does_not_read_the_old_message_again(dispatcher, fake_service):
    tracker = make_tracker("/affirm", "affirm", events=[USER], slots={
        **FILLED, "requested_slot": "booking_confirmed", "booking_read_message": "m1"})
    tracker.latest_message["message_id"] = "m1"

    events = await validate(fake_service, tracker, dispatcher)

    assert "booking_confirmed" not in slots(events)
    assert slots(events)["requested_slot"] == "booking_confirmed"


async def test_the_materials_are_listed_with_the_answers_as_buttons(dispatcher):
    await AskMaterialsAnswer().run(dispatcher, make_tracker("", "inform", slots=FILLED), DOMAIN)

    message = dispatcher.messages[0]
    assert message["response"] == "utter_ask_materials_answer"
    assert message["materials"] == "1. 居民户口簿\n2. 近期免冠照片"
    buttons = DOMAIN["responses"]["utter_ask_materials_answer"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["都备齐了", "先不核对"]


async def test_the_summary_shows_masked_numbers_the_agent_and_what_is_missing(dispatcher):
    await AskBookingConfirmed().run(dispatcher, make_tracker("", "inform", slots=FILLED), DOMAIN)
    by_agent = {**FILLED, "booking_for": "other", "materials_missing": None, "agent_name": "李四",
                "agent_phone_masked": "139****", "agent_id_masked": "120****"}
    await AskBookingConfirmed().run(dispatcher, make_tracker("", "inform", slots=by_agent), DOMAIN)

    own, for_another = dispatcher.messages
    assert own["when"] == "11月25日（周三）09:00-10:00" and own["window"] == "A3"
    assert own["applicant"] == "张三，电话 138****，身份证 110****"
    assert own["agent"] == "" and own["missing"] == "\n尚缺材料：近期免冠照片"
    assert for_another["agent"] == "\n代办人：李四，电话 139****，身份证 120****"
    assert for_another["missing"] == ""


# --- the item ------------------------------------------------------------------------------------


async def test_a_catalogue_question_at_the_item_question_names_the_item_but_a_stop_does_not(dispatcher, fake_service):
    fake_service.on_search("换身份证要带什么", ("GA-SFZ-001", 0.9), confident=True)
    asked = {"requested_slot": "booking_item"}

    named = slots(await validate(fake_service, form_tracker("换身份证要带什么", "ask_materials", asked), dispatcher))
    stopping = await validate(fake_service, form_tracker("算了", "deny", asked), dispatcher)

    assert named["booking_item"] == "GA-SFZ-001"
    assert "booking_item" not in slots(stopping)  # nothing filled: the rules stop the form


async def test_an_item_answer_the_catalogue_cannot_place_is_asked_again(dispatcher, fake_service):
    events = await validate(fake_service, form_tracker("那个啥", slots_now={"requested_slot": "booking_item"}), dispatcher)

    assert responses(dispatcher) == ["utter_booking_item_unclear"]
    assert slots(events)["booking_item"] is None and slots(events)["requested_slot"] == "booking_item"


async def test_a_tapped_item_the_catalogue_no_longer_has_is_asked_again(dispatcher, fake_service):
    tapped = form_tracker('/inform{"item_code": "GA-OLD-001"}', slots_now={"requested_slot": "booking_item"},
                          entities=[{"entity": "item_code", "value": "GA-OLD-001"}])

    events = await validate(fake_service, tapped, dispatcher)

    assert responses(dispatcher) == ["utter_booking_item_unclear"]
    assert events == [{"event": "slot", "timestamp": None, "name": "booking_item", "value": None}]


async def test_an_item_no_hall_books_is_said_so_by_name(dispatcher, fake_service):
    fake_service.halls = []

    events = await validate(fake_service, form_tracker("换身份证", "book_appointment", {"item_code": "GA-SFZ-001"}),
                            dispatcher)

    assert responses(dispatcher) == ["utter_booking_not_bookable"]
    assert dispatcher.messages[0]["item_name"] == "居民身份证换领"
    assert slots(events)["booking_item"] is None
    assert not any(call[0] == "availability" for call in fake_service.calls)


async def test_an_item_no_hall_books_ends_the_form(dispatcher, fake_service):
    fake_service.halls = []

    events = await validate(fake_service, form_tracker("换身份证", "book_appointment", {"item_code": "GA-SFZ-001"}),
                            dispatcher)

    last_requested = [e["value"] for e in events if e.get("name") == "requested_slot"][-1]
    assert last_requested is None  # Rasa ends a form on the last requested_slot being None


async def test_a_form_ended_for_an_item_no_hall_books_submits_nothing(dispatcher, fake_service):
    ended = {"booking_not_bookable": True, "booking_item": None}

    events = await SubmitBooking(fake_service).run(dispatcher, make_tracker("换身份证", "book_appointment", slots=ended),
                                                   DOMAIN)

    assert dispatcher.messages == [] and not any(call[0] == "create_appointment" for call in fake_service.calls)
    assert {"booking_not_bookable", "booking_item"} <= {e["name"] for e in events if e["value"] is None}


async def test_the_situation_read_in_the_catalogue_is_not_asked_again(dispatcher, fake_service):
    discussed = {"item_code": "GA-SFZ-002", "situation": "minor"}

    events = await validate(fake_service, form_tracker("帮我约一下", "book_appointment", discussed), dispatcher)

    got = slots(events)
    assert got["booking_item"] == "GA-SFZ-002" and got["booking_situation"] == "minor"
    assert ("get_notice", "GA-SFZ-002", "minor") in fake_service.calls  # that situation's materials
    assert got["requested_slot"] == "booking_when"


@pytest.mark.parametrize("situation", ["adult", "minor"])
async def test_the_checklist_is_exactly_what_the_notice_says_to_bring(dispatcher, fake_service, situation):
    fake_service.to_bring = {"": ["本人原居民身份证", "居民身份证数码相片回执"],
                             "adult": ["居民身份证数码相片回执", "本人签字的遗失声明"],
                             "minor": ["监护人居民身份证", "居民身份证数码相片回执"]}
    offered = [{"id": "adult", "label": "年满十六周岁本人办理"}, {"id": "minor", "label": "未满十六周岁由监护人陪同"}]
    tapped = form_tracker(f'/inform{{"situation": "{situation}"}}',
                          slots_now={"booking_item": "GA-SFZ-002", "booking_situations": offered,
                                     "requested_slot": "booking_situation"},
                          entities=[{"entity": "situation", "value": situation}])
    read_before = form_tracker("帮我约一下", "book_appointment", {"item_code": "GA-SFZ-002", "situation": situation})
    without_situations = form_tracker("帮我约一下", "book_appointment", {"item_code": "GA-SFZ-001"})

    for tracker, notice in ((tapped, situation), (read_before, situation), (without_situations, "")):
        got = slots(await validate(fake_service, tracker, dispatcher))
        assert got["booking_materials"] == fake_service.to_bring[notice]


# --- the time ------------------------------------------------------------------------------------


async def test_a_time_said_before_the_item_is_known_is_asked_later(dispatcher, fake_service):
    events = await validate(fake_service, form_tracker("下周三上午约个号", "book_appointment"), dispatcher)

    assert slots(events)["booking_when"] is None and slots(events)["requested_slot"] == "booking_item"
    assert not any(call[0] == "availability" for call in fake_service.calls)
    assert dispatcher.messages == []  # no "没能确定" before the item was even asked


async def test_a_tapped_free_slot_is_taken_as_offered(dispatcher, fake_service):
    offered = [{"id": "2026-11-26|14:30-15:30|A3", "label": "11月26日（周四）14:30-15:30"}]
    asked = {**{k: FILLED[k] for k in ("booking_item", "booking_item_name", "booking_hall")},
             "booking_offered": offered, "requested_slot": "booking_when"}
    tapped = form_tracker('/inform{"slot_choice": "2026-11-26|14:30-15:30|A3"}', slots_now=asked,
                          entities=[{"entity": "slot_choice", "value": "2026-11-26|14:30-15:30|A3"}])

    got = slots(await validate(fake_service, tapped, dispatcher))

    assert (got["booking_date"], got["booking_slot"], got["booking_window"]) == ("2026-11-26", "14:30-15:30", "A3")
    assert got["booking_offered"] is None
    assert not any(call[0] == "availability" for call in fake_service.calls)


# --- who -----------------------------------------------------------------------------------------


async def test_booking_for_a_parent_said_at_the_start_adds_the_authorisation_letter(dispatcher, fake_service):
    fake_service.on_search("帮我爸约个号换身份证", ("GA-SFZ-001", 0.9), confident=True)
    fake_service.extra_materials = ["授权委托书"]

    got = slots(await validate(fake_service, form_tracker("帮我爸约个号换身份证", "book_appointment"), dispatcher))

    assert got["booking_item"] == "GA-SFZ-001" and got["booking_for"] == "other"
    assert "授权委托书" in got["booking_materials"]


async def test_booking_for_a_parent_said_before_the_item_is_kept(dispatcher, fake_service):
    events = await validate(fake_service, form_tracker("帮我爸约一下", "book_appointment"), dispatcher)

    assert slots(events)["booking_for"] == "other"
    assert "utter_booking_item_unclear" not in responses(dispatcher)


async def test_an_answer_that_says_neither_self_nor_other_is_asked_again(dispatcher, fake_service):
    asked = {**FILLED, "booking_for": None, "requested_slot": "booking_for"}

    events = await validate(fake_service, form_tracker("嗯", "affirm", asked), dispatcher)

    assert slots(events)["booking_for"] is None and responses(dispatcher) == ["utter_booking_pick_again"]


async def test_the_agents_name_is_taken_without_the_words_around_it(dispatcher, fake_service):
    asked = {**FILLED, "booking_for": "other", "requested_slot": "agent_name"}

    events = await validate(fake_service, form_tracker("名字叫李四", slots_now=asked), dispatcher)

    assert slots(events)["agent_name"] == "李四"
    assert ("check_field", "name", "李四") in fake_service.calls
    assert slots(events)["requested_slot"] == "agent_phone"


# --- materials and confirmation ------------------------------------------------------------------


@pytest.mark.parametrize("text, answer, missing", [
    ("2", "checked", ["近期免冠照片"]),
    ("都备齐了", "checked", []),
    ("先不核对", "skipped", None),
])
async def test_the_materials_answer_records_what_is_missing(dispatcher, fake_service, text, answer, missing):
    asked = {**FILLED, "materials_answer": None, "materials_missing": None, "requested_slot": "materials_answer"}

    got = slots(await validate(fake_service, form_tracker(text, slots_now=asked), dispatcher))

    assert (got["materials_answer"], got["materials_missing"]) == (answer, missing)
    assert got["requested_slot"] == "booking_confirmed"


async def test_a_skipped_check_books_no_material_as_ready(dispatcher, fake_service):
    skipped = {**CONFIRMED, "materials_answer": "skipped", "materials_missing": None}

    await SubmitBooking(fake_service).run(dispatcher, make_tracker("确认", "affirm", slots=skipped), DOMAIN)

    (_, booking), = fake_service.bookings
    assert booking["materials_ready"] == [] and booking["materials_missing"] == []


@pytest.mark.parametrize("text, confirmed", [("确认提交", True), ("没问题", True), ("等一下，我再想想", False)])
async def test_typed_confirmation_ends_the_form(dispatcher, fake_service, text, confirmed):
    asked = {**FILLED, "requested_slot": "booking_confirmed"}

    got = slots(await validate(fake_service, form_tracker(text, "inform", asked), dispatcher))

    assert (got.get("booking_confirmed") is True) is confirmed
    if confirmed:
        assert got["requested_slot"] is None  # all filled: the submit action runs


# --- the service down, and stopping --------------------------------------------------------------


async def test_the_service_down_in_the_form_stops_it_with_the_halls_phone(dispatcher, fake_service):
    fake_service.down = True

    events = await validate(fake_service, form_tracker("我想预约换身份证", "book_appointment"), dispatcher)

    assert responses(dispatcher) == ["utter_booking_service_down"]
    assert dispatcher.messages[0]["hall_phone"] == HALL_PHONE
    assert events[0] == {"event": "active_loop", "name": None, "timestamp": None}


async def test_a_form_stopped_by_the_service_down_submits_nothing(dispatcher, fake_service):
    # Rasa's submit rule follows any end of the form, the service-down stop included: all filled but
    # never confirmed.
    events = await SubmitBooking(fake_service).run(dispatcher, make_tracker("换身份证", "book_appointment",
                                                                           slots=FILLED), DOMAIN)

    assert dispatcher.messages == [] and not any(call[0] == "create_appointment" for call in fake_service.calls)
    assert {"applicant_id", "booking_item"} <= {e["name"] for e in events if e["value"] is None}


async def test_stopping_drops_the_personal_data_and_the_form(dispatcher):
    events = await StopBooking().run(dispatcher, make_tracker("算了", "deny", slots=FILLED), DOMAIN)

    assert responses(dispatcher) == ["utter_booking_stopped"]
    emptied = slots(events)
    assert all(emptied[name] is None for name in FILLED)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


# --- one booking for a life event (高效办成一件事) -------------------------------------------------

async def test_the_life_event_button_books_the_bundles_item_at_its_window(dispatcher, fake_service):
    fake_service.add_life_event("newborn", "新生儿出生一件事")
    fake_service.halls.append(Hall(code="B", name="出入境大厅", address="人民路200号"))
    tracker = make_tracker('/book_appointment{"life_event": "newborn"}', "book_appointment",
                           entities=[{"entity": "life_event", "value": "newborn"}], events=[USER])
    filled = slots(await validate(fake_service, tracker, dispatcher))
    assert (filled["booking_item"], filled["booking_bundle"], filled["booking_hall"]) == ("GA-SFZ-001", "newborn", "A")


async def test_a_bundle_booking_goes_to_the_bundle_and_says_what_the_window_takes(dispatcher, fake_service):
    fake_service.add_life_event("newborn", "新生儿出生一件事")
    filled = {**CONFIRMED, "booking_bundle": "newborn", "booking_bundle_name": "新生儿出生一件事"}
    await SubmitBooking(fake_service).run(dispatcher, make_tracker("/affirm", "affirm", slots=filled), DOMAIN)
    assert fake_service.calls[0][:2] == ("create_bundle_appointment", "newborn")
    done = dispatcher.messages[-1]
    assert done["response"] == "utter_booking_done" and "一件事：新生儿出生一件事" in done["bundle_line"]


async def test_an_ordinary_booking_has_no_bundle_line(dispatcher, fake_service):
    await SubmitBooking(fake_service).run(dispatcher, make_tracker("/affirm", "affirm", slots=CONFIRMED), DOMAIN)
    assert dispatcher.messages[-1]["bundle_line"] == ""

"""The booking form's questions with buttons, and the validator reading the taps and typed picks."""

from __future__ import annotations

from pathlib import Path

import yaml

from actions.api.service_client import Hall, SearchHit, SearchResult
from actions.booking import ValidateBookingForm
from actions.booking_questions import AskBookingHall, AskBookingItem, AskBookingSituation, AskBookingWhen
from tests.actions.conftest import form_tracker, responses, slots

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
TWO_HALLS = [Hall(code="A", name="清江市政务服务中心", address="市民大道88号"),
             Hall(code="B", name="滨江区便民服务中心", address="江晖路1号")]


async def validate(fake, tracker, dispatcher):
    return await ValidateBookingForm(fake).run(dispatcher, tracker, DOMAIN)


# --- which item ----------------------------------------------------------------------------------


async def test_the_item_is_asked_plainly_when_the_service_is_down(dispatcher, fake_service):
    fake_service.down = True

    await AskBookingItem(fake_service).run(dispatcher, form_tracker("想约个号", "book_appointment"), DOMAIN)

    assert responses(dispatcher) == ["utter_ask_booking_item"]
    assert dispatcher.messages[0]["buttons"] == []


async def test_only_likely_items_are_offered_and_at_most_three(dispatcher, fake_service):
    fake_service.results_by_query["约个号办证"] = SearchResult(hits=[
        SearchHit(f"X-{n}", f"事项{n}", "公安局", score) for n, score in enumerate((0.9, 0.5, 0.3, 0.26, 0.2))
    ], confident=False)
    fake_service.results_by_query["约个号"] = SearchResult(
        hits=[SearchHit("X-9", "事项9", "公安局", 0.2)], confident=False)

    await AskBookingItem(fake_service).run(dispatcher, form_tracker("约个号办证", "book_appointment"), DOMAIN)
    await AskBookingItem(fake_service).run(dispatcher, form_tracker("约个号", "book_appointment"), DOMAIN)

    offered, plain = dispatcher.messages
    assert offered["response"] == "utter_ask_booking_item_choices"
    assert [b["title"] for b in offered["buttons"]] == ["事项0", "事项1", "事项2"]
    assert plain["response"] == "utter_ask_booking_item" and plain["buttons"] == []


# --- which situation -----------------------------------------------------------------------------


async def test_the_situations_are_buttons_and_a_tap_picks_that_situations_materials(dispatcher, fake_service):
    started = slots(await validate(fake_service, form_tracker("补办身份证", "book_appointment",
                                                              {"item_code": "GA-SFZ-002"}), dispatcher))

    await AskBookingSituation().run(dispatcher, form_tracker("", slots_now=started), DOMAIN)
    question = dispatcher.messages[-1]
    assert question["response"] == "utter_ask_booking_situation" and question["item_name"] == "居民身份证补领"
    assert [(b["title"], b["payload"]) for b in question["buttons"]] == [
        ("年满十六周岁本人办理", '/inform{"situation": "adult"}'),
        ("未满十六周岁由监护人陪同", '/inform{"situation": "minor"}')]

    asked = {**started, "requested_slot": "booking_situation"}
    tapped = form_tracker('/inform{"situation": "minor"}', slots_now=asked,
                          entities=[{"entity": "situation", "value": "minor"}])
    picked = slots(await validate(fake_service, tapped, dispatcher))
    assert picked["booking_situation"] == "minor"
    assert ("get_notice", "GA-SFZ-002", "minor") in fake_service.calls
    assert picked["booking_materials"] == ["居民户口簿", "近期免冠照片"]


async def test_a_typed_situation_is_matched_to_the_offered_one(dispatcher, fake_service):
    asked = {"booking_item": "GA-SFZ-002", "requested_slot": "booking_situation",
             "booking_situations": [{"id": "adult", "label": "年满十六周岁本人办理"},
                                    {"id": "minor", "label": "未满十六周岁由监护人陪同"}]}

    typed = slots(await validate(fake_service, form_tracker("孩子未满十六周岁，监护人陪同", slots_now=asked), dispatcher))
    unclear = slots(await validate(fake_service, form_tracker("不太清楚", slots_now=asked), dispatcher))

    assert typed["booking_situation"] == "minor"
    assert unclear["booking_situation"] is None and responses(dispatcher) == ["utter_booking_pick_again"]


# --- which hall ----------------------------------------------------------------------------------


async def test_several_halls_are_offered_and_a_typed_pick_takes_its_address(dispatcher, fake_service):
    fake_service.halls = TWO_HALLS
    started = slots(await validate(fake_service, form_tracker("换身份证", "book_appointment",
                                                              {"item_code": "GA-SFZ-001"}), dispatcher))
    assert started["requested_slot"] == "booking_hall" and started.get("booking_hall") is None

    await AskBookingHall().run(dispatcher, form_tracker("", slots_now=started), DOMAIN)
    question = dispatcher.messages[-1]
    assert question["response"] == "utter_ask_booking_hall"
    # A tap sends the hall's name, read like a typed answer.
    assert [(b["title"], b["payload"]) for b in question["buttons"]] == [
        ("清江市政务服务中心", "清江市政务服务中心"), ("滨江区便民服务中心", "滨江区便民服务中心")]

    asked = {**started, "requested_slot": "booking_hall"}
    picked = slots(await validate(fake_service, form_tracker("第二个", slots_now=asked), dispatcher))
    assert (picked["booking_hall"], picked["booking_hall_name"], picked["booking_address"]) == (
        "B", "滨江区便民服务中心", "江晖路1号")
    assert picked["booking_offered"] is None  # the hall buttons are not read as time choices later


async def test_an_answer_that_names_no_offered_hall_is_asked_again(dispatcher, fake_service):
    fake_service.halls = TWO_HALLS
    asked = {"booking_item": "GA-SFZ-001", "requested_slot": "booking_hall",
             "booking_offered": [{"id": h.code, "label": h.name} for h in TWO_HALLS]}

    events = await validate(fake_service, form_tracker("随便哪个都行", slots_now=asked), dispatcher)

    assert slots(events)["booking_hall"] is None and responses(dispatcher) == ["utter_booking_pick_again"]


# --- when ----------------------------------------------------------------------------------------


async def test_the_time_is_asked_unless_free_slots_were_just_offered(dispatcher):
    await AskBookingWhen().run(dispatcher, form_tracker(""), DOMAIN)
    offered = {"booking_offered": [{"id": "2026-11-25|09:00-10:00|A3", "label": "11月25日（周三）09:00-10:00"}]}
    await AskBookingWhen().run(dispatcher, form_tracker("", slots_now=offered), DOMAIN)

    assert responses(dispatcher) == ["utter_ask_booking_when"]  # once: the offer already asked

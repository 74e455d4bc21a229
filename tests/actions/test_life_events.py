"""action_answer_life_event: the merged notice and its card, or the likely life events to choose."""

from __future__ import annotations

import pytest

from actions.life_event_text import fee_text, life_event_card, time_text
from actions.life_events import ActionAnswerLifeEvent
from tests.actions.conftest import make_tracker, responses


@pytest.fixture
def service(fake_service):
    fake_service.add_life_event("newborn", "新生儿出生一件事",
                                situations=(("married", "父母已办理结婚登记"), ("nonmarital", "非婚生育")))
    fake_service.add_life_event("restaurant", "开办餐饮店一件事")
    return fake_service


async def _run(service, dispatcher, text, entities=None):
    tracker = make_tracker(text, "ask_life_event", entities=entities)
    return await ActionAnswerLifeEvent(service).run(dispatcher, tracker, {})


async def test_a_named_life_event_gets_its_merged_notice_card_and_situation_choice(service, dispatcher):
    events = await _run(service, dispatcher, "孩子出生了要办啥",
                        entities=[{"entity": "life_event", "value": "newborn"}])
    assert events == []
    assert dispatcher.messages[0]["text"].startswith("【新生儿出生一件事】一次性告知")
    card = dispatcher.messages[1]["custom"]["life_event"]
    assert card["name"] == "新生儿出生一件事" and card["steps"][1]["after"] == "先办出生医学证明首次签发"
    assert card["booking"] == "预约时选“出生医学证明首次签发”，一次预约办全部"
    assert responses(dispatcher)[-1] == "utter_choose_life_event_situation"
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == [
        '/ask_life_event{"life_event": "newborn", "situation": "married"}',
        '/ask_life_event{"life_event": "newborn", "situation": "nonmarital"}',
    ]
    assert ("find_life_events", "孩子出生了要办啥") not in service.calls


async def test_a_situation_tapped_gets_that_situations_notice_without_asking_again(service, dispatcher):
    await _run(service, dispatcher, "/ask_life_event", entities=[
        {"entity": "life_event", "value": "newborn"}, {"entity": "situation", "value": "married"}])
    assert ("get_life_event_notice", "newborn", "married") in service.calls
    assert "utter_choose_life_event_situation" not in responses(dispatcher)


async def test_without_an_entity_a_confident_search_answers(service, dispatcher):
    service.on_life_event_search("我想开个小饭馆 要办哪些手续", "restaurant", confident=True)
    await _run(service, dispatcher, "我想开个小饭馆 要办哪些手续")
    assert dispatcher.messages[0]["text"].startswith("【开办餐饮店一件事】")
    assert "life_event" in dispatcher.messages[1]["custom"]
    # No situations: no question; the 综合窗口 offers one booking for the whole life event.
    assert [m.get("response") for m in dispatcher.messages[2:]] == ["utter_offer_life_event_booking"]
    assert dispatcher.messages[2]["buttons"][0]["payload"] == '/book_appointment{"life_event": "restaurant"}'


async def test_an_unknown_entity_value_falls_back_to_the_search(service, dispatcher):
    service.on_life_event_search("开饭店咋弄", "restaurant", confident=True)
    await _run(service, dispatcher, "开饭店咋弄", entities=[{"entity": "life_event", "value": "开饭店"}])
    assert ("find_life_events", "开饭店咋弄") in service.calls
    assert dispatcher.messages[0]["text"].startswith("【开办餐饮店一件事】")


async def test_an_unsure_search_offers_the_likely_life_events(service, dispatcher):
    service.on_life_event_search("家里有点事要办", "newborn", "restaurant")
    await _run(service, dispatcher, "家里有点事要办")
    assert responses(dispatcher) == ["utter_choose_life_event"]
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["新生儿出生一件事", "开办餐饮店一件事"]


async def test_nothing_found_lists_every_life_event(service, dispatcher):
    await _run(service, dispatcher, "一件事")
    assert responses(dispatcher) == ["utter_ask_which_life_event"]
    assert len(dispatcher.messages[0]["buttons"]) == 2


async def test_the_service_down_is_said_with_the_halls_phone(service, dispatcher):
    service.down = True
    await _run(service, dispatcher, "开饭店", entities=[{"entity": "life_event", "value": "restaurant"}])
    assert responses(dispatcher) == ["utter_service_unavailable"]


@pytest.mark.parametrize("fee, expected", [
    ({"total_yuan": 0, "fixed": [], "by_standard": []}, "全部免费"),
    ({"total_yuan": 30, "fixed": [{"item_name": "a"}], "by_standard": [{"item_name": "二手房转移登记"}]},
     "合计30元；另按标准收费：二手房转移登记"),
])
def test_fee_text(fee, expected):
    assert fee_text(fee) == expected


def test_time_text_names_the_longest_with_conditional_steps():
    assert time_text({"promised_days": 3, "promised_days_with_conditional": 10}) == "约3个工作日（含按需事项最长10个工作日）"
    assert time_text({"promised_days": 0, "promised_days_with_conditional": 0}) == "当场办结"


def test_the_card_marks_steps_outside_the_catalogue(service):
    card = life_event_card(service.life_events["newborn"])["life_event"]
    assert card["steps"][1]["where"] == "本目录外，由社区卫生服务中心办理"
    assert card["steps"][0]["where"] == ""
    assert card["materials"] == [{"name": "父母双方居民身份证", "used_by": "出生医学证明首次签发、出生登记"}]

from __future__ import annotations

from actions.api.service_client import Handler, Office, Referral
from actions.catalogue import ActionAnswerServiceQuestion
from tests.actions.conftest import make_tracker


def slots_set(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def responses(dispatcher):
    return [m.get("response") or "text" for m in dispatcher.messages]


async def test_clear_item_without_situations_gets_the_notice(dispatcher, fake_service):
    fake_service.on_search("身份证过期了换新的要带啥", ("GA-SFZ-001", 0.9), ("GA-SFZ-002", 0.4), confident=True)
    tracker = make_tracker("身份证过期了换新的要带啥", "ask_materials")

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith("【居民身份证换领】一次性告知")
    assert "1. 居民户口簿" in texts[0]
    assert dispatcher.messages[0]["item_score"] == 0.9  # reported with the turn (bot/turn_outcomes.py)
    assert slots_set(events)["item_code"] == "GA-SFZ-001"
    assert "awaiting" not in slots_set(events)  # it was not set and stays unset


async def test_item_with_situations_asks_which_applies_before_listing(dispatcher, fake_service):
    fake_service.on_search("身份证丢了", ("GA-SFZ-002", 0.95), confident=True)
    tracker = make_tracker("身份证丢了", "ask_materials")

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_choose_situation"]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ['/inform{"situation": "adult"}', '/inform{"situation": "minor"}',
                                               '/inform{"situation": "any"}']  # 不确定，看全部情形的材料
    assert "1. 居民户口簿" not in str(dispatcher.messages)  # no materials before the situation
    slots = slots_set(events)
    assert slots["awaiting"] == "situation" and slots["pending_aspect"] == "materials"


async def test_situation_button_gives_the_notice_for_that_situation(dispatcher, fake_service):
    tracker = make_tracker(
        '/inform{"situation": "minor"}', "inform",
        entities=[{"entity": "situation", "value": "minor"}],
        slots={"item_code": "GA-SFZ-002", "awaiting": "situation", "pending_aspect": "materials"},
    )

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert ("get_notice", "GA-SFZ-002", "minor") in fake_service.calls
    assert "未满" not in dispatcher.messages[0]["text"]  # the fake's notice names the id
    assert "minor" in dispatcher.messages[0]["text"]
    assert slots_set(events)["situation"] == "minor"


async def test_typed_ordinal_picks_the_offered_situation(dispatcher, fake_service):
    offered = [{"id": "adult", "label": "年满十六周岁本人办理"}, {"id": "minor", "label": "未满十六周岁由监护人陪同"}]
    tracker = make_tracker("第二个", "inform", slots={
        "item_code": "GA-SFZ-002", "awaiting": "situation",
        "pending_aspect": "materials", "offered_choices": offered})

    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert ("get_notice", "GA-SFZ-002", "minor") in fake_service.calls


async def test_unclear_item_offers_top_three_as_buttons(dispatcher, fake_service):
    fake_service.on_search("身份证", ("GA-SFZ-001", 0.6), ("GA-SFZ-002", 0.58),
                           ("GA-LSZ-001", 0.5))
    tracker = make_tracker("身份证", "ask_fee")

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_choose_item"]
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles == ["居民身份证换领（公安局）", "居民身份证补领（公安局）", "临时居民身份证申领（公安局）",
                      "都不是，转人工咨询"]
    assert dispatcher.messages[0]["buttons"][-1]["payload"] == "/request_consultation"
    assert dispatcher.messages[0]["item_score"] == 0.6  # the first offered
    assert slots_set(events)["pending_aspect"] == "fee"


async def test_aspect_question_answers_the_aspect_and_offers_the_notice(dispatcher, fake_service):
    fake_service.on_search("补身份证多少钱", ("GA-SFZ-002", 0.9), confident=True)
    tracker = make_tracker("补身份证多少钱", "ask_fee")

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_aspect_answer"]
    assert dispatcher.messages[0]["answer"] == "20元"
    assert dispatcher.messages[0]["buttons"][0]["payload"] == '/ask_materials{"item_code": "GA-SFZ-002"}'
    assert slots_set(events)["awaiting"] == "full_notice"


async def test_follow_up_without_an_item_uses_the_item_discussed(dispatcher, fake_service):
    tracker = make_tracker("那要多久", "ask_time_limit", slots={"item_code": "GA-SFZ-001"})

    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert dispatcher.messages[0]["answer"] == "承诺20个工作日"
    assert "item_score" not in dispatcher.messages[0]  # no search chose it


async def test_no_item_at_all_asks_which(dispatcher, fake_service):
    tracker = make_tracker("要多少钱", "ask_fee")

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_ask_which_item"]
    assert slots_set(events)["pending_aspect"] == "fee"


async def test_affirm_after_offer_sends_the_full_notice(dispatcher, fake_service):
    tracker = make_tracker("好的", "affirm", slots={"item_code": "GA-SFZ-001", "awaiting": "full_notice"})

    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert dispatcher.messages[0]["text"].startswith("【居民身份证换领】")


async def test_item_handled_elsewhere_names_who_handles_it(dispatcher, fake_service):
    fake_service.add_item("GA-HZ-001", "普通护照签发", handled_by=Handler(
        name="清江市公安局出入境接待大厅", address="江北区人民路200号", phone="0571-86020000",
        hours="周一至周六", note="须本人到场"))
    fake_service.on_search("办护照去哪", ("GA-HZ-001", 0.9), confident=True)
    tracker = make_tracker("办护照去哪", "ask_location")

    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    first = dispatcher.messages[0]
    assert first["response"] == "utter_handled_elsewhere"
    assert first["handler_name"] == "清江市公安局出入境接待大厅"
    assert first["handler_phone"] == "0571-86020000"


async def test_service_down_says_so_with_the_hall_phone(dispatcher, fake_service):
    fake_service.down = True
    tracker = make_tracker("补身份证要带啥", "ask_materials")

    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_service_unavailable"]
    assert dispatcher.messages[0]["hall_phone"].startswith("0571")


async def test_long_notice_is_split_into_several_messages(dispatcher, fake_service, monkeypatch):
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "30")
    from actions.settings import get_settings
    get_settings.cache_clear()
    try:
        tracker = make_tracker("换身份证", "ask_materials", entities=[{"entity": "item_code", "value": "GA-SFZ-001"}])
        await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})
    finally:
        get_settings.cache_clear()
    assert len(dispatcher.messages) == 2
    assert all(len(m["text"]) <= 30 for m in dispatcher.messages)


async def test_stale_situation_from_another_item_is_not_used(dispatcher, fake_service):
    tracker = make_tracker("/ask_fee", "ask_fee", entities=[{"entity": "item_code", "value": "GA-SFZ-001"}],
                           slots={"item_code": "GA-SFZ-002", "situation": "minor"})

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert ("get_notice", "GA-SFZ-001", "") in fake_service.calls
    assert slots_set(events)["situation"] is None


async def test_unchanged_slots_are_not_set_again(dispatcher, fake_service):
    tracker = make_tracker("那要多久", "ask_time_limit",
                           slots={"item_code": "GA-SFZ-001", "service_item": "居民身份证换领"})

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert "item_code" not in slots_set(events) and "service_item" not in slots_set(events)
    assert slots_set(events)["awaiting"] == "full_notice"


async def test_the_whole_message_is_searched_not_a_word_of_it(dispatcher, fake_service):
    # "换新的" made the lookup name 食品经营许可（延续）; the message as a whole is about the ID card.
    fake_service.on_search("身份证快过期了，换新的要带啥", ("GA-SFZ-001", 0.76), confident=True)
    tracker = make_tracker("身份证快过期了，换新的要带啥", "ask_fee",
                           entities=[{"entity": "service_item", "value": "食品经营许可（延续）"}])

    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert [c for c in fake_service.calls if c[0] == "search"] == [("search", "身份证快过期了，换新的要带啥")]
    assert dispatcher.messages[0]["answer"] == "20元"


async def test_one_weak_candidate_is_asked_about_not_answered(dispatcher, fake_service):
    fake_service.on_search("那个证的事咋弄", ("GA-SFZ-001", 0.3))
    tracker = make_tracker("那个证的事咋弄", "ask_materials")

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_confirm_item"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        '/inform{"item_code": "GA-SFZ-001"}', "/request_consultation"]
    assert slots_set(events)["awaiting"] == "item"


async def test_matter_outside_the_catalogue_is_referred_with_a_consultation_offered(dispatcher, fake_service):
    fake_service.referrals["养狗要办什么证"] = Referral(
        item_name="犬只登记", department="广州市公安局", department_kind="公安", level="市级",
        local=Office(name="清江市公安局", address="市民大道88号", phone="0571-86012110", hours="周一至周五"),
    )
    tracker = make_tracker("养狗要办什么证", "ask_materials")

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})

    assert responses(dispatcher) == ["utter_refer_department"]
    message = dispatcher.messages[0]
    assert message["department_kind"] == "公安" and message["office_name"] == "清江市公安局"
    assert slots_set(events)["awaiting"] == "consultation"


async def test_a_number_in_a_referred_question_is_kept_for_the_consultation_that_may_follow(dispatcher, fake_service):
    # The tracker store keeps the message masked: the next turn could not read the number from it.
    question = "养狗要办什么证 我电话138 1234 5678"
    fake_service.referrals[question] = Referral(
        item_name="犬只登记", department="广州市公安局", department_kind="公安", level="市级", local=None,
    )

    asked = make_tracker(question, "ask_materials")
    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, asked, {})

    assert slots_set(events)["mentioned_phone"] == "13812345678"
    plain = await ActionAnswerServiceQuestion(fake_service).run(
        dispatcher, make_tracker("养狗要办什么证", "ask_materials"), {})
    assert "mentioned_phone" not in slots_set(plain)  # a question without one keeps the earlier number


async def test_referral_without_a_local_office_names_the_kind_of_department(dispatcher, fake_service):
    fake_service.referrals["渔船证怎么办"] = Referral(
        item_name="渔业船舶登记", department="广东省农业农村厅", department_kind="农业农村", level="省级", local=None,
    )
    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, make_tracker("渔船证怎么办", "ask_materials"), {})

    assert responses(dispatcher) == ["utter_refer_department_elsewhere"]
    assert dispatcher.messages[0]["level"] == "省级"



async def test_a_story_the_nlu_reads_unsurely_confirms_the_item_before_the_notice(dispatcher, fake_service):
    story = "领导您好，我上个月去大厅换身份证排了三个小时的队，窗口就开了一个，想问一下现在还是这样吗"
    fake_service.on_search(story, ("GA-SFZ-001", 0.9), confident=True)
    tracker = make_tracker(story, "ask_materials")
    tracker.latest_message["intent"]["confidence"] = 0.55

    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_confirm_item"]

    tracker.latest_message["intent"]["confidence"] = 0.95
    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, tracker, {})
    assert responses(dispatcher)[-1] == "text"  # the notice


LICENCE_CHOICES = [{"id": "SC-ZZ-001", "label": "营业执照补领"}, {"id": "SC-GT-001", "label": "个体工商户设立登记"}]
OFFERED = {"awaiting": "item", "pending_aspect": "materials", "offered_choices": LICENCE_CHOICES}


def after_choices(reply, intent):
    """The citizen asked "营业执照", was offered LICENCE_CHOICES and replies."""
    events = [{"event": "user", "text": "营业执照"}, {"event": "bot", "text": "您说的可能是以下事项"},
              {"event": "user", "text": reply}]
    return make_tracker(reply, intent, slots=OFFERED, events=events)


async def test_a_reply_that_narrows_the_offered_items_down_picks_one(dispatcher, fake_service):
    fake_service.add_item("SC-ZZ-001", "营业执照补领")
    fake_service.add_item("SC-GT-001", "个体工商户设立登记")
    fake_service.on_search("营业执照，补办", ("SC-ZZ-001", 0.9), ("SC-GT-001", 0.4), confident=True)

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, after_choices("补办", "nlu_fallback"), {})

    assert ("search", "营业执照，补办") in fake_service.calls
    assert ("get_notice", "SC-ZZ-001", "") in fake_service.calls
    assert slots_set(events)["item_code"] == "SC-ZZ-001"


async def test_a_reply_that_names_no_offered_item_surely_is_read_on_its_own(dispatcher, fake_service):
    fake_service.add_item("SC-ZZ-001", "营业执照补领")
    fake_service.add_item("GA-SFZ-002", "居民身份证补领")
    fake_service.on_search("营业执照，身份证丢了", ("GA-SFZ-002", 0.8), ("SC-ZZ-001", 0.7), contested=True)
    fake_service.on_search("身份证丢了", ("GA-SFZ-002", 0.9), confident=True)

    events = await ActionAnswerServiceQuestion(fake_service).run(dispatcher, after_choices("身份证丢了", "inform"), {})

    assert slots_set(events)["item_code"] == "GA-SFZ-002"


SITUATION_ASKED = {"item_code": "GA-SFZ-002", "awaiting": "situation", "pending_aspect": "materials",
                   "offered_choices": [{"id": "adult", "label": "年满十六周岁本人办理"},
                                       {"id": "minor", "label": "未满十六周岁由监护人陪同"}]}


async def test_a_reply_that_picks_no_situation_gets_every_situations_notice(dispatcher, fake_service):
    fake_service.add_item("JY-XX-001", "小学新生入学登记")
    fake_service.on_search("孩子的 12岁", ("JY-XX-001", 0.46))  # names no item on its own
    for reply, intent in (("孩子的 12岁", "inform"), ("不知道", "nlu_fallback"), ("都不是", "deny")):
        dispatcher.messages.clear()
        events = await ActionAnswerServiceQuestion(fake_service).run(
            dispatcher, make_tracker(reply, intent, slots=SITUATION_ASKED), {})
        assert responses(dispatcher)[0] == "utter_all_situations", reply
        assert ("get_notice", "GA-SFZ-002", "") in fake_service.calls
        slots = slots_set(events)
        assert slots.get("situation") is None and slots["awaiting"] is None


async def test_the_situation_questions_way_out_and_other_questions_while_it_is_asked(dispatcher, fake_service):
    any_situation = make_tracker('/inform{"situation": "any"}', "inform", slots=SITUATION_ASKED,
                                 entities=[{"entity": "situation", "value": "any"}])
    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, any_situation, {})
    assert responses(dispatcher)[0] == "text" and ("get_notice", "GA-SFZ-002", "") in fake_service.calls

    dispatcher.messages.clear()  # an aspect asked meanwhile is answered, not the whole notice
    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, make_tracker("要多少钱", "ask_fee",
                                                                                 slots=SITUATION_ASKED), {})
    assert "utter_all_situations" not in responses(dispatcher)


async def test_a_reply_to_the_situations_that_names_another_item_is_a_question_of_its_own(dispatcher, fake_service):
    fake_service.add_item("GA-JSZ-001", "机动车驾驶证期满换证")
    fake_service.add_item("GA-JSZ-002", "机动车驾驶证补证")
    fake_service.on_search("那驾照呢", ("GA-JSZ-001", 0.72), ("GA-JSZ-002", 0.7))
    await ActionAnswerServiceQuestion(fake_service).run(dispatcher, make_tracker("那驾照呢", "inform",
                                                                                 slots=SITUATION_ASKED), {})
    assert responses(dispatcher) == ["utter_choose_item"]

from actions.fallback import ActionHandleFallback, consecutive_fallbacks
from tests.actions.conftest import make_tracker


def user(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def test_counts_only_the_latest_run_of_fallbacks():
    events = [user("nlu_fallback"), user("greet"), {"event": "bot"}, user("nlu_fallback"),
              {"event": "action"}, user("nlu_fallback")]
    assert consecutive_fallbacks(events) == 2
    assert consecutive_fallbacks([user("greet")]) == 0


async def test_first_failure_asks_to_rephrase_second_hands_over(dispatcher, fake_service):
    once = make_tracker("啊吧啊吧", "nlu_fallback", events=[user("nlu_fallback")])
    await ActionHandleFallback(fake_service).run(dispatcher, once, {})
    assert dispatcher.messages[-1]["response"] == "utter_ask_rephrase"

    twice = make_tracker("呃呃", "nlu_fallback", events=[user("nlu_fallback"), {"event": "bot"}, user("nlu_fallback")])
    events = await ActionHandleFallback(fake_service).run(dispatcher, twice, {})
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_start_handoff"]


async def test_a_number_in_a_message_not_understood_is_kept_for_the_work_order(dispatcher, fake_service):
    unclear = make_tracker("那个事情到底管不管 13912345678", "nlu_fallback", events=[user("nlu_fallback")])
    events = await ActionHandleFallback(fake_service).run(dispatcher, unclear, {})
    assert [e["value"] for e in events if e.get("name") == "mentioned_phone"] == ["13912345678"]


async def test_a_message_without_words_is_asked_what_it_needs(dispatcher, fake_service):
    for text in ("？？？", "****", "🙂🙂"):
        await ActionHandleFallback(fake_service).run(dispatcher, make_tracker(text, "nlu_fallback"), {})
        assert dispatcher.messages[-1]["response"] == "utter_ask_what_you_need"
    assert not fake_service.calls


async def test_unclear_message_naming_likely_items_offers_them(dispatcher, fake_service):
    fake_service.add_item("GA-SFZ-001", "居民身份证换领")
    fake_service.add_item("GA-SFZ-002", "居民身份证补领")
    fake_service.on_search("证件那个事", ("GA-SFZ-001", 0.4), ("GA-SFZ-002", 0.38))

    await ActionHandleFallback(fake_service).run(dispatcher, make_tracker("证件那个事", "nlu_fallback"), {})

    assert dispatcher.messages[-1]["response"] == "utter_choose_item"
    assert len(dispatcher.messages[-1]["buttons"]) == 3  # two items and "都不是"


async def test_unclear_long_story_goes_to_a_person_not_back_to_the_citizen(dispatcher, fake_service):
    story = "领导您好，我家楼下那个****从去年开始一直这样，找了好几个地方都说不归他们管，现在也不知道该怎么办了"
    events = await ActionHandleFallback(fake_service).run(dispatcher, make_tracker(story, "nlu_fallback"), {})

    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_start_handoff"]
    assert not dispatcher.messages


async def test_out_of_scope_is_declined_unless_the_catalogue_is_sure(dispatcher, fake_service):
    fake_service.add_item("GA-SFZ-001", "居民身份证换领")
    fake_service.on_search("推荐个好看的电影", ("GA-SFZ-001", 0.3))
    await ActionHandleFallback(fake_service).run(dispatcher, make_tracker("推荐个好看的电影", "out_of_scope"), {})
    assert dispatcher.messages[-1]["response"] == "utter_out_of_scope"

    fake_service.on_search("身份证过期了", ("GA-SFZ-001", 0.9), confident=True)
    await ActionHandleFallback(fake_service).run(dispatcher, make_tracker("身份证过期了", "out_of_scope"), {})
    assert dispatcher.messages[-1]["response"] == "utter_confirm_item"


async def test_out_of_scope_naming_two_items_offers_both_rather_than_declining(dispatcher, fake_service):
    # Not confident which (two parts of the message name one each), but surely about the catalogue.
    fake_service.add_item("SC-YBZ-001", "仅销售预包装食品备案")
    fake_service.add_item("SC-SPJY-001", "食品经营许可（新办）")
    text = "小店做过预包装备案，现在想加卖现做的熟食，还要办经营许可吗"
    fake_service.on_search(text, ("SC-YBZ-001", 0.9), ("SC-SPJY-001", 0.7), contested=True)
    await ActionHandleFallback(fake_service).run(dispatcher, make_tracker(text, "out_of_scope"), {})
    assert dispatcher.messages[-1]["response"] == "utter_choose_item"
    titles = [button["title"] for button in dispatcher.messages[-1]["buttons"]]
    assert titles[0].startswith("仅销售预包装食品备案") and titles[1].startswith("食品经营许可（新办）")


async def test_out_of_scope_with_a_strong_but_unsure_match_offers_the_items(dispatcher, fake_service):
    # The classifier read a casual question as chit-chat; the search names two items well, neither surely.
    fake_service.add_item("GJJ-TQ-001", "住房公积金提取（租房）")
    fake_service.add_item("GJJ-TQ-002", "住房公积金提取（购房）")
    fake_service.add_item("GA-SFZ-001", "居民身份证换领")
    text = "你们这个公积金怎么取出来付房租啊"
    fake_service.on_search(text, ("GJJ-TQ-001", 0.79), ("GJJ-TQ-002", 0.63), ("GA-SFZ-001", 0.3))
    await ActionHandleFallback(fake_service).run(dispatcher, make_tracker(text, "out_of_scope"), {})
    assert dispatcher.messages[-1]["response"] == "utter_choose_item"
    titles = [button["title"] for button in dispatcher.messages[-1]["buttons"]]
    assert titles[0].startswith("住房公积金提取（租房）") and titles[1].startswith("住房公积金提取（购房）")
    assert not any("身份证" in t for t in titles)

    fake_service.on_search("他是哪里出生的呀", ("GA-SFZ-001", 0.6))  # below the floor: declined
    await ActionHandleFallback(fake_service).run(dispatcher, make_tracker("他是哪里出生的呀", "out_of_scope"), {})
    assert dispatcher.messages[-1]["response"] == "utter_out_of_scope"


async def test_service_down_falls_back_to_asking(dispatcher, fake_service):
    fake_service.down = True
    await ActionHandleFallback(fake_service).run(dispatcher, make_tracker("啊这个", "nlu_fallback"), {})
    assert dispatcher.messages[-1]["response"] == "utter_ask_rephrase"


async def test_a_short_unclear_reply_to_offered_items_goes_to_the_catalogue(dispatcher, fake_service):
    offered = {"awaiting": "item", "offered_choices": [{"id": "SC-ZZ-001", "label": "营业执照补领"}]}
    events = [user("nlu_fallback"), {"event": "bot"}, user("nlu_fallback")]  # would be the second failure
    reply = make_tracker("补办", "nlu_fallback", slots=offered, events=events)
    events = await ActionHandleFallback(fake_service).run(dispatcher, reply, {})
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_answer_service_question"]
    assert not dispatcher.messages

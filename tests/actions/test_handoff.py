"""The 12345 handoff, the status question and the rating, against an in-memory service."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.api.service_client import MAX_QUERY_CHARS, Refused, query_text
from actions.fallback import ActionHandleFallback
from actions.handoff import (
    AskHandoffConfirmed,
    StartHandoff,
    StopHandoff,
    SubmitHandoff,
    ValidateHandoffForm,
)
from actions.handoff_text import (
    find_ticket_number,
    is_substantive,
    place_answer,
    rating_in,
    transcript,
)
from actions.tickets import (
    AskRating,
    RateTicket,
    TellTicketStatus,
    ValidateTicketStatusForm,
)
from tests.actions.conftest import make_tracker, responses, slots

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
COMPLAINT = "楼下烧烤店天天开到凌晨两点，油烟和吵闹让人没法睡觉"


def user(text, intent="inform", message_id="m1"):
    return {"event": "user", "text": text, "message_id": message_id, "parse_data": {"intent": {"name": intent}}}


def tracker(text, intent="inform", slots_now=None, events=None, message_id="m2", sender="web-1"):
    t = make_tracker(text, intent, slots=dict(slots_now or {}), events=events or [user(text, intent, message_id)])
    t.latest_message["message_id"] = message_id
    t.sender_id = sender
    return t


# --- reading the words -------------------------------------------------------------------------


@pytest.mark.parametrize("text, substantive", [
    ("转人工", False), ("我要投诉", False), ("人工客服在吗？？", False), ("有个建议", False),
    ("我要投诉小区门口夜市太吵了", True), ("举报：河边那个厂晚上偷排黑水", True), ("/complain", False),
])
def test_a_bare_request_is_told_from_one_that_says_what_it_is_about(text, substantive):
    assert is_substantive(text) is substantive


@pytest.mark.parametrize("text, level", [
    ("非常满意", "非常满意"), ("五星好评👍", "非常满意"), ("满意，谢谢你们", "满意"), ("还行吧", "基本满意"),
    ("差评", "不满意"), ("不满意 问题根本没解决", "不满意"), ("太差了", "非常不满意"), ("今天天气", None),
])
def test_ratings_in_words(text, level):
    assert rating_in(text) == level


def test_ticket_numbers_place_answers_and_transcript():
    assert find_ticket_number("工单 12345 - 20261122－00042 怎么样了") == "12345-20261122-00042"
    assert find_ticket_number("12345热线") is None
    assert place_answer("无") == "不涉及具体地点" and place_answer("东湖路口") == "东湖路口"
    events = [user("你好"), {"event": "bot", "text": "您好！"}, user("/affirm"), {"event": "action"},
              user("x" * 400)]
    lines = transcript(events, limit=2, line_chars=300)
    assert lines == [{"author": "bot", "text": "您好！"}, {"author": "citizen", "text": "x" * 300}]


# --- the form ----------------------------------------------------------------------------------


async def test_a_complaint_that_says_everything_only_asks_for_the_phone(dispatcher, fake_service):
    fake_service.drafts[COMPLAINT] = {"place": "锦绣花园3栋", "phone": None}
    started = await StartHandoff(fake_service).run(dispatcher, tracker(COMPLAINT, "complain", message_id="m1"), DOMAIN)
    filled = slots(started)
    assert filled["handoff_type"] == "投诉" and filled["handoff_content"] == COMPLAINT
    assert filled["handoff_place"] == "锦绣花园3栋" and filled["handoff_topic"] == "环境保护/环境污染"
    assert filled["handoff_phone"] is None  # reset; the form asks for it
    assert responses(dispatcher) == ["utter_handoff_start"]

    form = ValidateHandoffForm(fake_service)
    required = await form.required_slots([], dispatcher, tracker("", slots_now=filled), DOMAIN)
    assert required == ["handoff_content", "handoff_place", "handoff_phone", "handoff_confirmed"]
    # The triggering message is not read again when the form starts.
    again = tracker(COMPLAINT, "complain", slots_now=filled, message_id="m1")
    assert await form.get_extraction_events(dispatcher, again, DOMAIN) == []


async def test_a_bare_request_for_a_person_asks_what_it_is_about(dispatcher, fake_service):
    started = slots(await StartHandoff(fake_service).run(dispatcher, tracker("转人工", "request_human"), DOMAIN))
    assert started["handoff_type"] is None and started["handoff_content"] is None
    assert fake_service.calls == []
    form = ValidateHandoffForm(fake_service)
    required = await form.required_slots([], dispatcher, tracker("", slots_now=started), DOMAIN)
    assert "handoff_place" not in required  # the classifier will decide the type; no place asked


@pytest.mark.parametrize("text, intent", [
    ("我要投诉", "complain"), ("我要举报", "report"), ("转人工", "request_human"),
])
async def test_the_form_starts_by_asking_not_by_finding_fault(dispatcher, fake_service, text, intent):
    # The start action clears the form's slots; the form then runs its validator on the same
    # turn, and a cleared phone was read as a wrong number ("这个号码好像不对") before any was asked.
    started = await StartHandoff(fake_service).run(dispatcher, tracker(text, intent, message_id="m1"), DOMAIN)
    dispatcher.messages.clear()
    form_start = tracker(text, intent, slots_now=slots(started), message_id="m1",
                         events=[user(text, intent, "m1"), {"event": "action", "name": "action_start_handoff"},
                                 *started])
    validated = slots(await ValidateHandoffForm(fake_service).run(dispatcher, form_start, DOMAIN))
    assert "utter_handoff_phone_invalid" not in responses(dispatcher)
    assert "handoff_phone" not in validated and "handoff_confirmed" not in validated  # nothing judged


async def test_a_content_cleared_at_the_start_is_asked_not_sent_to_the_service(dispatcher, fake_service):
    # StartHandoff clears the slots; the form then validates the cleared content: nothing to read.
    form = ValidateHandoffForm(fake_service)
    assert await form.validate_handoff_content(None, dispatcher, tracker("/report", "report"), DOMAIN) == {
        "handoff_content": None}
    assert fake_service.calls == []


def test_the_text_sent_to_the_service_is_never_none_and_never_too_long():
    assert query_text(None) == "" and query_text("  身份证  ") == "身份证"
    long = "开头" + "中" * 3000 + "结尾"
    assert len(query_text(long)) == MAX_QUERY_CHARS and query_text(long).startswith("开头")
    assert query_text(long).endswith("结尾")


async def test_answers_phone_check_and_correction(dispatcher, fake_service):
    form = ValidateHandoffForm(fake_service)
    asked_phone = {"handoff_type": "投诉", "handoff_content": COMPLAINT, "handoff_place": "x",
                   "requested_slot": "handoff_phone"}
    bad = slots(await form.run(dispatcher, tracker("138123", slots_now=asked_phone), DOMAIN))
    assert bad["handoff_phone"] is None and responses(dispatcher)[-1] == "utter_handoff_phone_invalid"
    good = slots(await form.run(dispatcher, tracker("我手机是 138 1234 5678", slots_now=asked_phone), DOMAIN))
    assert good["handoff_phone"] == "13812345678" and good["handoff_phone_masked"] == "138****5678"

    confirming = {**asked_phone, "handoff_phone": "13812345678", "requested_slot": "handoff_confirmed"}
    corrected = slots(await form.run(dispatcher, tracker("号码写错了，是13900001111", slots_now=confirming), DOMAIN))
    assert corrected["handoff_phone"] == "13900001111" and "handoff_confirmed" not in corrected
    confirmed = slots(await form.run(dispatcher, tracker("确认", "affirm", slots_now=confirming), DOMAIN))
    assert confirmed["handoff_confirmed"] is True


async def test_the_content_answer_is_prefilled_by_the_service(dispatcher, fake_service):
    fake_service.drafts["东湖路口路灯坏了半个月 电话13900001111"] = {"place": "东湖路口", "phone": "13900001111"}
    asked = {"handoff_type": "投诉", "requested_slot": "handoff_content"}
    filled = slots(await ValidateHandoffForm(fake_service).run(
        dispatcher, tracker("东湖路口路灯坏了半个月 电话13900001111", slots_now=asked), DOMAIN))
    assert filled["handoff_place"] == "东湖路口" and filled["handoff_phone"] == "13900001111"


async def test_the_confirmation_shows_masked_phone_and_offers_to_stop(dispatcher):
    filled = {"handoff_type": "投诉", "handoff_topic": "环境保护/环境污染", "handoff_content": COMPLAINT,
              "handoff_place": "锦绣花园3栋", "handoff_phone_masked": "138****5678"}
    await AskHandoffConfirmed().run(dispatcher, tracker("", slots_now=filled), DOMAIN)
    message = dispatcher.messages[-1]
    assert message["response"] == "utter_ask_handoff_confirmed" and message["phone"] == "138****5678"
    assert message["place"] == "锦绣花园3栋" and message["topic"] == "环境保护/环境污染"
    buttons = DOMAIN["responses"][message["response"]][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny"]
    await AskHandoffConfirmed().run(dispatcher, tracker("", slots_now={**filled, "handoff_place": None}), DOMAIN)
    assert dispatcher.messages[-1]["response"] == "utter_ask_handoff_confirmed_no_place"


async def test_submit_files_once_with_the_transcript_and_clears_the_phone(dispatcher, fake_service):
    filled = {"handoff_type": "投诉", "handoff_content": COMPLAINT, "handoff_place": "锦绣花园3栋",
              "handoff_phone": "13812345678", "handoff_nonce": "n1", "item_code": None}
    history = [user(COMPLAINT, "complain"), {"event": "bot", "text": "好的，我来帮您转交"}]
    t = tracker("确认", "affirm", slots_now=filled, events=history, sender="wechat:oABC")
    events = await SubmitHandoff(fake_service).run(dispatcher, t, DOMAIN)
    (key, body), = fake_service.tickets
    assert key == "bot-n1" and body["channel"] == "wechat" and body["conversation_id"] == "wechat:oABC"
    assert body["transcript"][0] == {"author": "citizen", "text": COMPLAINT}
    done = slots(events)
    assert done["handoff_phone"] is None and done["handoff_content"] is None
    assert done["handoff_ticket"] == "12345-20261122-00001"
    assert dispatcher.messages[0]["response"] == "utter_handoff_done"
    assert dispatcher.messages[0]["response"] == "utter_handoff_done"
    assert dispatcher.messages[0]["deadline"] == "11月27日 10:00"
    assert dispatcher.messages[1]["custom"] == {"handoff": {"ticket": "12345-20261122-00001"}}


async def test_after_hours_the_citizen_is_told_when_a_person_answers(dispatcher, fake_service):
    fake_service.agents_on_duty = False
    filled = {"handoff_content": "转人工；我的社保卡怎么补", "handoff_phone": "13812345678", "handoff_nonce": "n2"}
    await SubmitHandoff(fake_service).run(dispatcher, tracker("确认", "affirm", slots_now=filled), DOMAIN)
    done = dispatcher.messages[0]
    assert done["response"] == "utter_handoff_done_after_hours"
    assert (done["agent_hours"], done["back_at"]) == ("08:00-20:00", "11月23日 08:00")


async def test_submit_when_the_service_is_down_asks_to_confirm_again(dispatcher, fake_service):
    fake_service.down = True
    filled = {"handoff_content": COMPLAINT, "handoff_phone": "13812345678", "handoff_nonce": "n3"}
    events = await SubmitHandoff(fake_service).run(dispatcher, tracker("确认", "affirm", slots_now=filled), DOMAIN)
    assert responses(dispatcher) == ["utter_handoff_not_sent"]
    assert slots(events)["requested_slot"] == "handoff_confirmed"


async def test_stopping_clears_everything(dispatcher):
    events = await StopHandoff().run(dispatcher, tracker("算了", "deny", slots_now={"handoff_phone": "138"}), DOMAIN)
    assert slots(events)["handoff_phone"] is None and responses(dispatcher) == ["utter_handoff_stopped"]


async def test_the_second_failed_understanding_starts_the_handoff_with_both_messages(dispatcher, fake_service):
    history = [user("啊吧啊吧", "nlu_fallback", "a"), {"event": "bot", "text": "抱歉"},
               user("呃那个就是那个", "nlu_fallback", "b")]
    t = tracker("呃那个就是那个", "nlu_fallback", events=history, message_id="b")
    followup = await ActionHandleFallback().run(dispatcher, t, DOMAIN)
    assert followup == [{"event": "followup", "name": "action_start_handoff", "timestamp": None}]
    started = await StartHandoff(fake_service).run(dispatcher, t, DOMAIN)
    assert slots(started)["handoff_content"] == "啊吧啊吧；呃那个就是那个"
    assert {"event": "followup", "name": "handoff_form", "timestamp": None} in started
    assert responses(dispatcher) == ["utter_handoff_not_understood"]


# --- status and rating -------------------------------------------------------------------------


async def test_status_of_an_order_from_this_conversation_needs_no_phone(dispatcher, fake_service):
    fake_service.tickets.append(("k", {}))
    form = ValidateTicketStatusForm(fake_service)
    filled = slots(await form.run(dispatcher, tracker("我反映的事怎么样了", "query_ticket"), DOMAIN))
    assert filled["status_number"] == "12345-20261122-00001" and filled["status_own"] is True
    await TellTicketStatus(fake_service).run(dispatcher, tracker("", slots_now=filled), DOMAIN)
    assert responses(dispatcher) == ["utter_ticket_status", "utter_ticket_department"]  # no reply yet
    assert dispatcher.messages[0]["status"] == "办理中"


async def test_status_of_another_order_needs_its_phone(dispatcher, fake_service):
    form = ValidateTicketStatusForm(fake_service)
    filled = slots(await form.run(dispatcher, tracker("查下工单12345-20261101-00007", "query_ticket"), DOMAIN))
    assert filled["status_number"] == "12345-20261101-00007" and filled["status_own"] is False
    required = await form.required_slots([], dispatcher, tracker("", slots_now=filled), DOMAIN)
    assert required == ["status_number", "status_phone"]
    wrong = {**filled, "status_phone": "13800000000"}
    await TellTicketStatus(fake_service).run(dispatcher, tracker("", slots_now=wrong), DOMAIN)
    assert dispatcher.messages[-1]["response"] == "utter_ticket_not_found"
    right = {**filled, "status_phone": "13900001111"}
    await TellTicketStatus(fake_service).run(dispatcher, tracker("", slots_now=right), DOMAIN)
    assert responses(dispatcher)[-2:] == ["utter_ticket_status", "utter_ticket_department"]


async def test_rating_question_and_answer(dispatcher, fake_service):
    closed = make_tracker("", "EXTERNAL_ticket_closed",
                          entities=[{"entity": "ticket_number", "value": "12345-20261122-00003"}])
    asked = slots(await AskRating().run(dispatcher, closed, DOMAIN))
    assert asked == {"rating_ticket": "12345-20261122-00003"}
    assert [b["title"] for b in dispatcher.messages[-1]["buttons"]] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]

    unclear = await RateTicket(fake_service).run(dispatcher, tracker("嗯", "rate_service", slots_now=asked), DOMAIN)
    assert unclear == [] and dispatcher.messages[-1]["response"] == "utter_rating_unclear"
    done = await RateTicket(fake_service).run(dispatcher, tracker("差评，没解决", "rate_service", slots_now=asked), DOMAIN)
    assert fake_service.ratings == [("web-1", "12345-20261122-00003", "不满意")]
    assert slots(done) == {"rating_ticket": None} and dispatcher.messages[-1]["response"] == "utter_rating_thanks_low"


async def test_a_rating_with_nothing_to_rate_is_just_thanked(dispatcher, fake_service):
    await RateTicket(fake_service).run(dispatcher, tracker("非常满意", "rate_service"), DOMAIN)
    assert responses(dispatcher) == ["utter_thank"] and fake_service.ratings == []


async def test_the_bot_keeps_only_masked_numbers_from_the_citizens_words(dispatcher, fake_service):
    # The masking itself: tests/common/test_personal_data.py.
    asked = {"handoff_type": "投诉", "requested_slot": "handoff_content"}
    text = "身份证110101199003074477 电话138 1234 5678"
    filled = slots(await ValidateHandoffForm(fake_service).run(dispatcher, tracker(text, slots_now=asked), DOMAIN))
    assert filled["handoff_content"] == "身份证110***********4477 电话138****5678"


async def test_the_type_the_citizen_names_outranks_the_nlu(dispatcher, fake_service):
    text = "我要投诉，烧烤店老板还说要去告我"
    started = slots(await StartHandoff(fake_service).run(dispatcher, tracker(text, "report"), DOMAIN))
    assert started["handoff_type"] == "投诉"


async def test_a_new_complaint_while_a_rating_waits_starts_a_handoff(dispatcher, fake_service):
    waiting = {"rating_ticket": "12345-20261122-00003"}
    worded = await RateTicket(fake_service).run(dispatcher, tracker("差评，根本没解决", "complain", slots_now=waiting), DOMAIN)
    assert fake_service.ratings[-1][2] == "不满意" and slots(worded) == {"rating_ticket": None}
    new = await RateTicket(fake_service).run(dispatcher, tracker("我还要投诉隔壁工地半夜施工", "complain", slots_now=waiting), DOMAIN)
    assert {"event": "followup", "name": "action_start_handoff", "timestamp": None} in new
    assert len(fake_service.ratings) == 1


async def test_an_unclear_message_that_names_a_complaint_is_handed_over_at_once(dispatcher, fake_service):
    text = "我要投诉，锦绣花园3栋楼下的烧烤店天天开到凌晨两点"
    t = tracker(text, "nlu_fallback", events=[user(text, "nlu_fallback", "m2")])
    assert [e["name"] for e in await ActionHandleFallback().run(dispatcher, t, DOMAIN)] == ["action_start_handoff"]
    started = await StartHandoff(fake_service).run(dispatcher, t, DOMAIN)
    assert slots(started)["handoff_content"] == text and slots(started)["handoff_type"] == "投诉"
    assert {"event": "followup", "name": "handoff_form", "timestamp": None} in started
    assert responses(dispatcher) == ["utter_handoff_start"]


def test_times_are_told_in_the_halls_timezone():
    from actions.handoff_text import local_time
    from actions.settings import get_settings

    # The service stores and may answer in UTC; 20:10 UTC is 04:10 the next day in Shanghai.
    assert get_settings().timezone == "Asia/Shanghai"
    assert local_time("2026-11-29T20:10:00Z", get_settings().timezone) == "11月30日 04:10"
    assert local_time("2026-11-30T04:10:00+08:00", get_settings().timezone) == "11月30日 04:10"


# --- starting a consultation, and what the start reads -------------------------------------------


async def test_a_consultation_after_a_referral_files_the_question_that_was_referred(dispatcher, fake_service):
    question = "我想办游艇驾驶证，在哪里办？电话13812345678"
    history = [user(question, "ask_location", "m1"), {"event": "bot", "text": "这件事不在本大厅的办理范围。"},
               user("/request_consultation", "request_consultation", "m2")]

    events = await StartHandoff(fake_service).run(
        dispatcher, tracker("/request_consultation", "request_consultation", events=history), DOMAIN)

    started = slots(events)
    assert responses(dispatcher) == ["utter_handoff_consultation_start"]
    assert started["handoff_type"] == "咨询"  # though the service read the words as a complaint
    assert started["handoff_content"] == "我想办游艇驾驶证，在哪里办？电话138****5678"
    assert started["handoff_topic"] == "环境保护/环境污染" and started["handoff_read_message"] == "m2"
    form = ValidateHandoffForm(fake_service)
    required = await form.required_slots([], dispatcher, tracker("", slots_now=started), DOMAIN)
    assert "handoff_place" not in required


async def test_a_consultation_takes_the_number_kept_from_the_masked_question(dispatcher, fake_service):
    # As the tracker store keeps it: the question masked, the number in mentioned_phone.
    history = [user("我想办游艇驾驶证，在哪里办？电话138****5678", "ask_location", "m1"),
               {"event": "bot", "text": "这件事不在本大厅的办理范围。"},
               user("/request_consultation", "request_consultation", "m2")]
    kept = {"mentioned_phone": "13812345678"}

    events = await StartHandoff(fake_service).run(
        dispatcher, tracker("/request_consultation", "request_consultation", slots_now=kept, events=history), DOMAIN)

    started = slots(events)
    assert started["handoff_phone"] == "13812345678" and started["handoff_phone_masked"] == "138****5678"
    assert started["mentioned_phone"] is None  # the form holds it now, until the order is filed


async def test_a_number_in_the_words_that_start_the_form_wins_over_one_kept(dispatcher, fake_service):
    kept = {"mentioned_phone": "13812345678"}
    words = COMPLAINT + " 联系我13900001111"
    fake_service.drafts[words] = {"phone": "13900001111"}  # the service reads it from the words

    events = await StartHandoff(fake_service).run(dispatcher, tracker(words, "complain", slots_now=kept), DOMAIN)

    assert slots(events)["handoff_phone"] == "13900001111" and slots(events)["mentioned_phone"] is None


async def test_a_consultation_with_no_earlier_question_asks_what_it_is(dispatcher, fake_service):
    history = [user("/request_consultation", "request_consultation", "m1")]

    events = await StartHandoff(fake_service).run(
        dispatcher, tracker("/request_consultation", "request_consultation", events=history), DOMAIN)

    assert slots(events)["handoff_type"] == "咨询" and slots(events)["handoff_content"] is None
    assert fake_service.calls == []


async def test_only_the_latest_run_of_unclear_messages_is_the_matter(dispatcher, fake_service):
    history = [user("嗯嗯嗯啊", "nlu_fallback", "z"), {"event": "bot", "text": "抱歉"},
               user("身份证怎么换", "ask_materials", "a"), {"event": "bot", "text": "【居民身份证换领】"},
               user("啊吧啊吧", "nlu_fallback", "b"), {"event": "bot", "text": "抱歉"},
               user("/deny", "nlu_fallback", "c"), user("呃那个就是那个", "nlu_fallback", "d")]

    events = await StartHandoff(fake_service).run(
        dispatcher, tracker("呃那个就是那个", "nlu_fallback", events=history, message_id="d"), DOMAIN)

    # Not what came before the understood question, nor a button's payload.
    assert slots(events)["handoff_content"] == "啊吧啊吧；呃那个就是那个"


async def test_the_handoff_starts_even_when_the_service_cannot_read_the_words(dispatcher, fake_service):
    fake_service.down = True

    events = await StartHandoff(fake_service).run(dispatcher, tracker(COMPLAINT, "complain"), DOMAIN)

    started = slots(events)
    assert responses(dispatcher) == ["utter_handoff_start"]
    assert started["handoff_content"] == COMPLAINT and started["handoff_type"] == "投诉"
    assert started["handoff_topic"] is None and started["handoff_place"] is None  # the form asks the place


# --- the place, and filing -----------------------------------------------------------------------


async def test_no_place_is_an_answer_and_is_not_filed_as_a_place(dispatcher, fake_service):
    asked = {"handoff_type": "求助", "handoff_content": "社保卡丢了不知道怎么办", "requested_slot": "handoff_place"}

    answered = slots(await ValidateHandoffForm(fake_service).run(dispatcher, tracker("没有", slots_now=asked), DOMAIN))
    assert answered["handoff_place"] == "不涉及具体地点"

    filled = {**asked, **answered, "handoff_phone": "13812345678", "handoff_nonce": "n4"}
    await SubmitHandoff(fake_service).run(dispatcher, tracker("确认", "affirm", slots_now=filled), DOMAIN)
    (_, body), = fake_service.tickets
    assert body["place"] is None


async def test_a_refused_order_says_why_and_keeps_nothing(dispatcher, fake_service):
    fake_service.refusals["create_ticket"] = Refused(422, "手机号码格式不正确")
    filled = {"handoff_type": "投诉", "handoff_content": COMPLAINT, "handoff_place": "锦绣花园3栋",
              "handoff_phone": "13812345678", "handoff_nonce": "n5"}

    events = await SubmitHandoff(fake_service).run(dispatcher, tracker("确认", "affirm", slots_now=filled), DOMAIN)

    assert responses(dispatcher) == ["utter_handoff_refused"]
    assert dispatcher.messages[0]["reason"] == "手机号码格式不正确"
    assert slots(events)["handoff_phone"] is None and slots(events)["requested_slot"] is None
    assert fake_service.tickets == [] and "handoff_ticket" not in slots(events)


async def test_an_order_naming_an_item_the_service_does_not_know_is_filed_without_it(dispatcher, fake_service):
    filled = {"handoff_type": "投诉", "handoff_content": COMPLAINT, "handoff_place": "锦绣花园3栋",
              "handoff_phone": "13812345678", "handoff_nonce": "n6", "item_code": "GA-OLD-001"}

    await SubmitHandoff(fake_service).run(dispatcher, tracker("确认", "affirm", slots_now=filled), DOMAIN)

    (_, body), = fake_service.tickets
    assert body["item_code"] is None and responses(dispatcher)[0] == "utter_handoff_done"

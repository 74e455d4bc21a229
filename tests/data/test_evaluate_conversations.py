"""The judging of first replies in scripts/evaluate_conversations.py, on hand-made replies.

Replies are filled in from domain.yml's responses and the service's notice templates, so the
tests follow a rewording just as the evaluator does. No network.
"""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from scripts import evaluate_conversations as ev
from service.core import templates

CATALOGUE = {"居民身份证换领", "居民身份证补领", "住房公积金提取", "结婚登记", "涉外结婚登记"}


class Filled(dict):
    """Placeholder values for a template; any placeholder not given reads 某某."""

    def __missing__(self, key: str) -> str:
        return "某某"


@pytest.fixture(scope="module")
def responses() -> dict:
    return yaml.safe_load(ev.DOMAIN.read_text(encoding="utf-8"))["responses"]


@pytest.fixture(scope="module")
def markers(responses) -> ev.Markers:
    return ev.load_markers(responses, templates.NOTICE_HEADER, templates.NOTICE_ELSEWHERE)


@pytest.fixture
def say(responses):
    """A bot message with the first variant of a response, filled in."""

    def bot_message(name: str, buttons: list[str] = (), **values: str) -> dict:
        message = {"recipient_id": "t", "text": responses[name][0]["text"].format_map(Filled(values))}
        return {**message, "buttons": [{"title": title} for title in buttons]} if buttons else message

    return bot_message


def notice(item: str, related: list[str] = ()) -> list[dict]:
    """A one-time notice as the bot sends it: header first, related items in the body."""
    lines = [templates.NOTICE_HEADER.format(item_name=item, notice_no="GZ-1"), templates.NOTICE_GREETING]
    if related:
        lines += [templates.SECTION_RELATED, templates.RELATED_INTRO,
                  *(templates.RELATED_LINE.format(no=no, name=name, department="某局")
                    for no, name in enumerate(related, 1))]
    return [{"recipient_id": "t", "text": "\n".join(lines)}]


def choices(say, *items: str) -> list[dict]:
    return [say("utter_choose_item", buttons=[f"{i}. {name}（公安局）" for i, name in enumerate(items, 1)])]


# --- markers ----------------------------------------------------------------------------------

def test_prefix_is_the_text_before_the_first_placeholder_cut_to_12_characters():
    assert ev.response_prefix("好的，我来帮您转交 12345 政务服务便民热线{x}") == "好的，我来帮您转交 12"
    assert ev.response_prefix("请核对：{item}") == "请核对："


def test_prefix_skips_a_fragment_too_short_to_mean_anything():
    assert ev.response_prefix("“{item_name}”不在政务服务中心办理，由{handler}负责") == "”不在政务服务中心办理，"
    assert ev.response_prefix("{answer}") is None


def test_item_pattern_reads_the_item_even_after_other_brackets():
    pattern = ev.item_pattern(templates.NOTICE_HEADER)
    text = "温馨提示：由【市公安局】负责。\n" + templates.NOTICE_HEADER.format(item_name="结婚登记", notice_no="1")
    assert [m.group("item") for m in pattern.finditer(text)] == ["结婚登记"]


def test_markers_come_from_the_domain_and_a_missing_response_is_no_error():
    responses = {
        "utter_handled_elsewhere": [{"text": "“{item_name}”不在本中心办理，由{handler_name}负责。"}],
        "utter_ask_rephrase": [{"text": "没听懂，请换个说法。"}, {"text": "能再说一遍吗？比如补办身份证"}],
    }
    markers = ev.load_markers(responses, templates.NOTICE_HEADER, templates.NOTICE_ELSEWHERE)
    assert markers.handoff == ()
    assert markers.rephrase == ("没听懂，请换个说法。", "能再说一遍吗？比如补办身")
    assert "”不在本中心办理，由" in markers.referral


def test_a_prefix_shared_with_a_response_outside_the_group_is_dropped():
    responses = {
        "utter_ask_booking_situation": [{"text": "“{item_name}”分几种办理情形，所需材料不同，请选一种。"}],
        "utter_choose_situation": [{"text": "“{item_name}”分几种办理情形，所需材料不同。请问是哪种？"}],
        "utter_ask_booking_when": [{"text": "您想哪天来办理？"}],
    }
    markers = ev.load_markers(responses, templates.NOTICE_HEADER, templates.NOTICE_ELSEWHERE)
    assert markers.booking == ("您想哪天来办理？",)


def test_a_reworded_response_is_still_recognised(say):
    responses = {"utter_out_of_scope": [{"text": "这个我帮不上忙。我能做的是：……"}]}
    markers = ev.load_markers(responses, templates.NOTICE_HEADER, templates.NOTICE_ELSEWHERE)
    assert ev.oos_declined([{"text": "这个我帮不上忙。我能做的是：……"}], markers)
    assert not ev.oos_declined([say("utter_out_of_scope")], markers)


# --- item named, choices ----------------------------------------------------------------------

def test_item_named_in_a_text_or_a_button_title(say):
    assert ev.item_named(notice("居民身份证换领"), "居民身份证换领", CATALOGUE)
    assert ev.item_named(choices(say, "居民身份证补领", "居民身份证换领"), "居民身份证换领", CATALOGUE)
    assert not ev.item_named(choices(say, "居民身份证补领", "住房公积金提取"), "居民身份证换领", CATALOGUE)


def test_a_name_found_only_inside_a_longer_name_is_not_named():
    assert not ev.item_named(notice("涉外结婚登记"), "结婚登记", CATALOGUE)
    assert ev.item_named(notice("涉外结婚登记"), "涉外结婚登记", CATALOGUE)


def test_a_gold_name_missing_from_the_catalogue_is_still_found():
    assert ev.item_named(notice("新生儿落户"), "新生儿落户", CATALOGUE)


def test_choices_are_buttons_naming_items(say):
    assert ev.choices_offered(choices(say, "居民身份证补领", "居民身份证换领"), CATALOGUE)
    # "您问的是不是这个事项？" with one item is a question too, not an answer.
    assert ev.choices_offered(choices(say, "居民身份证补领"), CATALOGUE)
    situations = [say("utter_choose_situation", buttons=["1. 本市户口", "2. 外地户口"], item_name="结婚登记")]
    assert not ev.choices_offered(situations, CATALOGUE)


# --- a confident answer -----------------------------------------------------------------------

def test_a_notice_is_confident_about_its_header_item_not_its_related_items(markers):
    reply = notice("居民身份证换领", related=["住房公积金提取", "结婚登记"])
    assert ev.notice_confident(reply, markers, CATALOGUE) == "居民身份证换领"


def test_an_aspect_answer_is_confident(say, markers):
    reply = [say("utter_aspect_answer", buttons=["查看完整一次性告知", "不用了"],
                 answer="“住房公积金提取”收费标准：不收费", item_name="住房公积金提取")]
    assert ev.notice_confident(reply, markers, CATALOGUE) == "住房公积金提取"


def test_a_notice_beside_buttons_naming_another_item_is_no_confident_answer(markers):
    reply = notice("居民身份证换领") + [{"text": "或者您要办：", "buttons": [{"title": "居民身份证补领"}]}]
    assert ev.notice_confident(reply, markers, CATALOGUE) is None


def test_choices_and_the_out_of_scope_reply_are_not_confident(say, markers):
    assert ev.notice_confident(choices(say, "居民身份证补领", "居民身份证换领"), markers, CATALOGUE) is None
    assert "一次性告知" in say("utter_out_of_scope")["text"]
    assert ev.notice_confident([say("utter_out_of_scope")], markers, CATALOGUE) is None


def test_a_situation_question_answers_one_item_without_being_a_notice(say, markers):
    reply = [say("utter_choose_situation", buttons=["1. 本市户口", "2. 外地户口"], item_name="结婚登记")]
    assert ev.item_answered(reply, markers, CATALOGUE) == "结婚登记"
    assert ev.notice_confident(reply, markers, CATALOGUE) is None


# --- handoff, referral, rephrase, out of scope ------------------------------------------------

def test_the_handoff_openings_start_a_handoff(say, markers):
    assert ev.handoff_started([say("utter_handoff_start"), say("utter_ask_handoff_content")], markers)
    assert ev.handoff_started([say("utter_handoff_not_understood")], markers)


def test_a_handoff_question_counts_only_beside_a_work_order_word(say, markers):
    question = say("utter_ask_handoff_place")
    assert not ev.handoff_started([question], markers)
    assert ev.handoff_started([{"text": "这件事可以交 12345 办理。"}, question], markers)


def test_handoff_wording_needs_a_work_order_word(say):
    assert ev.handoff_wording([say("utter_handoff_start")])
    assert not ev.handoff_wording([say("utter_ask_handoff_content")])


def test_referral_by_the_handled_elsewhere_answer_or_the_notice_of_an_item_elsewhere(say, markers):
    assert ev.referral_given([say("utter_handled_elsewhere", item_name="结婚登记", handler_name="民政局")], markers)
    elsewhere = templates.NOTICE_ELSEWHERE.format(name="市车管所", address="某路", phone="1", hours="工作日")
    assert ev.referral_given([{"text": elsewhere}], markers)
    assert not ev.referral_given(notice("结婚登记"), markers)


def test_a_department_referral_response_counts_once_the_domain_has_it():
    responses = {"utter_refer_department": [{"text": "这件事由{department}负责，电话{phone}。"}]}
    markers = ev.load_markers(responses, templates.NOTICE_HEADER, templates.NOTICE_ELSEWHERE)
    assert ev.referral_given([{"text": "这件事由市交警支队负责，电话 110。"}], markers)


def test_a_bare_rephrase_offers_nothing_else(say, markers):
    assert ev.bare_rephrase([say("utter_ask_rephrase")], markers, CATALOGUE)
    assert not ev.bare_rephrase([say("utter_ask_rephrase")] + choices(say, "结婚登记", "住房公积金提取"),
                                markers, CATALOGUE)
    assert not ev.bare_rephrase([say("utter_ask_which_item")], markers, CATALOGUE)


def test_out_of_scope_declined(say, markers):
    assert ev.oos_declined([say("utter_out_of_scope")], markers)
    assert not ev.oos_declined([say("utter_ask_rephrase")], markers)


def test_progress_and_booking_answers(say, markers):
    assert ev.progress_answer([say("utter_ask_case_number")], markers)
    assert ev.progress_answer([say("utter_ask_status_number")], markers)
    assert ev.progress_answer([say("utter_ask_status_phone")], markers)
    assert ev.booking_started([say("utter_ask_booking_hall", buttons=["1. 市民中心"])], markers)
    assert not ev.booking_started([say("utter_ask_rephrase")], markers)


# --- judging one example ----------------------------------------------------------------------

def test_a_notice_on_another_item_is_confident_and_wrong(markers):
    judged = ev.judge(notice("居民身份证补领"), {"text": "换身份证", "kind": "service", "item": "居民身份证换领"},
                      markers, CATALOGUE)
    assert judged["did"]["notice_confident"] == "居民身份证补领"
    assert judged["did"]["confident_wrong"] is True
    assert judged["did"]["item_named"] is False
    assert judged["did"]["useful"] is True
    assert ev.reply_summary(judged) == "notice on a wrong item"


def test_a_notice_is_wrong_on_a_complaint_but_not_on_an_outside_matter(markers):
    complaint = ev.judge(notice("结婚登记"), {"text": "投诉", "kind": "complaint"}, markers, CATALOGUE)
    outside = ev.judge(notice("结婚登记"), {"text": "驾照", "kind": "outside", "department": "车管所"},
                       markers, CATALOGUE)
    assert complaint["did"]["confident_wrong"] is True
    assert outside["did"]["confident_wrong"] is False
    assert outside["did"]["department_named"] is False


def test_a_service_message_without_a_gold_item_is_not_judged_wrong(markers):
    judged = ev.judge(notice("结婚登记"), {"text": "几点下班", "kind": "service"}, markers, CATALOGUE)
    assert judged["did"]["confident_wrong"] is None
    assert ev.figures([judged])["confident-wrong share"]["n"] == 0


def test_a_failed_request_did_nothing_and_fails_every_figure(markers):
    judged = ev.judge([], {"text": "换身份证", "kind": "service", "item": "居民身份证换领"}, markers, CATALOGUE,
                      error="ReadTimeout: 30 s")
    assert not any(judged["did"].values())
    assert ev.reply_summary(judged) == "error"
    shown = ev.figures([judged])
    assert shown["not a bare rephrase (in scope)"]["value"] == 0.0
    assert shown["item named (service, booking)"]["value"] == 0.0


def test_an_empty_reply_is_named_as_such(markers):
    judged = ev.judge([], {"text": "x", "kind": "service", "item": "结婚登记"}, markers, CATALOGUE)
    assert ev.reply_summary(judged) == "no reply"
    assert ev.figures([judged])["useful first answer (gov. matters)"]["value"] == 0.0


def test_reply_texts_are_cut_to_200_characters(markers):
    judged = ev.judge([{"text": "字" * 300}], {"text": "x", "kind": "chitchat"}, markers, CATALOGUE)
    assert judged["reply"] == ["字" * 200]


# --- figures ----------------------------------------------------------------------------------

def judged(kind: str, **did) -> dict:
    base = {name: False for name in ("item_named", "choices_offered", "handoff_started", "handoff_wording",
                                     "referral_given", "department_named", "rephrase", "oos_declined",
                                     "progress_answer", "booking_started", "useful")}
    base.update(notice_confident=None, confident_wrong=None, item_answered=None)
    base.update(did)
    return {"text": "x", "kind": kind, "form": did.pop("form", "message"), "gold": "结婚登记",
            "department": None, "error": None, "did": base, "reply": ["某"], "buttons": []}


def test_a_share_at_or_above_its_target_is_ok():
    shown = ev.figures([judged("complaint", handoff_started=True)] * 9 + [judged("complaint")])
    entry = shown["handoff started (complaint..help)"]
    assert (entry["value"], entry["n"], entry["ok"]) == (0.9, 10, True)
    assert shown["item named (service, booking)"]["value"] is None


def test_the_confident_wrong_share_counts_only_confident_replies_and_is_a_ceiling():
    replies = ([judged("service", notice_confident="结婚登记", confident_wrong=False)] * 9
               + [judged("service", notice_confident="涉外结婚登记", confident_wrong=True)]
               + [judged("service")] * 5)
    entry = ev.figures(replies)["confident-wrong share"]
    assert (entry["hits"], entry["n"], entry["ok"]) == (1, 10, False)


def test_in_scope_excludes_chitchat_and_out_of_scope():
    replies = [judged("chitchat", rephrase=True), judged("out_of_scope", rephrase=True), judged("help")]
    assert ev.figures(replies)["not a bare rephrase (in scope)"]["n"] == 1


def test_failures_name_the_figure_the_kind_and_what_the_reply_did():
    found = ev.failures([judged("complaint", rephrase=True)] * 2 + [judged("complaint", handoff_started=True)])
    assert found["handoff started (complaint..help) | complaint got rephrase"] == 2
    assert found["not a bare rephrase (in scope) | complaint got rephrase"] == 2
    assert not any("handoff wording" in failure for failure in found)


def test_groups_by_form_and_kind():
    replies = [judged("service", form="title"), judged("service", form="message"), judged("help", form="message")]
    assert {k: v["n"] for k, v in ev.grouped_figures(replies, "form").items()} == {"message": 2, "title": 1}
    assert {k: v["n"] for k, v in ev.grouped_figures(replies, "kind").items()} == {"help": 1, "service": 2}


# --- held-out sets ----------------------------------------------------------------------------

def test_old_set_intents_map_to_kinds_and_follow_up_turns_are_skipped():
    raw = [{"text": "a", "intent": "ask_fee", "item": "结婚登记"}, {"text": "b", "intent": "book_appointment"},
           {"text": "c", "intent": "request_human"}, {"text": "d", "intent": "query_ticket"},
           {"text": "e", "intent": "inform"}, {"text": "f", "intent": "rate_service"}]
    kept, skipped = ev.examples_of("old", raw)
    assert [e["kind"] for e in kept] == ["service", "booking", "help", "progress"]
    assert skipped == Counter({ev.FOLLOW_UP: 2})


def test_new_set_kinds_are_taken_as_written_and_unknown_ones_skipped():
    raw = [{"text": "a", "kind": "outside", "department": "车管所", "form": "message"},
           {"text": "b", "kind": "weather", "form": "title"}]
    kept, skipped = ev.examples_of("real", raw)
    assert [e["kind"] for e in kept] == ["outside"]
    assert skipped == Counter({"unknown kind weather": 1})

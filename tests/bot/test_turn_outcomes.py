"""Each turn's outcome, item and dispute, read from event lists Rasa really stored.

tests/bot/fixtures/recorded_turns.json holds the tracker store's events of a few conversations
held with the real stack (the trained model, the action server and the service): one per path
that answers a citizen."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from bot import turn_outcomes as outcomes

RECORDED = json.loads((Path(__file__).parent / "fixtures" / "recorded_turns.json").read_text(encoding="utf-8"))


def recorded(name: str) -> list[list[dict]]:
    return outcomes.turns(copy.deepcopy(RECORDED[name]))


def slots_after(name: str, turn_index: int) -> dict:
    """The tracker's slots at the end of a turn, as the tracker store sees them."""
    slots: dict = {}
    for turn in recorded(name)[: turn_index + 1]:
        for event in turn:
            if event["event"] == "slot":
                slots[event["name"]] = event["value"]
    return slots


def reported(name: str, turn_index: int) -> outcomes.TurnReport:
    turn = recorded(name)[turn_index]
    return outcomes.report(turn, conversation_id="c1", channel="web", slots=slots_after(name, turn_index))


@pytest.mark.parametrize(
    ("conversation", "expected"),
    [
        ("notice_then_person", [outcomes.NOTICE, outcomes.HANDOFF]),  # situation asked, then 转人工
        ("fee_then_not_this", [outcomes.NOTICE, outcomes.OTHER]),  # an aspect answer, then "不对"
        ("offered_then_none", [outcomes.OFFERED, outcomes.HANDOFF]),
        ("referral", [outcomes.NOTICE]),  # 护照: handled elsewhere, told where, with its guide
        ("declined", [outcomes.DECLINED]),
        ("not_understood_then_complaint", [outcomes.NOT_UNDERSTOOD, outcomes.HANDOFF]),
        ("greeting", [outcomes.OTHER, outcomes.OTHER]),
    ],
)
def test_every_path_gets_its_outcome(conversation, expected):
    assert [outcomes.outcome_of(turn) for turn in recorded(conversation)] == expected


def test_a_notice_reports_the_item_its_search_score_and_the_nlu():
    report = reported("fee_then_not_this", 0)
    assert report.text == "补办身份证要交多少钱" and report.intent == "ask_fee"
    assert report.item_code == "GA-SFZ-002" and 0.5 < report.item_confidence <= 1
    assert 0 < report.intent_confidence <= 1 and report.at.startswith("20")
    assert report.message_id == RECORDED["fee_then_not_this"][4]["message_id"]


def test_items_offered_report_the_first_with_its_score():
    report = reported("offered_then_none", 0)
    offered = slots_after("offered_then_none", 0)["offered_choices"]
    assert report.outcome == outcomes.OFFERED and report.item_code == offered[0]["id"]
    assert report.item_confidence is not None and report.item_confidence < 1


def test_a_handoff_reports_its_topic_and_masks_the_phone():
    report = reported("not_understood_then_complaint", 1)
    assert report.outcome == outcomes.HANDOFF and report.topic
    assert "13812345678" not in report.text and "138****5678" in report.text
    assert report.item_code is None


def test_a_follow_up_keeps_the_item_discussed_a_life_event_names_none():
    turn = recorded("fee_then_not_this")[0]
    slots = slots_after("fee_then_not_this", 0)
    follow_up = [e for e in turn if not (e["event"] == "slot" and e["name"] == "item_code")]  # slot unchanged
    assert outcomes.report(follow_up, conversation_id="c1", channel="web", slots=slots).item_code == "GA-SFZ-002"
    life_event = [{**e, "name": "action_answer_life_event"} if e["event"] == "action" and
                  e["name"] == "action_answer_service_question" else e for e in follow_up]
    report = outcomes.report(life_event, conversation_id="c1", channel="web", slots=slots)
    assert report.outcome == outcomes.NOTICE and report.item_code is None


def test_a_greeting_names_no_item_even_after_one_was_discussed():
    assert reported("greeting", 1).item_code is None and reported("greeting", 1).item_confidence is None


@pytest.mark.parametrize(
    ("conversation", "reason"),
    [
        ("notice_then_person", outcomes.ASKED_PERSON),
        ("fee_then_not_this", outcomes.DENIED),  # "不对，不是这个" although a yes/no question was asked
        ("offered_then_none", outcomes.DENIED),  # "都不是，转人工咨询"
        ("not_understood_then_complaint", None),  # a complaint is no verdict on the answer
        ("greeting", None),
    ],
)
def test_the_next_message_disputes_the_answer(conversation, reason):
    previous, turn = recorded(conversation)
    assert outcomes.dispute(previous, turn) == reason


def test_no_thanks_to_a_yes_or_no_question_is_no_dispute():
    previous, turn = recorded("fee_then_not_this")
    turn[0]["text"] = "不用了"
    assert outcomes.dispute(previous, turn) is None


def test_a_tap_on_no_is_no_dispute():
    previous, turn = recorded("fee_then_not_this")
    turn[0]["text"] = "/deny"
    assert outcomes.dispute(previous, turn) is None


def test_a_form_step_is_not_disputed():
    previous, turn = recorded("offered_then_none")
    turn_after = copy.deepcopy(recorded("notice_then_person")[1])  # "转人工" after a handoff step
    assert outcomes.dispute(turn, turn_after) is None


def test_events_before_the_first_message_and_external_triggers_are_no_turns():
    events = RECORDED["greeting"]
    assert all(turn[0]["event"] == "user" for turn in outcomes.turns(events))
    external = {"event": "user", "text": "EXTERNAL_ticket_closed", "message_id": "x",
                "parse_data": {"intent": {"name": "EXTERNAL_ticket_closed", "confidence": 1.0}}}
    assert len(outcomes.turns(events + [external])) == 2

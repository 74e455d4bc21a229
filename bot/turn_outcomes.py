"""What the bot did with one citizen message, read from the events Rasa stored for the turn.

One place for every path: custom actions, rule-based `utter_` responses, forms and the fallback
all leave the same trail in the tracker (the user message with its parse, the actions run, the
bot messages with the response they came from in `metadata.utter_action`, the slots set). The
outcome is that of the strongest message of the turn (`OUTCOME_PRIORITY`). The catalogue search
score travels as `item_score` in the metadata of the messages the catalogue actions utter.

Pure: works on the events as dicts (`Event.as_dict()`), so tests replay recorded turns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from common.personal_data import mask_as_typed

NOTICE = "notice"
OFFERED = "offered"
REFERRAL = "referral"
HANDOFF = "handoff"
DECLINED = "declined"
NOT_UNDERSTOOD = "not_understood"
OTHER = "other"

# The response a message came from → what it means for the citizen's question.
OUTCOME_BY_RESPONSE = {
    "utter_aspect_answer": NOTICE,  # one aspect of the notice (fee, place...), the rest offered
    "utter_handled_elsewhere": NOTICE,
    "utter_offer_life_event_booking": NOTICE,  # follows a life event's merged notice
    # The item is recognised; its notice follows the citizen's choice of situation.
    "utter_choose_situation": NOTICE,
    "utter_choose_item": OFFERED,
    "utter_confirm_item": OFFERED,
    "utter_choose_life_event": OFFERED,
    "utter_refer_department": REFERRAL,
    "utter_refer_department_elsewhere": REFERRAL,
    "utter_handoff_start": HANDOFF,
    "utter_handoff_consultation_start": HANDOFF,
    "utter_handoff_not_understood": HANDOFF,
    "utter_out_of_scope": DECLINED,
    "utter_ask_rephrase": NOT_UNDERSTOOD,
    "utter_ask_what_you_need": NOT_UNDERSTOOD,
    "utter_ask_which_item": NOT_UNDERSTOOD,  # no item found in the message
    "utter_ask_which_life_event": NOT_UNDERSTOOD,
}
CATALOGUE_ACTION = "action_answer_service_question"
# Plain-text messages (no response) of these actions are a notice's sections.
NOTICE_ACTIONS = {CATALOGUE_ACTION, "action_answer_life_event"}
# When a turn says several things, the one that decides what happened to the question.
OUTCOME_PRIORITY = [HANDOFF, REFERRAL, OFFERED, NOTICE, DECLINED, NOT_UNDERSTOOD, OTHER]
# Only these answers put the bot's understanding to the test: a "不对" after a form's question
# answers the form.
DISPUTABLE = {NOTICE, OFFERED, REFERRAL, DECLINED, NOT_UNDERSTOOD}
DENY_INTENT = "deny"
PERSON_INTENTS = {"request_human"}
# The "都不是，转人工咨询" button under offered items says none of them was right.
NONE_OF_THESE_INTENT = "request_consultation"
# Typed words that contradict the answer even when the bot had asked a yes/no question.
CONTRADICTING_WORDS = ("不对", "不是", "错了", "答非所问")
EXTERNAL_PREFIX = "EXTERNAL_"
DENIED = "denied"
ASKED_PERSON = "asked_person"


@dataclass(frozen=True)
class TurnReport:
    """The body of POST /api/turns."""

    conversation_id: Text
    message_id: Text
    at: Text
    channel: Text
    text: Text
    intent: Optional[Text]
    intent_confidence: Optional[float]
    item_code: Optional[Text]
    item_confidence: Optional[float]
    outcome: Text
    topic: Optional[Text]

    def as_body(self) -> Dict[Text, Any]:
        return dict(self.__dict__)


def turns(events: List[Dict[Text, Any]]) -> List[List[Dict[Text, Any]]]:
    """The events split into turns, each starting with a citizen's message (earlier events dropped)."""
    split: List[List[Dict[Text, Any]]] = []
    for event in events:
        if is_citizen_message(event):
            split.append([event])
        elif split:
            split[-1].append(event)
    return split


def outcome_of(turn: List[Dict[Text, Any]]) -> Text:
    found = set()
    action = None
    for event in turn:
        if event.get("event") == "action":
            action = event.get("name")
        elif event.get("event") == "bot":
            response = (event.get("metadata") or {}).get("utter_action")
            if response:
                found.add(OUTCOME_BY_RESPONSE.get(response, OTHER))
            elif action in NOTICE_ACTIONS and event.get("text"):
                found.add(NOTICE)
    return next((outcome for outcome in OUTCOME_PRIORITY if outcome in found), OTHER)


def report(
    turn: List[Dict[Text, Any]], *, conversation_id: Text, channel: Text, slots: Dict[Text, Any]
) -> TurnReport:
    """The turn's report; `slots` are the tracker's slots after the turn."""
    user = turn[0]
    intent = (user.get("parse_data") or {}).get("intent") or {}
    outcome = outcome_of(turn)
    return TurnReport(
        conversation_id=conversation_id,
        message_id=user["message_id"],
        at=datetime.fromtimestamp(user.get("timestamp") or 0, tz=timezone.utc).isoformat(),
        channel=channel,
        text=mask_as_typed(user["text"]),
        intent=intent.get("name"),
        intent_confidence=_confidence(intent.get("confidence")),
        item_code=_item_of(turn, outcome, slots),
        item_confidence=_confidence(_item_score(turn)),
        outcome=outcome,
        topic=slots.get("handoff_topic") if outcome == HANDOFF else None,
    )


def dispute(previous: List[Dict[Text, Any]], turn: List[Dict[Text, Any]]) -> Optional[Text]:
    """Why `turn` (the citizen's next message) says the `previous` answer was wrong, or None."""
    if outcome_of(previous) not in DISPUTABLE:
        return None
    user = turn[0]
    intent = ((user.get("parse_data") or {}).get("intent") or {}).get("name")
    typed = not user["text"].startswith("/")
    if intent in PERSON_INTENTS:
        return ASKED_PERSON
    if intent == NONE_OF_THESE_INTENT and outcome_of(previous) == OFFERED:
        return DENIED
    if intent == DENY_INTENT and typed:
        # "不用了" answers "需要完整告知吗？": a yes/no question's "no" is no dispute unless it says so.
        if not _asked_yes_or_no(previous) or any(word in user["text"] for word in CONTRADICTING_WORDS):
            return DENIED
    return None


def is_citizen_message(event: Dict[Text, Any]) -> bool:
    if event.get("event") != "user" or not event.get("text") or not event.get("message_id"):
        return False
    intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
    return not intent.startswith(EXTERNAL_PREFIX)


def _asked_yes_or_no(turn: List[Dict[Text, Any]]) -> bool:
    return any(
        button.get("payload") == f"/{DENY_INTENT}"
        for event in turn if event.get("event") == "bot"
        for button in ((event.get("data") or {}).get("buttons") or [])
    )


def _item_of(turn: List[Dict[Text, Any]], outcome: Text, slots: Dict[Text, Any]) -> Optional[Text]:
    """The item chosen in this turn, the first offered, or the item a catalogue answer was about
    (a follow-up such as "那要多久" leaves the slot unchanged; a life event's notice names none)."""
    if outcome == OFFERED:
        offered = slots.get("offered_choices") or []
        return offered[0].get("id") if offered and slots.get("awaiting") == "item" else None
    set_here = [e.get("value") for e in turn if e.get("event") == "slot" and e.get("name") == "item_code"]
    if set_here:
        return set_here[-1]
    answered = any(e.get("event") == "action" and e.get("name") == CATALOGUE_ACTION for e in turn)
    return slots.get("item_code") if outcome == NOTICE and answered else None


def _item_score(turn: List[Dict[Text, Any]]) -> Optional[float]:
    scores = [
        (event.get("metadata") or {}).get("item_score") for event in turn if event.get("event") == "bot"
    ]
    return next((score for score in scores if score is not None), None)


def _confidence(value: Any) -> Optional[float]:
    # Scores are 0..1; rounding keeps float noise (1.0000000002) inside the service's bounds.
    return None if value is None else min(1.0, max(0.0, round(float(value), 4)))

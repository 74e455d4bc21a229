"""Catalogue questions: which item, which situation, and the answer (aspect or one-time notice)."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import catalogue_text as words
from actions import mentioned_phone
from actions.api.service_client import (
    ItemNotFound,
    Notice,
    Referral,
    SearchHit,
    SearchResult,
    ServiceClient,
    ServiceUnavailable,
    UsesService,
)
from actions.buttons import intent_payload, numbered_buttons
from actions.latest_message import FALLBACK_INTENT, latest_intent, latest_text, previous_question
from actions.settings import get_settings
from bot.message_text import without_masks
from common.chat_messages import pack_messages
from common.choices import resolve_choice

FULL_NOTICE = "materials"
ASPECT_BY_INTENT = {
    "ask_materials": FULL_NOTICE,
    "ask_conditions": "conditions",
    "ask_fee": "fee",
    "ask_time_limit": "time_limit",
    "ask_location": "location",
    "ask_process": "process",
    "ask_online": "online",
}
# Search scores are 0..1; hits under CANDIDATE_SCORE are too weak to offer as a choice.
CANDIDATE_SCORE = 0.25
CHOICES_OFFERED = 3
# The search score of the item answered or offered rides on the messages' metadata
# (`item_score`): the tracker store reports it with the turn (bot/turn_outcomes.py).
ITEM_SCORE = "item_score"
# A message this long (masks removed) is a story; unless the NLU is this sure that it asks about
# an item, the item is confirmed before the notice (see _story_read_unsurely).
STORY_CHARS = 30
STORY_INTENT_CONFIDENCE = 0.8
NONE_OF_THESE = {"title": words.NONE_OF_THESE, "payload": "/request_consultation"}
# The situation question's way out: the notice of every situation, each material marked with its own.
ANY_SITUATION = "any"
# A text names an item on its own when its top hit scores this much (the service's CONFIDENT_SCORE,
# from which a part of a message counts as naming an item: service/catalogue/search.py).
ITEM_NAMED_SCORE = 0.55
# A reply to offered choices this short answers them ("补办", "不知道"); a longer one is a message of its own.
SHORT_REPLY_CHARS = 12


class ActionAnswerServiceQuestion(UsesService, Action):
    def name(self) -> str:
        return "action_answer_service_question"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        try:
            events = _changed_slots(tracker, await self._answer(dispatcher, tracker))
        except ServiceUnavailable:
            dispatcher.utter_message(
                response="utter_service_unavailable", hall_phone=get_settings().hall_phone
            )
            events = [SlotSet("awaiting", None)]
        # A referral or a choice may turn into a 12345 consultation: its form takes the number.
        return events + mentioned_phone.remember(latest_text(tracker))

    async def _answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[str, Any]]:
        intent = latest_intent(tracker)
        awaiting = tracker.get_slot("awaiting")

        if intent == "deny" and awaiting == "situation" and tracker.get_slot("item_code"):
            # "都不是" to the situations: the whole notice, rather than dropping the question.
            return await self._answer_every_situation(dispatcher, tracker, unmatched=True)
        if intent in ("affirm", "deny"):
            if intent == "affirm" and awaiting == "full_notice" and tracker.get_slot("item_code"):
                return await self._answer_item(
                    dispatcher, tracker, tracker.get_slot("item_code"), None, FULL_NOTICE
                )
            dispatcher.utter_message(response="utter_anything_else")
            return [SlotSet("awaiting", None)]

        aspect = ASPECT_BY_INTENT.get(intent) or tracker.get_slot("pending_aspect") or FULL_NOTICE
        code = _entity(tracker, "item_code")
        situation = _entity(tracker, "situation")
        offered = tracker.get_slot("offered_choices") or []
        text = latest_text(tracker)

        # A typed answer to the assistant's own question: "第二个", "外地户口的".
        if not code and not situation and intent in ("inform", FALLBACK_INTENT) and offered:
            index = resolve_choice(text, [choice["label"] for choice in offered])
            picked = offered[index]["id"] if index is not None else None
            if awaiting == "item":
                code = picked
            elif awaiting == "situation":
                situation = picked
        found: Optional[SearchResult] = None  # the search of `text`, once made
        if not code and not situation and answers_offered_choices(tracker, text):
            found = await self.client.search(text)
            question = previous_question(tracker.events)
            if awaiting == "item" and question and not found.confident:
                # "营业执照" → choices → "补办": the reply narrows the question down, read together;
                # one that names an item surely ("身份证丢了") is a question of its own.
                text, found = f"{question}，{text}", None
            elif awaiting == "situation" and aspect == FULL_NOTICE and not names_an_item(found):
                # "不知道", "孩子的 12岁": no situation picked, and no item named ("那驾照呢" is a
                # question of its own).
                return await self._answer_every_situation(dispatcher, tracker, unmatched=True)
        if situation == ANY_SITUATION:
            return await self._answer_every_situation(dispatcher, tracker, unmatched=False)

        if situation and not code:
            code = tracker.get_slot("item_code")
        score = None
        if not code:
            resolved = await self._resolve_from_text(dispatcher, tracker, text, aspect, found)
            if isinstance(resolved, list):
                return resolved
            code, score = resolved
        return await self._answer_item(dispatcher, tracker, code, situation, aspect, score)

    async def _answer_every_situation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, *, unmatched: bool
    ) -> list[dict[str, Any]]:
        """The notice of every situation, each material marked with its own: asked for, or the
        reply to the situation question picked none ("不知道", "都不是"), so that one trip is
        enough all the same."""
        code = tracker.get_slot("item_code")
        if not code:
            dispatcher.utter_message(response="utter_ask_which_item")
            return [SlotSet("awaiting", None)]
        if unmatched:
            dispatcher.utter_message(response="utter_all_situations")
        return await self._answer_item(dispatcher, tracker, code, None, FULL_NOTICE, every_situation=True)

    async def _resolve_from_text(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, aspect: str,
        found: Optional[SearchResult] = None,
    ) -> tuple[str, Optional[float]] | list[dict[str, Any]]:
        """The item code the message names with its search score (None for the item already
        discussed), or the events of a clarifying question or referral.

        The whole message is searched (the service reads a long one clause by clause); the NLU's
        `service_item` entity is not searched on its own, since a word of a story can name a
        neighbouring item ("换新的" is no 延续). Only a confident hit is answered outright: a
        wrong notice costs the citizen a wasted trip, a question costs one tap. `found` is the
        search of `text` when it was already made."""
        result = found if found is not None else await self.client.search(text)
        if result.confident and not _story_read_unsurely(tracker, text):
            return result.hits[0].code, result.hits[0].score
        if result.confident:
            return offer_items(dispatcher, result.hits[:1], aspect)

        candidates = [hit for hit in result.hits if hit.score >= CANDIDATE_SCORE][:CHOICES_OFFERED]
        # "那要多少钱?" names no item: it is about the one already discussed.
        if not candidates and tracker.get_slot("item_code"):
            return tracker.get_slot("item_code"), None
        events = await offer_or_refer(dispatcher, self.client, text, candidates, aspect)
        if events is None:
            dispatcher.utter_message(response="utter_ask_which_item")
            return [SlotSet("pending_aspect", aspect), SlotSet("awaiting", None)]
        return events

    async def _answer_item(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        code: str,
        situation: Optional[str],
        aspect: str,
        score: Optional[float] = None,
        every_situation: bool = False,
    ) -> list[dict[str, Any]]:
        if not situation and not every_situation and tracker.get_slot("item_code") == code:
            situation = tracker.get_slot("situation")
        notice = await self._fetch_notice(code, situation)
        if notice is None:
            dispatcher.utter_message(response="utter_ask_which_item")
            return [SlotSet("item_code", None), SlotSet("awaiting", None)]
        if situation not in {s.id for s in notice.situations}:
            situation = None

        chosen = [
            SlotSet("item_code", notice.code),
            SlotSet("service_item", notice.name),
            SlotSet("situation", situation),
        ]
        if aspect == FULL_NOTICE and notice.situations and not situation and not every_situation:
            self._ask_situation(dispatcher, notice, score)
            return chosen + [
                SlotSet("pending_aspect", aspect),
                SlotSet("awaiting", "situation"),
                SlotSet("offered_choices", [_choice(s.id, s.name) for s in notice.situations]),
            ]

        cleared = [SlotSet("pending_aspect", None), SlotSet("offered_choices", None)]
        if aspect == FULL_NOTICE:
            # The notice itself opens with who handles the item when it is not this hall.
            for message in pack_messages(notice.sections, get_settings().max_message_chars, len):
                dispatcher.utter_message(text=message, **_scored(score))
            return chosen + cleared + [SlotSet("awaiting", None)]

        if not notice.handled_here and notice.handled_by:
            handler = notice.handled_by
            dispatcher.utter_message(
                response="utter_handled_elsewhere",
                item_name=notice.name,
                handler_name=handler.name,
                handler_address=handler.address,
                handler_phone=handler.phone,
                handler_hours=handler.hours,
                handler_note=words.handler_note_line(handler.note),
                **_scored(score),
            )
        dispatcher.utter_message(
            response="utter_aspect_answer",
            answer=notice.aspects.get(aspect, ""),
            item_name=notice.name,
            buttons=[
                {"title": words.SHOW_FULL_NOTICE,
                 "payload": intent_payload("ask_materials", item_code=notice.code)},
                {"title": words.NO_THANKS, "payload": "/deny"},
            ],
            **_scored(score),
        )
        return chosen + cleared + [SlotSet("awaiting", "full_notice")]

    async def _fetch_notice(self, code: str, situation: Optional[str]) -> Optional[Notice]:
        """The notice, or None for an unknown item; a stale situation falls back to all."""
        try:
            return await self.client.get_notice(code, situation)
        except ItemNotFound:
            if not situation:
                return None
        try:
            return await self.client.get_notice(code, None)
        except ItemNotFound:
            return None

    def _ask_situation(self, dispatcher: CollectingDispatcher, notice: Notice, score: Optional[float]) -> None:
        dispatcher.utter_message(
            response="utter_choose_situation",
            **_scored(score),
            item_name=notice.name,
            buttons=numbered_buttons(
                (situation.name, intent_payload("inform", situation=situation.id))
                for situation in notice.situations
            ) + [{"title": words.ALL_SITUATIONS, "payload": intent_payload("inform", situation=ANY_SITUATION)}],
        )


def names_an_item(result: SearchResult) -> bool:
    return bool(result.hits) and result.hits[0].score >= ITEM_NAMED_SCORE


def answers_offered_choices(tracker: Tracker, text: str) -> bool:
    """A short reply while items or an item's situations are offered: it may pick one, narrow
    the items down, or say that no situation fits."""
    return (tracker.get_slot("awaiting") in ("item", "situation") and bool(tracker.get_slot("offered_choices"))
            and len(without_masks(text)) <= SHORT_REPLY_CHARS)


def offer_items(dispatcher: CollectingDispatcher, candidates: list[SearchHit], aspect: str) -> list[dict[str, Any]]:
    """Up to three likely items as buttons (one too: "您问的是不是……"); the answer follows the tap."""
    dispatcher.utter_message(
        response="utter_choose_item" if len(candidates) > 1 else "utter_confirm_item",
        buttons=numbered_buttons(
            (words.item_option(hit.name, hit.department), intent_payload("inform", item_code=hit.code))
            for hit in candidates
        ) + [NONE_OF_THESE],
        **_scored(candidates[0].score),
    )
    return [
        SlotSet("pending_aspect", aspect),
        SlotSet("awaiting", "item"),
        SlotSet("offered_choices", [_choice(hit.code, hit.name) for hit in candidates]),
    ]


async def offer_or_refer(
    dispatcher: CollectingDispatcher,
    client: ServiceClient,
    text: str,
    candidates: list[SearchHit],
    aspect: str,
) -> Optional[list[dict[str, Any]]]:
    """When the catalogue is not sure: a matter it does not hold goes to the department that
    handles it (首问负责) with a 12345 consultation offered (the service refers only what the
    catalogue lacks); otherwise the candidates are offered. None when neither knows anything
    of the message."""
    referral = await client.referral(text)
    if referral is not None:
        return utter_referral(dispatcher, referral)
    if candidates:
        return offer_items(dispatcher, candidates, aspect)
    return None


def utter_referral(dispatcher: CollectingDispatcher, referral: Referral) -> list[dict[str, Any]]:
    """The referral, with a 12345 consultation offered (the button sends request_consultation)."""
    local = referral.local
    dispatcher.utter_message(
        response="utter_refer_department" if local else "utter_refer_department_elsewhere",
        reference_item=referral.item_name,
        department_kind=referral.department_kind or referral.department,
        level=referral.level or words.ANY_LEVEL,
        office_name=local.name if local else "",
        office_address=local.address if local else "",
        office_phone=local.phone if local else "",
        office_hours=local.hours if local else "",
    )
    return [SlotSet("pending_aspect", None), SlotSet("awaiting", "consultation"),
            SlotSet("offered_choices", None)]


def _story_read_unsurely(tracker: Tracker, text: str) -> bool:
    """A long message the NLU is not sure is a question: a story may name an item in passing
    (a complaint about the 身份证 window), so the item is confirmed with one tap first."""
    confidence = tracker.latest_message.get("intent", {}).get("confidence") or 0.0
    return len(without_masks(text)) >= STORY_CHARS and confidence < STORY_INTENT_CONFIDENCE


def _changed_slots(tracker: Tracker, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Every event is stored and replayed on each turn: leave out slots that keep their value.
    return [
        event for event in events
        if event.get("event") != "slot" or tracker.get_slot(event["name"]) != event["value"]
    ]


def _scored(score: Optional[float]) -> dict[str, float]:
    return {} if score is None else {ITEM_SCORE: score}


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value else None


def _choice(choice_id: str, label: str) -> dict[str, str]:
    return {"id": choice_id, "label": label}


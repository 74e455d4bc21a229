"""Messages the NLU could not place, or placed outside the assistant's scope.

Real citizens' messages are long, masked and story-first; a low NLU confidence does not mean
the message is not about a government matter. So before asking to rephrase or declining, the
assistant looks for what the message may be about:
- no words at all (only punctuation, emoji or a masked name): ask what the citizen needs;
- a short reply to offered items or situations ("补办", "不知道"): the catalogue action reads it
  with the question it answers;
- two messages in a row not understood, or an unclear one that names 投诉/举报/建议/求助: hand
  over to a 12345 agent;
- the catalogue finds likely items: offer them as buttons (never a notice: the NLU was unsure);
- the reference directory knows who handles it: refer to that department (首问负责);
- a long message (a story about a matter): hand over to a 12345 agent with its words;
- otherwise ask to rephrase (unclear) or say what the assistant can do (out of scope).
"""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions import mentioned_phone
from actions.api.service_client import ServiceUnavailable, UsesService
from actions.catalogue import (
    CANDIDATE_SCORE,
    CHOICES_OFFERED,
    FULL_NOTICE,
    STORY_CHARS,
    answers_offered_choices,
    offer_or_refer,
)
from actions.handoff_text import stated_type
from actions.latest_message import FALLBACK_INTENT, latest_intent, latest_text
from bot.message_text import has_content, without_masks

FAILURES_BEFORE_HANDOFF = 2
# Out of scope, the catalogue must be sure the message is about it before the assistant
# second-guesses the NLU (a confident or contested search, or a top hit of OUT_OF_SCOPE_OFFER_SCORE);
# then its items from OUT_OF_SCOPE_ITEM_SCORE are offered. Declining "你们这个公积金怎么取出来付房租啊"
# (0.79, the next 0.63) sent the citizen away from an item the hall holds. Chosen by
# scripts/calibrate_out_of_scope.py: the lowest score that adds at most 0.1 % of the 24,082 chat
# turns (CrossWOZ, KdConv) read as out of scope (0.65: +15; 0.6: +80); of the 13 development
# questions the NLU reads so, 10 are then offered items, each with the right one among them (8 by
# confidence alone); no development message out of scope (139 read so) or outside the catalogue (2)
# is offered any.
OUT_OF_SCOPE_ITEM_SCORE = 0.5
OUT_OF_SCOPE_OFFER_SCORE = 0.65


def consecutive_fallbacks(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages in a row the NLU could not understand."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        if event.get("parse_data", {}).get("intent", {}).get("name") != FALLBACK_INTENT:
            break
        count += 1
    return count


class ActionHandleFallback(UsesService, Action):
    def name(self) -> str:
        return "action_handle_fallback"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        # Messages not understood may become a work order's matter: its form takes the number.
        return await self._handle(dispatcher, tracker) + mentioned_phone.remember(latest_text(tracker))

    async def _handle(self, dispatcher: CollectingDispatcher, tracker) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        out_of_scope = latest_intent(tracker) == "out_of_scope"
        if not has_content(text):
            dispatcher.utter_message(response="utter_ask_what_you_need")
            return []
        if answers_offered_choices(tracker, text) and (not out_of_scope or tracker.get_slot("awaiting") == "situation"):
            # "补办" after 营业执照's choices, "不知道" to the situations: the catalogue reads it
            # with the question it answers.
            return [FollowupAction("action_answer_service_question")]
        if not out_of_scope and (
            consecutive_fallbacks(tracker.events) >= FAILURES_BEFORE_HANDOFF or stated_type(text)
        ):
            # Not understood twice, or unclear but saying "投诉/举报/建议/求助": no need to
            # rephrase, action_start_handoff takes the words and the form asks the rest.
            return [FollowupAction("action_start_handoff")]
        try:
            events = await self._what_it_may_be_about(dispatcher, text, out_of_scope)
        except ServiceUnavailable:
            events = None
        if events is not None:
            return events
        if out_of_scope:
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        if len(without_masks(text)) >= STORY_CHARS:
            # A story the NLU cannot place tells a matter all the same: a person reads it
            # rather than the citizen being asked to say it again.
            return [FollowupAction("action_start_handoff")]
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []

    async def _what_it_may_be_about(
        self, dispatcher: CollectingDispatcher, text: str, out_of_scope: bool
    ) -> Optional[list[dict[str, Any]]]:
        """Items offered or a referral given (their events), or None when nothing is known."""
        result = await self.client.search(text)
        floor = OUT_OF_SCOPE_ITEM_SCORE if out_of_scope else CANDIDATE_SCORE
        candidates = [hit for hit in result.hits if hit.score >= floor][:CHOICES_OFFERED]
        about_the_catalogue = result.confident or result.contested or (
            bool(result.hits) and result.hits[0].score >= OUT_OF_SCOPE_OFFER_SCORE)
        if out_of_scope and not about_the_catalogue:
            candidates = []
        return await offer_or_refer(dispatcher, self.client, text, candidates, FULL_NOTICE)

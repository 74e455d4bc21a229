"""Low NLU confidence: ask to rephrase once; the second time (or when the citizen names a
complaint, report, suggestion or request for help), hand over to a 12345 agent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_text import stated_type
from actions.latest_message import latest_text

FALLBACK_INTENT = "nlu_fallback"
FAILURES_BEFORE_HANDOFF = 2


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


class ActionHandleFallback(Action):
    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if consecutive_fallbacks(tracker.events) >= FAILURES_BEFORE_HANDOFF or stated_type(latest_text(tracker)):
            # Not understood twice, or unclear but saying "投诉/举报/建议/求助": no need to
            # rephrase, action_start_handoff takes the words and the form asks the rest.
            return [FollowupAction("action_start_handoff")]
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []

"""What the citizen's latest message says, read the same way by every action."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker

# The intent of a message the NLU could not place (Rasa's FallbackClassifier).
FALLBACK_INTENT = "nlu_fallback"


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> str:
    return tracker.latest_message.get("intent", {}).get("name") or ""


def latest_message_id(tracker: Tracker) -> Optional[str]:
    return tracker.latest_message.get("message_id")


def latest_entity(tracker: Tracker, name: str) -> Optional[str]:
    return next(tracker.get_latest_entity_values(name), None)


def previous_question(events: list[dict[str, Any]]) -> Optional[str]:
    """The citizen's typed message before the latest one (the question a referral answered, or
    the one whose items were offered)."""
    typed = [e.get("text") or "" for e in events if e.get("event") == "user"]
    earlier = [t for t in typed[:-1] if t and not t.startswith("/")]
    return earlier[-1] if earlier else None

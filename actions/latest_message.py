"""What the citizen's latest message says, read the same way by every action."""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> str:
    return tracker.latest_message.get("intent", {}).get("name") or ""


def latest_message_id(tracker: Tracker) -> Optional[str]:
    return tracker.latest_message.get("message_id")


def latest_entity(tracker: Tracker, name: str) -> Optional[str]:
    return next(tracker.get_latest_entity_values(name), None)

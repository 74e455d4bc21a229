from __future__ import annotations

from typing import Any, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.actions.fake_service import FakeServiceClient


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def fake_service() -> FakeServiceClient:
    service = FakeServiceClient()
    service.add_item("GA-SFZ-002", "居民身份证补领",
                     situations=(("adult", "年满十六周岁本人办理"), ("minor", "未满十六周岁由监护人陪同")))
    service.add_item("GA-SFZ-001", "居民身份证换领")
    service.add_item("GA-LSZ-001", "临时居民身份证申领")
    return service


def make_tracker(
    text: str,
    intent: str,
    entities: Optional[list[dict[str, Any]]] = None,
    slots: Optional[dict[str, Any]] = None,
    events: Optional[list[dict[str, Any]]] = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    return Tracker(
        sender_id="test",
        slots=dict(slots or {}),  # a copy: form validators change the tracker's slots in place
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set, by name (the last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def responses(dispatcher: CollectingDispatcher) -> list[Optional[str]]:
    """The domain responses an action uttered, in order (None for a plain text)."""
    return [m.get("response") for m in dispatcher.messages]


USER = {"event": "user"}


def form_tracker(text: str, intent: str = "inform", slots_now: Optional[dict[str, Any]] = None,
                 entities: Optional[list[dict[str, Any]]] = None) -> Tracker:
    """A tracker in the middle of a form: the latest message and the slots so far."""
    return make_tracker(text, intent, entities=entities, slots=slots_now, events=[USER])

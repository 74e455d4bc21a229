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
        slots=slots or {},
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )

"""A new session, and the names under which the action server offers the actions."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

from actions.session import ActionSessionStart
from tests.actions.conftest import make_tracker

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
HALL = yaml.safe_load((REPO_ROOT / "service" / "seed" / "hall.yaml").read_text(encoding="utf-8"))


async def test_a_new_session_knows_the_halls_phone_and_then_listens(dispatcher):
    events = await ActionSessionStart().run(dispatcher, make_tracker("", "greet"), DOMAIN)

    # Responses such as utter_manage_service_down read {hall_phone} from the slot.
    assert [e["event"] for e in events] == ["session_started", "slot", "action"]
    assert (events[1]["name"], events[1]["value"]) == ("hall_phone", str(HALL["phone"]))
    assert events[2]["name"] == "action_listen"
    assert dispatcher.messages == []  # the greeting is the rules' job, not the session's


def test_the_action_server_offers_exactly_the_custom_actions_the_domain_declares():
    executor = ActionExecutor()
    executor.register_package("actions")

    declared = {name for name in DOMAIN["actions"] if not name.startswith("utter_")}
    assert set(executor.actions) == declared
    # A form is validated by the action named after it.
    assert {f"validate_{form}" for form in DOMAIN["forms"]} <= set(executor.actions)

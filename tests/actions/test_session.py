"""A new session, and the names under which the action server offers the actions."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.forms import FormValidationAction

from actions.session import ActionSessionStart
from tests.actions.conftest import make_tracker

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
# An entry is a name, or {name: {send_domain: true}} for an action Rasa sends its domain to.
DECLARED = {entry if isinstance(entry, str) else next(iter(entry)): entry for entry in DOMAIN["actions"]}
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

    declared = {name for name in DECLARED if not name.startswith("utter_")}
    assert set(executor.actions) == declared
    # A form is validated by the action named after it.
    assert {f"validate_{form}" for form in DOMAIN["forms"]} <= set(executor.actions)


def test_rasa_sends_its_domain_to_exactly_the_actions_that_read_it():
    """With enable_selective_domain, an action not marked send_domain gets no domain: a form
    validator reads its form's slots from it, and would then validate nothing."""
    executor = ActionExecutor()
    executor.register_package("actions")
    endpoints = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["enable_selective_domain"] is True

    sent_the_domain = {name for name, entry in DECLARED.items()
                       if isinstance(entry, dict) and entry[name].get("send_domain")}
    validators = {name for name, action in executor.actions.items()
                  if isinstance(getattr(action, "__self__", None), FormValidationAction)}
    assert validators and sent_the_domain == validators

"""办件进度: the state of a case after the window accepted it ("我的营业执照办到哪了").

The conversation (or WeChat account) the case was registered with sees its cases at once;
anyone else gives the case number from the receipt (受理回执) and the phone given at the window.
The service words the state and the next step; actions/case_text.py puts the reply together.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker

from actions.api.service_client import ItemNotFound, Refused, ServiceClient, ServiceUnavailable, UsesService
from actions.booking_text import find_mobile
from actions.case_text import case_status_text, find_case_number
from actions.forms import ValidatesAnswersOnly, cleared, stopped
from actions.latest_message import latest_entity, latest_text
from actions.settings import get_settings

CASE_SLOTS = ["case_number", "case_phone", "case_own"]
# Of the conversation's cases, at most this many are told at once (the newest first).
OWN_CASES_TOLD = 3


async def _own_cases(client: ServiceClient, tracker: Tracker) -> list[dict[str, Any]]:
    try:
        return await client.conversation_cases(tracker.sender_id)
    except (ItemNotFound, Refused):
        return []


def _named(cases: list[dict[str, Any]], tracker: Tracker) -> list[dict[str, Any]]:
    """The cases of the item the citizen named ("我的营业执照…"), else all of them."""
    item = latest_entity(tracker, "service_item")
    named = [c for c in cases if item and (item in c["item_name"] or c["item_name"] in item)]
    return named or cases


class ValidateCaseStatusForm(UsesService, ValidatesAnswersOnly, FormValidationAction):
    def name(self) -> str:
        return "validate_case_status_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        return ["case_number"] if tracker.get_slot("case_own") else ["case_number", "case_phone"]

    async def extract_case_number(self, dispatcher, tracker, domain) -> dict[str, Any]:
        number = find_case_number(latest_text(tracker))
        if number:
            return {"case_number": number}
        if tracker.get_slot("requested_slot") is None and tracker.get_slot("case_number") is None:
            if await _own_cases(self.client, tracker):
                return {"case_number": "own"}  # validate_case_number marks it as the conversation's
        if tracker.get_slot("requested_slot") == "case_number":
            return {"case_number": "?"}
        return {}

    async def extract_case_phone(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "case_phone":
            return {}
        return {"case_phone": find_mobile(latest_text(tracker)) or "?"}

    async def validate_case_number(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if value == "own":
            return {"case_number": "own", "case_own": True}
        if value == "?":
            dispatcher.utter_message(response="utter_case_number_invalid")
            return {"case_number": None}
        own = await _own_cases(self.client, tracker)
        return {"case_number": value, "case_own": any(c["number"] == value for c in own)}

    async def validate_case_phone(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if value == "?":
            dispatcher.utter_message(response="utter_manage_phone_unclear")
            return {"case_phone": None}
        return {"case_phone": value}

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        try:
            return await super().run(dispatcher, tracker, domain)
        except ServiceUnavailable:
            dispatcher.utter_message(response="utter_service_unavailable", hall_phone=get_settings().hall_phone)
            return stopped(CASE_SLOTS)


class TellCaseStatus(UsesService, Action):
    def name(self) -> str:
        return "action_tell_case_status"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        number = tracker.get_slot("case_number")
        if not number:
            return cleared(CASE_SLOTS)  # the form stopped (the service down): the citizen was told
        try:
            if tracker.get_slot("case_own"):
                own = await _own_cases(self.client, tracker)
                cases = [c for c in own if c["number"] == number] if number != "own" else _named(own, tracker)
            else:
                cases = [await self.client.case_status(number, tracker.get_slot("case_phone") or "")]
        except ItemNotFound:
            cases = []
        except (ServiceUnavailable, Refused):
            dispatcher.utter_message(response="utter_service_unavailable", hall_phone=get_settings().hall_phone)
            return cleared(CASE_SLOTS)
        if not cases:
            dispatcher.utter_message(response="utter_case_not_found", number=number,
                                     hall_phone=get_settings().hall_phone)
            return cleared(CASE_SLOTS)
        for case in cases[:OWN_CASES_TOLD]:
            dispatcher.utter_message(response="utter_case_status", status=case_status_text(case))
        return cleared(CASE_SLOTS)

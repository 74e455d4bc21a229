"""The booking form's questions that need more than a response: the likely items, situations
and halls offered as buttons, the materials to check and the summary to confirm (the time is
asked by utter_ask_booking_when, or by the validator when it offers free slots)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action

from actions.api.service_client import ServiceUnavailable, UsesService
from actions.booking_text import agent_line, missing_line, numbered_materials, person_line, slot_label
from actions.buttons import intent_payload, numbered_buttons
from actions.catalogue import CANDIDATE_SCORE, CHOICES_OFFERED
from actions.latest_message import latest_text


class AskBookingItem(UsesService, Action):
    """Which item to book: the likely ones as buttons when the message named something close
    ("约个时间办那个公积金"), else the open question."""

    def name(self) -> str:
        return "action_ask_booking_item"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        try:
            result = await self.client.search(latest_text(tracker))
        except ServiceUnavailable:
            result = None
        candidates = [h for h in result.hits if h.score >= CANDIDATE_SCORE][:CHOICES_OFFERED] if result else []
        if not candidates:
            dispatcher.utter_message(response="utter_ask_booking_item")
            return []
        dispatcher.utter_message(
            response="utter_ask_booking_item_choices",
            buttons=numbered_buttons(
                (hit.name, intent_payload("inform", item_code=hit.code)) for hit in candidates),
        )
        return []


class AskFromOffered(Action, ABC):
    """Asks the form's question with the choices a slot holds as numbered buttons."""

    action_name: str
    offered_slot: str
    response: str

    def name(self) -> str:
        return self.action_name

    @abstractmethod
    def payload(self, option: dict[str, str]) -> str:
        """What a tap on the option sends."""

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        offered = tracker.get_slot(self.offered_slot) or []
        dispatcher.utter_message(
            response=self.response, item_name=tracker.get_slot("booking_item_name"),
            buttons=numbered_buttons((option["label"], self.payload(option)) for option in offered),
        )
        return []


class AskBookingSituation(AskFromOffered):
    action_name, offered_slot, response = (
        "action_ask_booking_situation", "booking_situations", "utter_ask_booking_situation")

    def payload(self, option: dict[str, str]) -> str:
        return intent_payload("inform", situation=option["id"])


class AskBookingHall(AskFromOffered):
    action_name, offered_slot, response = "action_ask_booking_hall", "booking_offered", "utter_ask_booking_hall"

    def payload(self, option: dict[str, str]) -> str:
        return option["label"]  # read by resolve_choice, as a typed answer would be


class AskBookingWhen(Action):
    def name(self) -> str:
        return "action_ask_booking_when"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        # When free slots were just offered, that message already asked the question.
        if not tracker.get_slot("booking_offered"):
            dispatcher.utter_message(response="utter_ask_booking_when")
        return []


class AskMaterialsAnswer(Action):
    def name(self) -> str:
        return "action_ask_materials_answer"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        materials = numbered_materials(tracker.get_slot("booking_materials") or [])
        dispatcher.utter_message(response="utter_ask_materials_answer", materials=materials)
        return []


class AskBookingConfirmed(Action):
    def name(self) -> str:
        return "action_ask_booking_confirmed"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        slot = tracker.get_slot
        agent = (agent_line(slot("agent_name"), slot("agent_phone_masked"), slot("agent_id_masked"))
                 if slot("booking_for") == "other" else "")
        dispatcher.utter_message(
            response="utter_ask_booking_confirmed",
            item_name=slot("booking_item_name"),
            hall_name=slot("booking_hall_name"),
            when=slot_label(slot("booking_date"), slot("booking_slot")),
            window=slot("booking_window") or "",
            applicant=person_line(
                slot("applicant_name"), slot("applicant_phone_masked"), slot("applicant_id_masked")),
            agent=agent,
            missing=missing_line(slot("materials_missing") or []),
        )
        return []

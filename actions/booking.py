"""Pre-registration (预约): the booking form's validator, submitting the booking and stopping it.

The questions the form asks through actions are in actions/booking_questions.py; the wording
in domain.yml (utter_*booking*) and actions/booking_text.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partialmethod
from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api.service_client import ItemNotFound, Refused, ServiceUnavailable, UsesService
from actions.booking_text import (
    CONFIRMING_WORDS,
    SLOT_TAKEN_MARK,
    authorisation_letter,
    bundle_line,
    booking_for,
    clean_name,
    find_id_number,
    find_mobile,
    idempotency_key,
    missing_materials,
    numbered_materials,
    slot_label,
)
from actions.channels import channel_of
from actions.forms import ReadsEachMessageOnce, ValidatesAnswersOnly
from actions.forms import answering, cleared, reopened, says_confirmed, stopped
from actions.latest_message import latest_entity, latest_intent, latest_text
from actions.settings import get_settings
from actions.time_choice import offer_alternatives, offered_pick
from common.choices import resolve_choice

FORM = "booking_form"
# Questions about the catalogue may interrupt the form; rules answer them and resume it.
INTERRUPTIONS = {
    "ask_materials", "ask_conditions", "ask_fee", "ask_time_limit", "ask_location",
    "ask_process", "ask_online",
}
STOPS = {"deny", "cancel_appointment"}
INVALID_BEFORE_OFFERING_TO_STOP = 2
# Every slot the form and its submission set: cleared together when a booking ends.
BOOKING_SLOTS = [
    "booking_item", "booking_item_name", "booking_situation", "booking_hall", "booking_hall_name",
    "booking_address", "booking_when", "booking_date", "booking_slot", "booking_window",
    "booking_offered", "booking_for", "applicant_name", "applicant_phone", "applicant_phone_masked",
    "applicant_id", "applicant_id_masked", "agent_name", "agent_phone", "agent_phone_masked",
    "agent_id", "agent_id_masked", "booking_materials", "materials_missing", "materials_answer",
    "booking_confirmed", "booking_nonce", "invalid_answers", "booking_situations",
    "booking_read_message", "booking_not_bookable", "booking_bundle", "booking_bundle_name", "booking_bundle_hall",
]
# Emptied with booking_when when the time chosen was taken meanwhile: it is asked again.
TIME_ANSWERS = ["booking_date", "booking_slot", "booking_confirmed"]


def _answering(tracker: Tracker, slot: str) -> bool:
    """The latest message answers the form's question about `slot` (not a question or a stop).

    Naming the item ("换身份证") often reads as a catalogue question, so it is an answer there."""
    ignored = STOPS if slot == "booking_item" else INTERRUPTIONS | STOPS
    return answering(tracker, slot, ignored) and not latest_text(tracker).startswith("/ask_")


def _checklist(tracker: Tracker, materials: list[str] | None, notice) -> list[str] | None:
    """The notice's materials to bring, with the item's authorisation letter (委托书) when booking
    on someone's behalf."""
    checklist = list(materials or [])
    letter = authorisation_letter(notice.checklist) if tracker.get_slot("booking_for") == "other" else None
    if letter and letter not in checklist:
        checklist.append(letter)
    return checklist or None


class ValidateBookingForm(UsesService, ValidatesAnswersOnly, ReadsEachMessageOnce, FormValidationAction):
    read_slot = "booking_read_message"

    def name(self) -> str:
        return "validate_booking_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        if tracker.get_slot("booking_not_bookable"):
            return []  # nothing is missing: the form ends here
        slots = ["booking_item"]
        if tracker.get_slot("booking_situations"):
            slots.append("booking_situation")
        slots += ["booking_hall", "booking_when", "booking_for", "applicant_name",
                  "applicant_phone", "applicant_id"]
        if tracker.get_slot("booking_for") == "other":
            slots += ["agent_name", "agent_phone", "agent_id"]
        if tracker.get_slot("booking_materials"):
            slots.append("materials_answer")
        return slots + ["booking_confirmed"]

    # --- extraction: what the latest message says -------------------------------------------

    async def extract_booking_item(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("booking_item"):
            return {}
        if tracker.get_slot("requested_slot") is None:
            bundle = await self._bundle_asked(tracker)
            if bundle:  # "预约综合窗口，一次办" under a life event's notice
                return {"booking_item": bundle["booking_item"], "booking_not_bookable": None}
            # The form starts: "我想预约下周三上午换身份证", or the item already discussed.
            return {"booking_item": await self._item_in(latest_text(tracker)) or tracker.get_slot("item_code"),
                    "booking_not_bookable": None}
        if _answering(tracker, "booking_item"):
            # A tapped item (action_ask_booking_item's buttons) or the item typed.
            tapped = latest_entity(tracker, "item_code")
            return {"booking_item": tapped or await self._item_in(latest_text(tracker)) or "?"}
        return {}

    async def extract_booking_situation(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if not _answering(tracker, "booking_situation"):
            return {}
        picked = next(tracker.get_latest_entity_values("situation"), None)
        offered = tracker.get_slot("booking_situations") or []
        if picked is None:
            index = resolve_choice(latest_text(tracker), [choice["label"] for choice in offered])
            picked = offered[index]["id"] if index is not None else "?"
        return {"booking_situation": picked}

    async def extract_booking_hall(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if not _answering(tracker, "booking_hall"):
            return {}
        offered = tracker.get_slot("booking_offered") or []
        index = resolve_choice(latest_text(tracker), [choice["label"] for choice in offered])
        return {"booking_hall": offered[index]["id"] if index is not None else "?"}

    async def extract_booking_when(self, dispatcher, tracker, domain) -> dict[str, Any]:
        chosen = next(tracker.get_latest_entity_values("slot_choice"), None)
        if chosen:
            return {"booking_when": str(chosen)}
        if _answering(tracker, "booking_when") or (
            tracker.get_slot("requested_slot") is None and not tracker.get_slot("booking_when")
        ):
            return {"booking_when": latest_text(tracker)}
        return {}

    async def extract_booking_for(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") is None and booking_for(latest_text(tracker)) == "other":
            return {"booking_for": "other"}  # "帮我爸约一下" at the start
        if _answering(tracker, "booking_for") or (
            tracker.get_slot("requested_slot") == "booking_for" and latest_intent(tracker) == "deny"
            and booking_for(latest_text(tracker))
        ):
            return {"booking_for": booking_for(latest_text(tracker)) or "?"}
        return {}

    async def extract_applicant_name(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"applicant_name": clean_name(latest_text(tracker))} if _answering(tracker, "applicant_name") else {}

    async def extract_agent_name(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"agent_name": clean_name(latest_text(tracker))} if _answering(tracker, "agent_name") else {}

    def _number(self, slot: str, find: Callable[[str], Optional[str]], dispatcher, tracker, domain) -> dict[str, Any]:
        """The requested number, or a correction of one given earlier ("电话写错了，是139…").

        A number is an answer whatever the NLU made of it (a bare ID number can read as
        anything); other text is an answer only when it is not a question or a stop."""
        text = latest_text(tracker)
        found = find(text)
        if found and tracker.get_slot("requested_slot") == slot:
            return {slot: found}
        if _answering(tracker, slot) and not (find_mobile(text) or find_id_number(text)):
            return {slot: text}  # checked by the service, so its reason is told
        if found and tracker.get_slot(slot) and tracker.get_slot("requested_slot"):
            return {slot: found}
        return {}

    extract_applicant_phone = partialmethod(_number, "applicant_phone", find_mobile)
    extract_agent_phone = partialmethod(_number, "agent_phone", find_mobile)
    extract_applicant_id = partialmethod(_number, "applicant_id", find_id_number)
    extract_agent_id = partialmethod(_number, "agent_id", find_id_number)

    async def extract_materials_answer(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"materials_answer": latest_text(tracker)} if _answering(tracker, "materials_answer") else {}

    async def extract_booking_confirmed(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") == "booking_confirmed" and says_confirmed(tracker, CONFIRMING_WORDS):
            return {"booking_confirmed": True}
        return {}

    # --- validation: checked with the service ------------------------------------------------

    async def validate_booking_item(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if not value or value == "?":
            if tracker.get_slot("requested_slot") == "booking_item":
                dispatcher.utter_message(response="utter_booking_item_unclear")
            return {"booking_item": None}
        notice = await self.client.get_notice(value)
        halls = await self.client.halls_for_item(value)
        bundle = await self._bundle_asked(tracker)
        if bundle and bundle["booking_item"] != value:
            bundle = None
        if bundle:  # a life event is booked at its 综合窗口's hall
            halls = [h for h in halls if h.code == bundle["booking_bundle_hall"]]
        if not halls:
            dispatcher.utter_message(response="utter_booking_not_bookable", item_name=notice.name)
            return {"booking_item": None, "booking_not_bookable": True}
        situations = [{"id": s.id, "label": s.name} for s in notice.situations]
        known = tracker.get_slot("situation") if tracker.get_slot("item_code") == value else None
        chosen = {
            **({k: v for k, v in bundle.items() if k != "booking_item"} if bundle else {}),
            "booking_item": value,
            "booking_item_name": notice.name,
            "booking_situations": situations or None,
            "booking_situation": known if known in {s["id"] for s in situations} else None,
            "booking_materials": None if situations else _checklist(tracker, notice.checklist, notice),
        }
        if len(halls) == 1:
            chosen.update(booking_hall=halls[0].code, booking_hall_name=halls[0].name,
                          booking_address=halls[0].address)
        else:
            chosen["booking_offered"] = [{"id": h.code, "label": h.name} for h in halls]
        if chosen["booking_situation"]:
            chosen["booking_materials"] = (await self.client.get_notice(value, known)).checklist
        # Say which item is booked before the next question ("哪天来?" alone does not tell).
        dispatcher.utter_message(response="utter_booking_item_taken", item_name=notice.name)
        return chosen

    async def validate_booking_situation(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        offered = {choice["id"] for choice in tracker.get_slot("booking_situations") or []}
        if value not in offered:
            dispatcher.utter_message(response="utter_booking_pick_again")
            return {"booking_situation": None}
        notice = await self.client.get_notice(tracker.get_slot("booking_item"), value)
        return {"booking_situation": value, "booking_materials": _checklist(tracker, notice.checklist, notice)}

    async def validate_booking_hall(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        halls = await self.client.halls_for_item(tracker.get_slot("booking_item"))
        hall = next((h for h in halls if h.code == value), None)
        if hall is None:
            dispatcher.utter_message(response="utter_booking_pick_again")
            return {"booking_hall": None}
        return {"booking_hall": hall.code, "booking_hall_name": hall.name, "booking_address": hall.address,
                "booking_offered": None}

    async def validate_booking_when(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if not tracker.get_slot("booking_item") or not tracker.get_slot("booking_hall"):
            return {"booking_when": None}  # said before the item and hall are known: asked later
        picked = offered_pick(value, tracker.get_slot("booking_offered") or [])
        if picked is not None:
            return self._slot_taken(*picked)

        availability = await self.client.availability(
            tracker.get_slot("booking_hall"), value, tracker.get_slot("booking_item"))
        if availability.slot is not None:
            free = availability.slot
            return self._slot_taken(free.date, free.slot, free.window)
        starting = tracker.get_slot("requested_slot") is None
        if starting and not availability.understood:
            return {"booking_when": None}  # the first message named no time: just ask
        return {"booking_when": None, "booking_offered": offer_alternatives(dispatcher, availability)}

    async def validate_booking_for(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if value not in ("self", "other"):
            dispatcher.utter_message(response="utter_booking_pick_again")
            return {"booking_for": None}
        item = tracker.get_slot("booking_item")
        if value == "self" or not item:  # said before the item: the letter joins when the item is known
            return {"booking_for": value}
        # The item's authorisation letter joins the checklist when it has one.
        notice = await self.client.get_notice(item)
        return {"booking_for": value, "booking_materials": _checklist(tracker, tracker.get_slot("booking_materials"), notice)}

    async def _checked(self, slot: str, field: str, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        """A name, phone or ID number checked by the service, which gives the reason when it is wrong."""
        check = await self.client.check_field(field, str(value))
        if check.ok:
            masked = {f"{slot}_masked": check.masked} if field != "name" else {}
            if tracker.get_slot(slot) and tracker.get_slot("requested_slot") != slot:
                dispatcher.utter_message(response="utter_booking_corrected", value=check.masked)
            return {slot: check.value, **masked}
        invalid = int(tracker.get_slot("invalid_answers") or 0) + 1
        response = ("utter_booking_invalid_offer_stop" if invalid >= INVALID_BEFORE_OFFERING_TO_STOP
                    else "utter_booking_invalid")
        dispatcher.utter_message(response=response, reason=check.reason)
        return {slot: None, "invalid_answers": float(invalid)}

    validate_applicant_name = partialmethod(_checked, "applicant_name", "name")
    validate_agent_name = partialmethod(_checked, "agent_name", "name")
    validate_applicant_phone = partialmethod(_checked, "applicant_phone", "phone")
    validate_agent_phone = partialmethod(_checked, "agent_phone", "phone")
    validate_applicant_id = partialmethod(_checked, "applicant_id", "id_number")
    validate_agent_id = partialmethod(_checked, "agent_id", "id_number")

    async def validate_materials_answer(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        materials = tracker.get_slot("booking_materials") or []
        missing = missing_materials(value, materials)
        return {"materials_answer": "checked" if missing is not None else "skipped",
                "materials_missing": missing}

    async def validate_booking_confirmed(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"booking_confirmed": bool(value)}

    # --- helpers -----------------------------------------------------------------------------

    async def _bundle_asked(self, tracker: Tracker) -> Optional[dict[str, Any]]:
        """At the form's start from "预约综合窗口，一次办": the life event's booking item at its
        综合窗口, with the bundle's slots; None otherwise, or when it has no such window."""
        code = latest_entity(tracker, "life_event")
        if not code or tracker.get_slot("requested_slot") is not None:
            return None
        try:
            notice = await self.client.get_life_event_notice(code)
        except ItemNotFound:
            return None
        window = notice.window or {}
        if not window.get("booking_item_code"):
            return None
        return {"booking_item": window["booking_item_code"], "booking_bundle": notice.code,
                "booking_bundle_name": notice.name, "booking_bundle_hall": window["hall_code"]}

    async def _item_in(self, text: str) -> Optional[str]:
        result = await self.client.search(text)
        return result.hits[0].code if result.confident else None

    @staticmethod
    def _slot_taken(day: str, slot: str, window: str) -> dict[str, Any]:
        return {"booking_when": f"{day} {slot}", "booking_date": day, "booking_slot": slot,
                "booking_window": window, "booking_offered": None}

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        try:
            events = await super().run(dispatcher, tracker, domain)
        except ServiceUnavailable:
            dispatcher.utter_message(response="utter_booking_service_down",
                                     hall_phone=get_settings().hall_phone)
            return stopped(BOOKING_SLOTS)
        except ItemNotFound:
            dispatcher.utter_message(response="utter_booking_item_unclear")
            return [SlotSet("booking_item", None)]
        if not tracker.get_slot("booking_nonce"):
            events.append(SlotSet("booking_nonce", uuid.uuid4().hex[:12]))
        return self.marked_read(tracker, events)


class SubmitBooking(UsesService, Action):
    def name(self) -> str:
        return "action_submit_booking"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        slot = tracker.get_slot
        if slot("booking_not_bookable"):
            return cleared(BOOKING_SLOTS)  # ended early: the citizen was told where to go instead
        if slot("booking_confirmed") is not True:
            # The form ended without the citizen's yes (the service failed mid-way and the citizen
            # was given the hall's phone): nothing to send.
            return cleared(BOOKING_SLOTS)
        booking = {
            "item_code": slot("booking_item"),
            "situation": slot("booking_situation"),
            "hall": slot("booking_hall"),
            "date": slot("booking_date"),
            "slot": slot("booking_slot"),
            "name": slot("applicant_name"),
            "phone": slot("applicant_phone"),
            "id_number": slot("applicant_id"),
            "agent": {"name": slot("agent_name"), "phone": slot("agent_phone"), "id_number": slot("agent_id")}
            if slot("booking_for") == "other" else None,
            "materials_ready": [m for m in slot("booking_materials") or []
                                if slot("materials_answer") == "checked" and m not in (slot("materials_missing") or [])],
            "materials_missing": slot("materials_missing") or [],
            # This conversation may then find the booking without its code, and is reminded through it.
            "channel": channel_of(tracker),
            "conversation_id": tracker.sender_id,
        }
        bundle = slot("booking_bundle")
        key = idempotency_key(tracker.sender_id, slot("booking_nonce") or "first", {**booking, "bundle": bundle})
        try:
            if bundle:
                appointment = await self.client.create_bundle_appointment(bundle, booking, key)
            else:
                appointment = await self.client.create_appointment(booking, key)
        except ServiceUnavailable:
            # The outcome is unclear: ask again; the same key makes a retry safe.
            dispatcher.utter_message(response="utter_booking_not_sent", hall_phone=get_settings().hall_phone)
            return reopened(FORM, "booking_confirmed")
        except Refused as refusal:
            if refusal.status == 409 and SLOT_TAKEN_MARK in refusal.detail:
                dispatcher.utter_message(response="utter_booking_slot_gone", reason=refusal.detail)
                return reopened(FORM, "booking_when", also_cleared=TIME_ANSWERS)
            dispatcher.utter_message(response="utter_booking_refused", reason=refusal.detail)
            return cleared(BOOKING_SLOTS)
        dispatcher.utter_message(
            response="utter_booking_done",
            code=appointment["code"],
            item_name=appointment["item_name"],
            when=slot_label(slot("booking_date"), slot("booking_slot")),
            hall_name=appointment["hall"]["name"],
            address=appointment["hall"]["address"],
            window=appointment.get("window") or "",
            phone=appointment["phone"],
            checklist=numbered_materials(slot("booking_materials") or [], booking["materials_missing"]),
            bundle_line=bundle_line(appointment.get("bundle")),
        )
        # Personal data is not kept in the conversation once the booking is done or dropped.
        return cleared(BOOKING_SLOTS) + [SlotSet("booking_code", appointment["code"])]


class StopBooking(Action):
    def name(self) -> str:
        return "action_stop_booking"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_booking_stopped")
        return stopped(BOOKING_SLOTS)

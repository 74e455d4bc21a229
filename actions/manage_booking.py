"""Managing a booking in the chat: look it up ("我约的是哪天"), cancel it, or move it ("改个时间").

The conversation (or WeChat user) that booked needs no proof: the service lists its bookings to
the bot. Anyone else gives the booking code and the phone the booking was made with. Cancelling
and moving are confirmed first; the service enforces the hall's rules and says why when it
refuses. The wording is in domain.yml (utter_*manage*) and actions/booking_text.py.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api.service_client import ItemNotFound, Refused, ServiceUnavailable, UsesService
from actions.booking_text import (
    CONFIRMING_WORDS,
    SLOT_TAKEN_MARK,
    appointment_line,
    appointment_lines,
    find_booking_code,
    find_mobile,
    slot_label,
)
from actions.buttons import intent_payload, numbered_buttons
from actions.forms import ReadsEachMessageOnce, ValidatesAnswersOnly
from actions.forms import answering, cleared, reopened, says_confirmed, stopped
from actions.latest_message import latest_entity, latest_intent, latest_text
from actions.settings import get_settings
from actions.time_choice import offer_alternatives, offered_pick
from common.choices import resolve_choice

FORM = "manage_booking_form"
ACTIONS = {"query_appointment": "view", "cancel_appointment": "cancel", "reschedule_appointment": "reschedule"}
# The conversation that booked is its own proof; "all" shows every coming booking of it.
OWN = "own"
ALL = "all"
STOPS = {"deny"}
TRIES = 2
MANAGE_SLOTS = [
    "manage_action", "manage_code", "manage_phone", "manage_when", "manage_date", "manage_slot",
    "manage_offered", "manage_confirmed", "manage_read_message", "manage_tries", "manage_hall",
    "manage_item", "manage_current",
]


def proof(tracker: Tracker) -> dict[str, str]:
    phone = tracker.get_slot("manage_phone")
    return {"conversation_id": tracker.sender_id} if phone == OWN else {"phone": phone}


def _hall_phone() -> str:
    return get_settings().hall_phone


class StartManaging(UsesService, Action):
    """Reads what the first message already says (the code, the phone) and what the conversation
    booked, so that the form asks only what is still missing."""

    def name(self) -> str:
        return "action_start_managing"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        action = ACTIONS.get(latest_intent(tracker), "view")
        text = latest_text(tracker)
        code, phone = find_booking_code(text), find_mobile(text)
        events = cleared(MANAGE_SLOTS) + [SlotSet("manage_action", action)]
        try:
            own = await self.client.conversation_appointments(tracker.sender_id)
        except ServiceUnavailable:
            own = []  # asked for the code and phone instead; the lookup will say if the service is down
        own_codes = [a["code"] for a in own]
        if code and code in own_codes:
            return events + [SlotSet("manage_code", code), SlotSet("manage_phone", OWN)]
        if code:
            return events + [SlotSet("manage_code", code), SlotSet("manage_phone", phone)]
        if own and (action == "view" or len(own) == 1):
            return events + [SlotSet("manage_code", ALL if action == "view" else own_codes[0]),
                             SlotSet("manage_phone", OWN)]
        if own:
            offered = [{"id": a["code"], "label": appointment_line(a)} for a in own]
            return events + [SlotSet("manage_offered", offered), SlotSet("manage_phone", OWN)]
        return events + ([SlotSet("manage_phone", phone)] if phone else [])


class AskManageCode(Action):
    def name(self) -> str:
        return "action_ask_manage_code"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        offered = tracker.get_slot("manage_offered") or []
        if offered:
            dispatcher.utter_message(
                response="utter_ask_manage_which",
                buttons=numbered_buttons((o["label"], intent_payload("inform", booking_code=o["id"])) for o in offered),
            )
        else:
            dispatcher.utter_message(response="utter_ask_manage_code")
        return []


class AskManageConfirmed(Action):
    def name(self) -> str:
        return "action_ask_manage_confirmed"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        current = tracker.get_slot("manage_current") or ""
        buttons = [{"title": "确认", "payload": "/affirm"}, {"title": "不用了", "payload": "/deny"}]
        if tracker.get_slot("manage_action") == "cancel":
            dispatcher.utter_message(response="utter_ask_manage_cancel", booking=current, buttons=buttons)
        else:
            when = slot_label(tracker.get_slot("manage_date"), tracker.get_slot("manage_slot"))
            dispatcher.utter_message(response="utter_ask_manage_reschedule", booking=current, when=when,
                                     buttons=buttons)
        return []


class ValidateManageBookingForm(UsesService, ValidatesAnswersOnly, ReadsEachMessageOnce, FormValidationAction):
    read_slot = "manage_read_message"

    def name(self) -> str:
        return "validate_manage_booking_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        slots = ["manage_code", "manage_phone"]
        action = tracker.get_slot("manage_action")
        if action == "reschedule":
            slots.append("manage_when")
        if action in ("cancel", "reschedule"):
            slots.append("manage_confirmed")
        return slots

    # --- extraction ---------------------------------------------------------------------------

    async def extract_manage_code(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if not answering(tracker, "manage_code", STOPS):
            return {}
        tapped = latest_entity(tracker, "booking_code")
        if tapped:
            return {"manage_code": tapped}
        offered = tracker.get_slot("manage_offered") or []
        index = resolve_choice(latest_text(tracker), [o["label"] for o in offered]) if offered else None
        if index is not None:
            return {"manage_code": offered[index]["id"]}
        return {"manage_code": find_booking_code(latest_text(tracker)) or "?"}

    async def extract_manage_phone(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if not answering(tracker, "manage_phone", STOPS):
            return {}
        return {"manage_phone": find_mobile(latest_text(tracker)) or "?"}

    async def extract_manage_when(self, dispatcher, tracker, domain) -> dict[str, Any]:
        chosen = latest_entity(tracker, "slot_choice")
        if chosen:
            return {"manage_when": str(chosen)}
        if answering(tracker, "manage_when", STOPS):
            return {"manage_when": latest_text(tracker)}
        return {}

    async def extract_manage_confirmed(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") == "manage_confirmed" and says_confirmed(tracker, CONFIRMING_WORDS):
            return {"manage_confirmed": True}
        return {}

    # --- validation ---------------------------------------------------------------------------

    async def validate_manage_code(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if value == ALL:
            return {"manage_code": ALL}
        if value == "?":
            dispatcher.utter_message(response="utter_manage_code_unclear")
            return {"manage_code": None}
        if tracker.get_slot("manage_phone") not in (None, "?"):
            return await self._look_up(value, tracker.get_slot("manage_phone"), dispatcher, tracker)
        return {"manage_code": value}

    async def validate_manage_phone(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if value == "?":
            dispatcher.utter_message(response="utter_manage_phone_unclear")
            return {"manage_phone": None}
        code = tracker.get_slot("manage_code")
        if not code or code == ALL:
            return {"manage_phone": value}
        return await self._look_up(code, value, dispatcher, tracker)

    async def _look_up(self, code: str, phone: str, dispatcher, tracker) -> dict[str, Any]:
        """The booking the code and phone (or this conversation) name; asked again when none."""
        given = {"conversation_id": tracker.sender_id} if phone == OWN else {"phone": phone}
        try:
            appointment = await self.client.get_appointment(code, given)
        except ItemNotFound:
            tries = int(tracker.get_slot("manage_tries") or 0) + 1
            if tries >= TRIES:
                dispatcher.utter_message(response="utter_manage_not_found_call", code=code, hall_phone=_hall_phone())
                return {"manage_code": None, "manage_phone": None, "manage_tries": float(tries),
                        "manage_action": None}
            dispatcher.utter_message(response="utter_manage_not_found", code=code)
            return {"manage_code": None, "manage_phone": None if phone != OWN else OWN, "manage_tries": float(tries)}
        except Refused as refusal:  # too many wrong phones for this code (429): the service's reason, then stop
            dispatcher.utter_message(response="utter_manage_refused", reason=refusal.detail)
            return {"manage_code": None, "manage_phone": None, "manage_tries": float(TRIES), "manage_action": None}
        return {"manage_code": appointment["code"], "manage_phone": phone, "manage_current": appointment_line(appointment),
                "manage_hall": appointment["hall"]["code"], "manage_item": appointment["item_code"]}

    async def validate_manage_when(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        picked = offered_pick(value, tracker.get_slot("manage_offered") or [])
        if picked is not None:
            day, slot, _window = picked
            return {"manage_when": value, "manage_date": day, "manage_slot": slot, "manage_offered": None}
        hall, item = tracker.get_slot("manage_hall"), tracker.get_slot("manage_item")
        availability = await self.client.availability(hall, value, item)
        if availability.slot is not None:
            free = availability.slot
            return {"manage_when": value, "manage_date": free.date, "manage_slot": free.slot, "manage_offered": None}
        return {"manage_when": None, "manage_offered": offer_alternatives(dispatcher, availability)}

    async def validate_manage_confirmed(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"manage_confirmed": bool(value)}

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        try:
            events = await super().run(dispatcher, tracker, domain)
        except ServiceUnavailable:
            dispatcher.utter_message(response="utter_manage_service_down", hall_phone=_hall_phone())
            return stopped(MANAGE_SLOTS)
        if any(e.get("name") == "manage_action" and e.get("value") is None for e in events if e.get("event") == "slot"):
            return stopped(MANAGE_SLOTS)  # out of tries: the hall's phone was given
        return self.marked_read(tracker, events)


class ManageBooking(UsesService, Action):
    """Shows, cancels or moves the booking the form settled on."""

    def name(self) -> str:
        return "action_manage_booking"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        slot = tracker.get_slot
        action, code = slot("manage_action"), slot("manage_code")
        if not action or not code:
            return cleared(MANAGE_SLOTS)
        try:
            if code == ALL:
                own = await self.client.conversation_appointments(tracker.sender_id)
                dispatcher.utter_message(response="utter_manage_list", bookings=appointment_lines(own),
                                         count=len(own))
            elif action == "view":
                appointment = await self.client.get_appointment(code, proof(tracker))
                dispatcher.utter_message(response="utter_manage_show", booking=appointment_line(appointment),
                                         status=appointment["status_label"],
                                         changes_left=int(appointment["reschedules_left"]))
            elif action == "cancel":
                appointment = await self.client.cancel_appointment(code, proof(tracker))
                dispatcher.utter_message(response="utter_manage_cancelled", booking=appointment_line(appointment))
            else:
                appointment = await self.client.reschedule_appointment(
                    code, proof(tracker), slot("manage_date"), slot("manage_slot"))
                dispatcher.utter_message(response="utter_manage_rescheduled", booking=appointment_line(appointment))
        except ServiceUnavailable:
            dispatcher.utter_message(response="utter_manage_service_down", hall_phone=_hall_phone())
        except ItemNotFound:
            dispatcher.utter_message(response="utter_manage_not_found_call", code=code, hall_phone=_hall_phone())
        except Refused as refusal:
            if action == "reschedule" and refusal.status == 409 and SLOT_TAKEN_MARK in refusal.detail:
                dispatcher.utter_message(response="utter_booking_slot_gone", reason=refusal.detail)
                return reopened(FORM, "manage_when", also_cleared=["manage_date", "manage_slot", "manage_confirmed"])
            dispatcher.utter_message(response="utter_manage_refused", reason=refusal.detail)
        return cleared(MANAGE_SLOTS)


class StopManaging(Action):
    def name(self) -> str:
        return "action_stop_managing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_manage_stopped")
        return stopped(MANAGE_SLOTS)

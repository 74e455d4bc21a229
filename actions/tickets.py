"""After the handoff: the status of a work order, and the 好差评 rating when an agent closes it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet

from actions.api.service_client import ItemNotFound, Refused, ServiceClient, ServiceUnavailable, UsesService
from actions.booking_text import find_mobile
from actions.buttons import intent_payload
from actions.forms import ValidatesAnswersOnly, cleared, stopped
from actions.handoff_text import (
    LOW_RATINGS,
    RATING_LEVELS,
    find_ticket_number,
    local_time,
    mobile_number,
    rating_in,
)
from actions.latest_message import latest_entity, latest_intent, latest_text
from actions.settings import get_settings

HANDOFF_INTENTS = {"complain", "report", "suggest", "seek_help", "request_human"}
STATUS_SLOTS = ["status_number", "status_phone", "status_own"]


async def _own_tickets(client: ServiceClient, tracker: Tracker) -> list[dict[str, Any]]:
    """The orders filed from this conversation (the conversation stands in for the phone)."""
    try:
        return await client.conversation_tickets(tracker.sender_id)
    except (ItemNotFound, Refused):
        return []


class ValidateTicketStatusForm(UsesService, ValidatesAnswersOnly, FormValidationAction):
    """Which order (the number, or this conversation's latest) and, for another's, its phone."""

    def name(self) -> str:
        return "validate_ticket_status_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if tracker.get_slot("status_own"):
            return ["status_number"]
        return ["status_number", "status_phone"]

    async def extract_status_number(self, dispatcher, tracker, domain) -> dict[str, Any]:
        number = find_ticket_number(latest_text(tracker)) or latest_entity(tracker, "ticket_number")
        if number:
            return {"status_number": number}
        if tracker.get_slot("status_number") is None and tracker.get_slot("requested_slot") is None:
            # "我反映的事怎么样了" in the conversation that filed it: its latest order.
            own = await _own_tickets(self.client, tracker)
            if own:
                return {"status_number": own[0]["number"]}
        if tracker.get_slot("requested_slot") == "status_number":
            return {"status_number": "?"}
        return {}

    async def extract_status_phone(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "status_phone":
            return {}
        return {"status_phone": find_mobile(latest_text(tracker)) or "?"}

    async def validate_status_number(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        number = find_ticket_number(str(value))
        if number is None:
            dispatcher.utter_message(response="utter_ticket_number_invalid")
            return {"status_number": None}
        own = await _own_tickets(self.client, tracker)
        return {"status_number": number, "status_own": any(t["number"] == number for t in own)}

    async def validate_status_phone(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        phone = mobile_number(str(value))
        if phone is None:
            dispatcher.utter_message(response="utter_handoff_phone_invalid")
            return {"status_phone": None}
        return {"status_phone": phone}

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        try:
            return await super().run(dispatcher, tracker, domain)
        except ServiceUnavailable:
            dispatcher.utter_message(response="utter_service_unavailable", hall_phone=get_settings().hall_phone)
            return stopped(STATUS_SLOTS)


class TellTicketStatus(UsesService, Action):
    def name(self) -> str:
        return "action_tell_ticket_status"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        number = tracker.get_slot("status_number")
        try:
            if tracker.get_slot("status_own"):
                ticket = next((t for t in await _own_tickets(self.client, tracker) if t["number"] == number), None)
            else:
                ticket = await self.client.ticket_status(number, tracker.get_slot("status_phone") or "")
        except ItemNotFound:
            ticket = None
        except (ServiceUnavailable, Refused):
            dispatcher.utter_message(response="utter_service_unavailable", hall_phone=get_settings().hall_phone)
            return cleared(STATUS_SLOTS)
        if ticket is None:
            dispatcher.utter_message(response="utter_ticket_not_found", number=number)
            return cleared(STATUS_SLOTS)
        dispatcher.utter_message(
            response="utter_ticket_status",
            number=ticket["number"],
            status=ticket["status_label"],
            summary=ticket["summary"],
            deadline=local_time(ticket["deadline"], get_settings().timezone),
        )
        if ticket.get("department"):
            dispatcher.utter_message(response="utter_ticket_department", department=ticket["department"])
        if ticket.get("reply"):
            dispatcher.utter_message(response="utter_ticket_reply", reply=ticket["reply"])
        return cleared(STATUS_SLOTS)


def _rating_buttons() -> list[dict[str, Any]]:
    return [{"title": level, "payload": intent_payload("rate_service", rating=level)} for level in RATING_LEVELS]


class AskRating(Action):
    """The agent closed the order (the service triggers EXTERNAL_ticket_closed): ask for 好差评."""

    def name(self) -> str:
        return "action_ask_rating"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        number = latest_entity(tracker, "ticket_number")
        dispatcher.utter_message(
            response="utter_ask_rating",
            number=number,
            buttons=_rating_buttons(),
        )
        return [SlotSet("rating_ticket", number)]


class RateTicket(UsesService, Action):
    def name(self) -> str:
        return "action_rate_ticket"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        number = tracker.get_slot("rating_ticket")
        if not number:
            dispatcher.utter_message(response="utter_thank")
            return []
        level = latest_entity(tracker, "rating")
        level = level if level in RATING_LEVELS else rating_in(latest_text(tracker))
        if level is None and latest_intent(tracker) in HANDOFF_INTENTS:
            # Not a rating: a new matter while the rating question waits. It goes to 12345 too.
            return [SlotSet("rating_ticket", None), FollowupAction("action_start_handoff")]
        if level is None:
            dispatcher.utter_message(response="utter_rating_unclear", buttons=_rating_buttons())
            return []
        try:
            await self.client.rate_ticket(tracker.sender_id, number, level)
        except ServiceUnavailable:
            dispatcher.utter_message(response="utter_rating_not_sent")
            return []
        except (Refused, ItemNotFound) as refusal:
            dispatcher.utter_message(response="utter_rating_refused", reason=getattr(refusal, "detail", ""))
            return [SlotSet("rating_ticket", None)]
        response = "utter_rating_thanks_low" if level in LOW_RATINGS else "utter_rating_thanks"
        dispatcher.utter_message(response=response, rating=level, number=number,
                                 hall_phone=get_settings().hall_phone)
        return [SlotSet("rating_ticket", None)]

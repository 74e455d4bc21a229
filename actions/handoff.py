"""Handing a citizen to the 12345 queue: what happened, where, a phone, confirm, file a work order.

Starts on a complaint, report, suggestion, request for help or for a person, after two
messages the bot could not understand, and on an unclear one that names 投诉/举报/建议/求助
(actions/fallback.py). The service reads type, topic, place and phone from the
words (POST /api/tickets/draft) so only what is missing is asked; the agent corrects the rest.
"""

from __future__ import annotations

import uuid
from typing import Any

from rasa_sdk import Action, FormValidationAction
from rasa_sdk.events import FollowupAction, SlotSet

from actions import mentioned_phone
from actions.api.service_client import Refused, ServiceClient, ServiceUnavailable, UsesService
from actions.booking_text import find_mobile
from actions.channels import channel_of
from actions.fallback import FAILURES_BEFORE_HANDOFF, consecutive_fallbacks
from actions.forms import ReadsEachMessageOnce, ValidatesAnswersOnly
from actions.forms import answering, cleared, reopened, says_confirmed, stopped
from actions.handoff_text import (
    CONFIRMING_WORDS,
    CONSULTATION,
    NO_PLACE,
    TYPE_OF_INTENT,
    TYPES_WITH_PLACE,
    is_substantive,
    local_time,
    mobile_number,
    place_answer,
    stated_type,
    transcript,
)
from actions.latest_message import (
    FALLBACK_INTENT,
    latest_intent,
    latest_message_id,
    latest_text,
    previous_question,
)
from actions.settings import get_settings
from common.personal_data import mask_as_typed, mask_mobiles

FORM = "handoff_form"
CONSULTATION_INTENT = "request_consultation"
STOPS = {"deny"}
TRANSCRIPT_LINES = 20
TRANSCRIPT_LINE_CHARS = 300
HANDOFF_SLOTS = [
    "handoff_type", "handoff_content", "handoff_place", "handoff_phone", "handoff_phone_masked",
    "handoff_topic", "handoff_confirmed", "handoff_read_message", "handoff_nonce",
]


class StartHandoff(UsesService, Action):
    """Sets the handoff up from the message that asked for it; the form then asks what is missing."""

    def name(self) -> str:
        return "action_start_handoff"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        events = await self._start(dispatcher, tracker)
        kept = tracker.get_slot(mentioned_phone.SLOT)
        if not kept:
            return events
        # The number a question gave, unless the words just read gave one; no longer kept apart
        # then: the form's slots hold it until the order is filed.
        read = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}.get("handoff_phone")
        return events + [SlotSet(mentioned_phone.SLOT, None)] + ([] if read else phone_slots(kept))

    async def _start(self, dispatcher, tracker) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        events = [SlotSet(name, None) for name in HANDOFF_SLOTS] + [SlotSet("handoff_nonce", uuid.uuid4().hex[:12])]
        fell_back = latest_intent(tracker) == FALLBACK_INTENT
        if latest_intent(tracker) == CONSULTATION_INTENT:
            # The referred question (the message before the button) is the consultation.
            question = previous_question(tracker.events)
            dispatcher.utter_message(response="utter_handoff_consultation_start")
            events.append(SlotSet("handoff_type", CONSULTATION))
            if question:
                events += [e for e in await prefill(self.client, question) if e["name"] != "handoff_type"]
                events += [SlotSet("handoff_content", mask_as_typed(question)),
                           SlotSet("handoff_read_message", latest_message_id(tracker))]
            return events
        if fell_back and consecutive_fallbacks(tracker.events) >= FAILURES_BEFORE_HANDOFF and not stated_type(text):
            # Two messages not understood (action_handle_fallback): they are the matter, as far
            # as the bot can tell.
            content = "；".join(not_understood(tracker.events)) or None
            dispatcher.utter_message(response="utter_handoff_not_understood")
        else:
            content = text if is_substantive(text) else None
            dispatcher.utter_message(response="utter_handoff_start")
        if fell_back:
            events.append(FollowupAction(FORM))  # no rule follows a fallback with the form
        if content:
            events += await prefill(self.client, content)
            events += [SlotSet("handoff_content", mask_as_typed(content)),
                       SlotSet("handoff_read_message", latest_message_id(tracker))]
        # After the service's suggestion: the type the citizen names, or the intent's, wins.
        kind = stated_type(text) or TYPE_OF_INTENT.get(latest_intent(tracker))
        if kind:
            events.append(SlotSet("handoff_type", kind))
        return events


def not_understood(events: list[dict[str, Any]]) -> list[str]:
    """The latest run of user messages the NLU fell back on, oldest first."""
    texts = []
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        if event.get("parse_data", {}).get("intent", {}).get("name") != FALLBACK_INTENT:
            break
        texts.append(event.get("text") or "")
    return [t for t in reversed(texts) if t and not t.startswith("/")]  # not button payloads


async def prefill(client: ServiceClient, content: str) -> list[dict[str, Any]]:
    """Phone, place and topic the service reads from the words; nothing when it is down."""
    try:
        draft = await client.draft_ticket(content)
    except (ServiceUnavailable, Refused):
        return []
    topic = draft.get("topic") or {}
    events = [SlotSet("handoff_topic", "/".join(filter(None, (topic.get("l1"), topic.get("l2")))) or None),
              SlotSet("handoff_type", draft.get("type"))]
    if draft.get("place"):
        events.append(SlotSet("handoff_place", draft["place"]))
    if draft.get("phone"):
        events += phone_slots(draft["phone"])
    return events


def phone_slots(number: str) -> list[dict[str, Any]]:
    return [SlotSet("handoff_phone", number), SlotSet("handoff_phone_masked", mask_mobiles(number))]


class ValidateHandoffForm(UsesService, ValidatesAnswersOnly, ReadsEachMessageOnce, FormValidationAction):
    read_slot = "handoff_read_message"

    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        slots = ["handoff_content"]
        if tracker.get_slot("handoff_type") in TYPES_WITH_PLACE:
            slots.append("handoff_place")
        return slots + ["handoff_phone", "handoff_confirmed"]

    async def extract_handoff_content(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"handoff_content": latest_text(tracker)} if answering(tracker, "handoff_content", STOPS) else {}

    async def extract_handoff_place(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if not answering(tracker, "handoff_place", STOPS):
            return {}
        return {"handoff_place": place_answer(latest_text(tracker))}

    async def extract_handoff_phone(self, dispatcher, tracker, domain) -> dict[str, Any]:
        found = find_mobile(latest_text(tracker))
        if found and tracker.get_slot("requested_slot"):
            return {"handoff_phone": found}  # the answer, or a correction at the confirmation
        if answering(tracker, "handoff_phone", STOPS):
            return {"handoff_phone": "?"}
        return {}

    async def extract_handoff_confirmed(self, dispatcher, tracker, domain) -> dict[str, Any]:
        # A new number at the confirmation corrects the phone; it confirms nothing.
        if (tracker.get_slot("requested_slot") == "handoff_confirmed" and not find_mobile(latest_text(tracker))
                and says_confirmed(tracker, CONFIRMING_WORDS)):
            return {"handoff_confirmed": True}
        return {}

    async def validate_handoff_content(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        if not value:  # no words: the form asks
            return {"handoff_content": None}
        events = {}
        for event in await prefill(self.client, value):
            if not tracker.get_slot(event["name"]):
                events[event["name"]] = event["value"]
        return {**events, "handoff_content": mask_as_typed(value)}

    async def validate_handoff_phone(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        phone = mobile_number(str(value))
        if phone is None:
            dispatcher.utter_message(response="utter_handoff_phone_invalid")
            return {"handoff_phone": None}
        return {"handoff_phone": phone, "handoff_phone_masked": mask_mobiles(phone)}

    async def validate_handoff_confirmed(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return {"handoff_confirmed": bool(value)}

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        return self.marked_read(tracker, await super().run(dispatcher, tracker, domain))


class AskHandoffConfirmed(Action):
    def name(self) -> str:
        return "action_ask_handoff_confirmed"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        slot = tracker.get_slot
        place = slot("handoff_place")
        dispatcher.utter_message(
            response="utter_ask_handoff_confirmed" if place else "utter_ask_handoff_confirmed_no_place",
            kind=slot("handoff_type"),
            topic=slot("handoff_topic"),
            content=slot("handoff_content"),
            place=place,
            phone=slot("handoff_phone_masked"),
        )
        return []


class SubmitHandoff(UsesService, Action):
    def name(self) -> str:
        return "action_submit_handoff"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        slot = tracker.get_slot
        place = slot("handoff_place")
        # The topic the citizen confirmed is the one filed (the service would classify again).
        topic_l1, _, topic_l2 = (slot("handoff_topic") or "").partition("/")
        ticket = {
            "channel": channel_of(tracker),
            "phone": slot("handoff_phone"),
            "type": slot("handoff_type"),
            "topic_l1": topic_l1 or None,
            "topic_l2": topic_l2 or None,
            "content": slot("handoff_content"),
            "place": place if place and place != NO_PLACE else None,
            "item_code": slot("item_code"),
            "conversation_id": tracker.sender_id,
            "transcript": transcript(tracker.events, limit=TRANSCRIPT_LINES, line_chars=TRANSCRIPT_LINE_CHARS),
        }
        key = f"bot-{slot('handoff_nonce') or uuid.uuid4().hex[:12]}"
        try:
            created = await self.client.create_ticket(ticket, key)
        except ServiceUnavailable:
            dispatcher.utter_message(response="utter_handoff_not_sent")
            return reopened(FORM, "handoff_confirmed")
        except Refused as refusal:
            if not (refusal.status == 422 and ticket.get("item_code")):
                dispatcher.utter_message(response="utter_handoff_refused", reason=refusal.detail)
                return cleared(HANDOFF_SLOTS)
            # The service does not know the item the bot guessed: the order goes without it.
            ticket["item_code"] = None
            try:
                created = await self.client.create_ticket(ticket, key + "-no-item")
            except ServiceUnavailable:
                dispatcher.utter_message(response="utter_handoff_not_sent")
                return reopened(FORM, "handoff_confirmed")
            except Refused as again:
                dispatcher.utter_message(response="utter_handoff_refused", reason=again.detail)
                return cleared(HANDOFF_SLOTS)
        back = created.get("agents_back_at")
        timezone = get_settings().timezone
        dispatcher.utter_message(
            response="utter_handoff_done" if created.get("agents_on_duty") else "utter_handoff_done_after_hours",
            number=created["number"],
            deadline=local_time(created["deadline"], timezone),
            agent_hours=created.get("agent_hours"),
            back_at=local_time(back, timezone) if back else None,
        )
        # For the web chat: from now on it collects agent messages for this conversation.
        dispatcher.utter_message(json_message={"handoff": {"ticket": created["number"]}})
        # The phone and the content are on the order now; the conversation does not keep them.
        return cleared(HANDOFF_SLOTS) + [SlotSet("handoff_ticket", created["number"])]


class StopHandoff(Action):
    def name(self) -> str:
        return "action_stop_handoff"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_handoff_stopped", hall_phone=get_settings().hall_phone)
        return stopped(HANDOFF_SLOTS)

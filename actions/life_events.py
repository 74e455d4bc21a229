"""高效办成一件事: "我要开个饭馆", "孩子出生了要办什么" — the life event's merged notice and card."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import life_event_text as words
from actions.api.service_client import (
    ItemNotFound,
    LifeEventHit,
    LifeEventNotice,
    ServiceUnavailable,
    UsesService,
)
from actions.buttons import intent_payload, numbered_buttons
from actions.latest_message import latest_entity, latest_text
from actions.settings import get_settings
from common.chat_messages import pack_messages

INTENT = "ask_life_event"
CHOICES_OFFERED = 3


class ActionAnswerLifeEvent(UsesService, Action):
    def name(self) -> str:
        return "action_answer_life_event"

    async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        try:
            await self._answer(dispatcher, tracker)
        except ServiceUnavailable:
            dispatcher.utter_message(
                response="utter_service_unavailable", hall_phone=get_settings().hall_phone
            )
        return []

    async def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        situation = latest_entity(tracker, "situation")
        code = latest_entity(tracker, "life_event")
        notice = await self._notice(code, situation) if code else None
        if notice is None:
            # No entity, or a name the service does not know: the whole message is searched.
            result = await self.client.find_life_events(latest_text(tracker))
            if not result.confident:
                await self._offer(dispatcher, result.hits[:CHOICES_OFFERED])
                return
            notice = await self._notice(result.hits[0].code, None)
            if notice is None:
                await self._offer(dispatcher, [])
                return
        for message in pack_messages(notice.sections, get_settings().max_message_chars, len):
            dispatcher.utter_message(text=message)
        dispatcher.utter_message(json_message=words.life_event_card(notice))
        window = notice.window or {}
        if window.get("booking_item_code"):
            dispatcher.utter_message(
                response="utter_offer_life_event_booking", window_name=window["window_name"],
                buttons=[{"title": words.BOOK_THE_WINDOW, "payload": intent_payload("book_appointment", life_event=notice.code)}],
            )
        if notice.situations and not situation:
            dispatcher.utter_message(
                response="utter_choose_life_event_situation",
                buttons=numbered_buttons(
                    (s.name, intent_payload(INTENT, life_event=notice.code, situation=s.id))
                    for s in notice.situations
                ),
            )

    async def _notice(self, code: str, situation: Optional[str]) -> Optional[LifeEventNotice]:
        """The merged notice, or None for an unknown code; an unknown situation falls back to all."""
        for chosen in dict.fromkeys((situation, None)):
            try:
                return await self.client.get_life_event_notice(code, chosen)
            except ItemNotFound:
                continue
        return None

    async def _offer(self, dispatcher: CollectingDispatcher, hits: list[LifeEventHit]) -> None:
        """Likely life events as buttons; with none likely, every life event the hall bundles."""
        options = hits or await self.client.list_life_events()
        dispatcher.utter_message(
            response="utter_choose_life_event" if hits else "utter_ask_which_life_event",
            buttons=numbered_buttons(
                (hit.name, intent_payload(INTENT, life_event=hit.code)) for hit in options
            ),
        )

"""What the forms' actions share: telling an answer from a question or a stop, validating
answers only, reading each message once, and the events that clear, stop or reopen a form."""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.latest_message import latest_intent, latest_message_id, latest_text


def answering(tracker: Tracker, slot: str, ignored_intents: Collection[str]) -> bool:
    """The latest message answers the form's question about `slot`, unless its intent is one
    the form leaves to the rules (a question about something else, a stop)."""
    return tracker.get_slot("requested_slot") == slot and latest_intent(tracker) not in ignored_intents


def says_confirmed(tracker: Tracker, words: Iterable[str]) -> bool:
    """A yes to "确认提交吗?": the affirm intent, or one of the words typed ("确认", "没问题")."""
    return latest_intent(tracker) == "affirm" or any(word in latest_text(tracker) for word in words)


def filled_something(events: list[dict[str, Any]]) -> bool:
    return any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events)


def cleared(slots: Iterable[str]) -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in slots] + [SlotSet("requested_slot", None)]


def stopped(slots: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The form ends now, these slots emptied."""
    return [ActiveLoop(None)] + cleared(slots)


def reopened(form: str, slot: str, also_cleared: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The form runs again from the question about `slot` (after a failed submit)."""
    return [SlotSet(name, None) for name in (*also_cleared, slot)] + [
        ActiveLoop(form), SlotSet("requested_slot", slot)]


class ReadsEachMessageOnce:
    """Mixed into a form's validator: each of the citizen's messages is read once.

    The form also runs its validator when it starts after an action that already read the
    message, and when it resumes after another action (a question answered, a failed submit);
    read twice, a "确认" would confirm twice. `read_slot` keeps the id of the last message read.
    """

    read_slot: str

    def already_read(self, tracker: Tracker) -> bool:
        message_id = latest_message_id(tracker)
        return bool(message_id) and message_id == tracker.get_slot(self.read_slot)

    async def get_extraction_events(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        if self.already_read(tracker):
            return []
        return await super().get_extraction_events(dispatcher, tracker, domain)

    def marked_read(self, tracker: Tracker, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The validator's events, and the message marked read if it filled something. One that
        filled nothing leaves the form rejected, so that the rules answer it or stop the form."""
        if filled_something(events) and not self.already_read(tracker):
            return events + [SlotSet(self.read_slot, latest_message_id(tracker))]
        return events


class ValidatesAnswersOnly:
    """Mixed into every form's validator: a slot the action that started the form cleared is no
    answer to validate.

    rasa_sdk validates every slot set since the last event that is not a slot, and when a form
    starts, those are the start action's resets (None). Validated, they told the citizen
    "这个号码好像不对" before any number was asked for (我要投诉), or asked the service for a
    new date of None, which it refused, and the change of a booking ended without a word
    (我想改一下预约时间). A slot whose latest value in that run is None is left out.
    """

    async def get_validation_events(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
        return await super().get_validation_events(dispatcher, without_cleared_candidates(tracker), domain)


def without_cleared_candidates(tracker: Tracker) -> Tracker:
    """The tracker with the slots cleared in its closing run of slot events left out of that run;
    it shares the slots, which the validators update as they go."""
    run = 0
    for event in reversed(tracker.events):
        if event.get("event") != "slot":
            break
        run += 1
    latest = {e["name"]: e.get("value") for e in tracker.events[len(tracker.events) - run:]}
    if all(value is not None for value in latest.values()):
        return tracker
    answers = copy.copy(tracker)  # shallow: the same slots dict, a list of events of its own
    answers.events = tracker.events[: len(tracker.events) - run] + [
        e for e in tracker.events[len(tracker.events) - run:] if latest[e["name"]] is not None
    ]
    return answers

"""Choosing a booking's day and slot, shared by a new booking and a moved one: reading which
offered time an answer picks, and offering the nearest free slots when the time asked is not free."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk.executor import CollectingDispatcher

from actions.api.service_client import Availability, FreeSlot
from actions.booking_text import slot_label
from actions.buttons import intent_payload, numbered_buttons
from common.choices import resolve_choice


def pick_payload(free: FreeSlot) -> str:
    return intent_payload("inform", slot_choice=f"{free.date}|{free.slot}|{free.window}")


def offered_pick(value: str, offered: list[dict[str, Any]]) -> Optional[tuple[str, str, str]]:
    """(day, slot, window) of the offered time the answer picks: a tapped button's id, its
    number or its words; None when it picks none."""
    picked = next((o for o in offered if o["id"] == value), None)
    if picked is None and offered:
        index = resolve_choice(value, [o["label"] for o in offered])
        picked = offered[index] if index is not None else None
    if picked is None:
        return None
    day, slot, window = picked["id"].split("|")
    return day, slot, window


def offer_alternatives(dispatcher: CollectingDispatcher, availability: Availability) -> Optional[list[dict[str, Any]]]:
    """Says why the time asked is not free and offers the nearest free slots as buttons; returns
    the offer, to keep in the form's slot (None when nothing is free)."""
    alternatives = availability.alternatives
    dispatcher.utter_message(
        response="utter_booking_time_unavailable",
        reason=availability.reason or "",
        buttons=numbered_buttons((slot_label(a.date, a.slot), pick_payload(a)) for a in alternatives),
    )
    return [{"id": f"{a.date}|{a.slot}|{a.window}", "label": slot_label(a.date, a.slot)}
            for a in alternatives] or None

"""A mobile number the citizen wrote in a question, kept for a 12345 form that may follow.

The tracker store masks numbers in the messages it keeps (bot/stored_personal_data.py), so a later
turn cannot read one from an earlier message: a consultation started after a referral, or after
messages that were not understood, would ask again for the number the citizen gave. A slot holds
it instead, as typed while it holds it; the store masks it once it no longer does, and when the
session expires. The handoff form takes it (actions/handoff.py: StartHandoff)."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet

from actions.handoff_text import mobile_number

SLOT = "mentioned_phone"


def remember(text: str) -> list[dict[str, Any]]:
    """The number a question holds, kept; nothing when it holds none (an earlier one stays)."""
    number = mobile_number(text or "")
    return [SlotSet(SLOT, number)] if number else []


"""What the tracker store keeps of citizens' ID numbers, mobile numbers and names: only what a form
still needs.

Rasa's tracker store keeps every event of a conversation for good. Stored as they came, a booking's
name, ID number and mobile number would stay in the citizen's messages and in the form's slots long
after the booking was made (个人信息保护法: keep personal data no longer than its purpose needs). So:
- a citizen's message is stored masked (text, parse data, entities): ID and mobile numbers wherever
  they stand, a name where the form took it from the message. The turn that reads them runs on the
  tracker in memory, as typed, and sets them into slots; later turns read the slots, not the message.
  The bot's replies likewise (a booking's summary shows the name, for the citizen to check);
- a personal slot (PERSONAL_SLOTS) keeps the value as typed only while it holds it: once the slot
  no longer does (the form ended and cleared it, the citizen corrected it, the session restarted),
  the value is masked, in the events being saved and in those stored before;
- a form left half-way holds its numbers until the session expires: the conversations whose slots
  hold one are listed in HELD, and `mask_abandoned` masks those idle past the session's expiry
  (their next message starts a new session, with empty slots).

Masking is common.personal_data's, as in logs and work orders: 138****5678, 110***********1234, 张*.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Text

import sqlalchemy as sa
from rasa.shared.core.events import (
    AllSlotsReset,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from bot.store_tables import METADATA
from common.personal_data import mask_as_typed, mask_name

# The slots that hold a mobile or ID number as typed (the forms', and a number written in a question);
# a form's *_masked twins hold it masked.
NUMBER_SLOTS = frozenset(
    {
        "applicant_phone", "applicant_id", "agent_phone", "agent_id",
        "case_phone", "manage_phone", "handoff_phone", "status_phone", "mentioned_phone",
    }
)
# The slots the booking form fills with a person's name.
NAME_SLOTS = frozenset({"applicant_name", "agent_name"})
PERSONAL_SLOTS = NUMBER_SLOTS | NAME_SLOTS
# Events after which a slot may no longer hold the value it held.
_RESETS = (Restarted, AllSlotsReset, SessionStarted)

# A conversation whose slots held a personal value when it was last saved (seconds since the epoch).
HELD = sa.Table(
    "personal_slots_held",
    METADATA,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("saved_at", sa.Float, nullable=False, index=True),
)


def masked(value: Any, names: Iterable[Text] = ()) -> Any:
    """Every string inside the value with its ID and mobile numbers masked, and these names; anything
    else as it is."""
    if isinstance(value, str):
        text = mask_as_typed(value)
        for name in names:
            text = text.replace(name, mask_name(name))
        return text
    if isinstance(value, dict):
        return {key: masked(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item, names) for item in value]
    return value


def masked_slot_value(slot: Text, value: Any) -> Any:
    return mask_name(value) if slot in NAME_SLOTS and isinstance(value, str) else masked(value)


# --- the events of one save ---------------------------------------------------------------------

def names_taken(events: Iterable[Event], current_slots: Dict[Text, Any]) -> List[Text]:
    """The names the forms hold or took in these events: what the citizen's messages must not show."""
    values = [current_slots.get(slot) for slot in NAME_SLOTS]
    values += [e.value for e in events if isinstance(e, SlotSet) and e.key in NAME_SLOTS]
    # Longest first, so that 欧阳娜娜 is masked whole before a shorter name inside it.
    return sorted({v for v in values if isinstance(v, str) and mask_name(v) != v}, key=len, reverse=True)


def for_storage(event: Event, current_slots: Dict[Text, Any], names: Iterable[Text] = ()) -> Event:
    """The event as the store should write it, given the slots' values after the turn and the names
    taken (`names_taken`); the event itself when nothing in it is to be masked."""
    if isinstance(event, (UserUttered, BotUttered)):
        as_typed = event.as_dict()
        written = masked(as_typed, names)
        return event if written == as_typed else Event.from_parameters(written)
    if is_stale_personal_value(event, current_slots):
        value = masked_slot_value(event.key, event.value)
        if value != event.value:
            return SlotSet(event.key, value, timestamp=event.timestamp, metadata=event.metadata)
    return event


def is_stale_personal_value(event: Event, current_slots: Dict[Text, Any]) -> bool:
    return (
        isinstance(event, SlotSet)
        and event.key in PERSONAL_SLOTS
        and event.value is not None
        and event.value != current_slots.get(event.key)
    )


def may_leave_stale_values(events: Iterable[Event]) -> bool:
    """Whether, after these events, a personal slot may no longer hold what earlier events stored."""
    return any(isinstance(e, _RESETS) or (isinstance(e, SlotSet) and e.key in PERSONAL_SLOTS) for e in events)


def holds_personal_value(current_slots: Dict[Text, Any]) -> bool:
    return any(current_slots.get(name) is not None for name in PERSONAL_SLOTS)


def masked_slot_data(data: Text, current_slots: Dict[Text, Any]) -> Text | None:
    """A stored slot event's JSON with its value masked when the slot no longer holds it; None when
    it stays as it is."""
    event = Event.from_parameters(json.loads(data))
    written = for_storage(event, current_slots)
    return None if written is event else json.dumps(written.as_dict())


# --- the events already stored (inside a transaction of the tracker store's database) -----------

def mask_stored_stale_values(session: Any, sql_event: Any, sender_id: Text, current_slots: Dict[Text, Any],
                             *, before: float | None = None) -> None:
    """Masks the stored personal slot values of the conversation that its slots no longer hold (of
    events older than `before`, if given). `sql_event` is the store's model (SQLTrackerStore.SQLEvent)."""
    rows = session.query(sql_event).filter(
        sql_event.sender_id == sender_id,
        sql_event.type_name == SlotSet.type_name,
        sql_event.action_name.in_(PERSONAL_SLOTS),  # a slot event's action_name is the slot's name
        sa.true() if before is None else sql_event.timestamp < before,
    )
    for row in rows:
        data = masked_slot_data(row.data, current_slots)
        if data is not None:
            row.data = data


def note_saved(session: Any, sender_id: Text, current_slots: Dict[Text, Any], saved_at: float) -> None:
    """Keeps HELD up to date after a save: listed while its slots hold a personal value, gone once none does."""
    session.execute(HELD.delete().where(HELD.c.sender_id == sender_id))
    if holds_personal_value(current_slots):
        session.execute(HELD.insert().values(sender_id=sender_id, saved_at=saved_at))


def mask_abandoned(session: Any, sql_event: Any, idle_before: float) -> List[Text]:
    """Masks the personal values of the forms left in conversations last saved before `idle_before`;
    the conversations masked."""
    senders = list(session.execute(sa.select(HELD.c.sender_id).where(HELD.c.saved_at < idle_before)).scalars())
    for sender_id in senders:
        # Only the expired session's events: a new one may have begun a form since the list was read.
        mask_stored_stale_values(session, sql_event, sender_id, {}, before=idle_before)
        session.execute(HELD.delete().where(HELD.c.sender_id == sender_id, HELD.c.saved_at < idle_before))
    return senders

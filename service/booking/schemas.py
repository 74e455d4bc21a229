"""Request and response schemas of the pre-registration API."""

from datetime import date, datetime, time
from typing import Annotated, Literal

from fastapi import Header
from pydantic import BaseModel, Field

from service.booking.models import Status
from service.core.fields import IdNumber, Mobile, PersonName, StatusChangeOut, StrictIn
from service.core.text_input import CitizenText

Code = Annotated[str, Field(min_length=1, max_length=32)]
SlotLabel = Annotated[str, Field(min_length=1, max_length=16)]
MaterialName = Annotated[str, Field(min_length=1, max_length=200)]
ConversationId = Annotated[str, Field(min_length=1, max_length=128)]
# A booking's retries carry the same key (the bot derives it from the conversation and the answers).
IdempotencyKeyHeader = Annotated[
    str, Header(alias="Idempotency-Key", min_length=8, max_length=128, pattern=r"^[A-Za-z0-9_\-:.]+$")
]
# The channel a booking came through: its reminder goes back the same way (wechat) or by SMS.
Channel = Literal["web", "wechat", "rest", "hotline"]


class PersonIn(StrictIn):
    name: PersonName
    phone: Mobile
    id_number: IdNumber


class AppointmentIn(StrictIn):
    item_code: Code
    situation: Annotated[str, Field(max_length=32)] | None = None
    hall: Annotated[str, Field(min_length=1, max_length=8)]
    date: date
    slot: SlotLabel
    name: PersonName
    phone: Mobile
    id_number: IdNumber
    agent: PersonIn | None = None
    materials_ready: Annotated[list[MaterialName], Field(max_length=50)] = []
    materials_missing: Annotated[list[MaterialName], Field(max_length=50)] = []
    channel: Channel | None = None
    # Only the bot may name one (the router checks): that conversation may later find the booking.
    conversation_id: ConversationId | None = None


class AvailabilityIn(StrictIn):
    when: CitizenText
    item: Code


class ProofIn(StrictIn):
    """The phone the booking was made with; or, from the bot only, the conversation that made it."""

    phone: Mobile | None = None
    conversation_id: ConversationId | None = None


class RescheduleIn(ProofIn):
    date: date
    slot: SlotLabel


class StatusIn(StrictIn):
    status: Literal[Status.ARRIVED, Status.DONE, Status.NO_SHOW]
    by: Annotated[str, Field(max_length=30)] | None = None  # the staff member, for the event log


class WindowOut(BaseModel):
    code: str
    name: str
    hours: str


class HallOut(BaseModel):
    code: str
    name: str
    address: str
    phone: str
    hours: str
    slots: list[str]
    windows: list[WindowOut]


class SlotOut(BaseModel):
    slot: str
    start: time
    end: time
    capacity: int
    booked: int
    free: int
    bookable: bool  # false once the slot has started, or when it is full


class SlotsOut(BaseModel):
    hall: str
    date: date
    item_code: str
    item_name: str
    window: str
    open: bool
    reason: str | None
    slots: list[SlotOut]


class RequestedOut(BaseModel):
    earliest: date
    latest: date
    period: Literal["morning", "afternoon"] | None
    at: time | None
    text: str


class FreeSlotOut(BaseModel):
    date: date
    slot: str
    free: int
    window: str


class AvailabilityOut(BaseModel):
    requested: RequestedOut | None
    slot: FreeSlotOut | None
    alternatives: list[FreeSlotOut]
    reason: str | None


class HallBrief(BaseModel):
    code: str
    name: str
    address: str
    phone: str


class AgentOut(BaseModel):
    name: str
    phone: str
    id_number: str


class BundleOut(BaseModel):
    """The life-event bundle a booking covers (高效办成一件事): its items done at the same window."""

    code: str
    name: str
    items: list[str]


class AppointmentOut(BaseModel):
    """What the citizen sees: personal data masked."""

    code: str
    status: Status
    status_label: str
    hall: HallBrief
    item_code: str
    item_name: str
    situation: str | None
    date: date
    slot: str
    window: str
    name: str
    phone: str
    id_number: str
    agent: AgentOut | None
    materials_ready: list[str]
    materials_missing: list[str]
    created_at: datetime
    # How many more times this booking may change its time (the hall's policy).
    reschedules_left: int
    bundle: BundleOut | None = None


class EventOut(StatusChangeOut[Status]):
    pass


class StaffAppointmentOut(AppointmentOut):
    """What window staff see: the phone in full too (they call citizens), the ID number masked."""

    phone_full: str
    agent_phone_full: str | None
    events: list[EventOut]


class StaffDayOut(BaseModel):
    date: date
    hall: HallBrief
    slots: list[str]
    appointments: list[StaffAppointmentOut]


class PersonCheckIn(StrictIn):
    """Any of the fields a citizen has typed so far; each is checked on its own."""

    name: Annotated[str, Field(max_length=60)] | None = None
    phone: Annotated[str, Field(max_length=32)] | None = None
    id_number: Annotated[str, Field(max_length=32)] | None = None


class FieldCheckOut(BaseModel):
    ok: bool
    value: str | None  # normalised ("138 1234 5678" → "13812345678") when ok
    masked: str | None  # how replies may show it
    reason: str | None  # why not, in Chinese, when not ok


class PersonCheckOut(BaseModel):
    name: FieldCheckOut | None = None
    phone: FieldCheckOut | None = None
    id_number: FieldCheckOut | None = None

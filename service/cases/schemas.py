"""Request and response schemas of the case-tracking (办件进度) API."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from service.cases.deadlines import Warning
from service.cases.models import CaseStatus
from service.core import templates as t
from service.core.fields import IdNumber, Mobile, PersonName, StatusChangeOut, StrictIn

StaffName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
MaterialName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# Rasa's sender id: a web chat's random id, "wechat:<openid>" for WeChat (as the work orders take it).
ConversationId = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[\w:.\-]+$")]
ChannelName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]


class CaseIn(StrictIn):
    """A case the window accepts: from a booking (its code brings item and applicant), or a walk-in."""

    staff: StaffName
    appointment_code: Annotated[str, Field(min_length=1, max_length=24)] | None = None
    item_code: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    applicant: PersonName | None = None
    phone: Mobile | None = None
    id_number: IdNumber | None = None
    channel: ChannelName | None = None
    conversation_id: ConversationId | None = None
    promised_days: Annotated[int, Field(ge=1, le=365)] | None = Field(
        default=None, description="承诺时限 in working days, given by the window only for an item whose "
                                  "guide does not publish one (an imported guide); refused otherwise")

    @model_validator(mode="after")
    def _booking_or_walk_in(self) -> "CaseIn":
        person = (self.item_code, self.applicant, self.phone, self.id_number)
        if self.appointment_code is not None:
            if any(value is not None for value in (*person, self.channel, self.conversation_id)):
                raise ValueError(t.CASE_FROM_BOOKING_ONLY_CODE)
        elif any(value is None for value in person):
            raise ValueError(t.CASE_WALK_IN_NEEDS_PERSON)
        return self


class StepIn(StrictIn):
    """A staff step on a case; `reason` is required to reject (不予) or return (退回), `materials`
    (at least one) to ask for 补正; elsewhere `reason` is kept as a note."""

    staff: StaffName
    reason: Reason | None = None
    materials: Annotated[list[MaterialName], Field(max_length=50)] = []


class EventOut(StatusChangeOut[CaseStatus]):
    materials: list[str] | None


class DeadlineOut(BaseModel):
    accepted_on: date
    promised_days: int = Field(description="承诺时限 in working days, from the day after acceptance")
    paused_days: int = Field(description="working days of 补正 left out of the limit so far")
    due_on: date = Field(description="the last day of the promised time limit (补正 days added)")
    warning: Warning
    warning_label: str
    working_days_left: int | None = Field(description="after today up to due_on; null while paused or finished")


class CaseStatusOut(BaseModel):
    """What the applicant (or the bot on their behalf) sees: phone and name masked, no staff names."""

    number: str
    item_code: str
    item_name: str
    department: str
    applicant: str
    phone: str
    status: CaseStatus
    status_label: str
    next_step: str = Field(description="what happens next, one sentence for the citizen")
    materials_missing: list[str] = Field(description="in 补正: exactly what to bring; otherwise empty")
    reason: str | None = Field(description="why it was rejected (不予) or returned (退回)")
    deadline: DeadlineOut
    updated_at: datetime


class CaseBrief(BaseModel):
    """One row of the staff's lists and of the supervision view."""

    number: str
    item_code: str
    item_name: str
    department: str
    applicant: str
    status: CaseStatus
    status_label: str
    deadline: DeadlineOut
    materials_missing: list[str] = Field(description="in 补正: what the applicant still has to bring")
    reason: str | None = Field(description="why it was rejected (不予) or returned (退回)")
    overdue: bool = Field(description="超时默认 flagged: found past its deadline")
    created_at: datetime


class CaseOut(CaseBrief):
    """The full case for staff: the phone unmasked, the ID number masked, the history and the next steps."""

    appointment_code: str | None
    phone: str
    id_number: str
    channel: str | None
    conversation: bool = Field(description="a chat is attached: changes are pushed there")
    overdue_at: datetime | None
    events: list[EventOut]
    allowed_actions: list[str]


class DepartmentWatch(BaseModel):
    department: str
    yellow: int
    red: int
    cases: list[CaseBrief] = Field(description="red first, then by deadline")


class SupervisionOut(BaseModel):
    """电子监察: open cases near (yellow) or past (red) their deadline, by department."""

    as_of: date
    yellow: int
    red: int
    departments: list[DepartmentWatch]


class OverdueCheckOut(BaseModel):
    flagged: list[str] = Field(description="cases newly flagged 超时默认")
    deemed_approved: list[str] = Field(description="of those, the cases deemed approved (视为准予) by policy")

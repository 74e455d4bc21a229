"""HTTP routes of case tracking (办件进度): parse the request, call the cases modules, answer.

Window staff (staff token) accept cases, take them through their states and watch deadlines;
the applicant reads a case with its number and phone; the bot (bot token) reads the cases of
the conversation it is in.
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response, status
from fastapi.responses import FileResponse

from service.cases import intake, lookup, overdue, views, workflow
from service.cases.deadlines import Timekeeper
from service.cases.models import CaseStatus
from service.cases.policy import CasePolicy, configured_policy
from service.cases.schemas import (
    CaseBrief,
    CaseIn,
    CaseOut,
    CaseStatusOut,
    ConversationId,
    OverdueCheckOut,
    StepIn,
    SupervisionOut,
)
from service.cases.supervision import supervision
from service.core import clock
from service.core.auth import require_bot, require_staff
from service.core.calendar import WorkCalendar
from service.core.db import SessionDep
from service.core.fields import Mobile
from service.core.guesses import phone_guesses
from service.core.pages import page
from service.core.settings import get_settings

staff_router = APIRouter(prefix="/api/cases", tags=["cases (staff)"], dependencies=[Depends(require_staff)])
citizen_router = APIRouter(prefix="/api/cases", tags=["cases"])
bot_router = APIRouter(prefix="/api/conversations", tags=["cases"], dependencies=[Depends(require_bot)])
page_router = APIRouter(include_in_schema=False)

NowDep = Annotated[datetime, Depends(clock.now)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=8, max_length=64)]
Action = StrEnum("Action", {action: action for action in workflow.TRANSITIONS})


def timekeeper(
    now: NowDep,
    calendar: Annotated[WorkCalendar, Depends(clock.work_calendar)],
    policy: Annotated[CasePolicy, Depends(configured_policy)],
) -> Timekeeper:
    return Timekeeper(calendar=calendar, policy=policy, today=now.date())


KeeperDep = Annotated[Timekeeper, Depends(timekeeper)]


@staff_router.post("", response_model=CaseOut, status_code=201,
                   responses={200: {"description": "a retry with the same Idempotency-Key: the same case"}})
def create_case(
    session: SessionDep, now: NowDep, keeper: KeeperDep, body: CaseIn, response: Response,
    idempotency_key: IdempotencyKey = None,
) -> CaseOut:
    """受理: a case from a booking (`appointment_code`) or a walk-in (item, applicant, phone, ID number)."""
    case, created = intake.create_case(
        session, request=body, keeper=keeper, now=now, hash_key=get_settings().ID_HASH_KEY,
        idempotency_key=idempotency_key,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return views.staff_view(case, keeper)


@staff_router.get("", response_model=list[CaseBrief])
def list_cases(
    session: SessionDep, keeper: KeeperDep, state: Annotated[CaseStatus | None, Query(alias="status")] = None
) -> list[CaseBrief]:
    """The newest cases (100 at most), optionally in one state."""
    return [views.brief_view(case, keeper) for case in lookup.recent_cases(session, status=state)]


@staff_router.get("/supervision", response_model=SupervisionOut)
def watch_deadlines(session: SessionDep, keeper: KeeperDep) -> SupervisionOut:
    """电子监察: cases near (yellow) or past (red) their deadline, by department."""
    return supervision(session, keeper=keeper)


@staff_router.post("/overdue-check", response_model=OverdueCheckOut)
def check_overdue(session: SessionDep, now: NowDep, keeper: KeeperDep) -> OverdueCheckOut:
    """超时默认: flags the cases past their deadline (once each); deems approved where the policy says so."""
    flagged, deemed = overdue.check_overdue(session, keeper=keeper, now=now)
    return OverdueCheckOut(flagged=flagged, deemed_approved=deemed)


@staff_router.get("/{number}", response_model=CaseOut)
def get_case(session: SessionDep, keeper: KeeperDep, number: str) -> CaseOut:
    return views.staff_view(lookup.get_case(session, number=number), keeper)


@staff_router.post("/{number}/{action}", response_model=CaseOut)
def take_step(session: SessionDep, now: NowDep, keeper: KeeperDep, number: str, action: Action, body: StepIn) -> CaseOut:
    """A step from the transition table (GET /api/meta `case_actions`); 409 from a state it does not start from."""
    case = workflow.step(
        session, number=number, action=action.value, staff=body.staff, keeper=keeper, now=now,
        reason=body.reason, materials=body.materials,
    )
    return views.staff_view(case, keeper)


@citizen_router.get("/{number}/status", response_model=CaseStatusOut)
def case_status(session: SessionDep, keeper: KeeperDep, number: str, phone: Annotated[Mobile, Query()]) -> CaseStatusOut:
    """The applicant's view; the phone must be the one given at acceptance (else 404)."""
    with phone_guesses(session, kind="case", number=number):
        return views.citizen_view(lookup.get_citizen_case(session, number=number, phone=phone), keeper)


@bot_router.get("/{conversation_id}/cases", response_model=list[CaseStatusOut])
def conversation_cases(
    session: SessionDep, keeper: KeeperDep, conversation_id: Annotated[ConversationId, Path()]
) -> list[CaseStatusOut]:
    """The cases of the applicant who uses this conversation, newest first (the conversation stands in for the phone)."""
    cases = lookup.conversation_cases(session, conversation_id=conversation_id)
    return [views.citizen_view(case, keeper) for case in cases]


@page_router.get("/staff/cases")
def staff_cases_page() -> FileResponse:
    return page("staff_cases.html")

"""HTTP routes of 12345 work orders: thin wrappers around service.tickets.service.

Citizens (and the bot on their behalf) create orders, read one with its number and phone,
and rate it; everything else is for hotline agents, behind the staff bearer token.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from service.auth import require_staff
from service.booking import clock
from service.booking.schemas import Mobile
from service.db import SessionDep
from service.settings import get_settings
from service.tickets import service
from service.tickets.models import Status, TicketType
from service.tickets.schemas import (
    AgentIn,
    CitizenTicketOut,
    CorrectionIn,
    RatingIn,
    ReassignIn,
    ReplyIn,
    ReturnIn,
    TicketIn,
    TicketOut,
    TicketPage,
)

citizen_router = APIRouter(prefix="/api/tickets", tags=["tickets"])
agent_router = APIRouter(prefix="/api/tickets", tags=["tickets (agents)"], dependencies=[Depends(require_staff)])

NowDep = Annotated[datetime, Depends(clock.now)]


@citizen_router.post("", response_model=CitizenTicketOut, status_code=201)
def create_ticket(session: SessionDep, now: NowDep, body: TicketIn) -> CitizenTicketOut:
    ticket = service.create_ticket(
        session,
        request=body,
        now=now,
        rules=service.load_deadline_rules(get_settings().TICKETS_CONFIG_PATH),
        calendar=clock.work_calendar(),
    )
    return service.citizen_view(ticket)


@citizen_router.get("/{number}/status", response_model=CitizenTicketOut)
def ticket_status(session: SessionDep, number: str, phone: Annotated[Mobile, Query()]) -> CitizenTicketOut:
    return service.citizen_view(service.get_citizen_ticket(session, number=number, phone=phone))


@citizen_router.post("/{number}/rating", response_model=CitizenTicketOut)
def rate_ticket(session: SessionDep, now: NowDep, number: str, body: RatingIn) -> CitizenTicketOut:
    return service.citizen_view(service.rate(session, number=number, phone=body.phone, rating=body.rating, now=now))


@agent_router.get("", response_model=TicketPage)
def list_tickets(
    session: SessionDep,
    now: NowDep,
    status: Status | None = None,
    type: TicketType | None = None,
    topic: Annotated[str | None, Query(max_length=50, description="一级或二级分类")] = None,
    overdue: bool | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> TicketPage:
    return service.list_tickets(
        session, now=now, status=status, type=type, topic=topic, overdue=overdue, page=page, page_size=page_size
    )


@agent_router.get("/{number}", response_model=TicketOut)
def get_ticket(session: SessionDep, now: NowDep, number: str) -> TicketOut:
    return service.agent_view(service.get_ticket(session, number=number), now=now)


@agent_router.patch("/{number}", response_model=TicketOut)
def correct_ticket(session: SessionDep, now: NowDep, number: str, body: CorrectionIn) -> TicketOut:
    return service.agent_view(service.correct(session, number=number, correction=body, now=now), now=now)


@agent_router.post("/{number}/claim", response_model=TicketOut)
def claim_ticket(session: SessionDep, now: NowDep, number: str, body: AgentIn) -> TicketOut:
    return service.agent_view(service.claim(session, number=number, agent=body.agent, now=now), now=now)


@agent_router.post("/{number}/reply", response_model=TicketOut)
def reply_ticket(session: SessionDep, now: NowDep, number: str, body: ReplyIn) -> TicketOut:
    ticket = service.reply(session, number=number, agent=body.agent, text=body.reply, now=now)
    return service.agent_view(ticket, now=now)


@agent_router.post("/{number}/return", response_model=TicketOut)
def return_ticket(session: SessionDep, now: NowDep, number: str, body: ReturnIn) -> TicketOut:
    ticket = service.return_ticket(session, number=number, agent=body.agent, reason=body.reason, now=now)
    return service.agent_view(ticket, now=now)


@agent_router.post("/{number}/reassign", response_model=TicketOut)
def reassign_ticket(session: SessionDep, now: NowDep, number: str, body: ReassignIn) -> TicketOut:
    ticket = service.reassign(
        session, number=number, agent=body.agent, department=body.department, note=body.note, now=now
    )
    return service.agent_view(ticket, now=now)


@agent_router.post("/{number}/close", response_model=TicketOut)
def close_ticket(session: SessionDep, now: NowDep, number: str, body: AgentIn) -> TicketOut:
    return service.agent_view(service.close(session, number=number, agent=body.agent, now=now), now=now)

"""HTTP routes of 12345 work orders: parse the request, call the tickets modules, answer.

Citizens (and the bot on their behalf) create orders, read one with its number and phone,
and rate it; everything else is for hotline agents, behind the staff bearer token.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query
from fastapi.responses import StreamingResponse

from service.core import clock
from service.core.auth import require_staff
from service.core.calendar import WorkCalendar
from service.core.db import SessionDep
from service.core.fields import Mobile
from service.core.guesses import phone_guesses
from service.tickets import agent_steps, followups, intake, lookup, queue, ratings, views, workflow
from service.tickets.deadlines import DeadlineRules, configured_rules
from service.tickets.draft import draft_ticket
from service.tickets.models import Status, TicketType
from service.tickets.queue import QueueFilter
from service.tickets.schemas import (
    AgentIn,
    AgentMessageIn,
    CitizenTicketOut,
    CorrectionIn,
    DraftIn,
    DraftOut,
    FollowUpCloseIn,
    FollowUpOut,
    MessageOut,
    RatingIn,
    ReassignIn,
    ReplyIn,
    ReturnIn,
    TicketCreatedOut,
    TicketIn,
    TicketOut,
    TicketPage,
)

citizen_router = APIRouter(prefix="/api/tickets", tags=["tickets"])
agent_router = APIRouter(prefix="/api/tickets", tags=["tickets (agents)"], dependencies=[Depends(require_staff)])
follow_up_router = APIRouter(
    prefix="/api/follow-ups", tags=["好差评 follow-ups (staff)"], dependencies=[Depends(require_staff)]
)

NowDep = Annotated[datetime, Depends(clock.now)]
RulesDep = Annotated[DeadlineRules, Depends(configured_rules)]
CalendarDep = Annotated[WorkCalendar, Depends(clock.work_calendar)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=8, max_length=64)]






def queue_filter(
    status: Status | None = None,
    type: TicketType | None = None,
    topic: Annotated[str | None, Query(max_length=50, description="一级或二级分类")] = None,
    overdue: bool | None = None,
) -> QueueFilter:
    return QueueFilter(status=status, type=type, topic=topic, overdue=overdue)


QueueFilterDep = Annotated[QueueFilter, Depends(queue_filter)]


@citizen_router.post("", response_model=TicketCreatedOut, status_code=201)
def create_ticket(
    session: SessionDep,
    now: NowDep,
    rules: RulesDep,
    calendar: CalendarDep,
    body: TicketIn,
    idempotency_key: IdempotencyKey = None,
) -> TicketCreatedOut:
    """A new order (a retry with the same Idempotency-Key returns the first one)."""
    ticket = intake.create_ticket(
        session, request=body, now=now, rules=rules, calendar=calendar, idempotency_key=idempotency_key
    )
    return views.created_view(ticket, rules=rules, now=now)


@citizen_router.post("/draft", response_model=DraftOut)
def draft(session: SessionDep, body: DraftIn) -> DraftOut:
    """What an order would be filled with from this text (type, topic, summary, phone, place, item)."""
    return draft_ticket(session, content=body.content, title=body.title)


@citizen_router.get("/{number}/status", response_model=CitizenTicketOut)
def ticket_status(session: SessionDep, number: str, phone: Annotated[Mobile, Query()]) -> CitizenTicketOut:
    with phone_guesses(session, kind="ticket", number=number):
        return views.citizen_view(lookup.get_citizen_ticket(session, number=number, phone=phone))


@citizen_router.post("/{number}/rating", response_model=CitizenTicketOut)
def rate_ticket(
    session: SessionDep, now: NowDep, calendar: CalendarDep, number: str, body: RatingIn
) -> CitizenTicketOut:
    """The 好差评; a 差评 opens its follow-up task (整改) in the same transaction."""
    with phone_guesses(session, kind="ticket", number=number):
        ticket = ratings.rate_with_phone(
            session, number=number, phone=body.phone, rating=body.rating, now=now, calendar=calendar
        )
    return views.citizen_view(ticket)


@agent_router.get("", response_model=TicketPage)
def list_tickets(
    session: SessionDep,
    now: NowDep,
    filters: QueueFilterDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> TicketPage:
    return queue.list_tickets(session, now=now, filters=filters, page=page, page_size=page_size)


@agent_router.get("/export.csv", response_class=StreamingResponse)
def export_tickets(session: SessionDep, now: NowDep, filters: QueueFilterDep) -> StreamingResponse:
    """The filtered queue as CSV for spreadsheets (UTF-8 with BOM for Excel); phones masked."""
    return StreamingResponse(
        iter([queue.export_csv(session, now=now, filters=filters)]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{queue.export_filename(now)}"'},
    )


@agent_router.get("/{number}", response_model=TicketOut)
def get_ticket(
    session: SessionDep, now: NowDep, number: str, agent: Annotated[str | None, Query(max_length=30)] = None
) -> TicketOut:
    """The order; `allowed_actions` are those of `agent`."""
    return views.agent_view(lookup.get_ticket(session, number=number), now=now, agent=agent)


@agent_router.patch("/{number}", response_model=TicketOut)
def correct_ticket(session: SessionDep, now: NowDep, number: str, body: CorrectionIn) -> TicketOut:
    ticket = workflow.correct(session, number=number, correction=body, now=now)
    return views.agent_view(ticket, now=now, agent=body.agent)


@agent_router.post("/{number}/claim", response_model=TicketOut)
def claim_ticket(session: SessionDep, now: NowDep, number: str, body: AgentIn) -> TicketOut:
    ticket = agent_steps.claim(session, number=number, agent=body.agent, now=now)
    return views.agent_view(ticket, now=now, agent=body.agent)


@agent_router.post("/{number}/messages", response_model=MessageOut, status_code=201)
def message_citizen(session: SessionDep, now: NowDep, number: str, body: AgentMessageIn) -> MessageOut:
    """The owning agent writes into the citizen's chat."""
    message = agent_steps.message_citizen(session, number=number, agent=body.agent, text=body.text, now=now)
    return views.message_view(message)


@agent_router.post("/{number}/reply", response_model=TicketOut)
def reply_ticket(session: SessionDep, now: NowDep, number: str, body: ReplyIn) -> TicketOut:
    """The formal answer; it also reaches the citizen's chat when the order came from one."""
    ticket = agent_steps.reply(session, number=number, agent=body.agent, text=body.reply, now=now)
    return views.agent_view(ticket, now=now, agent=body.agent)


@agent_router.post("/{number}/return", response_model=TicketOut)
def return_ticket(session: SessionDep, now: NowDep, number: str, body: ReturnIn) -> TicketOut:
    ticket = agent_steps.return_ticket(session, number=number, agent=body.agent, reason=body.reason, now=now)
    return views.agent_view(ticket, now=now, agent=body.agent)


@agent_router.post("/{number}/reassign", response_model=TicketOut)
def reassign_ticket(session: SessionDep, now: NowDep, number: str, body: ReassignIn) -> TicketOut:
    ticket = agent_steps.reassign(
        session, number=number, agent=body.agent, department=body.department, note=body.note, now=now
    )
    return views.agent_view(ticket, now=now, agent=body.agent)


@agent_router.post("/{number}/close", response_model=TicketOut)
def close_ticket(session: SessionDep, now: NowDep, number: str, body: AgentIn) -> TicketOut:
    ticket = agent_steps.close(session, number=number, agent=body.agent, now=now)
    return views.agent_view(ticket, now=now, agent=body.agent)


@follow_up_router.get("", response_model=list[FollowUpOut])
def open_follow_ups(session: SessionDep, now: NowDep) -> list[FollowUpOut]:
    """The 差评 follow-up tasks not yet closed, soonest deadline first."""
    return [views.follow_up_view(task, now=now) for task in followups.open_tasks(session)]


@follow_up_router.post("/{task_id}/close", response_model=FollowUpOut)
def close_follow_up(
    session: SessionDep, now: NowDep, task_id: Annotated[int, Path(ge=1)], body: FollowUpCloseIn
) -> FollowUpOut:
    """Closes the task with what was done; the citizen is told through the order's channel."""
    task = followups.close(session, task_id=task_id, staff=body.agent, action_taken=body.action_taken, now=now)
    return views.follow_up_view(task, now=now)

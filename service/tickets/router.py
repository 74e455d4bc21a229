"""HTTP routes of 12345 work orders: thin wrappers around service.tickets.service.

Citizens (and the bot on their behalf) create orders, read one with its number and phone,
and rate it; everything else is for hotline agents, behind the staff bearer token.
"""

import csv
import io
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse

from service.core import clock
from service.core import templates as t
from service.core.auth import require_staff
from service.core.db import SessionDep
from service.core.fields import Mobile
from service.core.settings import get_settings
from service.tickets import conversation, service
from service.tickets.channels import ConversationChannels
from service.tickets.draft import draft_ticket
from service.tickets.models import Status, Ticket, TicketType
from service.tickets.schemas import (
    AgentIn,
    AgentMessageIn,
    CitizenTicketOut,
    CorrectionIn,
    DraftIn,
    DraftOut,
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

NowDep = Annotated[datetime, Depends(clock.now)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=8, max_length=64)]


def get_channels(request: Request) -> ConversationChannels:
    return request.app.state.conversation_channels


ChannelsDep = Annotated[ConversationChannels, Depends(get_channels)]


@citizen_router.post("", response_model=TicketCreatedOut, status_code=201)
def create_ticket(
    session: SessionDep, now: NowDep, body: TicketIn, idempotency_key: IdempotencyKey = None
) -> TicketCreatedOut:
    """A new order (a retry with the same Idempotency-Key returns the first one)."""
    rules = service.load_deadline_rules(get_settings().TICKETS_CONFIG_PATH)
    ticket = service.create_ticket(
        session, request=body, now=now, rules=rules, calendar=clock.work_calendar(), idempotency_key=idempotency_key
    )
    return service.created_view(ticket, rules=rules, now=now)


@citizen_router.post("/draft", response_model=DraftOut)
def draft(session: SessionDep, body: DraftIn) -> DraftOut:
    """What an order would be filled with from this text (type, topic, summary, phone, place, item)."""
    return draft_ticket(session, content=body.content, title=body.title)


@citizen_router.get("/{number}/status", response_model=CitizenTicketOut)
def ticket_status(session: SessionDep, number: str, phone: Annotated[Mobile, Query()]) -> CitizenTicketOut:
    return service.citizen_view(service.get_citizen_ticket(session, number=number, phone=phone))


@citizen_router.post("/{number}/rating", response_model=CitizenTicketOut)
def rate_ticket(session: SessionDep, now: NowDep, number: str, body: RatingIn) -> CitizenTicketOut:
    ticket = service.get_citizen_ticket(session, number=number, phone=body.phone)
    return service.citizen_view(service.rate(session, ticket=ticket, rating=body.rating, now=now))


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


@agent_router.get("/export.csv", response_class=StreamingResponse)
def export_tickets(
    session: SessionDep,
    now: NowDep,
    status: Status | None = None,
    type: TicketType | None = None,
    topic: Annotated[str | None, Query(max_length=50)] = None,
    overdue: bool | None = None,
) -> StreamingResponse:
    """The filtered queue as CSV for spreadsheets (UTF-8 with BOM for Excel); phones masked."""
    rows = list(service.export_rows(session, now=now, status=status, type=type, topic=topic, overdue=overdue))
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(rows)
    filename = f"12345-tickets-{now:%Y%m%d-%H%M}.csv"
    return StreamingResponse(
        iter([buffer.getvalue()]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@agent_router.get("/{number}", response_model=TicketOut)
def get_ticket(
    session: SessionDep, now: NowDep, number: str, agent: Annotated[str | None, Query(max_length=30)] = None
) -> TicketOut:
    """The order; `allowed_actions` are those of `agent`."""
    return service.agent_view(service.get_ticket(session, number=number), now=now, agent=agent)


@agent_router.patch("/{number}", response_model=TicketOut)
def correct_ticket(session: SessionDep, now: NowDep, number: str, body: CorrectionIn) -> TicketOut:
    ticket = service.correct(session, number=number, correction=body, now=now)
    return service.agent_view(ticket, now=now, agent=body.agent)


def _in_conversation(background: BackgroundTasks, ticket: Ticket, job, *args, **kwargs) -> None:
    """Runs a ChannelsDep job for the order's chat after the response, when it came from a chat."""
    if ticket.conversation_id is not None:
        background.add_task(job, ticket.conversation_id, *args, **kwargs)


@agent_router.post("/{number}/claim", response_model=TicketOut)
def claim_ticket(
    session: SessionDep, now: NowDep, channels: ChannelsDep, background: BackgroundTasks, number: str, body: AgentIn
) -> TicketOut:
    ticket = service.claim(session, number=number, agent=body.agent, now=now)
    _in_conversation(background, ticket, channels.agent_took_over)
    return service.agent_view(ticket, now=now, agent=body.agent)


@agent_router.post("/{number}/messages", response_model=MessageOut, status_code=201)
def message_citizen(
    session: SessionDep,
    now: NowDep,
    channels: ChannelsDep,
    background: BackgroundTasks,
    number: str,
    body: AgentMessageIn,
) -> MessageOut:
    """The owning agent writes into the citizen's chat."""
    message = conversation.add_agent_message(session, number=number, agent=body.agent, text=body.text, now=now)
    _in_conversation(background, message.ticket, channels.deliver, author=message.author, text=message.text, at=now)
    return service.message_view(message)


@agent_router.post("/{number}/reply", response_model=TicketOut)
def reply_ticket(
    session: SessionDep, now: NowDep, channels: ChannelsDep, background: BackgroundTasks, number: str, body: ReplyIn
) -> TicketOut:
    """The formal answer; it also reaches the citizen's chat when the order came from one."""
    ticket = service.reply(session, number=number, agent=body.agent, text=body.reply, now=now)
    if ticket.conversation_id is not None:
        text = t.TICKET_REPLY_MESSAGE.format(number=ticket.number, reply=body.reply)
        message = conversation.add_outgoing(session, ticket=ticket, author=f"agent:{body.agent}", text=text, now=now)
        _in_conversation(background, ticket, channels.deliver, author=message.author, text=message.text, at=now)
        ticket = service.get_ticket(session, number=number)
    return service.agent_view(ticket, now=now, agent=body.agent)


@agent_router.post("/{number}/return", response_model=TicketOut)
def return_ticket(
    session: SessionDep, now: NowDep, channels: ChannelsDep, background: BackgroundTasks, number: str, body: ReturnIn
) -> TicketOut:
    ticket = service.return_ticket(session, number=number, agent=body.agent, reason=body.reason, now=now)
    _in_conversation(background, ticket, channels.agent_let_go)
    return service.agent_view(ticket, now=now, agent=body.agent)


@agent_router.post("/{number}/reassign", response_model=TicketOut)
def reassign_ticket(
    session: SessionDep, now: NowDep, channels: ChannelsDep, background: BackgroundTasks, number: str, body: ReassignIn
) -> TicketOut:
    ticket = service.reassign(
        session, number=number, agent=body.agent, department=body.department, note=body.note, now=now
    )
    if ticket.events[-1].from_status is Status.CLAIMED:  # an agent held it: the bot takes over again
        _in_conversation(background, ticket, channels.agent_let_go)
    return service.agent_view(ticket, now=now, agent=body.agent)


@agent_router.post("/{number}/close", response_model=TicketOut)
def close_ticket(
    session: SessionDep, now: NowDep, channels: ChannelsDep, background: BackgroundTasks, number: str, body: AgentIn
) -> TicketOut:
    ticket = service.close(session, number=number, agent=body.agent, now=now)
    _in_conversation(background, ticket, channels.closed, number=ticket.number, now=now)
    return service.agent_view(ticket, now=now, agent=body.agent)

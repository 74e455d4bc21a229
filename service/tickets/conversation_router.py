"""HTTP routes about a citizen's chat conversation and its work orders.

The bot (Rasa's tracker store, the action server) relays messages, reads and rates the
conversation's orders with BOT_TOKEN; the web chat page collects agent messages from the outbox.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from service.core import clock
from service.core.auth import require_bot
from service.core.calendar import WorkCalendar
from service.core.db import SessionDep
from service.tickets import conversation, ratings, views
from service.tickets.schemas import (
    CitizenTicketOut,
    ConversationId,
    ConversationRatingIn,
    MessageOut,
    Outbox,
    RelayIn,
)

router = APIRouter(prefix="/api/conversations", tags=["conversations"])
ConversationPath = Annotated[ConversationId, Path()]
NowDep = Annotated[datetime, Depends(clock.now)]
CalendarDep = Annotated[WorkCalendar, Depends(clock.work_calendar)]


@router.post("/{conversation_id}/messages", response_model=MessageOut, status_code=201,
             dependencies=[Depends(require_bot)])
def relay_message(session: SessionDep, now: NowDep, conversation_id: ConversationPath, body: RelayIn) -> MessageOut:
    """A citizen's message while an agent owns the conversation (the bot is paused): onto the order."""
    message = conversation.relay_citizen_message(
        session, conversation_id=conversation_id, text=body.text, source_id=body.message_id, now=now
    )
    return views.message_view(message)


@router.get("/{conversation_id}/outbox", response_model=Outbox)
def read_outbox(
    session: SessionDep, conversation_id: ConversationPath, after: Annotated[int, Query(ge=0)] = 0
) -> Outbox:
    """Agent messages and the rating question for a web chat, newer than `after` (a message id)."""
    messages = conversation.outbox(session, conversation_id=conversation_id, after=after)
    return views.outbox_view(messages, newest=conversation.newest_ticket(session, conversation_id=conversation_id))


@router.get("/{conversation_id}/tickets", response_model=list[CitizenTicketOut], dependencies=[Depends(require_bot)])
def list_conversation_tickets(session: SessionDep, conversation_id: ConversationPath) -> list[CitizenTicketOut]:
    """The orders filed from this conversation, newest first."""
    tickets = conversation.conversation_tickets(session, conversation_id=conversation_id)
    return [views.citizen_view(ticket) for ticket in tickets]


@router.post("/{conversation_id}/tickets/{number}/rating", response_model=CitizenTicketOut,
             dependencies=[Depends(require_bot)])
def rate_in_conversation(
    session: SessionDep, now: NowDep, calendar: CalendarDep, conversation_id: ConversationPath, number: str,
    body: ConversationRatingIn,
) -> CitizenTicketOut:
    """The 好差评 given in the chat the order came from (a 差评 opens its follow-up task)."""
    ticket = ratings.rate_in_conversation(
        session, conversation_id=conversation_id, number=number, rating=body.rating, now=now, calendar=calendar
    )
    return views.citizen_view(ticket)

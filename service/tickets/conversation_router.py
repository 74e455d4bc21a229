"""HTTP routes about a citizen's chat conversation and its work orders.

The bot (Rasa's tracker store, the action server) relays messages, reads and rates the
conversation's orders with BOT_TOKEN; the web chat page collects agent messages from the outbox.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel, Field

from service.core import clock
from service.core import templates as t
from service.core.auth import require_bot
from service.core.db import SessionDep
from service.core.text_input import CitizenText
from service.tickets import conversation, service
from service.tickets.channels import wechat_openid
from service.tickets.models import Satisfaction
from service.tickets.schemas import (
    CitizenTicketOut,
    ConversationId,
    MessageOut,
    StrictIn,
)

router = APIRouter(prefix="/api/conversations", tags=["conversations"])
ConversationPath = Annotated[ConversationId, Path()]
NowDep = Annotated[datetime, Depends(clock.now)]


class RelayIn(StrictIn):
    text: CitizenText
    message_id: Annotated[str | None, Field(max_length=64)] = None  # Rasa's id of the message


class ConversationRatingIn(StrictIn):
    rating: Satisfaction


class Outbox(BaseModel):
    messages: list[MessageOut]
    # The conversation's newest order, so the page can say whether an agent is on it.
    ticket: CitizenTicketOut | None


@router.post("/{conversation_id}/messages", response_model=MessageOut, status_code=201,
             dependencies=[Depends(require_bot)])
def relay_message(session: SessionDep, now: NowDep, conversation_id: ConversationPath, body: RelayIn) -> MessageOut:
    """A citizen's message while an agent owns the conversation (the bot is paused): onto the order."""
    message = conversation.relay_citizen_message(
        session, conversation_id=conversation_id, text=body.text, source_id=body.message_id, now=now
    )
    return service.message_view(message)


@router.get("/{conversation_id}/outbox", response_model=Outbox)
def read_outbox(
    session: SessionDep, conversation_id: ConversationPath, after: Annotated[int, Query(ge=0)] = 0
) -> Outbox:
    """Agent messages and the rating question for a web chat, newer than `after` (a message id)."""
    if wechat_openid(conversation_id) is not None:
        raise HTTPException(status_code=404, detail=t.CONVERSATION_OUTBOX_WECHAT)
    messages = conversation.outbox(session, conversation_id=conversation_id, after=after)
    tickets = conversation.conversation_tickets(session, conversation_id=conversation_id)
    return Outbox(
        messages=[service.message_view(m) for m in messages],
        ticket=service.citizen_view(tickets[0]) if tickets else None,
    )


@router.get("/{conversation_id}/tickets", response_model=list[CitizenTicketOut], dependencies=[Depends(require_bot)])
def list_conversation_tickets(session: SessionDep, conversation_id: ConversationPath) -> list[CitizenTicketOut]:
    """The orders filed from this conversation, newest first."""
    return [service.citizen_view(ticket) for ticket in conversation.conversation_tickets(session, conversation_id=conversation_id)]


@router.post("/{conversation_id}/tickets/{number}/rating", response_model=CitizenTicketOut,
             dependencies=[Depends(require_bot)])
def rate_in_conversation(
    session: SessionDep, now: NowDep, conversation_id: ConversationPath, number: str, body: ConversationRatingIn
) -> CitizenTicketOut:
    """The 好差评 given in the chat the order came from."""
    ticket = conversation.conversation_ticket(session, conversation_id=conversation_id, number=number)
    return service.citizen_view(service.rate(session, ticket=ticket, rating=body.rating, now=now))

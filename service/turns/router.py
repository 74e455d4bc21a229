"""The bot reports each turn's outcome here (bot token); reviewers and the dashboard read the table."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from service.core import templates as t
from service.core.auth import require_bot
from service.core.db import SessionDep
from service.core.errors import NotFoundError
from service.turns import store
from service.turns.schemas import DisputeIn, TurnIn, TurnOut

bot_router = APIRouter(prefix="/api/turns", tags=["turns (bot)"], dependencies=[Depends(require_bot)])


@bot_router.post("", response_model=TurnOut, status_code=201)
def record_turn(session: SessionDep, turn: TurnIn) -> TurnOut:
    """One turn's outcome, stored once per message (a retry returns the stored turn)."""
    return TurnOut.model_validate(store.record(session, turn))


@bot_router.post("/{conversation_id}/disputes", status_code=204)
def dispute_turn(
    session: SessionDep, conversation_id: Annotated[str, Path(min_length=1, max_length=128)], body: DisputeIn
) -> None:
    if not store.dispute(session, conversation_id=conversation_id, message_id=body.message_id, reason=body.reason):
        raise NotFoundError(t.TURN_NOT_FOUND)

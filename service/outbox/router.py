"""The parked messages for agents: which did not arrive and why, and "retry" (staff token)."""

from fastapi import APIRouter, Depends

from service.core.auth import require_staff
from service.core.db import SessionDep
from service.outbox import store
from service.outbox.schemas import OutboxCounts, OutboxMessageOut

router = APIRouter(prefix="/api/outbox", tags=["outbox"], dependencies=[Depends(require_staff)])


@router.get("/parked", response_model=list[OutboxMessageOut])
def parked(session: SessionDep, ticket: str | None = None) -> list[OutboxMessageOut]:
    """Messages out of tries (`dead`) or refused for good (`undeliverable`), oldest first."""
    return [OutboxMessageOut.model_validate(m) for m in store.parked(session, ticket_number=ticket)]


@router.post("/{message_id}/replay", response_model=OutboxMessageOut)
def replay(session: SessionDep, message_id: int) -> OutboxMessageOut:
    """A parked message back in the queue with fresh tries (409 when it is not parked)."""
    message = store.replay(session, message_id)
    session.commit()
    return OutboxMessageOut.model_validate(message)


@router.get("/counts", response_model=OutboxCounts)
def counts(session: SessionDep) -> OutboxCounts:
    return OutboxCounts(counts=store.counts(session))

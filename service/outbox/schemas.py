"""What the agents' console and the CLI see of the outbox."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from service.outbox.models import OutboxStatus


class OutboxMessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    destination: str
    kind: str
    ticket_number: str | None
    status: OutboxStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime


class OutboxCounts(BaseModel):
    counts: dict[str, int]

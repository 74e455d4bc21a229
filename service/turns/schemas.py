"""The bot's report of one turn."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from service.turns.models import Disputed, Outcome

Confidence = Annotated[float, Field(ge=0, le=1)]


class TurnIn(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=128)
    message_id: str = Field(min_length=1, max_length=64)
    at: datetime
    channel: str = Field(min_length=1, max_length=16)
    # Masked again by the service whatever the sender did; long stories are kept to their start.
    text: str = Field(min_length=1, max_length=10_000)
    intent: str | None = Field(default=None, max_length=64)
    intent_confidence: Confidence | None = None
    item_code: str | None = Field(default=None, max_length=64)
    item_confidence: Confidence | None = None
    outcome: Outcome
    topic: str | None = Field(default=None, max_length=64,
                              description="the 12345 topic the citizen confirmed for a handoff, as l1/l2")


class DisputeIn(BaseModel):
    """The citizen's next message said the answer was wrong, or asked for a person."""

    message_id: str = Field(min_length=1, max_length=64, description="the disputed turn's message")
    reason: Disputed


class TurnOut(BaseModel):
    id: int
    conversation_id: str
    at: datetime
    channel: str
    text: str
    intent: str | None
    intent_confidence: float | None
    item_code: str | None
    item_confidence: float | None
    outcome: Outcome
    topic: str | None
    disputed: Disputed | None

    model_config = {"from_attributes": True}

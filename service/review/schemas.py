"""The review API's bodies: a queue's messages, and a reviewer's label."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from service.core import templates as t
from service.review.models import LabelKind
from service.turns.models import Disputed, Outcome

ReviewerName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
# An alias is what citizens call an item ("换本本"), not a whole message.
ALIAS_MAX_CHARS = 20
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class LabelIn(BaseModel):
    """What the message meant. An alias needs its item and the words; a missing matter has no item."""

    reviewer: ReviewerName
    kind: LabelKind = LabelKind.LABEL
    intent: str = Field(min_length=1, max_length=64)
    item_code: str | None = Field(default=None, min_length=1, max_length=64)
    phrase: Phrase | None = None

    @model_validator(mode="after")
    def _kind_fits(self) -> "LabelIn":
        if self.intent not in t.REVIEW_INTENTS:
            raise ValueError(t.REVIEW_UNKNOWN_INTENT.format(intent=self.intent))
        if self.kind is LabelKind.ALIAS and not self.item_code:
            raise ValueError(t.REVIEW_ALIAS_NEEDS_ITEM)
        if self.kind is LabelKind.ALIAS and not self.phrase:
            raise ValueError(t.REVIEW_ALIAS_NEEDS_PHRASE)
        if self.kind is LabelKind.ALIAS and len(self.phrase) > ALIAS_MAX_CHARS:
            raise ValueError(t.REVIEW_ALIAS_TOO_LONG.format(limit=ALIAS_MAX_CHARS))
        if self.kind is LabelKind.ALIAS and "*" in self.phrase:
            raise ValueError(t.REVIEW_ALIAS_MASKED)
        if self.kind is LabelKind.MISSING and self.item_code:
            raise ValueError(t.REVIEW_MISSING_HAS_ITEM)
        return self


class LabelOut(BaseModel):
    kind: LabelKind
    intent: str
    item_code: str | None
    item_name: str | None = None
    phrase: str | None
    reviewer: str
    labelled_at: datetime

    model_config = {"from_attributes": True}


class ReviewTurn(BaseModel):
    """A message in a queue: what the bot made of it, and its label once given."""

    id: int
    at: datetime
    channel: str
    text: str
    intent: str | None
    intent_confidence: float | None
    item_code: str | None
    item_name: str | None
    item_confidence: float | None
    outcome: Outcome
    disputed: Disputed | None
    label: LabelOut | None


class QueueCount(BaseModel):
    queue: str
    label: str
    waiting: int  # messages not labelled yet


class Choice(BaseModel):
    value: str
    label: str


class Vocabulary(BaseModel):
    """What the page labels things with."""

    intents: list[Choice]
    read_only_intents: list[Choice]
    kinds: list[Choice]
    outcomes: list[Choice]
    disputes: list[Choice]
    low_confidence: float

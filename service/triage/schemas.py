"""Request and response of POST /api/tickets/classify."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from service.core import templates as t

MAX_TICKET_CHARS = 2000


def clean_ticket_text(text: str) -> str:
    """A work order's content: stripped, not empty, at most MAX_TICKET_CHARS, with words."""
    text = text.strip()
    if not text:
        raise ValueError(t.TEXT_EMPTY)
    if len(text) > MAX_TICKET_CHARS:
        raise ValueError(t.TEXT_TOO_LONG.format(max_chars=MAX_TICKET_CHARS))
    # Same rule as service/core/text_input.py: CJK, letters or digits, not only emoji or symbols.
    if not any(ch.isalnum() for ch in text):
        raise ValueError(t.TEXT_NO_WORDS)
    return text


class ClassifyRequest(BaseModel):
    title: Annotated[str, Field(max_length=200)] = ""
    content: Annotated[str, AfterValidator(clean_ticket_text)]


class Topic(BaseModel):
    l1: str
    l2: str


class ClassifyResponse(BaseModel):
    type: str = Field(description="咨询 / 求助 / 投诉 / 举报 / 建议")
    topic: Topic
    confidence: float = Field(description="probability of the first-level topic, 0 to 1")

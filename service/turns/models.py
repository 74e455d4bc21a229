"""One row per citizen message the bot answered: what it understood and what it did with it."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.core.columns import string_enum
from service.core.db import Base, UTCDateTime


class Outcome(StrEnum):
    NOTICE = "notice"  # the one-time notice of an item
    OFFERED = "offered"  # likely items offered as buttons
    REFERRAL = "referral"  # sent to the department that handles it (首问负责)
    HANDOFF = "handoff"  # a 12345 work order started
    DECLINED = "declined"  # outside government matters
    NOT_UNDERSTOOD = "not_understood"  # asked to rephrase
    OTHER = "other"  # a step of a form, a greeting, a booking answer


class Disputed(StrEnum):
    """Why a turn deserves a second look although the bot answered it."""

    DENIED = "denied"  # the citizen's next message was "不对" / "不是这个"
    ASKED_PERSON = "asked_person"  # the citizen's next message asked for a person (转人工)
    AGENT_CORRECTED = "agent_corrected"  # an agent corrected the work order it started


class Turn(Base):
    __tablename__ = "turn"
    __table_args__ = (
        UniqueConstraint("conversation_id", "message_id"),
        Index("ix_turn_at", "at"),
        Index("ix_turn_outcome_at", "outcome", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    # Rasa's message id: a turn reported twice (a retry) is stored once.
    message_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(16))
    # The citizen's words with ID numbers and mobiles masked before they are stored.
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64))
    intent_confidence: Mapped[float | None] = mapped_column(Float)
    item_code: Mapped[str | None] = mapped_column(String(64), index=True)
    item_confidence: Mapped[float | None] = mapped_column(Float)
    outcome: Mapped[Outcome] = mapped_column(string_enum(Outcome, "turn_outcome"))
    # The 12345 first-level topic of a government matter (service/turns/store.py topic_of), for
    # the handoff rate by topic.
    topic: Mapped[str | None] = mapped_column(String(64))
    disputed: Mapped[Disputed | None] = mapped_column(string_enum(Disputed, "turn_disputed"))

"""Database models of 12345 work orders (工单) and their event log."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.core.columns import TimestampMixin, string_enum
from service.core.db import Base, UTCDateTime, utcnow


class Channel(StrEnum):
    WEB = "web"
    WECHAT = "wechat"
    HOTLINE = "hotline"


class TicketType(StrEnum):
    CONSULT = "咨询"
    HELP = "求助"
    COMPLAINT = "投诉"
    REPORT = "举报"
    SUGGESTION = "建议"


class Urgency(StrEnum):
    NORMAL = "一般"
    URGENT = "紧急"


class Status(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    REPLIED = "replied"
    CLOSED = "closed"
    RETURNED = "returned"
    REASSIGNED = "reassigned"


# Waiting for an agent to claim; and not yet answered (these count as overdue past the deadline).
CLAIMABLE = (Status.NEW, Status.RETURNED, Status.REASSIGNED)
OPEN = (*CLAIMABLE, Status.CLAIMED)


class Satisfaction(StrEnum):
    VERY_SATISFIED = "非常满意"
    SATISFIED = "满意"
    BASICALLY_SATISFIED = "基本满意"
    DISSATISFIED = "不满意"
    VERY_DISSATISFIED = "非常不满意"


# 差评 under the 政务服务"好差评" rules: each one is followed up (整改) and the citizen told.
POOR_RATINGS = (Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED)


class Ticket(TimestampMixin, Base):
    """One work order. `number` (12345-20261122-00042) is what citizens and agents quote."""

    __tablename__ = "ticket"
    __table_args__ = (Index("ix_ticket_status_deadline", "status", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    channel: Mapped[Channel] = mapped_column(string_enum(Channel, "ticket_channel"))
    requester: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(11))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    type: Mapped[TicketType] = mapped_column(string_enum(TicketType, "ticket_type"))
    topic_l1: Mapped[str | None] = mapped_column(String(50))
    topic_l2: Mapped[str | None] = mapped_column(String(50))
    district: Mapped[str | None] = mapped_column(String(50))
    place: Mapped[str | None] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(String(200))
    urgency: Mapped[Urgency] = mapped_column(string_enum(Urgency, "ticket_urgency"), default=Urgency.NORMAL)
    item_code: Mapped[str | None] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(String(100))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[Status] = mapped_column(string_enum(Status, "ticket_status"), default=Status.NEW)
    assignee: Mapped[str | None] = mapped_column(String(50))
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    satisfaction: Mapped[Satisfaction | None] = mapped_column(string_enum(Satisfaction, "ticket_satisfaction"))
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The chat conversation (Rasa sender id) the order came from: agents talk to the citizen there.
    conversation_id: Mapped[str | None] = mapped_column(String(128), index=True)
    # The client's Idempotency-Key: a retried create returns the first order instead of a second one.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    messages: Mapped[list["TicketMessage"]] = relationship(
        back_populates="ticket", order_by="TicketMessage.id", cascade="all, delete-orphan"
    )
    events: Mapped[list["TicketEvent"]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="all, delete-orphan"
    )


class TicketEvent(Base):
    """Every change of a work order: who, when, from which status to which, and why.

    Agents' corrections of type, topic and summary are events too (`changes`: field → [old, new]),
    kept as labelled examples for retraining the classifier.
    """

    __tablename__ = "ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(60))  # "citizen" or "agent:<name>"
    action: Mapped[str] = mapped_column(String(16))  # create, claim, reply, return, reassign, close, rate, correct
    from_status: Mapped[Status | None] = mapped_column(string_enum(Status, "ticket_status"))
    to_status: Mapped[Status] = mapped_column(string_enum(Status, "ticket_status"))
    note: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class TicketMessage(Base):
    """One line of the order's transcript: the chat before the handoff, then what the citizen and
    the agent write while the agent owns the conversation. Stored with ID and phone numbers masked.

    `outgoing` lines go to the citizen's conversation (agent messages, the reply, the rating
    question); the web chat collects them by id, WeChat gets them pushed.
    """

    __tablename__ = "ticket_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author: Mapped[str] = mapped_column(String(60))  # "citizen", "bot" or "agent:<name>"
    text: Mapped[str] = mapped_column(Text)
    outgoing: Mapped[bool] = mapped_column(Boolean, default=False)
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # Rasa's message id of a relayed citizen message: a retried relay is stored once.
    source_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")


class RatingFollowUp(Base):
    """The 整改 task a 差评 opens: due 15 working days after the rating, closed by staff with what
    was done, which is then told to the citizen. One per order (an order is rated once)."""

    __tablename__ = "rating_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), unique=True)
    rating: Mapped[Satisfaction] = mapped_column(string_enum(Satisfaction, "ticket_satisfaction"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(60))
    # What was done, as told to the citizen; stored with ID numbers and mobiles masked.
    action_taken: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[Ticket] = relationship()


class TicketCounter(Base):
    """The last order number handed out per day (the NNNNN of 12345-20261122-00042)."""

    __tablename__ = "ticket_counter"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)

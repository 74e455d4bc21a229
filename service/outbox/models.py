"""One row per message that leaves the service (to Rasa, to WeChat, …)."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.core.columns import string_enum
from service.core.db import Base, UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its turn in its stream, or for its next try
    DELIVERED = "delivered"
    DEAD = "dead"  # out of tries: parked until someone replays it
    UNDELIVERABLE = "undeliverable"  # the destination said "never" (WeChat 45015): parked with the reason


PARKED = (OutboxStatus.DEAD, OutboxStatus.UNDELIVERABLE)


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_stream", "stream", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    destination: Mapped[str] = mapped_column(String(16))
    # Messages of one stream (one destination's conversation) are delivered strictly in order.
    stream: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Sent along where the destination can check it, so that a retry is not applied twice.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    ticket_number: Mapped[str | None] = mapped_column(String(32), index=True)
    status: Mapped[OutboxStatus] = mapped_column(string_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A worker holds the message until then; after a crash (kill -9) it is free again.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    worker: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

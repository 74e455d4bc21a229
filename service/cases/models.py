"""Database models of cases (办件): the case, its event history and the per-day number counter."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.core.columns import TimestampMixin, string_enum
from service.core.db import Base, UTCDateTime, utcnow


class CaseStatus(StrEnum):
    ACCEPTED = "accepted"  # 受理
    REVIEWING = "reviewing"  # 审查
    SUPPLEMENT = "supplement"  # 补正: waiting for the materials listed
    APPROVED = "approved"  # 决定：准予
    REJECTED = "rejected"  # 决定：不予
    COMPLETED = "completed"  # 办结
    DELIVERED = "delivered"  # 送达 / 领取
    RETURNED = "returned"  # 退回


# The promised time limit runs in these states (it is a limit on 办结); 补正 stops the clock.
TIMED = (CaseStatus.ACCEPTED, CaseStatus.REVIEWING, CaseStatus.APPROVED, CaseStatus.REJECTED)
FINISHED = (CaseStatus.COMPLETED, CaseStatus.DELIVERED, CaseStatus.RETURNED)


class Case(TimestampMixin, Base):
    """One accepted application. `number` (SL-20261201-0001) is what citizens and staff quote.

    The ID number is kept only as an HMAC and a masked form, like a booking's.
    """

    __tablename__ = "case_file"
    __table_args__ = (Index("ix_case_file_status_due_on", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    # The booking the applicant came with (one case per booking); None for a walk-in.
    appointment_code: Mapped[str | None] = mapped_column(String(24), unique=True)
    item_code: Mapped[str] = mapped_column(String(40))  # as catalogue Item.code
    item_name: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(100))
    applicant: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(11))
    id_hash: Mapped[str] = mapped_column(String(64))
    id_masked: Mapped[str] = mapped_column(String(18))
    # Where the citizen talks to us (web, wechat…) and the conversation: changes are pushed there,
    # and that conversation may look the case up without the phone.
    channel: Mapped[str | None] = mapped_column(String(16))
    conversation_id: Mapped[str | None] = mapped_column(String(128), index=True)
    status: Mapped[CaseStatus] = mapped_column(string_enum(CaseStatus, "case_status"), default=CaseStatus.ACCEPTED)
    # 承诺时限: working days from the day after acceptance; 补正 days are added to it.
    promised_days: Mapped[int] = mapped_column(Integer)
    accepted_on: Mapped[date] = mapped_column(Date)
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    paused_since: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    # What the applicant still has to bring while the case is in 补正 (一次性告知: all at once).
    materials_missing: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The reason of a 不予 decision or a 退回, which the citizen is told.
    reason: Mapped[str | None] = mapped_column(Text)
    # 超时默认: when the case was found past its promised time limit (once).
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The client's Idempotency-Key: a retried create returns the first case instead of a second one.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    events: Mapped[list["CaseEvent"]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )


class CaseEvent(Base):
    """Every change of a case: who, when, from which state to which, why, and the 补正 list."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(60))  # "staff:<name>" or "system"
    action: Mapped[str] = mapped_column(String(16))  # accept, review, supplement, …, overdue, deem
    from_status: Mapped[CaseStatus | None] = mapped_column(string_enum(CaseStatus, "case_status"))
    to_status: Mapped[CaseStatus] = mapped_column(string_enum(CaseStatus, "case_status"))
    note: Mapped[str | None] = mapped_column(Text)
    materials: Mapped[list[str] | None] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="events")


class CaseCounter(Base):
    """The last case number handed out per day (the NNNN of SL-20261201-0042)."""

    __tablename__ = "case_counter"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


"""The agents' queue of work orders: filtered by status, type, topic and overdue, soonest deadline
first, a page at a time; and the same selection as a spreadsheet export."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, not_, or_, select
from sqlalchemy.orm import Session

from service.core import templates as t
from service.core.privacy import mask_mobiles, mask_personal_data
from service.tickets.deadlines import is_overdue, overdue_clause
from service.tickets.models import Status, Ticket, TicketType
from service.tickets.schemas import TicketPage
from service.tickets.views import brief_view

EXPORT_LIMIT = 10_000


@dataclass(frozen=True)
class QueueFilter:
    status: Status | None = None
    type: TicketType | None = None
    topic: str | None = None  # first- or second-level
    overdue: bool | None = None


def _queue_query(*, now: datetime, filters: QueueFilter) -> Select:
    query: Select = select(Ticket)
    if filters.status is not None:
        query = query.where(Ticket.status == filters.status)
    if filters.type is not None:
        query = query.where(Ticket.type == filters.type)
    if filters.topic:
        query = query.where(or_(Ticket.topic_l1 == filters.topic, Ticket.topic_l2 == filters.topic))
    if filters.overdue is not None:
        query = query.where(overdue_clause(now) if filters.overdue else not_(overdue_clause(now)))
    return query


def list_tickets(
    session: Session, *, now: datetime, filters: QueueFilter, page: int = 1, page_size: int = 20
) -> TicketPage:
    query = _queue_query(now=now, filters=filters)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.order_by(Ticket.deadline, Ticket.id).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return TicketPage(items=[brief_view(row, now=now) for row in rows], total=total, page=page, page_size=page_size)


def export_rows(session: Session, *, now: datetime, filters: QueueFilter) -> Iterator[list[str]]:
    """The queue as spreadsheet rows (header first), phones masked: exports leave the system."""
    yield list(t.TICKET_EXPORT_COLUMNS)
    zone = now.tzinfo
    query = _queue_query(now=now, filters=filters).order_by(Ticket.created_at, Ticket.id).limit(EXPORT_LIMIT)
    for ticket in session.scalars(query):
        yield [
            ticket.number, ticket.channel.value, ticket.type.value, ticket.topic_l1 or "", ticket.topic_l2 or "",
            ticket.summary, ticket.place or "", mask_mobiles(ticket.phone), ticket.department or "",
            t.TICKET_STATUS_LABELS[ticket.status.value], ticket.assignee or "",
            f"{ticket.created_at.astimezone(zone):%Y-%m-%d %H:%M}", f"{ticket.deadline.astimezone(zone):%Y-%m-%d %H:%M}",
            t.TICKET_EXPORT_OVERDUE[is_overdue(ticket, now=now)], mask_personal_data(ticket.reply or ""),
            ticket.satisfaction.value if ticket.satisfaction else "",
        ]


def export_csv(session: Session, *, now: datetime, filters: QueueFilter) -> str:
    """The export as CSV text, starting with a byte-order mark so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(export_rows(session, now=now, filters=filters))
    return buffer.getvalue()


def export_filename(now: datetime) -> str:
    return f"12345-tickets-{now:%Y%m%d-%H%M}.csv"

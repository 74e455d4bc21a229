"""Every chart of the dashboard by its name in the URL (/api/dashboard/<name>), with what builds it."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from service.dashboard import bookings, conversations, work_orders
from service.dashboard.period import Period
from service.dashboard.schemas import ChartTable

Build = Callable[[Session, Period, datetime], ChartTable]

CHARTS: dict[str, Build] = {
    "conversations": lambda session, period, _now: conversations.per_day(session, period),
    "outcomes": lambda session, period, _now: conversations.outcomes_per_day(session, period),
    "top-items": lambda session, period, _now: conversations.top_items(session, period),
    "missing-items": lambda session, period, _now: conversations.missing_items(session, period),
    "handoffs": lambda session, period, _now: conversations.handoffs_by_topic(session, period),
    "ticket-deadlines": work_orders.deadline_states,
    "bookings": lambda session, period, _now: bookings.per_hall(session, period),
    "ratings-by-channel": lambda session, period, _now: work_orders.ratings_by_channel(session, period),
    "ratings-by-item": lambda session, period, _now: work_orders.ratings_by_item(session, period),
}

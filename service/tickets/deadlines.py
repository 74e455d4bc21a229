"""Reply deadlines of work orders: the rules of service/seed/tickets.yaml (working days by type,
hours for urgent orders, the agents' hours), a new order's due time, and when an order is overdue."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import ColumnElement, and_, case

from service.core.calendar import WorkCalendar
from service.core.settings import get_settings
from service.tickets.models import OPEN, Ticket, TicketType, Urgency

# An open order due within this many hours is shown as a warning (临近期限) before it is overdue.
WARNING_HOURS = 24


@dataclass(frozen=True)
class DeadlineRules:
    working_days: dict[TicketType, int]
    urgent_hours: int
    agents_from: time
    agents_until: time

    @property
    def agent_hours(self) -> str:
        return f"{self.agents_from:%H:%M}-{self.agents_until:%H:%M}"

    def agents_back_at(self, now: datetime) -> datetime | None:
        """None while agents are on duty; otherwise when they start again (local time)."""
        local = now.timetz()
        if self.agents_from <= local.replace(tzinfo=None) < self.agents_until:
            return None
        day = now.date() if local.replace(tzinfo=None) < self.agents_from else now.date() + timedelta(days=1)
        return datetime.combine(day, self.agents_from, tzinfo=now.tzinfo)


@lru_cache
def load_deadline_rules(path: Path) -> DeadlineRules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    days = {TicketType(name): int(n) for name, n in raw["deadline_working_days"].items()}
    missing = set(TicketType) - set(days)
    if missing:
        raise ValueError(f"{path}: deadline_working_days lacks {', '.join(sorted(missing))}")
    hours = raw["agent_hours"]
    if time.fromisoformat(hours["start"]) >= time.fromisoformat(hours["end"]):
        raise ValueError(f"{path}: agent_hours start must be before end (hours across midnight are not supported)")
    return DeadlineRules(
        working_days=days,
        urgent_hours=int(raw["urgent_deadline_hours"]),
        agents_from=time.fromisoformat(hours["start"]),
        agents_until=time.fromisoformat(hours["end"]),
    )


def configured_rules() -> DeadlineRules:
    """The rules of the file settings.TICKETS_CONFIG_PATH names."""
    return load_deadline_rules(get_settings().TICKETS_CONFIG_PATH)


def compute_deadline(
    rules: DeadlineRules, calendar: WorkCalendar, *, created: datetime, type: TicketType, urgency: Urgency
) -> datetime:
    """N working days after `created` (local time of day kept); urgent orders within a fixed number of hours."""
    if urgency is Urgency.URGENT:
        return created + timedelta(hours=rules.urgent_hours)
    return working_days_after(calendar, created, rules.working_days[type])


def working_days_after(calendar: WorkCalendar, start: datetime, n: int) -> datetime:
    """The n-th working day after `start`'s day, at `start`'s local time of day (n=0: `start`)."""
    if n == 0:
        return start
    due = calendar.next_working_days(start.date() + timedelta(days=1), n)[-1]
    return datetime.combine(due, start.timetz())


# One rule in two forms: for an order in hand, and for the queue's query.
def is_overdue(ticket: Ticket, *, now: datetime) -> bool:
    return ticket.status in OPEN and ticket.deadline < now


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    return and_(Ticket.status.in_(OPEN), Ticket.deadline < now)


class DeadlineState(StrEnum):
    """Where an order stands against its deadline, for the dashboard: answered in time or late,
    still open with time left, due within WARNING_HOURS, or open past its deadline."""

    ANSWERED_ON_TIME = "answered_on_time"
    ANSWERED_LATE = "answered_late"
    OPEN_ON_TIME = "open_on_time"
    WARNING = "warning"
    OVERDUE = "overdue"


def deadline_state_clause(now: datetime) -> ColumnElement[str]:
    """DeadlineState of each order, as SQL (an order answered and then reopened counts as open)."""
    return case(
        (overdue_clause(now), DeadlineState.OVERDUE.value),
        (and_(Ticket.status.in_(OPEN), Ticket.deadline < now + timedelta(hours=WARNING_HOURS)),
         DeadlineState.WARNING.value),
        (Ticket.status.in_(OPEN), DeadlineState.OPEN_ON_TIME.value),
        (and_(Ticket.replied_at.is_not(None), Ticket.replied_at > Ticket.deadline), DeadlineState.ANSWERED_LATE.value),
        else_=DeadlineState.ANSWERED_ON_TIME.value,
    )

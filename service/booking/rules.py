"""When a day and slot can be booked: the clock, the working-day calendar and how far ahead."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from service.booking.halls import group_slots, slot_bounds, window_of
from service.booking.models import BookingHall, CapacityGroup
from service.core import clock
from service.core import templates as t
from service.core.calendar import CalendarError, WorkCalendar
from service.core.errors import InvalidInputError
from service.core.settings import get_settings


@dataclass(frozen=True)
class Rules:
    """What a booking is checked against besides the database: the clock and the calendar."""

    now: datetime  # aware, in the halls' timezone
    calendar: WorkCalendar
    days_ahead: int

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def last_day(self) -> date:
        return self.today + timedelta(days=self.days_ahead)

    def is_working_day(self, day: date) -> bool:
        try:
            return self.calendar.is_working_day(day)
        except CalendarError:  # beyond the years the calendar lists: not bookable yet
            return False


def current_rules() -> Rules:
    """The rules as of now, from the service's clock, calendar and settings."""
    return Rules(now=clock.now(), calendar=clock.work_calendar(), days_ahead=get_settings().BOOKING_DAYS_AHEAD)


def day_problem(rules: Rules, day: date) -> str | None:
    """Why the day cannot be booked (past, too far, closed), or None when it can."""
    if day < rules.today:
        return t.DATE_PAST.format(date=day.isoformat())
    if day > rules.last_day:
        return t.DATE_TOO_FAR.format(days=rules.days_ahead, last=rules.last_day.isoformat())
    if not rules.is_working_day(day):
        return t.DAY_CLOSED.format(date=day.isoformat(), weekday=t.WEEKDAYS[day.weekday()])
    return None


def has_started(rules: Rules, day: date, label: str) -> bool:
    return day == rules.today and slot_bounds(label)[0] <= rules.now.time()


def check_slot(rules: Rules, *, hall: BookingHall, group: CapacityGroup, day: date, slot: str) -> None:
    """Everything about the day and slot except free capacity (checked when the seat is taken)."""
    problem = day_problem(rules, day)
    if problem:
        raise InvalidInputError(problem)
    if slot not in hall.slots:
        raise InvalidInputError(
            t.SLOT_UNKNOWN.format(slot=slot, date=day.isoformat(), slots="、".join(group_slots(hall, group)))
        )
    if slot not in group_slots(hall, group):
        raise InvalidInputError(
            t.SLOT_WINDOW_CLOSED.format(
                window=window_of(hall, group).name, slot=slot, slots="、".join(group_slots(hall, group))
            )
        )
    if has_started(rules, day, slot):
        raise InvalidInputError(t.SLOT_STARTED.format(date=day.isoformat(), slot=slot))

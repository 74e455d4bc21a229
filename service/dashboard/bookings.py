"""Chart of pre-registration (service.booking): per hall, the bookings for the period's days, how
many came (arrived or done), did not come (no-show) or cancelled."""

from collections import Counter, defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.booking.models import Appointment, BookingHall, Status
from service.core import templates as t
from service.dashboard.period import Period
from service.dashboard.schemas import ChartTable, columns, percent


def per_hall(session: Session, period: Period) -> ChartTable:
    """Every hall, with its bookings (cancelled ones apart) and the no-show rate among them."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for hall_id, status, count in session.execute(
        select(Appointment.hall_id, Appointment.status, func.count())
        .where(Appointment.day >= period.start, Appointment.day <= period.end)
        .group_by(Appointment.hall_id, Appointment.status)
    ):
        counts[hall_id][Status(status)] += count
    rows = []
    for hall in session.scalars(select(BookingHall).order_by(BookingHall.code)):
        by_status = counts[hall.id]
        booked = sum(n for status, n in by_status.items() if status is not Status.CANCELLED)
        attended = by_status[Status.ARRIVED] + by_status[Status.DONE]
        no_shows = by_status[Status.NO_SHOW]
        rows.append([f"{hall.code} {hall.name}", booked, attended, no_shows, by_status[Status.CANCELLED],
                     percent(no_shows, booked)])
    return ChartTable(chart="bookings", title=t.DASHBOARD_CHARTS["bookings"], start=period.start, end=period.end,
                      columns=columns("hall", "bookings", "attended", "no_shows", "cancelled", "no_show_rate"),
                      rows=rows)

"""A hall's own limits on changing bookings and on no-shows (爽约限制), with the service's defaults.

halls.yaml may set any of them per hall (`policy:`); what a hall leaves out comes from settings.
"""

from dataclasses import dataclass, fields
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.booking.models import Appointment, BookingHall, Status
from service.core.settings import get_settings


@dataclass(frozen=True)
class HallPolicy:
    max_reschedules: int  # changes of time per booking
    no_show_limit: int  # no-shows within no_show_window_days that suspend online booking…
    no_show_window_days: int
    suspension_days: int  # …for this many days after the last of them
    reminder_at: time  # the reminder goes out the day before, from this time on


def default_policy() -> HallPolicy:
    settings = get_settings()
    return HallPolicy(
        max_reschedules=settings.BOOKING_MAX_RESCHEDULES,
        no_show_limit=settings.BOOKING_NO_SHOW_LIMIT,
        no_show_window_days=settings.BOOKING_NO_SHOW_WINDOW_DAYS,
        suspension_days=settings.BOOKING_SUSPENSION_DAYS,
        reminder_at=settings.BOOKING_REMINDER_AT,
    )


def policy_of(hall: BookingHall) -> HallPolicy:
    overrides = {k: v for k, v in (hall.policy or {}).items() if k in {f.name for f in fields(HallPolicy)}}
    if "reminder_at" in overrides:
        overrides["reminder_at"] = time.fromisoformat(overrides["reminder_at"])
    return HallPolicy(**{**default_policy().__dict__, **overrides})


def suspended_until(session: Session, *, hall: BookingHall, id_hash: str, today: date) -> date | None:
    """The day online booking at this hall opens again for the person, or None when it is open."""
    policy = policy_of(hall)
    if policy.no_show_limit <= 0:
        return None
    no_shows = session.scalars(
        select(Appointment.day)
        .where(
            Appointment.hall_id == hall.id,
            Appointment.id_hash == id_hash,
            Appointment.status == Status.NO_SHOW,
            Appointment.day > today - timedelta(days=policy.no_show_window_days),
            Appointment.day <= today,
        )
        .order_by(Appointment.day)
    ).all()
    if len(no_shows) < policy.no_show_limit:
        return None
    until = no_shows[-1] + timedelta(days=policy.suspension_days)
    return until if until > today else None


def reschedules_made(appointment: Appointment) -> int:
    return sum(1 for event in appointment.events if event.action == "reschedule")


def reschedules_left(appointment: Appointment) -> int:
    return max(0, policy_of(appointment.hall).max_reschedules - reschedules_made(appointment))

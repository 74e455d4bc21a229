"""Finding the bookings whose reminder is due and queuing each reminder once.

A booking of tomorrow is reminded from its hall's `reminder_at` on: on WeChat when it was booked
there (a customer-service message, with an SMS as the fallback when WeChat will not take it, e.g.
48 hours after the citizen last wrote), else by SMS to the booking's mobile, and for a web chat
booking also in the web chat's outbox, which its page shows when it is open. The booking is marked
by a guarded UPDATE in the transaction that queues the reminder, and the outbox key is derived
from the booking and day, so two sweeps (two service processes) never remind twice.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from service.booking.models import Appointment, Status
from service.booking.policy import policy_of
from service.core import templates as t
from service.core.db import utcnow
from service.sms.delivery import enqueue_sms, sms_message
from service.webchat.notices import enqueue_notice
from service.wechat.delivery import WECHAT, enqueue_texts
from service.wechat.service import SENDER_PREFIX

log = logging.getLogger(__name__)
WEB = "web"  # a booking made in the web chat (AppointmentIn.channel)


def reminder_text(appointment: Appointment) -> str:
    day = appointment.day
    return t.BOOKING_REMINDER.format(
        date=f"{day.month}月{day.day}日", weekday=t.WEEKDAYS[day.weekday()], slot=appointment.slot,
        hall_name=appointment.hall.name, address=appointment.hall.address, window=appointment.window_name,
        item_name=appointment.item_name, code=appointment.code, phone=appointment.hall.phone,
    )


def _due(appointment: Appointment, now: datetime) -> bool:
    """From the hall's reminder time the day before; not for a booking made after that time
    (its confirmation has just said it all)."""
    moment = datetime.combine(appointment.day - timedelta(days=1), policy_of(appointment.hall).reminder_at,
                              tzinfo=now.tzinfo)
    return now >= moment and appointment.created_at.astimezone(now.tzinfo) < moment


def _queue(session: Session, appointment: Appointment) -> None:
    text = reminder_text(appointment)
    key = f"reminder:{appointment.code}:{appointment.day.isoformat()}"
    conversation = appointment.conversation_id or ""
    if appointment.channel == WECHAT and conversation.startswith(SENDER_PREFIX):
        enqueue_texts(session, openid=conversation.removeprefix(SENDER_PREFIX), texts=[text], key_prefix=key,
                      fallback=sms_message(phone=appointment.phone, text=text))
    else:
        if appointment.channel == WEB and conversation:  # shown when the citizen's page is open
            enqueue_notice(session, conversation_id=conversation, text=text, key=f"{key}:web")
        enqueue_sms(session, phone=appointment.phone, text=text, key=key)


def send_due_reminders(sessions: sessionmaker[Session], *, now: datetime) -> int:
    """Queue every reminder due at `now` (aware, the halls' time); how many were queued."""
    tomorrow = now.date() + timedelta(days=1)
    queued = 0
    with sessions() as session:
        candidates = session.scalars(
            select(Appointment)
            .where(Appointment.day == tomorrow, Appointment.status == Status.BOOKED, Appointment.reminded_at.is_(None))
            .options(selectinload(Appointment.hall))
            .order_by(Appointment.id)
        ).all()
        for appointment in candidates:
            if not _due(appointment, now):
                continue
            try:
                marked = session.execute(
                    update(Appointment)
                    .where(Appointment.id == appointment.id, Appointment.reminded_at.is_(None),
                           Appointment.status == Status.BOOKED, Appointment.day == tomorrow)
                    .values(reminded_at=utcnow())
                    .execution_options(synchronize_session=False)
                ).rowcount == 1
                if marked:
                    _queue(session, appointment)
                session.commit()
                queued += marked
            except IntegrityError:  # another sweep queued it first
                session.rollback()
    if queued:
        log.info("%s booking reminders queued", queued)
    return queued

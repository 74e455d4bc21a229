"""The 好差评 follow-up (整改) of a 差评, as the national 政务服务"好差评" rules ask: a 不满意 or
非常不满意 rating opens a task due 15 working days later, in the rating's own transaction; staff
close it with what was done, and the citizen is told through the order's channel (a WeChat
customer-service message with an SMS as its fallback, a web chat notice, otherwise an SMS), queued
in the outbox with the close."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from service.core import templates as t
from service.core.calendar import WorkCalendar
from service.core.errors import ConflictError, NotFoundError
from service.core.privacy import mask_personal_data
from service.sms.delivery import enqueue_sms, sms_message
from service.tickets.conversation import wechat_openid
from service.tickets.deadlines import working_days_after
from service.tickets.models import POOR_RATINGS, Channel, RatingFollowUp, Satisfaction, Ticket
from service.webchat.notices import enqueue_notice
from service.wechat.delivery import enqueue_texts

FOLLOW_UP_WORKING_DAYS = 15


def follow_up_due(calendar: WorkCalendar, *, rated_at: datetime) -> datetime:
    """15 working days after the rating (holidays skipped, 调休 Saturdays counted), same time of day."""
    return working_days_after(calendar, rated_at, FOLLOW_UP_WORKING_DAYS)


def open_if_poor(
    session: Session, *, ticket: Ticket, rating: Satisfaction, rated_at: datetime, calendar: WorkCalendar
) -> RatingFollowUp | None:
    """The task for a 差评, added to the rating's transaction (the caller commits); None for other ratings."""
    if rating not in POOR_RATINGS:
        return None
    task = RatingFollowUp(
        ticket_id=ticket.id, rating=rating, opened_at=rated_at, due_at=follow_up_due(calendar, rated_at=rated_at)
    )
    session.add(task)
    return task


def open_tasks(session: Session) -> list[RatingFollowUp]:
    """The tasks not yet closed, soonest deadline first."""
    return list(session.scalars(
        select(RatingFollowUp).options(joinedload(RatingFollowUp.ticket))
        .where(RatingFollowUp.closed_at.is_(None)).order_by(RatingFollowUp.due_at, RatingFollowUp.id)
    ))


def get_task(session: Session, task_id: int) -> RatingFollowUp:
    task = session.get(RatingFollowUp, task_id)
    if task is None:
        raise NotFoundError(t.FOLLOW_UP_NOT_FOUND.format(id=task_id))
    return task


def close(session: Session, *, task_id: int, staff: str, action_taken: str, now: datetime) -> RatingFollowUp:
    """Closes the task with what was done and queues the citizen's message, both or neither."""
    task = get_task(session, task_id)
    action_taken = mask_personal_data(action_taken)
    closed = session.execute(
        update(RatingFollowUp)
        .where(RatingFollowUp.id == task_id, RatingFollowUp.closed_at.is_(None))
        .values(closed_at=now, closed_by=staff, action_taken=action_taken)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:  # closed already, perhaps a moment ago by a colleague
        session.rollback()
        session.refresh(task)
        closed_on = f"{task.closed_at.astimezone(now.tzinfo):%Y-%m-%d %H:%M}"
        raise ConflictError(t.FOLLOW_UP_ALREADY_CLOSED.format(id=task_id, number=task.ticket.number,
                                                              closed_on=closed_on))
    _tell_citizen(session, task.ticket, task=task, action_taken=action_taken)
    session.commit()
    session.refresh(task)
    return task


def _tell_citizen(session: Session, ticket: Ticket, *, task: RatingFollowUp, action_taken: str) -> None:
    """One message through the order's channel; its outbox key is the task's, so it is never queued twice."""
    text = t.FOLLOW_UP_NOTICE.format(number=ticket.number, rating=task.rating.value, action=action_taken)
    key = f"follow-up-{task.id}"
    openid = wechat_openid(ticket.conversation_id) if ticket.conversation_id else None
    if ticket.channel is Channel.WECHAT and openid is not None:
        # Weeks after the chat, WeChat may refuse a customer-service message (its 48-hour window): then an SMS.
        enqueue_texts(session, openid=openid, texts=[text], ticket_number=ticket.number, key_prefix=key,
                      fallback=sms_message(phone=ticket.phone, text=text))
    elif ticket.channel is Channel.WEB and ticket.conversation_id is not None:
        enqueue_notice(session, conversation_id=ticket.conversation_id, text=text, key=key)
    else:  # a hotline call, or an order filed without a chat: the phone it was filed with
        enqueue_sms(session, phone=ticket.phone, text=text, key=key)

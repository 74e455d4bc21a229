"""A known set of turns, work orders, ratings and bookings for the dashboard's tests (API, browser) and its
README screenshot, written straight into a database seeded with the real catalogue and halls.

The clock is 2026-12-01 08:30 in Shanghai (tests' FIXED_NOW): the default range is 2026-11-02 to
2026-12-01. One row of each kind lies outside it (October). Times below are local (+08:00). Each 差评
has its follow-up task: the November one open, the October one closed.
"""

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.booking.models import Appointment, BookingHall
from service.booking.models import Status as BookingStatus
from service.core.calendar import load_calendar
from service.tickets.followups import follow_up_due
from service.tickets.models import POOR_RATINGS, Channel, RatingFollowUp, Satisfaction, Status, Ticket, TicketType
from service.turns.models import Outcome, Turn

LOCAL = timezone(timedelta(hours=8))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL)


# (conversation, message, local time, channel, outcome, item code, 12345 topic as stored, masked text)
TURNS = [
    ("A", "m1", "2026-11-30 23:30", "web", Outcome.NOTICE, "GA-SFZ-002", "政法", "身份证丢了怎么补办"),
    # Ten past midnight in Shanghai is still 30 November in UTC: it counts on 1 December.
    ("A", "m2", "2026-12-01 00:10", "web", Outcome.NOT_UNDERSTOOD, None, None, "那个东西咋弄"),
    ("B", "m1", "2026-12-01 08:00", "wechat", Outcome.REFERRAL, None, "城乡建设", "房产证抵押怎么办"),
    ("B", "m2", "2026-12-01 08:05", "wechat", Outcome.REFERRAL, None, "城乡建设", "二手房过户去哪里办"),
    ("C", "m1", "2026-12-01 08:06", "web", Outcome.HANDOFF, None, "城乡建设", "小区路灯坏了没人修"),
    ("C", "m2", "2026-12-01 08:07", "web", Outcome.NOTICE, "GA-SFZ-002", "政法", "补办身份证要带啥"),
    ("D", "m1", "2026-12-01 08:20", "web", Outcome.HANDOFF, None, "政法", "我要投诉窗口态度"),
    ("E", "m1", "2026-11-30 10:00", "web", Outcome.HANDOFF, None, "城乡建设", "井盖丢了很危险"),
    ("F", "m1", "2026-11-30 11:00", "web", Outcome.REFERRAL, None, "劳动和社会保障", "养老保险怎么交"),
    ("H", "m1", "2026-11-30 12:00", "web", Outcome.OFFERED, "BDC-ZYDJ-001", "城乡建设", "买二手房要办什么"),
    ("G", "m1", "2026-10-01 10:00", "web", Outcome.NOT_UNDERSTOOD, None, None, "在吗"),
]

# (number, channel, created, deadline, status, replied, rated, rating, item code, topic, conversation)
TICKETS = [
    ("12345-20261120-00001", Channel.WEB, "2026-11-20 10:00", "2026-11-27 10:00", Status.CLOSED,
     "2026-11-25 15:00", "2026-11-26 09:00", Satisfaction.SATISFIED, "GA-SFZ-002", "公安", "web-0001"),
    ("12345-20261121-00001", Channel.WECHAT, "2026-11-21 10:00", "2026-11-28 10:00", Status.REPLIED,
     "2026-11-29 09:00", "2026-11-30 09:00", Satisfaction.DISSATISFIED, None, "城乡建设", "wechat:openid-0002"),
    ("12345-20261130-00001", Channel.HOTLINE, "2026-11-30 09:00", "2026-12-01 20:00", Status.NEW,
     None, None, None, None, "城乡建设", None),
    ("12345-20261125-00001", Channel.WEB, "2026-11-25 10:00", "2026-11-30 10:00", Status.CLAIMED,
     None, None, None, None, "城乡建设", "web-0004"),
    ("12345-20261128-00001", Channel.HOTLINE, "2026-11-28 10:00", "2026-12-05 10:00", Status.NEW,
     None, None, None, None, "交通运输", None),
    ("12345-20261001-00001", Channel.HOTLINE, "2026-10-01 10:00", "2026-10-12 10:00", Status.CLOSED,
     "2026-10-03 10:00", "2026-10-05 10:00", Satisfaction.VERY_DISSATISFIED, None, "城乡建设", None),
]

# (hall code, day, status)
BOOKINGS = [
    ("A", "2026-11-25", BookingStatus.DONE),
    ("A", "2026-11-25", BookingStatus.NO_SHOW),
    ("A", "2026-11-25", BookingStatus.CANCELLED),
    ("A", "2026-11-25", BookingStatus.ARRIVED),
    ("A", "2026-11-26", BookingStatus.BOOKED),
    ("B", "2026-11-27", BookingStatus.NO_SHOW),
    ("A", "2026-10-10", BookingStatus.DONE),
]


def add_dashboard_rows(session: Session) -> None:
    for conversation, message, when, channel, outcome, item, topic, text in TURNS:
        session.add(Turn(
            conversation_id=f"conversation-{conversation}", message_id=message, at=at(when), channel=channel,
            text=text, intent=None, intent_confidence=None, item_code=item, item_confidence=0.9 if item else None,
            outcome=outcome, topic=topic,
        ))
    calendar = load_calendar()
    for number, channel, created, deadline, status, replied, rated, rating, item, topic, conversation in TICKETS:
        ticket = Ticket(
            number=number, channel=channel, phone="13812345678", type=TicketType.COMPLAINT, topic_l1=topic,
            content="市民反映的问题", summary="市民反映的问题", item_code=item, deadline=at(deadline), status=status,
            replied_at=at(replied) if replied else None, reply="已处理" if replied else None,
            rated_at=at(rated) if rated else None, satisfaction=rating, conversation_id=conversation,
            created_at=at(created), updated_at=at(created),
        )
        session.add(ticket)
        if rating in POOR_RATINGS:  # as the rating would have: its 整改 task, open (the October one closed)
            session.flush()
            closed = rating is Satisfaction.VERY_DISSATISFIED
            session.add(RatingFollowUp(
                ticket_id=ticket.id, rating=rating, opened_at=at(rated), due_at=follow_up_due(calendar, rated_at=at(rated)),
                closed_at=at("2026-10-20 10:00") if closed else None, closed_by="王芳" if closed else None,
                action_taken="已约谈责任单位并完成整改" if closed else None,
            ))
    halls = {hall.code: hall.id for hall in session.scalars(select(BookingHall))}
    for serial, (hall, day, status) in enumerate(BOOKINGS, start=1):
        session.add(Appointment(
            code=f"{day.replace('-', '')}-{hall}-{serial:04d}", idempotency_key=f"dashboard-{serial}",
            request_hash="0" * 64, hall_id=halls[hall], item_code="GA-SFZ-002", item_name="居民身份证补领",
            group_code="GA", window_name="公安综合窗口", day=date.fromisoformat(day), slot="09:00-10:00",
            status=status, name="张三", phone="13812345678", id_hash=f"{serial:064d}", id_masked="1101**********0011",
        ))
    session.commit()

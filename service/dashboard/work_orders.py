"""Charts of the 12345 work orders (service.tickets): where the period's orders stand against their
deadlines, and the period's 好差评 by channel and by item (or, without an item, the order's topic)."""

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.catalogue.models import Item
from service.core import templates as t
from service.dashboard.period import Period
from service.dashboard.schemas import ChartTable, columns, percent
from service.tickets.deadlines import DeadlineState, deadline_state_clause
from service.tickets.models import POOR_RATINGS, Channel, Satisfaction, Ticket

TOP = 10
RATING_KEYS = [rating.value for rating in Satisfaction]
RATING_LABELS = {rating.value: rating.value for rating in Satisfaction}


def deadline_states(session: Session, period: Period, now: datetime) -> ChartTable:
    """The orders created in the period by DeadlineState (answered in time or late, open, due within
    a day, overdue), as of `now`."""
    states = select(deadline_state_clause(now).label("state")).where(period.covers(Ticket.created_at)).subquery()
    counts = dict(session.execute(select(states.c.state, func.count()).group_by(states.c.state)).all())
    rows = [[t.TICKET_DEADLINE_STATE_LABELS[state.value], counts.get(state.value, 0)] for state in DeadlineState]
    return ChartTable(chart="ticket-deadlines", title=t.DASHBOARD_CHARTS["ticket-deadlines"], start=period.start,
                      end=period.end, columns=columns("state", "tickets"), rows=rows)


def _rating_row(label: str, counts: Counter) -> list:
    total = sum(counts.values())
    poor = sum(counts[rating.value] for rating in POOR_RATINGS)
    return [label, *(counts[key] for key in RATING_KEYS), total, percent(poor, total)]


def _ratings_table(chart: str, period: Period, first: str, rows: list[list]) -> ChartTable:
    return ChartTable(chart=chart, title=t.DASHBOARD_CHARTS[chart], start=period.start, end=period.end,
                      columns=columns(first, *RATING_KEYS, "ratings", "poor_rate", labels=RATING_LABELS), rows=rows)


def ratings_by_channel(session: Session, period: Period) -> ChartTable:
    """The ratings given in the period, by the channel the order came in by (every channel listed)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for channel, rating, count in session.execute(
        select(Ticket.channel, Ticket.satisfaction, func.count())
        .where(period.covers(Ticket.rated_at), Ticket.satisfaction.is_not(None))
        .group_by(Ticket.channel, Ticket.satisfaction)
    ):
        counts[Channel(channel).value][Satisfaction(rating).value] += count
    rows = [_rating_row(t.TICKET_CHANNEL_LABELS[channel.value], counts[channel.value]) for channel in Channel]
    return _ratings_table("ratings-by-channel", period, "channel", rows)


def ratings_by_item(session: Session, period: Period) -> ChartTable:
    """The ratings given in the period, by the order's item (its catalogue name) or else its first-level
    topic; the subjects rated most often first."""
    counts: dict[str, Counter] = defaultdict(Counter)
    rated = session.execute(
        select(Ticket.item_code, Ticket.topic_l1, Ticket.satisfaction, func.count())
        .where(period.covers(Ticket.rated_at), Ticket.satisfaction.is_not(None))
        .group_by(Ticket.item_code, Ticket.topic_l1, Ticket.satisfaction)
    ).all()
    codes = {code for code, *_ in rated if code}
    names = dict(session.execute(select(Item.code, Item.name).where(Item.code.in_(codes))).all()) if codes else {}
    for code, topic, rating, count in rated:
        subject = names.get(code, code) if code else topic or t.NOT_LABELLED
        counts[subject][Satisfaction(rating).value] += count
    ranked = sorted(counts.items(), key=lambda pair: (-sum(pair[1].values()), pair[0]))[:TOP]
    return _ratings_table("ratings-by-item", period, "subject", [_rating_row(s, c) for s, c in ranked])

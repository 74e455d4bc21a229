"""Charts of the bot's conversations, from the turns it reports (service.turns): conversations and
turns per day, outcomes per day with the share not understood, the items asked about most, what
was asked that this hall's catalogue lacks, and the handoff rate by topic."""

from collections import defaultdict

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from service.catalogue.models import Item
from service.core import templates as t
from service.dashboard.period import Period, local_day
from service.dashboard.schemas import ChartTable, columns, percent
from service.review.models import LabelKind, ReviewLabel
from service.turns.models import Outcome, Turn

TOP = 10


def _table(chart: str, period: Period, keys: list, rows: list, labels: dict[str, str] | None = None) -> ChartTable:
    return ChartTable(chart=chart, title=t.DASHBOARD_CHARTS[chart], start=period.start, end=period.end,
                      columns=columns(*keys, labels=labels), rows=rows)


def _turns_by_day(session: Session, period: Period) -> Select:
    """The period's turns with their local day (a subquery, so grouping by the day works on PostgreSQL)."""
    return select(Turn, local_day(session, Turn.at, period).label("day")).where(period.covers(Turn.at))


def per_day(session: Session, period: Period) -> ChartTable:
    turns = _turns_by_day(session, period).subquery()
    counted = {
        day: (conversations, count)
        for day, conversations, count in session.execute(
            select(turns.c.day, func.count(turns.c.conversation_id.distinct()), func.count())
            .group_by(turns.c.day)
        )
    }
    rows = [[day.isoformat(), *counted.get(day.isoformat(), (0, 0))] for day in period.days]
    return _table("conversations", period, ["day", "conversations", "turns"], rows)


def outcomes_per_day(session: Session, period: Period) -> ChartTable:
    """Each outcome's turns per day, and the share not understood: the bot's first health figure."""
    turns = _turns_by_day(session, period).subquery()
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for day, outcome, count in session.execute(
        select(turns.c.day, turns.c.outcome, func.count()).group_by(turns.c.day, turns.c.outcome)
    ):
        counts[day][Outcome(outcome).value] = count
    rows = []
    for day in period.days:
        by_outcome = counts.get(day.isoformat(), {})
        figures = [by_outcome.get(outcome.value, 0) for outcome in Outcome]
        share = percent(by_outcome.get(Outcome.NOT_UNDERSTOOD.value, 0), sum(figures))
        rows.append([day.isoformat(), *figures, share])
    keys = ["day", *(outcome.value for outcome in Outcome), "not_understood_share"]
    return _table("outcomes", period, keys, rows, labels=t.TURN_OUTCOME_LABELS)


def top_items(session: Session, period: Period) -> ChartTable:
    """The catalogue items the turns were about most often (any outcome), with their names."""
    count = func.count().label("turns")
    asked = session.execute(
        select(Turn.item_code, count).where(period.covers(Turn.at), Turn.item_code.is_not(None))
        .group_by(Turn.item_code).order_by(count.desc(), Turn.item_code).limit(TOP)
    ).all()
    names = dict(session.execute(select(Item.code, Item.name).where(Item.code.in_([code for code, _ in asked]))).all())
    rows = [[code, names.get(code, code), turns] for code, turns in asked]
    return _table("top-items", period, ["item_code", "item_name", "turns"], rows)


def catalogue_gaps(period: Period) -> Select:
    """The turns that show a matter missing from this hall's catalogue: those a reviewer labelled
    目录缺项 (grouped by what the reviewer says is missing), and those referred elsewhere (首问负责)
    that no reviewer has given an item of the catalogue. The one place that says so."""
    return (
        select(Turn.conversation_id, Turn.at, Turn.text, func.coalesce(ReviewLabel.phrase, Turn.topic).label("topic"))
        .outerjoin(ReviewLabel, ReviewLabel.turn_id == Turn.id)
        .where(period.covers(Turn.at), or_(
            ReviewLabel.kind == LabelKind.MISSING,
            and_(Turn.outcome == Outcome.REFERRAL, ReviewLabel.id.is_(None)),
        ))
    )


def missing_items(session: Session, period: Period) -> ChartTable:
    """What was asked that the catalogue lacks, by what a reviewer says is missing or else the
    12345 topic of the question referred elsewhere, most first,
    with the latest question (masked when stored) as an example."""
    gaps = catalogue_gaps(period).subquery()
    count = func.count().label("turns")
    groups = session.execute(
        select(gaps.c.topic, count, func.count(gaps.c.conversation_id.distinct()))
        .group_by(gaps.c.topic).order_by(count.desc(), gaps.c.topic).limit(TOP)
    ).all()
    rows = []
    for topic, turns, conversations in groups:
        same_topic = gaps.c.topic.is_(None) if topic is None else gaps.c.topic == topic
        latest = session.scalar(select(gaps.c.text).where(same_topic).order_by(gaps.c.at.desc()).limit(1))
        rows.append([topic or t.NOT_LABELLED, turns, conversations, latest or ""])
    return _table("missing-items", period, ["topic", "turns", "conversations", "example"], rows)


def handoffs_by_topic(session: Session, period: Period) -> ChartTable:
    """Per 12345 topic, the government-matter turns and how many of them were handed to a person,
    the most handoffs first (a topic with many questions and none handed over shows its 0 %)."""
    handoffs = func.sum(case((Turn.outcome == Outcome.HANDOFF, 1), else_=0)).label("handoffs")
    groups = session.execute(
        select(Turn.topic, func.count(), handoffs)
        .where(period.covers(Turn.at), Turn.topic.is_not(None))
        .group_by(Turn.topic).order_by(handoffs.desc(), func.count().desc(), Turn.topic).limit(TOP)
    ).all()
    rows = [[topic, turns, handed, percent(handed, turns)] for topic, turns, handed in groups]
    return _table("handoffs", period, ["topic", "turns", "handoffs", "handoff_rate"], rows)

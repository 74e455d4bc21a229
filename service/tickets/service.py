"""Work orders (工单): create, look up, queue, and move through the state machine.

Every state change is one guarded UPDATE (compare-and-set on the status read just before,
plus the assignee rule) whose row count says whether it happened; nothing is written when
it did not, so two agents claiming at once cannot both get the order.
"""

import hmac
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Select, and_, func, not_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from service.catalogue.models import Item
from service.core import templates as t
from service.core.calendar import WorkCalendar
from service.core.counters import next_in_sequence
from service.core.errors import ConflictError, InvalidInputError, NotFoundError
from service.core.privacy import mask_mobiles, mask_personal_data
from service.tickets.draft import related_item, summarise
from service.tickets.models import (
    CLAIMABLE,
    OPEN,
    Satisfaction,
    Status,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketMessage,
    TicketType,
    Urgency,
)
from service.tickets.schemas import (
    CitizenTicketOut,
    CorrectionIn,
    EventOut,
    MessageOut,
    TicketBrief,
    TicketCreatedOut,
    TicketIn,
    TicketOut,
    TicketPage,
)
from service.triage.classifier import get_classifier

log = logging.getLogger(__name__)

CITIZEN = "citizen"


# --- deadlines -----------------------------------------------------------------------------------


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


def compute_deadline(
    rules: DeadlineRules, calendar: WorkCalendar, *, created: datetime, type: TicketType, urgency: Urgency
) -> datetime:
    """N working days after `created` (local time of day kept); urgent orders within a fixed number of hours."""
    if urgency is Urgency.URGENT:
        return created + timedelta(hours=rules.urgent_hours)
    n = rules.working_days[type]
    if n == 0:
        return created
    due = calendar.next_working_days(created.date() + timedelta(days=1), n)[-1]
    return datetime.combine(due, created.timetz())


# --- creating and finding ------------------------------------------------------------------------


def _next_number(session: Session, *, day: date) -> str:
    """12345-YYYYMMDD-NNNNN from a per-day counter, bumped atomically by an upsert."""
    number = next_in_sequence(session, TicketCounter, day=day)
    return f"12345-{day:%Y%m%d}-{number:05d}"


def create_ticket(
    session: Session,
    *,
    request: TicketIn,
    now: datetime,
    rules: DeadlineRules,
    calendar: WorkCalendar,
    idempotency_key: str | None = None,
) -> Ticket:
    """A new order; with an Idempotency-Key already used, the order it created (same request only).

    Type and topic the citizen or bot did not give are suggested by the classifier, the related
    item (and so the handling department) by the catalogue search when the words clearly name one.
    """
    if idempotency_key is not None:
        earlier = session.scalars(select(Ticket).where(Ticket.idempotency_key == idempotency_key)).one_or_none()
        if earlier is not None:
            if earlier.conversation_id != request.conversation_id or earlier.phone != request.phone:
                raise ConflictError(t.TICKET_IDEMPOTENCY_REUSED)
            return earlier
    local_now, now = now, now.astimezone(UTC)  # the local day numbers the order; stored in UTC
    department = request.department
    item_code = request.item_code
    if item_code is None and (related := related_item(session, request.content)) is not None:
        item_code = related.code  # read from the words, like type and topic
    if item_code is not None:
        item = session.scalars(
            select(Item).where(Item.code == item_code).options(selectinload(Item.department))
        ).one_or_none()
        if item is None:
            raise InvalidInputError(t.TICKET_ITEM_UNKNOWN.format(code=item_code))
        department = department or item.department.name
    # ID and phone numbers typed into the text are not needed to handle it: stored masked.
    content = mask_personal_data(request.content)
    ticket_type, topic_l1, topic_l2 = request.type, request.topic_l1, request.topic_l2
    if ticket_type is None or topic_l1 is None:
        triage = get_classifier().classify(content=request.content)
        ticket_type = ticket_type or TicketType(triage.type)
        if topic_l1 is None:
            topic_l1, topic_l2 = triage.l1, triage.l2
    ticket = Ticket(
        number=_next_number(session, day=local_now.date()),
        channel=request.channel,
        requester=request.requester or None,
        phone=request.phone,
        confidential=request.confidential,
        type=ticket_type,
        topic_l1=topic_l1,
        topic_l2=topic_l2,
        district=request.district or None,
        place=request.place or None,
        content=content,
        summary=mask_personal_data(request.summary) if request.summary else summarise(content),
        urgency=request.urgency,
        item_code=item_code,
        department=department,
        deadline=compute_deadline(
            rules, calendar, created=local_now, type=ticket_type, urgency=request.urgency
        ).astimezone(UTC),
        status=Status.NEW,
        conversation_id=request.conversation_id,
        idempotency_key=idempotency_key,
        created_at=now,
        updated_at=now,
    )
    ticket.events.append(
        TicketEvent(at=now, actor=CITIZEN, action="create", to_status=Status.NEW, note=request.channel.value)
    )
    for line in request.transcript:
        ticket.messages.append(TicketMessage(at=now, author=line.author, text=mask_personal_data(line.text)))
    session.add(ticket)
    try:
        session.commit()
    except IntegrityError:
        # The same Idempotency-Key committed by a concurrent retry: that order is the answer.
        session.rollback()
        if idempotency_key is None:
            raise
        return create_ticket(
            session, request=request, now=local_now, rules=rules, calendar=calendar, idempotency_key=idempotency_key
        )
    log.info("work order %s created (%s, %s)", ticket.number, ticket.type.value, ticket.channel.value)
    return ticket


def _by_number(session: Session, number: str) -> Ticket | None:
    return session.scalars(
        select(Ticket)
        .where(Ticket.number == number.strip())
        .options(selectinload(Ticket.events), selectinload(Ticket.messages))
    ).one_or_none()


def get_ticket(session: Session, *, number: str) -> Ticket:
    ticket = _by_number(session, number)
    if ticket is None:
        raise NotFoundError(t.TICKET_NOT_FOUND.format(number=number))
    return ticket


def get_citizen_ticket(session: Session, *, number: str, phone: str) -> Ticket:
    """The order only with the phone it was filed with; a wrong phone reads as not found."""
    ticket = _by_number(session, number)
    if ticket is None or not hmac.compare_digest(ticket.phone, phone):
        raise NotFoundError(t.TICKET_NOT_FOUND_FOR_PHONE.format(number=number))
    return ticket


def _overdue_clause(now: datetime):
    return and_(Ticket.status.in_(OPEN), Ticket.deadline < now)


def _queue_query(
    *, now: datetime, status: Status | None, type: TicketType | None, topic: str | None, overdue: bool | None
) -> Select:
    query: Select = select(Ticket)
    if status is not None:
        query = query.where(Ticket.status == status)
    if type is not None:
        query = query.where(Ticket.type == type)
    if topic:
        query = query.where(or_(Ticket.topic_l1 == topic, Ticket.topic_l2 == topic))
    if overdue is not None:
        query = query.where(_overdue_clause(now) if overdue else not_(_overdue_clause(now)))
    return query


def list_tickets(
    session: Session,
    *,
    now: datetime,
    status: Status | None = None,
    type: TicketType | None = None,
    topic: str | None = None,
    overdue: bool | None = None,
    page: int = 1,
    page_size: int = 20,
) -> TicketPage:
    query = _queue_query(now=now, status=status, type=type, topic=topic, overdue=overdue)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.order_by(Ticket.deadline, Ticket.id).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return TicketPage(items=[brief_view(row, now=now) for row in rows], total=total, page=page, page_size=page_size)


EXPORT_LIMIT = 10_000


def export_rows(
    session: Session, *, now: datetime, status: Status | None, type: TicketType | None,
    topic: str | None, overdue: bool | None,
) -> Iterator[list[str]]:
    """The queue as spreadsheet rows (header first), phones masked: exports leave the system."""
    yield list(t.TICKET_EXPORT_COLUMNS)
    query = _queue_query(now=now, status=status, type=type, topic=topic, overdue=overdue)
    zone = now.tzinfo
    for ticket in session.scalars(query.order_by(Ticket.created_at, Ticket.id).limit(EXPORT_LIMIT)):
        yield [
            ticket.number, ticket.channel.value, ticket.type.value, ticket.topic_l1 or "", ticket.topic_l2 or "",
            ticket.summary, ticket.place or "", mask_mobiles(ticket.phone), ticket.department or "",
            t.TICKET_STATUS_LABELS[ticket.status.value], ticket.assignee or "",
            f"{ticket.created_at.astimezone(zone):%Y-%m-%d %H:%M}", f"{ticket.deadline.astimezone(zone):%Y-%m-%d %H:%M}",
            "是" if is_overdue(ticket, now=now) else "否", mask_personal_data(ticket.reply or ""),
            ticket.satisfaction.value if ticket.satisfaction else "",
        ]


# --- the state machine ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[Status, ...]
    target: Status
    owner_only: bool  # when the order has an assignee, only that agent may do this


CLAIM = Transition("claim", CLAIMABLE, Status.CLAIMED, owner_only=False)
REPLY = Transition("reply", (Status.CLAIMED,), Status.REPLIED, owner_only=True)
RETURN = Transition("return", (Status.CLAIMED, Status.REPLIED), Status.RETURNED, owner_only=True)
REASSIGN = Transition("reassign", (*CLAIMABLE, Status.CLAIMED), Status.REASSIGNED, owner_only=False)
CLOSE = Transition("close", (Status.REPLIED,), Status.CLOSED, owner_only=True)


TRANSITIONS = (CLAIM, REPLY, RETURN, REASSIGN, CLOSE)


def allowed_actions(ticket: Ticket, *, agent: str | None) -> list[str]:
    """What this agent may do with the order now, by the same rules the updates are guarded by."""
    actions = []
    for transition in TRANSITIONS:
        if ticket.status not in transition.sources:
            continue
        if transition is CLAIM and ticket.assignee:
            continue
        if transition.owner_only and ticket.assignee and ticket.assignee != agent:
            continue
        actions.append(transition.action)
    if ticket.conversation_id is not None and ticket.status is Status.CLAIMED and ticket.assignee == agent:
        actions.append("message")
    return actions + ["correct"]


def _refusal(ticket: Ticket, transition: Transition, agent: str) -> str:
    action = t.TICKET_ACTIONS[transition.action]
    status = t.TICKET_STATUS_LABELS[ticket.status.value]
    if ticket.status in transition.sources:
        if transition is CLAIM and ticket.assignee:
            return t.TICKET_ALREADY_CLAIMED.format(number=ticket.number, assignee=ticket.assignee)
        if ticket.assignee and ticket.assignee != agent:
            return t.TICKET_NOT_YOURS.format(number=ticket.number, assignee=ticket.assignee, action=action)
    if transition is CLAIM and ticket.status is Status.CLAIMED:
        return t.TICKET_ALREADY_CLAIMED.format(number=ticket.number, assignee=ticket.assignee)
    return t.TICKET_WRONG_STATE.format(number=ticket.number, status=status, action=action)


def _transition(
    session: Session,
    *,
    number: str,
    transition: Transition,
    agent: str,
    now: datetime,
    values: dict[str, Any],
    note: str | None = None,
) -> Ticket:
    current = session.execute(select(Ticket.id, Ticket.status).where(Ticket.number == number.strip())).one_or_none()
    if current is None:
        raise NotFoundError(t.TICKET_NOT_FOUND.format(number=number))
    guard = [Ticket.id == current.id, Ticket.status == current.status, Ticket.status.in_(transition.sources)]
    if transition is CLAIM:
        guard.append(Ticket.assignee.is_(None))
    elif transition.owner_only:
        guard.append(or_(Ticket.assignee.is_(None), Ticket.assignee == agent))
    changed = session.execute(
        update(Ticket)
        .where(*guard)
        .values(status=transition.target, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        session.rollback()
        ticket = get_ticket(session, number=number)
        raise ConflictError(_refusal(ticket, transition, agent))
    session.add(
        TicketEvent(
            ticket_id=current.id,
            at=now,
            actor=f"agent:{agent}",
            action=transition.action,
            from_status=current.status,
            to_status=transition.target,
            note=note,
        )
    )
    session.commit()
    session.expire_all()
    log.info("work order %s: %s by %s", number, transition.action, agent)
    return get_ticket(session, number=number)


def claim(session: Session, *, number: str, agent: str, now: datetime) -> Ticket:
    return _transition(session, number=number, transition=CLAIM, agent=agent, now=now, values={"assignee": agent})


def reply(session: Session, *, number: str, agent: str, text: str, now: datetime) -> Ticket:
    return _transition(
        session, number=number, transition=REPLY, agent=agent, now=now, values={"reply": text, "replied_at": now}
    )


def return_ticket(session: Session, *, number: str, agent: str, reason: str, now: datetime) -> Ticket:
    return _transition(
        session, number=number, transition=RETURN, agent=agent, now=now, values={"assignee": None}, note=reason
    )


def reassign(session: Session, *, number: str, agent: str, department: str, note: str | None, now: datetime) -> Ticket:
    return _transition(
        session,
        number=number,
        transition=REASSIGN,
        agent=agent,
        now=now,
        values={"assignee": None, "department": department},
        note=t.TICKET_REASSIGN_NOTE.format(department=department, note=note) if note else department,
    )


def close(session: Session, *, number: str, agent: str, now: datetime) -> Ticket:
    return _transition(session, number=number, transition=CLOSE, agent=agent, now=now, values={"closed_at": now})


def correct(session: Session, *, number: str, correction: CorrectionIn, now: datetime) -> Ticket:
    """An agent's fix of type, topic or summary; old and new values kept as an event (retraining data)."""
    ticket = get_ticket(session, number=number)
    changes: dict[str, list[str | None]] = {}
    for field in sorted(correction.model_fields_set - {"agent"}):
        old, new = getattr(ticket, field), getattr(correction, field)
        if old != new:
            changes[field] = [old.value if isinstance(old, TicketType) else old, new.value if isinstance(new, TicketType) else new]
            setattr(ticket, field, new)
    if not changes:
        raise ConflictError(t.TICKET_CORRECTION_UNCHANGED.format(number=ticket.number))
    if ticket.topic_l2 and not ticket.topic_l1:
        session.rollback()
        raise InvalidInputError(t.TICKET_TOPIC_L2_WITHOUT_L1)
    ticket.updated_at = now
    ticket.events.append(
        TicketEvent(
            at=now,
            actor=f"agent:{correction.agent}",
            action="correct",
            from_status=ticket.status,
            to_status=ticket.status,
            changes=changes,
        )
    )
    session.commit()
    return ticket


def rate(session: Session, *, ticket: Ticket, rating: Satisfaction, now: datetime) -> Ticket:
    """The requester's 好差评, once, after the reply; `ticket` found with the phone or the conversation."""
    rated = session.execute(
        update(Ticket)
        .where(
            Ticket.id == ticket.id,
            Ticket.satisfaction.is_(None),
            Ticket.status.in_((Status.REPLIED, Status.CLOSED)),
        )
        .values(satisfaction=rating, rated_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if rated.rowcount != 1:
        session.rollback()
        if ticket.satisfaction is not None:
            raise ConflictError(t.TICKET_ALREADY_RATED.format(number=ticket.number))
        raise ConflictError(t.TICKET_NOT_YET_REPLIED.format(number=ticket.number))
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            at=now,
            actor=CITIZEN,
            action="rate",
            from_status=ticket.status,
            to_status=ticket.status,
            note=rating.value,
        )
    )
    session.commit()
    session.expire_all()
    return get_ticket(session, number=ticket.number)


# --- views ---------------------------------------------------------------------------------------


def is_overdue(ticket: Ticket, *, now: datetime) -> bool:
    return ticket.status in OPEN and ticket.deadline < now


def citizen_view(ticket: Ticket) -> CitizenTicketOut:
    return CitizenTicketOut(
        number=ticket.number,
        type=ticket.type,
        status=ticket.status,
        status_label=t.TICKET_STATUS_LABELS[ticket.status.value],
        summary=ticket.summary,
        phone=mask_mobiles(ticket.phone),
        department=ticket.department,
        created_at=ticket.created_at,
        deadline=ticket.deadline,
        reply=ticket.reply,
        replied_at=ticket.replied_at,
        satisfaction=ticket.satisfaction,
    )


def _brief_fields(ticket: Ticket, *, now: datetime) -> dict[str, Any]:
    return {
        name: getattr(ticket, name)
        for name in TicketBrief.model_fields
        if name not in ("status_label", "overdue")
    } | {"status_label": t.TICKET_STATUS_LABELS[ticket.status.value], "overdue": is_overdue(ticket, now=now)}


def brief_view(ticket: Ticket, *, now: datetime) -> TicketBrief:
    return TicketBrief(**_brief_fields(ticket, now=now))


def created_view(ticket: Ticket, *, rules: DeadlineRules, now: datetime) -> TicketCreatedOut:
    return TicketCreatedOut(
        **citizen_view(ticket).model_dump(),
        topic_l1=ticket.topic_l1,
        topic_l2=ticket.topic_l2,
        agents_on_duty=rules.agents_back_at(now) is None,
        agents_back_at=rules.agents_back_at(now),
        agent_hours=rules.agent_hours,
    )


def message_view(message: TicketMessage) -> MessageOut:
    return MessageOut.model_validate(message, from_attributes=True)


def agent_view(ticket: Ticket, *, now: datetime, agent: str | None = None) -> TicketOut:
    """The full order; `allowed_actions` for `agent` (the one asking)."""
    computed = {"events", "transcript", "conversation", "allowed_actions"}
    extra = {
        name: getattr(ticket, name)
        for name in TicketOut.model_fields
        if name not in TicketBrief.model_fields and name not in computed
    }
    extra["events"] = [EventOut.model_validate(event, from_attributes=True) for event in ticket.events]
    extra["transcript"] = [message_view(message) for message in ticket.messages]
    extra["conversation"] = ticket.conversation_id is not None
    extra["allowed_actions"] = allowed_actions(ticket, agent=agent)
    return TicketOut(**_brief_fields(ticket, now=now), **extra)

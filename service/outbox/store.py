"""Writing, claiming and settling outbox messages.

`enqueue` adds to the caller's session: the message commits or rolls back with the state change
that causes it. A worker claims the heads of streams that are due, under a lease (FOR UPDATE SKIP
LOCKED on PostgreSQL, so that several workers never take the same row; a guarded UPDATE
everywhere), and settles each one: delivered, retried later with back-off and jitter, or parked.
"""

import random
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, sessionmaker

from service.core import templates as t
from service.core.db import utcnow
from service.core.errors import ConflictError, NotFoundError
from service.core.privacy import mask_personal_data
from service.outbox.models import PARKED, OutboxMessage, OutboxStatus

MAX_ERROR_CHARS = 500


def enqueue(
    session: Session,
    *,
    destination: str,
    stream: str,
    kind: str,
    payload: dict[str, Any],
    ticket_number: str | None = None,
    key: str | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """A message to deliver once the caller's transaction commits; strictly after the stream's earlier ones.
    A given `key` makes a second enqueue of the same message fail (IntegrityError) instead of doubling it.
    With `not_before` it (and so the rest of its stream) waits until then."""
    message = OutboxMessage(
        destination=destination,
        stream=f"{destination}:{stream}",
        kind=kind,
        payload=payload,
        key=key or uuid.uuid4().hex,
        ticket_number=ticket_number,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=not_before or utcnow(),
    )
    session.add(message)
    return message


def _free(now: datetime):
    return or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now)


def claim(
    sessions: sessionmaker[Session], *, worker: str, limit: int, now: datetime, lease_s: float,
    fetched: Collection[str] = (),
) -> list[OutboxMessage]:
    """Up to `limit` due messages, each the oldest undelivered one of its stream, leased to `worker`;
    none for the `fetched` destinations, whose readers fetch their messages themselves."""
    earlier = aliased(OutboxMessage)
    is_head = ~exists().where(
        earlier.stream == OutboxMessage.stream, earlier.id < OutboxMessage.id, earlier.status == OutboxStatus.PENDING
    )
    due = and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now, _free(now))
    with sessions() as session, session.begin():
        query = select(OutboxMessage.id).where(due, is_head).order_by(OutboxMessage.id).limit(limit)
        if fetched:
            query = query.where(OutboxMessage.destination.not_in(list(fetched)))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        claimed = [
            message_id
            for message_id in session.scalars(query).all()
            if session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, due)
                .values(lease_until=now + timedelta(seconds=lease_s), worker=worker)
                .execution_options(synchronize_session=False)
            ).rowcount == 1
        ]
        if not claimed:
            return []
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)))


def _held(message_id: int, worker: str):
    return and_(OutboxMessage.id == message_id, OutboxMessage.worker == worker, OutboxMessage.status == OutboxStatus.PENDING)


def settle_delivered(sessions: sessionmaker[Session], message_id: int, *, worker: str, now: datetime) -> bool:
    """Recorded as delivered (what the destination accepted); false when the lease was lost meanwhile."""
    with sessions() as session, session.begin():
        return session.execute(
            update(OutboxMessage)
            .where(_held(message_id, worker))
            .values(status=OutboxStatus.DELIVERED, delivered_at=now, lease_until=None, last_error=None,
                    attempts=OutboxMessage.attempts + 1)
        ).rowcount == 1


def backoff_s(attempts: int, *, base_s: float, cap_s: float, rng: random.Random) -> float:
    """Exponential back-off with equal jitter: half the step fixed, half random, so that many
    messages failing together do not all come back at once."""
    step = min(cap_s, base_s * 2 ** max(0, attempts - 1))
    return step / 2 + rng.uniform(0, step / 2)


def settle_failed(
    sessions: sessionmaker[Session],
    message_id: int,
    *,
    worker: str,
    now: datetime,
    error: str,
    never: bool,
    max_attempts: int,
    base_s: float,
    cap_s: float,
    rng: random.Random,
) -> OutboxStatus | None:
    """Another try later, or parked (out of tries, or `never`); None when the lease was lost meanwhile.

    A parked message that names a `fallback` in its payload (another destination's message, e.g. an
    SMS for a WeChat reminder WeChat would not take) has it queued in the same transaction."""
    with sessions() as session, session.begin():
        held = session.execute(
            select(OutboxMessage.attempts, OutboxMessage.payload, OutboxMessage.key, OutboxMessage.ticket_number)
            .where(_held(message_id, worker))
        ).one_or_none()
        if held is None:
            return None
        attempts, payload, key, ticket_number = held
        attempts += 1
        if never:
            status = OutboxStatus.UNDELIVERABLE
        elif attempts >= max_attempts:
            status = OutboxStatus.DEAD
        else:
            status = OutboxStatus.PENDING
        delay = backoff_s(attempts, base_s=base_s, cap_s=cap_s, rng=rng)
        # Guarded again: another worker may have taken the message since the read above.
        settled = session.execute(
            update(OutboxMessage)
            .where(_held(message_id, worker))
            .values(status=status, attempts=attempts, lease_until=None, worker=None,
                    last_error=mask_personal_data(error)[:MAX_ERROR_CHARS],
                    next_attempt_at=now + timedelta(seconds=delay))
        ).rowcount == 1
        if settled and status in PARKED and (fallback := payload.get("fallback")):
            try:
                with session.begin_nested():  # a replayed message parked again: its fallback is queued already
                    enqueue(session, destination=fallback["destination"], stream=fallback["stream"],
                            kind=fallback["kind"], payload=fallback["payload"], ticket_number=ticket_number,
                            key=f"{key}:fallback")
            except IntegrityError:
                pass
        return status if settled else None


def parked(session: Session, *, ticket_number: str | None = None, limit: int = 200) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.status.in_(PARKED))
    if ticket_number is not None:
        query = query.where(OutboxMessage.ticket_number == ticket_number)
    return list(session.scalars(query.order_by(OutboxMessage.id).limit(limit)))


def replay(session: Session, message_id: int) -> OutboxMessage:
    """A parked message goes back to the queue with fresh tries; the caller commits."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFoundError(t.OUTBOX_MESSAGE_NOT_FOUND.format(id=message_id))
    if message.status not in PARKED:
        raise ConflictError(t.OUTBOX_NOT_PARKED.format(id=message_id, status=message.status.value))
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.lease_until = None
    message.worker = None
    return message


def counts(session: Session) -> dict[str, int]:
    """Messages per status, every status named."""
    found = dict(session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return {status.value: found.get(status, 0) for status in OutboxStatus}


# --- destinations their reader fetches (the web chat page), instead of a worker pushing ---------

def pending_in_stream(session: Session, *, destination: str, stream: str, limit: int = 50) -> list[OutboxMessage]:
    """What waits for the reader of one stream, oldest first."""
    return list(session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.destination == destination, OutboxMessage.stream == f"{destination}:{stream}",
               OutboxMessage.status == OutboxStatus.PENDING)
        .order_by(OutboxMessage.id).limit(limit)
    ))


def acknowledge(session: Session, *, destination: str, stream: str, up_to: int, now: datetime) -> int:
    """The reader has shown the stream's messages up to id `up_to`: delivered. The caller commits."""
    return session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.destination == destination, OutboxMessage.stream == f"{destination}:{stream}",
               OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.id <= up_to)
        .values(status=OutboxStatus.DELIVERED, delivered_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount

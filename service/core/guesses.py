"""A citizen proves a booking, work order or case is theirs with its number and the phone given for
it. Guessing the phone is limited, and counted in the service's database so that every service
process counts the same guesses: after `limit` wrong answers for one number within `window_s`,
that number is refused (429) until the window has passed, whichever worker is asked, the right
phone included (a guesser must not learn which one was right).
"""

import math
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, case, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.core import templates as t
from service.core.counters import insert_statement
from service.core.db import Base, UTCDateTime, utcnow
from service.core.errors import NotFoundError, TooManyRequestsError
from service.core.settings import get_settings


class WrongProof(Base):
    """The wrong phones given for one number in its current window."""

    __tablename__ = "wrong_proof"

    subject: Mapped[str] = mapped_column(String(64), primary_key=True)  # "booking:20261203-A-0042"
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    wrong: Mapped[int] = mapped_column(Integer, nullable=False)


def refuse_while_locked(session: Session, *, subject: str, now: datetime, limit: int, window_s: float) -> None:
    """TooManyRequestsError while `subject` has `limit` wrong answers in a window still running."""
    row = session.execute(
        select(WrongProof.window_start, WrongProof.wrong).where(WrongProof.subject == subject)
    ).one_or_none()
    if row is None or row.wrong < limit:
        return
    ends = row.window_start + timedelta(seconds=window_s)
    if ends > now:
        minutes = max(1, math.ceil((ends - now).total_seconds() / 60))
        raise TooManyRequestsError(t.PROOF_GUESSES_LOCKED.format(minutes=minutes))


def count_wrong(session: Session, *, subject: str, now: datetime, window_s: float) -> int:
    """One more wrong answer for `subject`, in one statement (concurrent workers never lose a count);
    a window that has passed starts again at this one. The caller commits."""
    expired = WrongProof.window_start <= now - timedelta(seconds=window_s)
    statement = (
        insert_statement(session, WrongProof)
        .values(subject=subject, window_start=now, wrong=1)
        .on_conflict_do_update(
            index_elements=["subject"],
            set_={
                "wrong": case((expired, 1), else_=WrongProof.wrong + 1),
                "window_start": case((expired, now), else_=WrongProof.window_start),
            },
        )
        .returning(WrongProof.wrong)
    )
    return session.execute(statement).scalar_one()


@contextmanager
def limited_guesses(session: Session, *, subject: str, now: datetime, limit: int, window_s: float) -> Iterator[None]:
    """Around a lookup by number and phone: refused while locked; a "not found" (wrong phone, or no
    such number) is counted in a transaction of its own, since the request's is rolled back."""
    refuse_while_locked(session, subject=subject, now=now, limit=limit, window_s=window_s)
    try:
        yield
    except NotFoundError:
        session.rollback()
        count_wrong(session, subject=subject, now=now, window_s=window_s)
        session.commit()
        raise


def phone_guesses(session: Session, *, kind: str, number: str) -> AbstractContextManager[None]:
    """`limited_guesses` for one number of a kind ("booking", "ticket", "case") with the configured
    limit; numbers are counted as the lookups read them (trimmed, upper case)."""
    settings = get_settings()
    return limited_guesses(session, subject=f"{kind}:{number.strip().upper()}"[:64], now=utcnow(),
                           limit=settings.PROOF_GUESS_LIMIT, window_s=settings.PROOF_GUESS_WINDOW_S)

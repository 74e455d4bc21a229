"""Generations of shared data: a counter in the database that every write of that data bumps in
its own transaction, so that each service process can tell its caches were built from older data.

One process re-seeding the catalogue cannot reach into another's memory; it can only leave a mark
the others read (service.seeding compares it before it trusts its cached search indexes and notices).
"""

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.core.counters import next_in_sequence
from service.core.db import Base

# The catalogue: the hand-kept seed and the imported provincial versions bump it alike.
CATALOGUE = "catalogue"


class DataGeneration(Base):
    __tablename__ = "data_generation"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, nullable=False)


def bump(session: Session, name: str) -> int:
    """The next generation of `name`, in the caller's transaction (it commits with the data)."""
    return next_in_sequence(session, DataGeneration, name=name)


def current(session: Session, name: str) -> int:
    """The generation of `name` now; 0 before its first write."""
    return session.scalar(select(DataGeneration.last).where(DataGeneration.name == name)) or 0

"""Race-free upserts on PostgreSQL and SQLite: per-key counters and insert-if-absent rows."""

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _dialect(session: Session):
    return postgresql if session.get_bind().dialect.name == "postgresql" else sqlite


def insert_statement(session: Session, model):
    """INSERT for this session's backend, with its ON CONFLICT clauses (PostgreSQL and SQLite share them)."""
    return _dialect(session).insert(model)


def insert_ignoring_duplicates(session: Session, model, values: dict, keys: list[str]) -> None:
    """Insert the row unless one with the same keys exists (another transaction may insert it first)."""
    statement = _dialect(session).insert(model).values(**values).on_conflict_do_nothing(index_elements=keys)
    session.execute(statement)


def next_in_sequence(session: Session, counter_model, **keys) -> int:
    """Bump the counter row for these keys (created at 1) in one statement and return its new value.

    The model needs a unique constraint on exactly these keys and an integer column `last`.
    """
    statement = (
        _dialect(session)
        .insert(counter_model)
        .values(**keys, last=1)
        .on_conflict_do_update(index_elements=list(keys), set_={"last": counter_model.last + 1})
        .returning(counter_model.last)
    )
    return session.execute(statement).scalar_one()

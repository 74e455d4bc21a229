"""The tracker store's own tables beside Rasa's `events`: the outbox of what the service is owed
(bot/service_outbox.py) and the conversations whose forms hold personal data
(bot/stored_personal_data.py). Each Rasa server creates the missing ones when it starts."""

from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa

METADATA = sa.MetaData()

# Any fixed number: the PostgreSQL advisory lock that lets one Rasa process at a time create them.
CREATE_LOCK_KEY = 0x5E0B0C


def create_tables(engine: sa.engine.Engine, tables: Sequence[sa.Table]) -> None:
    """Creates the tables that are missing. Several Rasa servers starting at once on one PostgreSQL
    would each see no table and create it, and all but one fail on the catalogue's unique keys
    (pg_type, pg_class) and exit: they take turns under a transaction's advisory lock."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CREATE_LOCK_KEY})
        METADATA.create_all(connection, tables=list(tables), checkfirst=True)

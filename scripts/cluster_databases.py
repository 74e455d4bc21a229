"""The cluster's two PostgreSQL databases, created when missing, and Rasa's tracker tables in one.

Run by `scripts/stack.py cluster` (and the cluster test) in the Rasa environment, which has both
psycopg2 and Rasa, before any process starts: several Rasa servers starting at once would
otherwise all try to create the same tables, and all but one would fail.

    .venvs/rasa/bin/python scripts/cluster_databases.py   # reads DATABASE_URL and TRACKER_STORE_URL
"""

from __future__ import annotations

import os
import sys

import psycopg2
from psycopg2 import sql
from sqlalchemy.engine import make_url


def create_if_missing(url: str) -> None:
    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        raise SystemExit(f"cluster mode needs PostgreSQL, not {target.drivername}")
    connection = psycopg2.connect(host=target.host, port=target.port or 5432, user=target.username,
                                  password=target.password, dbname="postgres", connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (target.database,))
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.database)))
                print(f"created database {target.database}", flush=True)
    finally:
        connection.close()


def drop_if_exists(url: str) -> None:
    """A scratch cluster's database, when it is done with (make bench)."""
    target = make_url(url)
    connection = psycopg2.connect(host=target.host, port=target.port or 5432, user=target.username,
                                  password=target.password, dbname="postgres", connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target.database)))
    finally:
        connection.close()


def create_tracker_tables(url: str) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    SQLTrackerStore(domain=Domain.empty(), host=url)  # creates its tables when they are missing


def main() -> int:
    service_url, tracker_url = os.environ["DATABASE_URL"], os.environ["TRACKER_STORE_URL"]
    for url in (service_url, tracker_url):
        create_if_missing(url)
    create_tracker_tables(tracker_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())

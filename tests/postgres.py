"""Throwaway PostgreSQL databases on this machine's server (127.0.0.1:5432, trust auth).

Where the server is unreachable the test is skipped with the reason, and fails instead where
REQUIRE_POSTGRES=1 (.ci/run sets it): in CI the PostgreSQL tests must run, never skip quietly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

try:
    import psycopg
except ImportError:  # the Rasa environment has Rasa's driver, psycopg2, with the same calls used here
    import psycopg2 as psycopg

SERVER = "postgresql://postgres@127.0.0.1:5432"


def url(database: str, driver: str = "postgresql") -> str:
    return f"{SERVER.replace('postgresql', driver, 1)}/{database}"


def _unavailable(error: Exception) -> None:
    reason = f"PostgreSQL unreachable at 127.0.0.1:5432: {error}"
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (REQUIRE_POSTGRES=1: these tests must run)")
    pytest.skip(reason)


@contextmanager
def throwaway_databases(prefix: str, count: int = 1) -> Iterator[list[str]]:
    """`count` new, empty databases, dropped (even while connected) when the block ends."""
    try:
        admin = psycopg.connect(url("postgres"), connect_timeout=3)
    except psycopg.OperationalError as error:
        _unavailable(error)
    admin.autocommit = True
    suffix = uuid.uuid4().hex[:10]
    names = [f"{prefix}_{index}_{suffix}" for index in range(count)]
    try:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f'CREATE DATABASE "{name}"')
        yield names
    finally:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

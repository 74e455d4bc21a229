"""The same system on PostgreSQL: service data and Rasa's conversation history."""

from __future__ import annotations

import os
import subprocess
import uuid

import psycopg
import pytest

from scripts.stack import REPO_ROOT, SERVICE_VENV, Ports, Stack
from tests.e2e.conftest import Chat, texts

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_PORTS = Ports(service=18010, actions=15065, rasa=15015)


def _admin(statement: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
        connection.execute(statement)


@pytest.fixture
def databases():
    try:
        _admin("SELECT 1")
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432: {error}")
    suffix = uuid.uuid4().hex[:8]
    names = (f"daoban_e2e_{suffix}", f"daoban_e2e_tracker_{suffix}")
    for name in names:
        _admin(f"CREATE DATABASE {name}")
    yield names
    for name in names:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
def test_conversation_on_postgresql(databases, tmp_path):
    service_db, tracker_db = databases
    env = {
        "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{service_db}",
        "TRACKER_STORE_URL": f"postgresql://postgres@127.0.0.1:5432/{tracker_db}",
    }
    for command in ("migrate", "seed"):
        subprocess.run([str(SERVICE_VENV / "python"), "-m", "service.cli", command],
                       cwd=REPO_ROOT, env={**os.environ, **env}, check=True)
    stack = Stack(ports=PG_PORTS, log_dir=tmp_path / "logs", extra_env=env)
    try:
        stack.start()
        chat = Chat(PG_PORTS.rasa)
        assert "20元" in texts(chat.say("补办身份证要交多少钱"))
        assert "个工作日" in texts(chat.say("那多久能办好"))
    finally:
        stack.stop()

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{tracker_db}") as connection:
        stored = connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = %s AND type_name = 'user'", (chat.sender,)
        ).fetchone()[0]
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{service_db}") as connection:
        items = connection.execute("SELECT count(*) FROM item").fetchone()[0]
    assert stored == 2
    assert items >= 60

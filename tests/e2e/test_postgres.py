"""The same system on PostgreSQL: service data and Rasa's conversation history."""

from __future__ import annotations

import psycopg
import pytest

from scripts.stack import Ports
from tests import postgres
from tests.e2e.conftest import Chat, running_stack, texts

PG_PORTS = Ports(service=18010, actions=15065, rasa=15015)


@pytest.mark.postgres
def test_conversation_on_postgresql(tmp_path):
    with postgres.throwaway_databases("daoban_e2e", count=2) as (service_db, tracker_db):
        env = {
            "DATABASE_URL": postgres.url(service_db, driver="postgresql+psycopg"),
            "TRACKER_STORE_URL": postgres.url(tracker_db),
        }
        with running_stack(PG_PORTS, tmp_path, env):
            chat = Chat(PG_PORTS.rasa)
            assert "20元" in texts(chat.say("补办身份证要交多少钱"))
            assert "个工作日" in texts(chat.say("那多久能办好"))

        with psycopg.connect(postgres.url(tracker_db)) as connection:
            stored = connection.execute(
                "SELECT count(*) FROM events WHERE sender_id = %s AND type_name = 'user'", (chat.sender,)
            ).fetchone()[0]
        with psycopg.connect(postgres.url(service_db)) as connection:
            items = connection.execute("SELECT count(*) FROM item").fetchone()[0]
    assert stored == 2
    assert items >= 60

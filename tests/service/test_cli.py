"""python -m service.cli outbox: counts and the parked messages listed; replayed one by one or --all."""

import pytest
from conftest import make_database
from sqlalchemy import select

from service import cli
from service.core import templates as t
from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.outbox import store
from service.outbox.models import OutboxMessage, OutboxStatus

REFUSED = "errcode 45015: 用户超过48小时未与公众号互动，客服消息无法送达"
RASA_DOWN = "ConnectError: connection refused"


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    """A migrated database the CLI finds through DATABASE_URL, with one message in each status."""
    url = make_database(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    rows = [
        ("rasa", "pause", OutboxStatus.DEAD, 8, RASA_DOWN),
        ("wechat", "text", OutboxStatus.UNDELIVERABLE, 1, REFUSED),
        ("rasa", "agent_line", OutboxStatus.PENDING, 2, RASA_DOWN),
        ("rasa", "resume", OutboxStatus.DELIVERED, 1, None),
    ]
    with get_session_factory(url)() as session:
        for number, (destination, kind, status, attempts, error) in enumerate(rows, start=1):
            message = store.enqueue(session, destination=destination, stream=f"conversation-{number}", kind=kind,
                                    payload={}, ticket_number=f"12345-20261201-0000{number}")
            message.status, message.attempts, message.last_error = status, attempts, error
        session.commit()
    return url


def statuses(url: str) -> dict[str, tuple[OutboxStatus, int]]:
    """Each message's status and tries, by kind."""
    with get_session_factory(url)() as session:
        return {m.kind: (m.status, m.attempts) for m in session.scalars(select(OutboxMessage))}


def test_list_counts_every_status_and_shows_only_the_parked_messages(database, capsys):
    assert cli.main(["outbox", "list"]) == 0
    counts, *lines = capsys.readouterr().out.splitlines()
    assert counts.split() == ["pending:", "1", "delivered:", "1", "dead:", "1", "undeliverable:", "1"]
    assert len(lines) == 2
    dead, refused = (line.split() for line in lines)
    assert dead[1:5] == ["dead", "rasa/pause", "order", "12345-20261201-00001"] and dead[5:7] == ["tries", "8"]
    assert refused[1:5] == ["undeliverable", "wechat/text", "order", "12345-20261201-00002"]
    assert lines[0].endswith(RASA_DOWN) and lines[1].endswith(REFUSED)


def test_replay_all_puts_every_parked_message_back_with_fresh_tries(database, capsys):
    assert cli.main(["outbox", "replay", "--all"]) == 0
    assert capsys.readouterr().out.strip() == "2 message(s) back in the queue"
    assert statuses(database) == {
        "pause": (OutboxStatus.PENDING, 0),
        "text": (OutboxStatus.PENDING, 0),
        "agent_line": (OutboxStatus.PENDING, 2),
        "resume": (OutboxStatus.DELIVERED, 1),
    }
    assert cli.main(["outbox", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == ["pending: 3  delivered: 1  dead: 0  undeliverable: 0"]


def test_replaying_a_message_that_is_not_parked_changes_nothing(database, capsys):
    before = statuses(database)
    with get_session_factory(database)() as session:
        ids = {m.kind: m.id for m in session.scalars(select(OutboxMessage))}
    assert cli.main(["outbox", "replay", str(ids["pause"]), str(ids["agent_line"])]) == 1
    refusal = t.OUTBOX_NOT_PARKED.format(id=ids["agent_line"], status=OutboxStatus.PENDING.value)
    assert capsys.readouterr().err.strip() == refusal
    assert statuses(database) == before  # the dead one before it was not replayed either

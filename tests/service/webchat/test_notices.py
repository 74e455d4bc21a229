"""The web chat's outbox: notices wait for their conversation's page, which fetches them and says
when it has shown them; no worker pushes them."""

import pytest
from conftest import deliver_outbox, make_client, rasa_down_transport

from service.core.db import get_session_factory
from service.outbox.models import OutboxMessage, OutboxStatus
from service.webchat.notices import enqueue_notice

PAGE = "web-0123456789abcdef01234567"
OTHER = "web-fedcba9876543210fedcba98"


@pytest.fixture
def client(empty_db_url):
    with make_client(empty_db_url, rasa_down_transport()) as test_client:
        yield test_client


def queue(db_url: str, conversation: str, *texts: str) -> None:
    with get_session_factory(db_url)() as session:
        for text in texts:
            enqueue_notice(session, conversation_id=conversation, text=text)
        session.commit()


def test_a_page_fetches_its_notices_in_order_and_says_what_it_showed(client, empty_db_url):
    queue(empty_db_url, PAGE, "明天上午的预约提醒", "办件进度：已受理")
    queue(empty_db_url, OTHER, "别人的提醒")
    deliver_outbox(empty_db_url)  # a worker never takes them
    waiting = client.get(f"/api/chat/{PAGE}/notices").json()
    assert [n["text"] for n in waiting] == ["明天上午的预约提醒", "办件进度：已受理"]
    assert client.post(f"/api/chat/{PAGE}/notices/shown", json={"up_to": waiting[0]["id"]}).status_code == 204
    assert [n["text"] for n in client.get(f"/api/chat/{PAGE}/notices").json()] == ["办件进度：已受理"]
    client.post(f"/api/chat/{OTHER}/notices/shown", json={"up_to": waiting[1]["id"]})  # not its own
    assert len(client.get(f"/api/chat/{PAGE}/notices").json()) == 1
    with get_session_factory(empty_db_url)() as session:
        statuses = {m.payload["text"]: m.status for m in session.query(OutboxMessage)}
    assert statuses == {"明天上午的预约提醒": OutboxStatus.DELIVERED, "办件进度：已受理": OutboxStatus.PENDING,
                        "别人的提醒": OutboxStatus.PENDING}


def test_only_a_web_chat_conversation_id_names_notices(client):
    assert client.get("/api/chat/wechat:o-someone/notices").status_code in (404, 422)
    assert client.get("/api/chat/web-xyz/notices").status_code == 422
    assert client.post(f"/api/chat/{PAGE}/notices/shown", json={"up_to": 0}).status_code == 422

"""The web chat's outbox in a real browser: a reminder waiting for the page's conversation is shown
when the page opens, and the service then records it as delivered. Runs Debian's Chromium."""

import time
from collections.abc import Iterator

import pytest

from service.core.db import get_session_factory
from service.migrate import upgrade_database
from service.outbox.models import OutboxMessage, OutboxStatus
from service.webchat.notices import enqueue_notice
from tests.chromium import chromium
from tests.live_server import running_service, spare_port

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

SENDER = "web-00112233445566778899aabb"
REMINDER = "温馨提醒：您预约了明天（12月2日，星期三）10:00-11:00 在清江市政务服务中心办理“居民身份证换领”。"


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("notices")
    url = f"sqlite:///{tmp / 'service.db'}"
    upgrade_database(database_url=url)
    env = {"RASA_URL": f"http://127.0.0.1:{spare_port()}", "OUTBOX_WORKER": "true"}
    with running_service(database_url=url, log_path=tmp / "uvicorn.log", env=env) as base:
        yield {"base": base, "db": url}


def test_a_waiting_reminder_is_shown_when_the_page_opens(service):
    with get_session_factory(service["db"])() as session:
        enqueue_notice(session, conversation_id=SENDER, text=REMINDER)
        session.commit()
    def status() -> OutboxStatus:
        return status_of(service["db"])

    with chromium() as browser:
        context = browser.new_context(locale="zh-CN")
        context.add_init_script(f"localStorage.setItem('daoban.chat.sender', JSON.stringify('{SENDER}'))")
        page = context.new_page()
        page.goto(f"{service['base']}/chat")
        expect(page.locator("#log .reply").last).to_contain_text("温馨提醒", timeout=10_000)
        expect(page.locator("#log .reply").last).to_contain_text("居民身份证换领")
        deadline = time.monotonic() + 10
        while status() is not OutboxStatus.DELIVERED:  # shown and acknowledged; the worker never took it
            assert time.monotonic() < deadline, status()
            time.sleep(0.1)
        page.reload()  # shown once: it is not shown again
        expect(page.locator("#log .reply").last).to_contain_text("居民身份证换领")
        assert page.locator("#log .reply", has_text="温馨提醒").count() == 1
        context.close()


def status_of(db_url: str) -> OutboxStatus:
    with get_session_factory(db_url)() as session:
        (notice,) = session.query(OutboxMessage).all()
        return notice.status

"""The client of WeChat's API (wechatpy's client in a thread) against a local fake of WeChat's API."""

import asyncio
import socket
import time
from datetime import timedelta

import pytest
from conftest import make_database
from sqlalchemy import update
from wechat_fakes import APP_ID, APP_SECRET, TOKEN, fake_wechat_api

from service.core.db import get_session_factory, utcnow
from service.core.rasa import RasaClient
from service.core.settings import Settings
from service.wechat.channel import build_channel
from service.wechat.clients import WeChatApiClient
from service.wechat.models import WechatAccessToken
from tests.live_server import spare_port


@pytest.fixture
def api():
    with fake_wechat_api() as fake:
        yield fake


@pytest.fixture
def db_url(tmp_path) -> str:
    return make_database(tmp_path)


@pytest.fixture
def client_for(db_url):
    """WeChatApiClient(...) on the test database, where the access token is kept."""
    def make(**kwargs) -> WeChatApiClient:
        return WeChatApiClient(sessions=get_session_factory(db_url), **{"app_id": APP_ID, **kwargs})
    return make


def token_expires_in(db_url: str, seconds: float) -> None:
    with get_session_factory(db_url)() as session, session.begin():
        session.execute(update(WechatAccessToken).values(expires_at=utcnow() + timedelta(seconds=seconds)))


async def test_token_is_cached_until_shortly_before_it_expires(api, client_for, db_url):
    client = client_for(base_url=api.base_url, app_secret=APP_SECRET)
    assert await client.send_text(openid="o1", content="第一条") == 0
    token_expires_in(db_url, 61)  # still more than 60 s before expiry, as wechatpy
    assert await client.send_text(openid="o1", content="第二条") == 0
    assert len(api.token_requests) == 1
    token_expires_in(db_url, 59)  # within a minute of expiry
    assert await client.send_text(openid="o1", content="第三条") == 0
    assert len(api.token_requests) == 2
    assert [m["text"]["content"] for m in api.sent] == ["第一条", "第二条", "第三条"]
    assert "第一条".encode() in api.sent[0]["raw"]  # UTF-8, not \\u escapes
    await client.aclose()


async def test_token_invalid_errcodes_refresh_and_retry_once(api, client_for):
    client = client_for(base_url=api.base_url, app_secret=APP_SECRET)
    api.fail_next_send_with = [40014]
    assert await client.send_text(openid="o1", content="你好") == 0
    api.fail_next_send_with = [40001, 42001]  # still refused after one refresh: give up
    assert await client.send_text(openid="o1", content="再见") == 42001
    assert [m["text"]["content"] for m in api.sent] == ["你好"]
    assert len(api.token_requests) == 3
    assert api.refused_tokens == ["ACCESS_TOKEN_1", "ACCESS_TOKEN_2", "ACCESS_TOKEN_3"]
    await client.aclose()


async def test_other_errors_are_not_retried_and_bad_credentials_send_nothing(api, client_for):
    client = client_for(base_url=api.base_url, app_secret=APP_SECRET)
    api.fail_next_send_with = [45015]  # over 48 hours since the user's last message
    assert await client.send_text(openid="o1", content="你好") == 45015
    assert len(api.token_requests) == 1 and api.sent == []
    # Another account (its own token row) with a wrong secret: no token, nothing sent.
    wrong = client_for(base_url=api.base_url, app_id="wx00000000000000ff", app_secret="wrong")
    assert await wrong.send_text(openid="o1", content="你好") == -1  # no token
    assert api.sent == [] and api.refused_tokens == ["ACCESS_TOKEN_1"]
    await client.aclose()
    await wrong.aclose()


async def test_the_secret_and_token_stay_out_of_the_log(api, client_for, caplog):
    caplog.set_level("DEBUG")
    client = client_for(base_url=api.base_url, app_secret=APP_SECRET)
    api.fail_next_send_with = [40001]  # a refresh too
    assert await client.send_text(openid="o1", content="你好") == 0
    assert {"urllib3.connectionpool", "wechatpy.client.base"} <= {r.name for r in caplog.records}  # they were heard
    assert APP_SECRET not in caplog.text and "ACCESS_TOKEN_" not in caplog.text
    await client.aclose()


async def test_an_unreachable_api_gives_minus_one_and_keeps_the_secret_out_of_the_log(client_for, caplog):
    caplog.set_level("DEBUG")
    client = client_for(base_url=f"http://127.0.0.1:{spare_port()}", app_secret=APP_SECRET)
    assert await client.send_text(openid="o1", content="你好") == -1
    assert "ConnectionError" in caplog.text and APP_SECRET not in caplog.text
    await client.aclose()


async def test_an_api_that_does_not_answer_gives_minus_one_in_time(client_for, caplog):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections, never answers
        client = client_for(
            base_url=f"http://127.0.0.1:{silent.getsockname()[1]}", app_secret=APP_SECRET,
            timeout_s=0.3,
        )
        started = time.monotonic()
        assert await client.send_text(openid="o1", content="你好") == -1
        assert time.monotonic() - started < 2
        await asyncio.sleep(0.5)  # the thread's token request ends too: wechatpy's has no timeout of its own
        assert "ReadTimeout" in caplog.text
        await client.aclose()


async def test_the_channels_client_gives_up_when_the_outbox_worker_does(db_url, caplog):
    """WECHAT_SEND_TIMEOUT_S bounds the HTTP request itself, not only the worker's wait for it: a
    request left running could still be taken by WeChat after the worker had counted it failed."""
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections, never answers
        settings = Settings(WECHAT_TOKEN=TOKEN, WECHAT_APP_ID=APP_ID, WECHAT_APP_SECRET=APP_SECRET,
                            WECHAT_API_BASE=f"http://127.0.0.1:{silent.getsockname()[1]}", WECHAT_SEND_TIMEOUT_S=0.3)
        rasa = RasaClient.from_settings(settings)
        channel = build_channel(settings, rasa=rasa, database_url=db_url)
        started = time.monotonic()
        assert await channel.api.send_text(openid="o1", content="你好") == -1
        assert time.monotonic() - started < 2
        await asyncio.sleep(0.5)  # and the request's thread has given up as well
        assert "ReadTimeout" in caplog.text
        await channel.aclose()
        await rasa.aclose()

"""The access-token client against a local fake of WeChat's API."""

import pytest
from wechat_fakes import APP_ID, APP_SECRET, fake_wechat_api

from service.wechat.clients import WeChatApiClient


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def api():
    with fake_wechat_api() as fake:
        yield fake


async def test_token_is_cached_until_shortly_before_it_expires(api):
    clock = Clock()
    client = WeChatApiClient(base_url=api.base_url, app_id=APP_ID, app_secret=APP_SECRET, clock=clock)
    assert await client.send_text(openid="o1", content="第一条") == 0
    clock.now += 7200 - 301  # still more than the margin before expiry
    assert await client.send_text(openid="o1", content="第二条") == 0
    assert len(api.token_requests) == 1
    clock.now += 2  # within five minutes of expiry
    assert await client.send_text(openid="o1", content="第三条") == 0
    assert len(api.token_requests) == 2
    assert [m["text"]["content"] for m in api.sent] == ["第一条", "第二条", "第三条"]
    await client.aclose()


async def test_token_invalid_errcodes_refresh_and_retry_once(api):
    client = WeChatApiClient(base_url=api.base_url, app_id=APP_ID, app_secret=APP_SECRET)
    api.fail_next_send_with = [40014]
    assert await client.send_text(openid="o1", content="你好") == 0
    api.fail_next_send_with = [40001, 42001]  # still refused after one refresh: give up
    assert await client.send_text(openid="o1", content="再见") == 42001
    assert [m["text"]["content"] for m in api.sent] == ["你好"]
    assert len(api.token_requests) == 3
    await client.aclose()


async def test_other_errors_are_not_retried_and_bad_credentials_send_nothing(api):
    client = WeChatApiClient(base_url=api.base_url, app_id=APP_ID, app_secret=APP_SECRET)
    api.fail_next_send_with = [45015]  # over 48 hours since the user's last message
    assert await client.send_text(openid="o1", content="你好") == 45015
    assert len(api.token_requests) == 1 and api.sent == []
    wrong = WeChatApiClient(base_url=api.base_url, app_id=APP_ID, app_secret="wrong")
    assert await wrong.send_text(openid="o1", content="你好") == -1  # no token
    assert api.sent == []
    await client.aclose()
    await wrong.aclose()


async def test_the_secret_and_token_stay_out_of_the_log(api, caplog):
    caplog.set_level("DEBUG")
    client = WeChatApiClient(base_url=api.base_url, app_id=APP_ID, app_secret=APP_SECRET)
    assert await client.send_text(openid="o1", content="你好") == 0
    assert APP_SECRET not in caplog.text and "ACCESS_TOKEN_1" not in caplog.text
    await client.aclose()

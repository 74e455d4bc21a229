"""The one Rasa client: its two failure contracts and Rasa's token on every call, never in the log.
(What each caller makes of it: tests/service/assist, wechat and tickets.)"""

import logging

import httpx
import pytest
from conftest import rasa_client_on


def answering(status: int, body: object) -> tuple[httpx.MockTransport, list[httpx.URL]]:
    """A Rasa that answers every call alike, and the URLs it was called at."""
    urls: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(request.url)
        return httpx.Response(status, json=body)

    return httpx.MockTransport(handler), urls


async def test_who_waits_gets_none_and_the_outbox_gets_an_error_it_retries():
    rasa = rasa_client_on(answering(503, {})[0])
    assert await rasa.parse("身份证丢了") is None
    assert await rasa.converse(sender="wechat:oAbc", message="身份证丢了") is None
    with pytest.raises(httpx.HTTPStatusError):
        await rasa.tracker_events("web-1")
    with pytest.raises(httpx.HTTPStatusError):
        await rasa.append_events("web-1", [{"event": "pause"}])
    with pytest.raises(httpx.HTTPStatusError):
        await rasa.trigger_intent("web-1", "EXTERNAL_ticket_closed", {"ticket_number": "2026120100001"})
    await rasa.aclose()


async def test_every_call_carries_the_token_and_the_log_does_not(caplog):
    transport, urls = answering(200, {"events": [], "messages": []})
    rasa = rasa_client_on(transport, token="s3cret")
    with caplog.at_level(logging.INFO, logger="httpx"):
        await rasa.parse("你好")
        await rasa.converse(sender="web-1", message="你好")  # the REST webhook ignores it (Rasa 3.6)
        await rasa.tracker_events("web-1")
        await rasa.append_events("web-1", [])
        await rasa.trigger_intent("web-1", "EXTERNAL_ticket_closed", {})
    await rasa.aclose()
    assert [url.path for url in urls] == [
        "/model/parse", "/webhooks/rest/webhook", "/conversations/web-1/tracker",
        "/conversations/web-1/tracker/events", "/conversations/web-1/trigger_intent",
    ]
    assert [url.params.get("token") for url in urls] == ["s3cret"] * 5
    assert "/model/parse" in caplog.text and "s3cret" not in caplog.text

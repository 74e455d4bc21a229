"""The Rasa server's compiled validator accepts and rejects exactly what Rasa's own does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.server import install_compiled_action_response_validator

VALID = {
    "events": [{"event": "slot", "name": "item_code", "value": "GA-SFZ-002"}],
    "responses": [{"response": "utter_greet"}, {"text": "【居民身份证补领】一次性告知"}],
}
INVALID = [
    {"events": [{"event": "slot", "name": 3}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": ["not an object"]},
]


@pytest.fixture(scope="module")
def patched():
    original = RemoteAction._validate_action_result
    install_compiled_action_response_validator()
    yield RemoteAction(name="action_x", action_endpoint=None)
    RemoteAction._validate_action_result = original


def test_valid_response_passes(patched):
    assert patched._validate_action_result(VALID) is True
    jsonschema.validate(VALID, RemoteAction.action_response_format_spec())


@pytest.mark.parametrize("response", INVALID)
def test_invalid_responses_are_rejected_as_before(patched, response):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        patched._validate_action_result(response)


def test_rasa_run_refuses_to_start_without_its_secrets_outside_development(monkeypatch):
    from bot.server import refuse_to_run_without_secrets

    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("BOT_TOKEN", "a-bot-token")
    monkeypatch.delenv("RASA_TOKEN", raising=False)
    with pytest.raises(SystemExit, match="Rasa server: refusing to start: set RASA_TOKEN"):
        refuse_to_run_without_secrets(["rasa", "run"])
    refuse_to_run_without_secrets(["rasa", "train"])  # only the server needs them
    monkeypatch.setenv("RASA_TOKEN", "a-rasa-token")
    refuse_to_run_without_secrets(["rasa", "run"])


async def test_an_endpoint_keeps_one_session_open_across_calls(aiohttp_echo_url):
    from rasa.utils.endpoints import EndpointConfig

    from bot.server import install_kept_alive_endpoint_sessions

    original = EndpointConfig.session
    install_kept_alive_endpoint_sessions()
    try:
        endpoint = EndpointConfig(aiohttp_echo_url)
        first = await endpoint.request(method="post", json={"n": 1})
        session, _ = endpoint._kept_session
        second = await endpoint.request(method="post", json={"n": 2})
        assert (first, second) == ({"n": 1}, {"n": 2})
        assert endpoint._kept_session[0] is session and not session.closed
        await session.close()  # a closed session is replaced, not reused
        assert await endpoint.request(method="post", json={"n": 3}) == {"n": 3}
        assert endpoint._kept_session[0] is not session
        await endpoint._kept_session[0].close()
    finally:
        EndpointConfig.session = original


@pytest.fixture
async def aiohttp_echo_url():
    """A real HTTP server on a free port that answers each POST with its JSON body."""
    from aiohttp import web

    async def echo(request):
        return web.json_response(await request.json())

    app = web.Application()
    app.router.add_post("/", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/"
    await runner.cleanup()

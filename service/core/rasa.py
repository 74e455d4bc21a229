"""The service's one client of the Rasa server's HTTP API."""

import asyncio
import logging
from typing import Any
from urllib.parse import quote

import httpx

from service.core.settings import Settings

log = logging.getLogger(__name__)


class _HideToken(logging.Filter):
    """httpx logs every request URL at INFO; Rasa's carry the token as `?token=`."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "***"), ()
        return True


def _hide_token_from_httpx_log(token: str) -> None:
    httpx_log = logging.getLogger("httpx")
    if not any(isinstance(f, _HideToken) and f.token == token for f in httpx_log.filters):
        httpx_log.addFilter(_HideToken(token))


class RasaClient:
    """Rasa's model, REST channel and conversations, through one pooled connection per process.

    Two failure contracts, by who waits for the answer:
    - `parse` (the agents' assist panel) and `converse` (a WeChat turn) serve someone waiting:
      when Rasa is down, slow or answers nonsense they return None (logged by kind), never raise;
    - `tracker_events`, `append_events` and `trigger_intent` serve the outbox worker: they raise
      httpx errors (`httpx.HTTPError`) so that the worker retries the message.

    With `token` (Rasa's --auth-token) every call carries `?token=`: the model and conversation
    endpoints require it, the REST webhook ignores it. `transport` lets tests put a fake Rasa
    behind the client.
    """

    def __init__(
        self,
        *,
        base_url: str,
        parse_timeout_s: float,
        converse_timeout_s: float,
        conversation_timeout_s: float,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if token:
            _hide_token_from_httpx_log(token)
        params = {"token": token} if token else None
        # The conversation calls take the client's timeout; parse and converse pass their own.
        self._http = httpx.AsyncClient(
            base_url=base_url, timeout=conversation_timeout_s, params=params, transport=transport
        )
        self._parse_timeout_s = parse_timeout_s
        self._converse_timeout_s = converse_timeout_s

    @classmethod
    def from_settings(cls, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> "RasaClient":
        return cls(
            base_url=settings.RASA_URL, token=settings.RASA_TOKEN, transport=transport,
            parse_timeout_s=settings.RASA_TIMEOUT_S, converse_timeout_s=settings.WECHAT_BOT_TIMEOUT_S,
            conversation_timeout_s=settings.RASA_CONVERSATION_TIMEOUT_S,
        )

    # --- for someone waiting: None on failure ---------------------------------------------------

    async def parse(self, text: str) -> dict[str, Any] | None:
        """Rasa's /model/parse result, or None."""
        result = await self._answer("/model/parse", {"text": text}, timeout_s=self._parse_timeout_s, what="NLU")
        return result if isinstance(result, dict) else None

    async def converse(self, *, sender: str, message: str) -> list[dict[str, Any]] | None:
        """The bot's messages for one turn through Rasa's REST channel, or None."""
        answer = await self._answer(
            "/webhooks/rest/webhook", {"sender": sender, "message": message},
            timeout_s=self._converse_timeout_s, what="REST channel",
        )
        return [m for m in answer if isinstance(m, dict)] if isinstance(answer, list) else None

    async def _answer(self, path: str, body: dict[str, str], *, timeout_s: float, what: str) -> Any:
        try:
            # httpx's timeout bounds each read; wait_for bounds the whole call.
            response = await asyncio.wait_for(self._http.post(path, json=body, timeout=timeout_s), timeout=timeout_s)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError, TimeoutError) as exc:
            log.warning("Rasa %s unavailable: %s", what, type(exc).__name__)
            return None

    # --- for the outbox worker: raise on failure ------------------------------------------------

    async def tracker_events(self, conversation_id: str) -> list[dict[str, Any]]:
        """All events of the conversation's tracker."""
        response = await self._http.get(_conversation(conversation_id, "tracker"), params={"include_events": "ALL"})
        response.raise_for_status()
        events = response.json().get("events") or []
        return [event for event in events if isinstance(event, dict)]

    async def append_events(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        response = await self._http.post(
            _conversation(conversation_id, "tracker/events"), params={"include_events": "NONE"}, json=events
        )
        response.raise_for_status()

    async def trigger_intent(
        self, conversation_id: str, intent: str, entities: dict[str, str]
    ) -> list[dict[str, Any]]:
        """The bot's messages in answer to the external intent."""
        response = await self._http.post(
            _conversation(conversation_id, "trigger_intent"), params={"include_events": "NONE"},
            json={"name": intent, "entities": entities},
        )
        response.raise_for_status()
        messages = response.json().get("messages") or []
        return [m for m in messages if isinstance(m, dict)]

    async def aclose(self) -> None:
        await self._http.aclose()


def _conversation(conversation_id: str, tail: str) -> str:
    return f"/conversations/{quote(conversation_id, safe='')}/{tail}"

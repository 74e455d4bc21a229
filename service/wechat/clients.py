"""HTTP client of WeChat's API (Rasa's is service.core.rasa).

Failures come back as values (None / -1), logged by kind only: never a message or an OpenID.
"""

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable

import httpx

log = logging.getLogger(__name__)

# errcodes that mean "this access token is not (or no longer) valid": refresh it and retry once.
TOKEN_INVALID_ERRCODES = frozenset({40001, 40014, 42001})
# Refresh this long before WeChat's expires_in runs out (at most half of it).
TOKEN_REFRESH_MARGIN_S = 300


class _HideApiUrls(logging.Filter):
    """httpx logs every request URL at INFO; WeChat's carry the app secret or the access token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "/cgi-bin/" not in record.getMessage()


def _hide_api_urls_from_httpx_log() -> None:
    httpx_log = logging.getLogger("httpx")
    if not any(isinstance(f, _HideApiUrls) for f in httpx_log.filters):
        httpx_log.addFilter(_HideApiUrls())


class WeChatApiClient:
    """The customer-service message API, with the access token cached until shortly before it expires."""

    def __init__(
        self,
        *,
        base_url: str,
        app_id: str,
        app_secret: str,
        timeout_s: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        _hide_api_urls_from_httpx_log()
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout_s, transport=transport)
        self._app_id = app_id
        self._app_secret = app_secret
        self._clock = clock
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._token_lock = asyncio.Lock()

    @property
    def configured(self) -> bool:
        return bool(self._app_id and self._app_secret)

    async def access_token(self, *, stale: str | None = None) -> str | None:
        """The cached token; a new one when it is about to expire or equals `stale` (rejected by WeChat)."""
        async with self._token_lock:  # one refresh at a time, the others reuse its result
            if self._token and self._token != stale and self._clock() < self._token_expires_at:
                return self._token
            answer = await self._get_json(
                "/cgi-bin/token",
                params={"grant_type": "client_credential", "appid": self._app_id, "secret": self._app_secret},
            )
            token = answer.get("access_token") if answer else None
            if not isinstance(token, str) or not token:
                log.error("WeChat access token refused: errcode %s", (answer or {}).get("errcode"))
                self._token = None
                return None
            expires_in = float(answer.get("expires_in") or 7200)
            self._token = token
            self._token_expires_at = self._clock() + expires_in - min(TOKEN_REFRESH_MARGIN_S, expires_in / 2)
            return token

    async def send_text(self, *, openid: str, content: str) -> int:
        """One customer-service text message: WeChat's errcode, 0 when accepted, -1 when WeChat
        could not be reached or gave no token. An invalid token is refreshed and tried once more."""
        body = json.dumps(
            {"touser": openid, "msgtype": "text", "text": {"content": content}}, ensure_ascii=False
        ).encode("utf-8")  # escaped \\uXXXX would reach the citizen literally
        token: str | None = None
        errcode = -1
        for _attempt in range(2):
            token = await self.access_token(stale=token)
            if token is None:
                return -1
            answer = await self._post_json("/cgi-bin/message/custom/send", token=token, body=body)
            errcode = int((answer or {}).get("errcode", -1))
            if errcode not in TOKEN_INVALID_ERRCODES:
                break
        if errcode:
            log.error("WeChat customer-service message refused: errcode %s", errcode)
        return errcode

    async def _get_json(self, path: str, *, params: dict[str, str]) -> dict | None:
        return await self._json(path, self._http.get(path, params=params))

    async def _post_json(self, path: str, *, token: str, body: bytes) -> dict | None:
        return await self._json(path, self._http.post(
            path, params={"access_token": token}, content=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
        ))

    @staticmethod
    async def _json(path: str, sending: Awaitable[httpx.Response]) -> dict | None:
        """The API's JSON object, or None (logged) when it cannot be reached or answers otherwise."""
        try:
            response = await sending
            response.raise_for_status()
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.error("WeChat API %s unavailable: %s", path, type(exc).__name__)
            return None
        return answer if isinstance(answer, dict) else None

    async def aclose(self) -> None:
        await self._http.aclose()

"""Client of the Rasa server's HTTP API; failures come back as None, never as exceptions."""

import asyncio
import logging
from typing import Any

import httpx

log = logging.getLogger(__name__)


class RasaClient:
    def __init__(
        self,
        *,
        base_url: str,
        timeout_s: float,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        # One pooled client per process; `transport` lets tests substitute a fake Rasa.
        params = {"token": token} if token else None
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout_s, params=params, transport=transport)
        self._timeout_s = timeout_s

    async def parse(self, text: str) -> dict[str, Any] | None:
        """Rasa's /model/parse result, or None when Rasa is down, slow or answers nonsense."""
        try:
            # httpx's timeout bounds each read; wait_for bounds the whole call.
            response = await asyncio.wait_for(
                self._http.post("/model/parse", json={"text": text}), timeout=self._timeout_s
            )
            response.raise_for_status()
            result = response.json()
        except (httpx.HTTPError, ValueError, TimeoutError) as exc:
            log.warning("Rasa NLU unavailable: %s", type(exc).__name__)
            return None
        return result if isinstance(result, dict) else None

    async def aclose(self) -> None:
        await self._http.aclose()

"""POSTs from the Rasa server to the service (bot token), retried with a growing pause.

Shared by the paused-conversation relay and the turn reports (bot/conversation_relay.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Text

import aiohttp

logger = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF_S = 0.5
TIMEOUT_S = 5.0


async def post_to_service(
    url: Text, body: Dict[Text, Any], *, token: Text, what: Text, retry_not_found: bool = False
) -> bool:
    """True once the service took it. A 4xx is final (logged) unless it is a 404 and
    `retry_not_found` (what it refers to may still be on its way); errors and 5xx are retried."""
    headers = {"Authorization": f"Bearer {token}"}
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.post(url, json=body, headers=headers) as response:
                    status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            logger.warning("%s failed (%s), attempt %d", what, type(exc).__name__, attempt)
        else:
            if status < 300:
                return True
            if 400 <= status < 500 and not (status == 404 and retry_not_found):
                logger.warning("service refused %s: HTTP %s", what, status)
                return False
            logger.warning("service answered %s with HTTP %s, attempt %d", what, status, attempt)
        await asyncio.sleep(BACKOFF_S * attempt)
    logger.error("%s was not delivered after %d attempts", what, ATTEMPTS)
    return False

"""One POST from the Rasa server to the service (bot token), and what it means for a retry.

The retries themselves are the outbox's (bot/service_outbox.py): a row stays until the service has
taken it or refused it for good.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from typing import Any, Dict, Text

import aiohttp

logger = logging.getLogger(__name__)


class Delivery(enum.Enum):
    TAKEN = "taken"  # 2xx: stored (or stored before: the service de-duplicates)
    REFUSED = "refused"  # a 4xx the same request will always get: logged and dropped
    NOT_FOUND = "not found"  # a 404: what it refers to is unknown, or not there yet
    LATER = "later"  # no answer, or a 5xx


async def post_once(
    http: aiohttp.ClientSession, url: Text, body: Dict[Text, Any], *, token: Text, what: Text,
) -> Delivery:
    try:
        async with http.post(url, json=body, headers={"Authorization": f"Bearer {token}"}) as response:
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        # Only the kind of failure: bodies carry citizens' messages.
        logger.warning("%s not taken (%s); tried again later", what, type(exc).__name__)
        return Delivery.LATER
    if status < 300:
        return Delivery.TAKEN
    if status == 404:
        return Delivery.NOT_FOUND
    if 400 <= status < 500:
        logger.warning("service refused %s: HTTP %s", what, status)
        return Delivery.REFUSED
    logger.warning("service answered %s with HTTP %s; tried again later", what, status)
    return Delivery.LATER

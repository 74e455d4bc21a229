"""Who sends an SMS: the log (development, and until a provider is contracted) or a provider's
HTTP gateway. Chosen by SMS_SENDER; both keep the phone number and text out of the log."""

import logging
from typing import Protocol

import httpx

from service.core.privacy import mask_personal_data
from service.core.settings import Settings
from service.outbox.worker import Undeliverable

log = logging.getLogger(__name__)


class SmsRefused(Exception):
    """The provider did not take the text this time (unreachable, 5xx, 429): worth another try."""


class SmsSender(Protocol):
    async def send(self, *, phone: str, text: str, key: str) -> None:
        """Raises SmsRefused to be retried, Undeliverable when no retry can succeed."""


class LoggingSmsSender:
    """Writes what would be sent, masked: the development default, and a record where no provider is set."""

    async def send(self, *, phone: str, text: str, key: str) -> None:
        log.info("SMS %s to %s: %s", key, mask_personal_data(phone), mask_personal_data(text))


class HttpSmsSender:
    """POSTs {phone, text, key} as JSON to the provider's gateway, with the key as Idempotency-Key
    so that a retry after a lost answer is not a second text where the gateway honours it."""

    def __init__(self, *, url: str, token: str, timeout_s: float, transport: httpx.AsyncBaseTransport | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.AsyncClient(headers=headers, timeout=timeout_s, transport=transport)
        self._url = url

    async def send(self, *, phone: str, text: str, key: str) -> None:
        try:
            answer = await self._client.post(self._url, json={"phone": phone, "text": text, "key": key},
                                             headers={"Idempotency-Key": key})
        except httpx.HTTPError as error:
            raise SmsRefused(type(error).__name__) from None  # the URL and phone stay out of the reason
        if answer.status_code == 429 or answer.status_code >= 500:
            raise SmsRefused(f"HTTP {answer.status_code}")
        if answer.status_code >= 400:
            raise Undeliverable(f"短信网关拒收（HTTP {answer.status_code}）：{mask_personal_data(answer.text[:200])}")

    async def close(self) -> None:
        await self._client.aclose()


def sender_from(settings: Settings) -> SmsSender:
    if settings.SMS_SENDER == "http":
        return HttpSmsSender(url=settings.SMS_HTTP_URL, token=settings.SMS_HTTP_TOKEN,
                             timeout_s=settings.SMS_SEND_TIMEOUT_S)
    return LoggingSmsSender()

"""The outbox's destinations in this service, and the delivery worker that `make run` starts
with it (inside the service process, so there is no other command to know)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service.core.db import get_session_factory
from service.core.rasa import RasaClient
from service.core.settings import Settings
from service.outbox.worker import Destination, OutboxWorker, RetryPolicy
from service.tickets.channels import RASA, RasaConversations
from service.wechat.delivery import WECHAT, WeChatDelivery


def destinations(app: FastAPI, settings: Settings, conversations: RasaConversations) -> dict[str, Destination]:
    def wechat_api():
        channel = getattr(app.state, "wechat_channel", None)
        return channel.api if channel is not None else None

    return {
        RASA: Destination(conversations.deliver, timeout_s=settings.RASA_CONVERSATION_TIMEOUT_S),
        WECHAT: Destination(WeChatDelivery(wechat_api).deliver, timeout_s=settings.WECHAT_SEND_TIMEOUT_S),
    }


def worker_for(app: FastAPI, settings: Settings, conversations: RasaConversations) -> OutboxWorker:
    return OutboxWorker(
        get_session_factory(),
        destinations(app, settings, conversations),
        retry=RetryPolicy(
            max_attempts=settings.OUTBOX_MAX_ATTEMPTS, base_s=settings.OUTBOX_BACKOFF_BASE_S,
            cap_s=settings.OUTBOX_BACKOFF_CAP_S,
        ),
        poll_s=settings.OUTBOX_POLL_S,
    )


@asynccontextmanager
async def delivering(app: FastAPI, settings: Settings, rasa: RasaClient) -> AsyncIterator[None]:
    """The outbox worker for the app's lifetime (running when OUTBOX_WORKER is on), with the
    app's Rasa client behind its Rasa conversations."""
    conversations = RasaConversations(rasa=rasa, sessions=get_session_factory())
    app.state.outbox_worker = worker_for(app, settings, conversations)
    stop = asyncio.Event()
    running = asyncio.create_task(app.state.outbox_worker.run(stop)) if settings.OUTBOX_WORKER else None
    try:
        yield
    finally:
        stop.set()
        if running is not None:
            await running

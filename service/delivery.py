"""The outbox's destinations in this service, and the delivery worker that `make run` starts
with it (inside the service process, so there is no other command to know)."""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from service.cases.deadlines import Timekeeper
from service.cases.overdue import check_overdue
from service.cases.policy import configured_policy
from service.core import clock
from service.core.db import get_session_factory
from service.core.rasa import RasaClient
from service.core.settings import Settings
from service.outbox.worker import Destination, OutboxWorker, RetryPolicy
from service.reminders.sweep import send_due_reminders
from service.sms.delivery import SMS, SmsDelivery
from service.sms.senders import sender_from
from service.tickets.channels import RASA, RasaConversations
from service.webchat.notices import WEB_CHAT
from service.tickets.relay_catch_up import catch_up
from service.wechat.delivery import WECHAT, WeChatDelivery

log = logging.getLogger(__name__)


def destinations(app: FastAPI, settings: Settings, conversations: RasaConversations) -> dict[str, Destination]:
    def wechat_api():
        channel = getattr(app.state, "wechat_channel", None)
        return channel.api if channel is not None else None

    return {
        RASA: Destination(conversations.deliver, timeout_s=settings.RASA_CONVERSATION_TIMEOUT_S),
        WECHAT: Destination(WeChatDelivery(wechat_api).deliver, timeout_s=settings.WECHAT_SEND_TIMEOUT_S),
        SMS: Destination(SmsDelivery(sender_from(settings)).deliver, timeout_s=settings.SMS_SEND_TIMEOUT_S),
    }


def worker_for(app: FastAPI, settings: Settings, conversations: RasaConversations) -> OutboxWorker:
    return OutboxWorker(
        get_session_factory(),
        destinations(app, settings, conversations),
        fetched=(WEB_CHAT,),  # the web chat page fetches its notices itself
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

    async def catch_up_relay() -> None:
        await catch_up(get_session_factory(), rasa.tracker_events)

    running = [
        asyncio.create_task(app.state.outbox_worker.run(stop)),
        asyncio.create_task(every(stop, settings.RELAY_CATCH_UP_S, catch_up_relay, "relay catch-up")),
        asyncio.create_task(every(stop, settings.REMINDER_SWEEP_S, remind, "booking reminders")),
        asyncio.create_task(every(stop, settings.CASE_OVERDUE_CHECK_S, flag_overdue_cases, "case overdue check")),
    ] if settings.OUTBOX_WORKER else []
    try:
        yield
    finally:
        stop.set()
        await asyncio.gather(*running)


async def every(stop: asyncio.Event, every_s: float, job: Callable[[], Awaitable[object]], name: str) -> None:
    """Runs `job` every `every_s` until `stop`; a failed pass is logged and the next one tries again.

    Jobs: the citizen messages of agent-held conversations that the tracker store's push missed
    (tickets/relay_catch_up.py; while Rasa is away they stay in its tracker store), the
    reminders due (reminders/sweep.py) and the cases past their deadline (cases/overdue.py)."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=every_s)
        except TimeoutError:
            try:
                await job()
            except Exception as failure:
                log.warning("%s failed: %s", name, type(failure).__name__)


async def remind() -> int:
    return await run_in_threadpool(send_due_reminders, get_session_factory(), now=clock.now())


def _flag_overdue_cases() -> None:
    now = clock.now()
    keeper = Timekeeper(calendar=clock.work_calendar(), policy=configured_policy(), today=now.date())
    with get_session_factory()() as session:
        check_overdue(session, keeper=keeper, now=now)


async def flag_overdue_cases() -> None:
    """超时默认 is flagged without staff pressing a button (cases/overdue.py, committed there)."""
    await run_in_threadpool(_flag_overdue_cases)

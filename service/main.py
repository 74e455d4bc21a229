"""The FastAPI application: `uvicorn service.main:app`."""

import logging
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.assist.router import router as assist_router
from service.booking.router import appointment_router, page_router, staff_router
from service.booking.router import hall_router as booking_hall_router
from service.booking.when import load_time_reader
from service.bundles.router import router as bundles_router
from service.cases.router import bot_router as case_bot_router
from service.cases.router import citizen_router as case_citizen_router
from service.cases.router import page_router as case_page_router
from service.cases.router import staff_router as case_staff_router
from service.catalogue.router import hall_router
from service.catalogue.router import router as catalogue_router
from service.catalogue.referral import get_referral_index
from service.catalogue.search import get_search_index
from service.catalogue.service import count_items
from service.chat.router import router as chat_router
from service.console.router import router as console_router
from service.core import templates as t
from service.core.db import SessionDep, get_session_factory
from service.core.errors import ConflictError, InvalidInputError, NotFoundError, TooManyRequestsError
from service.core.pages import STATIC_DIR
from service.core.privacy import install_log_masking
from service.core.rasa import RasaClient
from service.core.settings import get_settings
from service.dashboard.router import api_router as dashboard_api_router
from service.dashboard.router import page_router as dashboard_page_router
from service.delivery import delivering
from service.meta.router import router as meta_router
from service.outbox.router import router as outbox_router
from service.review.router import page_router as review_page_router
from service.review.router import router as review_router
from service.seeding import drop_stale_caches
from service.tickets.conversation_router import router as conversation_router
from service.tickets.router import agent_router as ticket_agent_router
from service.tickets.router import citizen_router as ticket_citizen_router
from service.tickets.router import follow_up_router
from service.triage.classifier import get_classifier
from service.triage.router import router as triage_router
from service.turns.router import bot_router as turns_bot_router
from service.wechat.channel import build_channel
from service.wechat.router import router as wechat_router

log = logging.getLogger("service")


def configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
    install_log_masking()


def _field_name(loc: tuple) -> str:
    # ("query", "page") → "page"; ("body", "text") → "text"
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "header")]
    return ".".join(parts) or "body"


def describe_validation_error(error: dict) -> str:
    """One Chinese sentence for one pydantic/FastAPI validation error."""
    field = _field_name(tuple(error.get("loc", ())))
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our own validators already speak Chinese
    if kind == "missing":
        return t.VALIDATION_MISSING.format(field=field)
    if kind in ("greater_than_equal", "greater_than"):
        return t.VALIDATION_TOO_SMALL.format(field=field, limit=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return t.VALIDATION_TOO_LARGE.format(field=field, limit=ctx.get("le", ctx.get("lt")))
    if kind == "string_too_long":
        return t.VALIDATION_TOO_LARGE.format(field=field, limit=ctx.get("max_length"))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return t.VALIDATION_NOT_INT.format(field=field)
    if kind == "json_invalid":
        return t.VALIDATION_BAD_JSON
    return t.VALIDATION_OTHER.format(field=field)


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [
        {"loc": list(e.get("loc", ())), "type": e.get("type"), "msg": describe_validation_error(e)}
        for e in exc.errors()
    ]
    messages = list(dict.fromkeys(e["msg"] for e in errors))
    detail = messages[0] if len(messages) == 1 else t.VALIDATION_FAILED.format(
        problems=t.LIST_SEPARATOR.join(messages)
    )
    return JSONResponse(status_code=422, content={"detail": detail, "errors": errors})


async def _not_found(_request: Request, exc: NotFoundError) -> JSONResponse:
    return JSONResponse(status_code=404, content={"detail": exc.detail})


async def _conflict(_request: Request, exc: ConflictError) -> JSONResponse:
    return JSONResponse(status_code=409, content={"detail": exc.detail})


async def _invalid_input(_request: Request, exc: InvalidInputError) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": exc.detail})


async def _too_many(_request: Request, exc: TooManyRequestsError) -> JSONResponse:
    return JSONResponse(status_code=429, content={"detail": exc.detail})


class BodySizeLimit:
    """Refuses request bodies over `max_bytes` with 413, by Content-Length or while reading."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = t.BODY_TOO_LARGE.format(limit=self.max_bytes)
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await JSONResponse(status_code=413, content={"detail": detail})(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # An HTTPException passes FastAPI's body parsing unchanged and becomes the response.
                raise HTTPException(status_code=413, detail=detail)
            return message

        await self.app(scope, limited_receive, send)


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(status_code=500, content={"detail": t.INTERNAL_ERROR})


def load_request_caches() -> None:
    """What the first requests would otherwise build while citizens wait, each worker at once
    (jieba's dictionary, the search and referral indexes, jionlp's time reader: over a second
    under load)."""
    load_time_reader()
    get_referral_index()
    try:
        with get_session_factory()() as session:
            drop_stale_caches(session, every_s=0)  # notes the catalogue generation the index is built from
            get_search_index(session)
    except SQLAlchemyError as error:  # a database not migrated yet: the first search builds it
        log.warning("search index not built at start-up: %s", type(error).__name__)


@asynccontextmanager
async def lifespan(app: FastAPI):
    configure_logging()
    settings = get_settings()
    # The work-order classifier trains in about a second: before the first request, not during it.
    await run_in_threadpool(get_classifier)
    await run_in_threadpool(load_request_caches)
    # One Rasa client for the process: the assist panel, the WeChat channel and the outbox share it.
    app.state.rasa_client = rasa = RasaClient.from_settings(settings)
    app.state.wechat_channel = build_channel(settings, rasa=rasa) if settings.WECHAT_TOKEN else None
    try:
        async with delivering(app, settings, rasa):
            yield
    finally:
        if app.state.wechat_channel is not None:
            await app.state.wechat_channel.aclose()
        await rasa.aclose()


def fresh_catalogue(session: SessionDep) -> None:
    """Before a request of a router that reads the catalogue's caches (search, notices, bundles):
    this process's caches, dropped if another process imported the catalogue since (looked up at
    most every CATALOGUE_CHECK_S)."""
    drop_stale_caches(session, every_s=get_settings().CATALOGUE_CHECK_S)


def create_app() -> FastAPI:
    app = FastAPI(
        title="导办助手 service",
        description=(
            "Service catalogue (办事指南), one-time notices (一次性告知), message assist and "
            "pre-registration (预约) with the window staff's day list."
        ),
        version="0.1.0",
        lifespan=lifespan,
    )
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(ConflictError, _conflict)
    app.add_exception_handler(InvalidInputError, _invalid_input)
    app.add_exception_handler(TooManyRequestsError, _too_many)
    app.add_exception_handler(Exception, _unexpected)
    reads_catalogue_caches = [Depends(fresh_catalogue)]
    app.include_router(catalogue_router, dependencies=reads_catalogue_caches)
    app.include_router(hall_router)
    app.include_router(bundles_router, dependencies=reads_catalogue_caches)
    app.include_router(assist_router, dependencies=reads_catalogue_caches)
    app.include_router(booking_hall_router)
    app.include_router(appointment_router)
    app.include_router(staff_router)
    app.include_router(page_router)
    app.include_router(wechat_router)
    app.include_router(chat_router)
    app.include_router(console_router)
    app.include_router(triage_router)
    app.include_router(ticket_citizen_router, dependencies=reads_catalogue_caches)  # the draft searches
    app.include_router(ticket_agent_router)
    app.include_router(follow_up_router)
    app.include_router(dashboard_api_router)
    app.include_router(dashboard_page_router)
    app.include_router(conversation_router)
    app.include_router(case_staff_router)
    app.include_router(case_citizen_router)
    app.include_router(case_bot_router)
    app.include_router(case_page_router)
    app.include_router(meta_router)
    app.include_router(outbox_router)
    app.include_router(turns_bot_router)
    app.include_router(review_router)
    app.include_router(review_page_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodySizeLimit, max_bytes=get_settings().MAX_BODY_BYTES)

    @app.get("/health", tags=["health"])
    def health(session: SessionDep) -> dict:
        session.execute(text("SELECT 1"))
        return {"status": "ok", "database": "ok", "catalogue_items": count_items(session)}

    return app


app = create_app()

"""The FastAPI application: `uvicorn service.main:app`."""

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import text

from service import templates as t
from service.assist.rasa_client import RasaClient
from service.assist.router import router as assist_router
from service.catalogue.router import hall_router
from service.catalogue.router import router as catalogue_router
from service.catalogue.service import count_items
from service.db import SessionDep
from service.errors import NotFoundError
from service.privacy import install_log_masking
from service.settings import get_settings

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


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(status_code=500, content={"detail": t.INTERNAL_ERROR})


@asynccontextmanager
async def lifespan(app: FastAPI):
    configure_logging()
    settings = get_settings()
    app.state.rasa_client = RasaClient(base_url=settings.RASA_URL, timeout_s=settings.RASA_TIMEOUT_S)
    try:
        yield
    finally:
        await app.state.rasa_client.aclose()


def create_app() -> FastAPI:
    app = FastAPI(
        title="导办助手 service",
        description="Service catalogue (办事指南), one-time notices (一次性告知) and message assist.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(Exception, _unexpected)
    app.include_router(catalogue_router)
    app.include_router(hall_router)
    app.include_router(assist_router)

    @app.get("/health", tags=["health"])
    def health(session: SessionDep) -> dict:
        session.execute(text("SELECT 1"))
        return {"status": "ok", "database": "ok", "catalogue_items": count_items(session)}

    return app


app = create_app()

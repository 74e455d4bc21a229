"""HTTP routes of the life-event bundles (高效办成一件事); the work is in bundles.service."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from service.booking import views as booking_views
from service.booking.rules import Rules, current_rules
from service.booking.schemas import AppointmentIn, AppointmentOut, IdempotencyKeyHeader
from service.bundles import booking, service
from service.bundles.schemas import BundleDetail, BundleList, BundleNotice
from service.core.auth import BotCaller, only_the_bot_names_conversations
from service.core.db import SessionDep
from service.core.settings import get_settings
from service.core.text_input import CitizenText

router = APIRouter(prefix="/api/bundles", tags=["bundles"])


@router.get("", response_model=BundleList)
def list_bundles(
    session: SessionDep,
    q: Annotated[CitizenText | None, Query(description="群众的说法，如“开饭店”“孩子出生了要办啥”")] = None,
) -> BundleList:
    return service.list_bundles(session, query=q)


@router.get("/{code}", response_model=BundleDetail)
def get_bundle(session: SessionDep, code: str) -> BundleDetail:
    return service.bundle_detail(session, code=code)


@router.get("/{code}/notice", response_model=BundleNotice)
def get_bundle_notice(
    session: SessionDep,
    code: str,
    situation: Annotated[str | None, Query(max_length=32, description="本事的情形 id")] = None,
) -> BundleNotice:
    return service.bundle_notice(session, code=code, situation=situation)


@router.post(
    "/{code}/appointments", response_model=AppointmentOut, status_code=201,
    responses={200: {"description": "a retry: the same booking"}},
)
def book_bundle(
    session: SessionDep,
    rules: Annotated[Rules, Depends(current_rules)],
    bot: BotCaller,
    code: str,
    body: AppointmentIn,
    response: Response,
    idempotency_key: IdempotencyKeyHeader,
) -> AppointmentOut:
    """One booking at the bundle's 综合窗口: the booking item of GET /api/bundles/{code} (`window`)."""
    only_the_bot_names_conversations(body.conversation_id, bot)
    appointment, created = booking.book_bundle(
        session, rules, code=code, request=body, idempotency_key=idempotency_key, hash_key=get_settings().ID_HASH_KEY
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return booking_views.citizen_view(appointment)

"""HTTP routes of the catalogue; the work is in catalogue.service."""

from typing import Annotated

from fastapi import APIRouter, Query

from service.catalogue import service
from service.catalogue.referral import refer, referral_out
from service.catalogue.schemas import (
    HallOut,
    ItemDetail,
    ItemPage,
    Notice,
    ReferralOut,
    SearchResult,
)
from service.core.db import SessionDep
from service.core.text_input import CitizenText

router = APIRouter(prefix="/api/catalogue", tags=["catalogue"])
hall_router = APIRouter(prefix="/api", tags=["hall"])


@router.get("/items", response_model=ItemPage)
def list_items(
    session: SessionDep,
    department: Annotated[str | None, Query(max_length=100, description="部门编码或名称")] = None,
    q: Annotated[str | None, Query(max_length=100, description="事项名称或编码的一部分")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ItemPage:
    return service.list_items(session, department=department, q=q, page=page, page_size=page_size)


@router.get("/search", response_model=SearchResult)
def search(
    session: SessionDep,
    q: Annotated[CitizenText, Query(description="群众的问题，如“身份证丢了怎么补”")],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> SearchResult:
    return service.search_catalogue(session, query=q, limit=limit)


@router.get("/referral", response_model=ReferralOut)
def referral(
    session: SessionDep,
    q: Annotated[CitizenText, Query(description="群众的问题，如“开旅馆要办特种行业许可证吗”")],
) -> ReferralOut:
    return referral_out(refer(session, q))


@router.get("/items/{code}", response_model=ItemDetail)
def get_item(session: SessionDep, code: str) -> ItemDetail:
    return service.item_detail(session, code=code)


@router.get("/items/{code}/notice", response_model=Notice)
def get_notice(
    session: SessionDep,
    code: str,
    situation: Annotated[str | None, Query(max_length=32, description="办理情形 id")] = None,
) -> Notice:
    return service.item_notice(session, code=code, situation=situation)


@hall_router.get("/hall", response_model=HallOut)
def get_hall(session: SessionDep) -> HallOut:
    return service.get_hall(session)

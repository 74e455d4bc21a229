"""HTTP routes of the life-event bundles (高效办成一件事); the work is in bundles.service."""

from typing import Annotated

from fastapi import APIRouter, Query

from service.bundles import service
from service.bundles.schemas import BundleDetail, BundleList, BundleNotice
from service.core.db import SessionDep
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

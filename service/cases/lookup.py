"""Finding cases: by number for staff, with the phone for the applicant, by the chat conversation."""

import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.cases.models import Case, CaseStatus
from service.core import templates as t
from service.core.errors import NotFoundError

CONVERSATION_CASES = 10
STAFF_LIST = 100


def _by_number(session: Session, number: str) -> Case | None:
    return session.scalars(
        select(Case).where(Case.number == number.strip().upper()).options(selectinload(Case.events))
    ).one_or_none()


def get_case(session: Session, *, number: str) -> Case:
    case = _by_number(session, number)
    if case is None:
        raise NotFoundError(t.CASE_NOT_FOUND.format(number=number))
    return case


def get_citizen_case(session: Session, *, number: str, phone: str) -> Case:
    """The case only with the phone it was accepted with; a wrong phone reads as not found."""
    case = _by_number(session, number)
    if case is None or not hmac.compare_digest(case.phone, phone):
        raise NotFoundError(t.CASE_NOT_FOUND_FOR_PHONE.format(number=number))
    return case


def conversation_cases(session: Session, *, conversation_id: str) -> list[Case]:
    """The cases whose applicant uses this conversation, newest first: it stands in for the phone."""
    return list(
        session.scalars(
            select(Case).where(Case.conversation_id == conversation_id).order_by(Case.id.desc()).limit(CONVERSATION_CASES)
        )
    )


def recent_cases(session: Session, *, status: CaseStatus | None) -> list[Case]:
    """The newest cases for the window staff's list, optionally in one state."""
    query = select(Case).order_by(Case.id.desc()).limit(STAFF_LIST)
    if status is not None:
        query = query.where(Case.status == status)
    return list(session.scalars(query))

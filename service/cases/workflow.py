"""A case's states and the window staff's steps between them, in one transition table; each step
kept as an event and told to the applicant's chat (push.py) in the same transaction.

Every step is one guarded UPDATE (compare-and-set on the state read just before) whose row count
says whether it happened; nothing is written when it did not, so of two conflicting steps taken
at once (准予 and 不予) exactly one wins and the other answers 409.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.cases import actors, push
from service.cases.deadlines import Timekeeper
from service.cases.lookup import get_case
from service.cases.models import Case, CaseEvent, CaseStatus
from service.core import templates as t
from service.core.errors import ConflictError, InvalidInputError, NotFoundError

log = logging.getLogger(__name__)
S = CaseStatus


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[CaseStatus, ...]
    target: CaseStatus
    needs_reason: bool = False  # the applicant is told why
    needs_materials: bool = False  # 补正: everything missing, at once (一次性告知)


# The staff's steps, in the order the page offers them.
TRANSITIONS = {
    transition.action: transition
    for transition in (
        Transition("review", (S.ACCEPTED,), S.REVIEWING),
        Transition("supplement", (S.ACCEPTED, S.REVIEWING), S.SUPPLEMENT, needs_materials=True),
        Transition("resume", (S.SUPPLEMENT,), S.REVIEWING),
        Transition("approve", (S.REVIEWING,), S.APPROVED),
        Transition("reject", (S.REVIEWING,), S.REJECTED, needs_reason=True),
        Transition("complete", (S.APPROVED, S.REJECTED), S.COMPLETED),
        Transition("deliver", (S.COMPLETED,), S.DELIVERED),
        Transition("return", (S.ACCEPTED, S.REVIEWING, S.SUPPLEMENT), S.RETURNED, needs_reason=True),
    )
}
# Not a staff step: the overdue check deems an undecided case approved where the policy says so.
DEEM = Transition("deem", (S.ACCEPTED, S.REVIEWING), S.APPROVED)


def allowed_actions(case: Case) -> list[str]:
    return [action for action, transition in TRANSITIONS.items() if case.status in transition.sources]


def _check_input(transition: Transition, *, reason: str | None, materials: list[str]) -> None:
    if transition.needs_reason and not reason:
        raise InvalidInputError(t.CASE_REASON_REQUIRED.format(action=t.CASE_ACTIONS[transition.action]))
    if transition.needs_materials and not materials:
        raise InvalidInputError(t.CASE_MATERIALS_REQUIRED)
    if materials and not transition.needs_materials:
        raise InvalidInputError(t.CASE_MATERIALS_ONLY_FOR_SUPPLEMENT)


def _values(current: Any, transition: Transition, keeper: Timekeeper, *, reason: str | None,
            materials: list[str]) -> dict[str, Any]:
    """What the step writes besides the state."""
    if transition.target is S.SUPPLEMENT:
        stops = keeper.policy.supplement_stops_clock
        return {"materials_missing": materials, "paused_since": keeper.today if stops else None}
    if transition.action == "resume":
        paused = current.paused_days
        if current.paused_since is not None:  # the clock stood still until the materials arrived today
            paused += keeper.working_days_after(current.paused_since, keeper.today)
        due_on = keeper.due_date(accepted_on=current.accepted_on, working_days=current.promised_days + paused)
        return {"materials_missing": [], "paused_since": None, "paused_days": paused, "due_on": due_on}
    if transition.needs_reason:
        return {"reason": reason}
    return {}


def change(
    session: Session,
    *,
    number: str,
    transition: Transition,
    actor: str,
    keeper: Timekeeper,
    now: datetime,
    reason: str | None = None,
    materials: list[str] | None = None,
) -> Case:
    """The guarded state change, its event and its push, flushed; the caller commits."""
    materials = list(dict.fromkeys(materials or []))
    current = session.execute(
        select(Case.id, Case.status, Case.paused_since, Case.paused_days, Case.accepted_on, Case.promised_days)
        .where(Case.number == number.strip().upper())
    ).one_or_none()
    if current is None:
        raise NotFoundError(t.CASE_NOT_FOUND.format(number=number))
    changed = session.execute(
        update(Case)
        .where(Case.id == current.id, Case.status == current.status, Case.status.in_(transition.sources))
        .values(status=transition.target, updated_at=now,
                **_values(current, transition, keeper, reason=reason, materials=materials))
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        session.rollback()
        case = get_case(session, number=number)
        status = t.CASE_STATUS_LABELS[case.status.value]
        raise ConflictError(
            t.CASE_WRONG_STATE.format(number=case.number, status=status, action=t.CASE_ACTIONS[transition.action])
        )
    session.add(CaseEvent(
        case_id=current.id, at=now, actor=actor, action=transition.action, from_status=current.status,
        to_status=transition.target, note=reason, materials=materials or None,
    ))
    session.flush()
    session.expire_all()
    case = get_case(session, number=number)
    push.state_changed(session, case, author=actor, at=now)
    return case


def step(
    session: Session,
    *,
    number: str,
    action: str,
    staff: str,
    keeper: Timekeeper,
    now: datetime,
    reason: str | None = None,
    materials: list[str] | None = None,
) -> Case:
    """A window staff member's step, stored with its event and push, or refused (409, 422) with nothing written."""
    transition = TRANSITIONS[action]
    _check_input(transition, reason=reason, materials=materials or [])
    case = change(session, number=number, transition=transition, actor=actors.staff(staff), keeper=keeper,
                  now=now, reason=reason, materials=materials)
    session.commit()
    log.info("case %s: %s", case.number, action)
    return get_case(session, number=number)

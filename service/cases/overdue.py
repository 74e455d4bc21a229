"""超时默认: cases found past their promised time limit are flagged once, with an event that puts the
responsibility on their department; where the policy lists the item, an undecided case is deemed
approved (视为准予), which is a state change like any other (event, push).

Run by the staff's supervision page (POST /api/cases/overdue-check); running it twice, or twice at
once, flags each case once: the flag is set by a guarded UPDATE.
"""

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.cases import actors
from service.cases.deadlines import Timekeeper
from service.cases.models import Case, CaseEvent
from service.cases.wording import day_text
from service.cases.workflow import DEEM, change
from service.core import templates as t

log = logging.getLogger(__name__)


def check_overdue(session: Session, *, keeper: Timekeeper, now: datetime) -> tuple[list[str], list[str]]:
    """(the cases flagged now, those of them deemed approved), committed."""
    candidates = session.execute(
        select(Case.id, Case.number, Case.status, Case.item_code, Case.department, Case.due_on).where(
            Case.status.in_(keeper.running_statuses), Case.due_on < keeper.today, Case.overdue_at.is_(None)
        ).order_by(Case.due_on, Case.id)
    ).all()
    flagged, deemed = [], []
    for case in candidates:
        marked = session.execute(
            update(Case)
            .where(Case.id == case.id, Case.status == case.status, Case.overdue_at.is_(None))
            .values(overdue_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if marked.rowcount != 1:
            continue  # moved or flagged meanwhile
        session.add(CaseEvent(
            case_id=case.id, at=now, actor=actors.SYSTEM, action="overdue", from_status=case.status,
            to_status=case.status,
            note=t.CASE_OVERDUE_NOTE.format(due_on=day_text(case.due_on), department=case.department),
        ))
        flagged.append(case.number)
        if keeper.policy.deemed_approved(case.item_code) and case.status in DEEM.sources:
            change(session, number=case.number, transition=DEEM, actor=actors.SYSTEM, keeper=keeper, now=now,
                   reason=t.CASE_DEEMED_NOTE)
            deemed.append(case.number)
        session.commit()
    if flagged:
        log.info("overdue cases flagged: %d, deemed approved: %d", len(flagged), len(deemed))
    return flagged, deemed

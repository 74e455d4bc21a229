"""电子监察: the open cases near (yellow) or past (red) their deadline, grouped by department,
most urgent first, for the window staff and the supervisors."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.deadlines import Timekeeper, Warning
from service.cases.models import Case
from service.cases.schemas import CaseBrief, DepartmentWatch, SupervisionOut
from service.cases.views import brief_view


def supervision(session: Session, *, keeper: Timekeeper) -> SupervisionOut:
    running = session.scalars(
        select(Case).where(Case.status.in_(keeper.running_statuses)).order_by(Case.due_on, Case.id)
    )
    watched: dict[str, list[CaseBrief]] = defaultdict(list)
    for case in running:
        brief = brief_view(case, keeper)
        if brief.deadline.warning in (Warning.YELLOW, Warning.RED):
            watched[case.department].append(brief)
    departments = []
    for department, cases in watched.items():
        red = sum(case.deadline.warning is Warning.RED for case in cases)
        cases.sort(key=lambda case: (case.deadline.warning is not Warning.RED, case.deadline.due_on))
        departments.append(DepartmentWatch(department=department, yellow=len(cases) - red, red=red, cases=cases))
    departments.sort(key=lambda watch: (-watch.red, -watch.yellow, watch.department))
    return SupervisionOut(
        as_of=keeper.today,
        yellow=sum(watch.yellow for watch in departments),
        red=sum(watch.red for watch in departments),
        departments=departments,
    )

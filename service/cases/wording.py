"""What the applicant is told about a case: its state, what happens next, the message a change sends."""

from datetime import date

from service.cases.models import Case
from service.core import templates as t


def day_text(day: date) -> str:
    return t.CASE_DATE.format(d=day)


def status_label(case: Case) -> str:
    return t.CASE_STATUS_LABELS[case.status.value]


def next_step(case: Case) -> str:
    """What happens next, in one sentence for the applicant."""
    return t.CASE_NEXT_STEPS[case.status.value].format(
        due_on=day_text(case.due_on),
        materials=t.CASE_MATERIAL_JOIN.join(case.materials_missing),
        department=case.department,
        reason=case.reason or "",
    )


def push_text(case: Case) -> str:
    """The message a change sends to the applicant's chat."""
    return t.CASE_PUSH.format(
        item_name=case.item_name, number=case.number, status_label=status_label(case), next_step=next_step(case)
    )

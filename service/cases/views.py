"""Cases as the API shows them: to the applicant (masked, with what happens next), in the staff's
lists and supervision, and in full to staff with the steps open from the current state."""

from common.personal_data import mask_name
from service.cases.deadlines import Timekeeper
from service.cases.models import Case
from service.cases.schemas import CaseBrief, CaseOut, CaseStatusOut, DeadlineOut, EventOut
from service.cases.wording import next_step, status_label
from service.cases.workflow import allowed_actions
from service.core import templates as t
from service.core.identity import mask_mobile


def deadline_view(case: Case, keeper: Timekeeper) -> DeadlineOut:
    clock = keeper.clock(case)
    return DeadlineOut(
        accepted_on=case.accepted_on,
        promised_days=case.promised_days,
        paused_days=case.paused_days,
        due_on=case.due_on,
        warning=clock.warning,
        warning_label=t.CASE_WARNING_LABELS[clock.warning.value],
        working_days_left=clock.working_days_left,
    )


def citizen_view(case: Case, keeper: Timekeeper) -> CaseStatusOut:
    return CaseStatusOut(
        number=case.number,
        item_code=case.item_code,
        item_name=case.item_name,
        department=case.department,
        applicant=mask_name(case.applicant),
        phone=mask_mobile(case.phone),
        status=case.status,
        status_label=status_label(case),
        next_step=next_step(case),
        materials_missing=list(case.materials_missing),
        reason=case.reason,
        deadline=deadline_view(case, keeper),
        updated_at=case.updated_at,
    )


def brief_view(case: Case, keeper: Timekeeper) -> CaseBrief:
    return CaseBrief(
        number=case.number,
        item_code=case.item_code,
        item_name=case.item_name,
        department=case.department,
        applicant=case.applicant,
        status=case.status,
        status_label=status_label(case),
        deadline=deadline_view(case, keeper),
        materials_missing=list(case.materials_missing),
        reason=case.reason,
        overdue=case.overdue_at is not None,
        created_at=case.created_at,
    )


def staff_view(case: Case, keeper: Timekeeper) -> CaseOut:
    return CaseOut(
        **brief_view(case, keeper).model_dump(),
        appointment_code=case.appointment_code,
        phone=case.phone,
        id_number=case.id_masked,
        channel=case.channel,
        conversation=case.conversation_id is not None,
        overdue_at=case.overdue_at,
        events=[EventOut.model_validate(event, from_attributes=True) for event in case.events],
        allowed_actions=allowed_actions(case),
    )

"""The vocabularies, built from the domains' enums and the labels in service/core/templates.py."""

from enum import StrEnum
from functools import lru_cache

from service.booking.appointments import STAFF_MOVES
from service.booking.models import Status as BookingStatus
from service.cases.deadlines import Warning as CaseWarning
from service.cases.models import FINISHED, CaseStatus
from service.cases.workflow import TRANSITIONS as CASE_STEPS
from service.core import templates as t
from service.meta.schemas import (
    BookingStatusTerm,
    CaseActionTerm,
    CaseStatusTerm,
    Term,
    TicketStatusTerm,
    Vocabularies,
)
from service.outbox.models import PARKED
from service.tickets.models import CLAIMABLE, OPEN, Channel, Satisfaction, TicketType, Urgency
from service.tickets.models import Status as TicketStatus
from service.tickets.workflow import TRANSITIONS


def _terms(members: type[StrEnum], labels: dict[str, str] | None = None) -> list[Term]:
    """One term per member; without `labels` the value (Chinese already) is its own label."""
    return [Term(value=m.value, label=labels[m.value] if labels else m.value) for m in members]


def _case_action(action: str, label: str) -> CaseActionTerm:
    step = CASE_STEPS.get(action)
    return CaseActionTerm(
        value=action,
        label=label,
        step=step is not None,
        target=step.target.value if step else None,
        needs_reason=bool(step and step.needs_reason),
        needs_materials=bool(step and step.needs_materials),
    )


@lru_cache
def vocabularies() -> Vocabularies:
    return Vocabularies(
        ticket_statuses=[
            TicketStatusTerm(
                value=status.value,
                label=t.TICKET_STATUS_LABELS[status.value],
                claimable=status in CLAIMABLE,
                open=status in OPEN,
                actions=[action for action, step in TRANSITIONS.items() if status in step.sources],
            )
            for status in TicketStatus
        ],
        ticket_actions=[Term(value=action, label=label) for action, label in t.TICKET_ACTIONS.items()],
        ticket_types=_terms(TicketType),
        ticket_urgencies=_terms(Urgency),
        ticket_channels=_terms(Channel, t.TICKET_CHANNEL_LABELS),
        ticket_satisfactions=_terms(Satisfaction),
        booking_statuses=[
            BookingStatusTerm(
                value=status.value,
                label=t.STATUS_LABELS[status.value],
                moves=[
                    Term(value=target.value, label=t.BOOKING_MOVE_LABELS[target.value])
                    for target in BookingStatus
                    if target in STAFF_MOVES.get(status, set())
                ],
            )
            for status in BookingStatus
        ],
        case_statuses=[
            CaseStatusTerm(
                value=status.value,
                label=t.CASE_STATUS_LABELS[status.value],
                finished=status in FINISHED,
                actions=[action for action, step in CASE_STEPS.items() if status in step.sources],
            )
            for status in CaseStatus
        ],
        case_actions=[_case_action(action, label) for action, label in t.CASE_ACTIONS.items()],
        case_warnings=_terms(CaseWarning, t.CASE_WARNING_LABELS),
        outbox_kinds=[Term(value=kind, label=label) for kind, label in t.OUTBOX_KIND_LABELS.items()],
        outbox_statuses=[Term(value=status.value, label=t.OUTBOX_STATUS_LABELS[status.value]) for status in PARKED],
    )

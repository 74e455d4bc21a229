"""Response of GET /api/meta: each vocabulary as its values in order, each with its Chinese label."""

from pydantic import BaseModel, Field


class Term(BaseModel):
    value: str = Field(description="what the API sends and accepts")
    label: str = Field(description="what a page shows")


class TicketStatusTerm(Term):
    claimable: bool = Field(description="waiting for an agent to claim (受理) the order")
    open: bool = Field(description="not yet answered: past its deadline it counts as overdue")
    actions: list[str] = Field(description="the steps (ticket_actions) that may start from this state")


class BookingStatusTerm(Term):
    moves: list[Term] = Field(description="the statuses window staff may mark it with, labelled as their buttons")


class CaseStatusTerm(Term):
    finished: bool = Field(description="no step leads on, and no time limit runs")
    actions: list[str] = Field(description="the staff steps (case_actions) that may start from this state")


class CaseActionTerm(Term):
    step: bool = Field(description="a step window staff take (POST /api/cases/{number}/{action}); "
                                   "false: written by the service only (accept, overdue, deem)")
    target: str | None = Field(description="the state a step leads to")
    needs_reason: bool = Field(description="a reason is required and told to the applicant")
    needs_materials: bool = Field(description="the list of missing materials is required (补正)")


class Vocabularies(BaseModel):
    ticket_statuses: list[TicketStatusTerm]
    ticket_actions: list[Term] = Field(description="the event log's `action` and the orders' `allowed_actions`")
    ticket_types: list[Term]
    ticket_urgencies: list[Term]
    ticket_channels: list[Term]
    ticket_satisfactions: list[Term]
    booking_statuses: list[BookingStatusTerm]
    case_statuses: list[CaseStatusTerm]
    case_actions: list[CaseActionTerm] = Field(description="a case event's `action` and its `allowed_actions`")
    case_warnings: list[Term] = Field(description="a case deadline's `warning` (审批时限预警)")
    outbox_kinds: list[Term] = Field(description="a parked outbox message's `kind`: what did not happen")
    outbox_statuses: list[Term] = Field(description="a parked message's `status`: why it was not delivered")

"""The promised time limit (承诺时限) of a case in working days, the days 补正 leaves out, and the
warning (审批时限预警) a case shows: yellow near its deadline, red past it."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from service.cases.models import FINISHED, TIMED, Case, CaseStatus
from service.cases.policy import CasePolicy
from service.core.calendar import WorkCalendar


class Warning(StrEnum):
    NORMAL = "normal"
    YELLOW = "yellow"  # at most policy.warning_working_days left
    RED = "red"  # past the deadline
    PAUSED = "paused"  # 补正: the clock is stopped
    NONE = "none"  # finished: no limit runs any more


@dataclass(frozen=True)
class Clock:
    warning: Warning
    working_days_left: int | None  # after today up to the deadline; None while the clock is not running


@dataclass(frozen=True)
class Timekeeper:
    """What a case's time limit is measured with: the working-day calendar, the policy, and today."""

    calendar: WorkCalendar
    policy: CasePolicy
    today: date

    def due_date(self, *, accepted_on: date, working_days: int) -> date:
        """"自受理之日起 N 个工作日": the Nth working day after acceptance; 即办件 (0) on the day itself."""
        if working_days == 0:
            return accepted_on
        return self.calendar.next_working_days(accepted_on + timedelta(days=1), working_days)[-1]

    def working_days_after(self, start: date, end: date) -> int:
        """How many working days lie after `start` up to and including `end`."""
        days = range(1, (end - start).days + 1)
        return sum(self.calendar.is_working_day(start + timedelta(days=n)) for n in days)

    @property
    def running_statuses(self) -> tuple[CaseStatus, ...]:
        """The states in which the promised time limit runs."""
        return TIMED if self.policy.supplement_stops_clock else (*TIMED, CaseStatus.SUPPLEMENT)

    def clock(self, case: Case) -> Clock:
        if case.status in FINISHED:
            return Clock(Warning.NONE, None)
        if case.status not in self.running_statuses:
            return Clock(Warning.PAUSED, None)
        if self.today > case.due_on:
            return Clock(Warning.RED, 0)
        left = self.working_days_after(self.today, case.due_on)
        return Clock(Warning.YELLOW if left <= self.policy.warning_working_days else Warning.NORMAL, left)

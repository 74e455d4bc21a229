"""Reply deadlines by type (service/seed/tickets.yaml) counted in working days of the calendar."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from service.core.calendar import load_calendar
from service.core.settings import REPO_ROOT
from service.tickets.models import TicketType, Urgency
from service.tickets.deadlines import compute_deadline, load_deadline_rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
RULES = load_deadline_rules(REPO_ROOT / "service" / "seed" / "tickets.yaml")
CALENDAR = load_calendar(REPO_ROOT / "service" / "seed" / "calendar.yaml")
EVE_OF_NATIONAL_DAY = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)  # a Wednesday


@pytest.mark.parametrize(
    ("type", "due"),
    [
        (TicketType.CONSULT, datetime(2026, 10, 8, 10, 0)),  # 1 working day: the holiday is skipped
        (TicketType.HELP, datetime(2026, 10, 10, 10, 0)),  # 3: Thursday, Friday and the make-up Saturday
        (TicketType.COMPLAINT, datetime(2026, 10, 13, 10, 0)),  # 5: …, Monday 12th, Tuesday 13th
    ],
)
def test_working_days_skip_holidays_and_count_make_up_days(type, due):
    deadline = compute_deadline(RULES, CALENDAR, created=EVE_OF_NATIONAL_DAY, type=type, urgency=Urgency.NORMAL)
    assert deadline == due.replace(tzinfo=SHANGHAI)


def test_urgent_orders_get_hours_not_days():
    deadline = compute_deadline(
        RULES, CALENDAR, created=EVE_OF_NATIONAL_DAY, type=TicketType.REPORT, urgency=Urgency.URGENT
    )
    assert deadline == datetime(2026, 10, 1, 10, 0, tzinfo=SHANGHAI)


def test_every_type_needs_a_deadline(tmp_path):
    partial = tmp_path / "tickets.yaml"
    partial.write_text("deadline_working_days: {咨询: 1}\nurgent_deadline_hours: 24\n", encoding="utf-8")
    with pytest.raises(ValueError, match="投诉"):
        load_deadline_rules(partial)

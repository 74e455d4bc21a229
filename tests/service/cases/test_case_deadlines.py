"""The promised time limit in working days (holidays and 调休 make-up days from calendar.yaml),
the days 补正 leaves out, the yellow and red warnings, and 超时默认 (flag, event, deemed approval)."""

from datetime import date

import pytest
from cases_helpers import ITEM, PHONE, STAFF, new_case, step, travel  # noqa: F401  (fixtures)
from sqlalchemy import select

from service.cases.deadlines import Timekeeper, Warning
from service.cases.models import Case, CaseStatus
from service.cases.policy import CasePolicy, configured_policy, load_policy
from service.core.calendar import load_calendar
from service.core.db import get_session_factory
from service.core.settings import REPO_ROOT
from service.outbox.models import OutboxMessage

POLICY = CasePolicy(warning_working_days=2, supplement_stops_clock=True)


def keeper(today: str, policy: CasePolicy = POLICY) -> Timekeeper:
    return Timekeeper(calendar=load_calendar(), policy=policy, today=date.fromisoformat(today))


def test_the_limit_skips_the_mid_autumn_and_national_holidays_and_counts_the_make_up_saturday():
    # Accepted Thu 24 Sep 2026: 25-27 Sep 中秋 off; 28-30 Sep count (3); 1-7 Oct 国庆 off;
    # Thu 8, Fri 9, Sat 10 Oct (调休 working day), Mon 12 … Thu 15 Oct make the other 7.
    due = keeper("2026-09-24").due_date(accepted_on=date(2026, 9, 24), working_days=10)
    assert due == date(2026, 10, 15)
    assert keeper("2026-09-24").working_days_after(date(2026, 9, 30), date(2026, 10, 10)) == 3


def test_on_the_spot_items_are_due_the_day_they_are_accepted():
    assert keeper("2026-12-01").due_date(accepted_on=date(2026, 12, 1), working_days=0) == date(2026, 12, 1)


def test_the_real_policy_file_reads():
    policy = load_policy(REPO_ROOT / "service" / "seed" / "cases.yaml")
    assert policy.warning_working_days == 2 and policy.supplement_stops_clock
    assert policy.deemed_approved_items == frozenset()


def test_a_case_accepted_across_the_holidays_is_due_after_them(booking_client, travel, new_case):
    travel("2026-09-24T09:00:00")
    case = new_case()
    assert case["number"] == "SL-20260924-0001"
    assert case["deadline"] == {
        "accepted_on": "2026-09-24", "promised_days": 10, "paused_days": 0, "due_on": "2026-10-15",
        "warning": "normal", "warning_label": "正常", "working_days_left": 10,
    }


@pytest.mark.parametrize(
    ("today", "warning", "left"),
    [
        ("2026-12-10T09:00:00", "normal", 3),  # Thu: Fri 11, Mon 14, Tue 15 left
        ("2026-12-11T09:00:00", "yellow", 2),
        ("2026-12-13T09:00:00", "yellow", 2),  # Sunday: still Mon and Tue left
        ("2026-12-15T17:00:00", "yellow", 0),  # the last day
        ("2026-12-16T09:00:00", "red", 0),
    ],
)
def test_yellow_two_working_days_before_the_deadline_and_red_after_it(
    booking_client, travel, new_case, today, warning, left
):
    number = new_case()["number"]  # accepted Tue 1 Dec 2026: due Tue 15 Dec
    travel(today)
    deadline = booking_client.get(f"/api/cases/{number}/status", params={"phone": PHONE}).json()["deadline"]
    assert (deadline["due_on"], deadline["warning"], deadline["working_days_left"]) == ("2026-12-15", warning, left)


def test_supplement_days_stop_the_clock(booking_client, travel, new_case, step):
    number = new_case()["number"]  # due Tue 15 Dec
    step(number, "review")
    travel("2026-12-03T10:00:00")
    step(number, "supplement")
    travel("2026-12-16T10:00:00")  # past the first deadline, but waiting for the applicant: no warning
    waiting = booking_client.get(f"/api/cases/{number}/status", params={"phone": PHONE}).json()["deadline"]
    assert (waiting["warning"], waiting["working_days_left"]) == ("paused", None)
    travel("2026-12-08T10:00:00")  # the materials arrive: 4, 7 and 8 Dec are not counted
    resumed = step(number, "resume").json()["deadline"]
    assert (resumed["paused_days"], resumed["due_on"]) == (3, "2026-12-18")


def test_without_the_pause_supplement_days_count(booking_client, travel, new_case, step):
    booking_client.app.dependency_overrides[configured_policy] = lambda: CasePolicy(
        warning_working_days=2, supplement_stops_clock=False
    )
    number = new_case()["number"]
    step(number, "review")
    step(number, "supplement")
    travel("2026-12-16T10:00:00")
    assert booking_client.get(f"/api/cases/{number}/status", params={"phone": PHONE}).json()["deadline"]["warning"] == "red"
    assert step(number, "resume").json()["deadline"]["due_on"] == "2026-12-15"


def test_overdue_cases_are_flagged_once_with_the_department_responsible(
    booking_client, booking_db_url, staff_headers, travel, new_case, step
):
    late = new_case()["number"]
    done = new_case()["number"]
    for action in ("review", "approve", "complete"):
        step(done, action)
    travel("2026-12-16T09:00:00")
    check = booking_client.post("/api/cases/overdue-check", headers=staff_headers)
    assert check.json() == {"flagged": [late], "deemed_approved": []}
    assert booking_client.post("/api/cases/overdue-check", headers=staff_headers).json()["flagged"] == []
    case = booking_client.get(f"/api/cases/{late}", headers=staff_headers).json()
    assert case["overdue"] and case["overdue_at"] and case["status"] == "accepted"
    event = case["events"][-1]
    assert (event["action"], event["actor"], event["from_status"], event["to_status"]) == (
        "overdue", "system", "accepted", "accepted"
    )
    assert event["note"] == f"已超过承诺时限（2026年12月15日），超时默认，责任由{case['department']}承担"
    assert not booking_client.get(f"/api/cases/{done}", headers=staff_headers).json()["overdue"]


def test_where_the_policy_says_so_an_overdue_case_is_deemed_approved(
    booking_client, booking_db_url, staff_headers, travel, new_case, step
):
    booking_client.app.dependency_overrides[configured_policy] = lambda: CasePolicy(
        warning_working_days=2, supplement_stops_clock=True, deemed_approved_items=frozenset({ITEM})
    )
    number = new_case(conversation_id="web-deemed")["number"]
    step(number, "review")
    other = new_case(item_code="GA-SFZ-001")["number"]  # not listed: flagged only
    travel("2026-12-16T09:00:00")
    check = booking_client.post("/api/cases/overdue-check", headers=staff_headers).json()
    assert check == {"flagged": [number, other], "deemed_approved": [number]}
    case = booking_client.get(f"/api/cases/{number}", headers=staff_headers).json()
    assert case["status"] == "approved"
    assert [(e["action"], e["to_status"]) for e in case["events"][-2:]] == [("overdue", "reviewing"), ("deem", "approved")]
    assert "视为准予" in case["events"][-1]["note"]
    with get_session_factory(booking_db_url)() as session:
        pushed = session.scalars(select(OutboxMessage.payload).where(OutboxMessage.stream == "rasa:web-deemed")).all()
        assert session.scalars(select(Case.status).where(Case.number == other)).one() is CaseStatus.ACCEPTED
    assert "已决定：准予" in pushed[-1]["text"]


def test_a_finished_case_shows_no_warning(booking_client, travel, new_case, step):
    number = new_case()["number"]
    step(number, "return", {"staff": STAFF, "reason": "申请人撤回申请"})
    travel("2026-12-20T09:00:00")
    deadline = booking_client.get(f"/api/cases/{number}/status", params={"phone": PHONE}).json()["deadline"]
    assert deadline["warning"] == Warning.NONE == "none"

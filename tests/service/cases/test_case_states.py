"""The case's states: 受理 → 审查 → 决定 (准予 / 不予) → 办结 → 送达, with 补正 and 退回.

Every step the transition table does not allow from a state answers 409 in Chinese and writes
nothing (case, events, outbox); missing reasons and 补正 lists answer 422 and write nothing.
"""

import pytest
from cases_helpers import PHONE, STAFF, STEP_BODIES, new_case, step, stored  # noqa: F401  (fixtures)

from service.core import templates as t

# A path of steps to each state, from 受理.
PATHS = {
    "accepted": [],
    "reviewing": ["review"],
    "supplement": ["review", "supplement"],
    "approved": ["review", "approve"],
    "rejected": ["review", "reject"],
    "completed": ["review", "approve", "complete"],
    "delivered": ["review", "approve", "complete", "deliver"],
    "returned": ["return"],
}
ALLOWED = {
    "accepted": {"review", "supplement", "return"},
    "reviewing": {"supplement", "approve", "reject", "return"},
    "supplement": {"resume", "return"},
    "approved": {"complete"},
    "rejected": {"complete"},
    "completed": {"deliver"},
    "delivered": set(),
    "returned": set(),
}


def test_through_supplement_and_approval_to_delivery(booking_client, staff_headers, new_case, step):
    case = new_case()
    number = case["number"]
    assert number == "SL-20261201-0001"
    assert (case["status"], case["status_label"]) == ("accepted", "已受理")
    assert case["allowed_actions"] == ["review", "supplement", "return"]
    for action, status in (("review", "reviewing"), ("supplement", "supplement"), ("resume", "reviewing"),
                           ("approve", "approved"), ("complete", "completed"), ("deliver", "delivered")):
        response = step(number, action)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status
    events = booking_client.get(f"/api/cases/{number}", headers=staff_headers).json()["events"]
    assert [(e["action"], e["actor"], e["from_status"], e["to_status"]) for e in events] == [
        ("accept", f"staff:{STAFF}", None, "accepted"),
        ("review", f"staff:{STAFF}", "accepted", "reviewing"),
        ("supplement", f"staff:{STAFF}", "reviewing", "supplement"),
        ("resume", f"staff:{STAFF}", "supplement", "reviewing"),
        ("approve", f"staff:{STAFF}", "reviewing", "approved"),
        ("complete", f"staff:{STAFF}", "approved", "completed"),
        ("deliver", f"staff:{STAFF}", "completed", "delivered"),
    ]
    assert events[2]["materials"] == ["居民身份证数码相片回执", "户口簿"]
    assert all(e["at"].endswith("Z") or "+" in e["at"] for e in events)


def test_a_rejection_is_completed_and_delivered_with_its_reason(booking_client, new_case, step):
    number = new_case()["number"]
    step(number, "review")
    rejected = step(number, "reject").json()
    assert rejected["status_label"] == "已决定：不予" and rejected["reason"] == "申请人不符合补领条件"
    assert rejected["events"][-1]["note"] == "申请人不符合补领条件"
    citizen = booking_client.get(f"/api/cases/{number}/status", params={"phone": PHONE}).json()
    assert "申请人不符合补领条件" in citizen["next_step"] and "行政复议" in citizen["next_step"]
    assert step(number, "complete").json()["status"] == "completed"
    assert step(number, "deliver").json()["allowed_actions"] == []


@pytest.mark.parametrize("state", PATHS)
def test_every_step_the_table_does_not_allow_is_refused_and_writes_nothing(booking_db_url, new_case, step, state):
    number = new_case()["number"]
    for action in PATHS[state]:
        assert step(number, action).status_code == 200
    before = stored(booking_db_url)
    label = t.CASE_STATUS_LABELS[state]
    for action in sorted(set(STEP_BODIES) - ALLOWED[state]):
        refused = step(number, action)
        assert refused.status_code == 409, (action, refused.text)
        assert refused.json()["detail"] == f"办件 {number} 当前状态为“{label}”，不能{t.CASE_ACTIONS[action]}"
    assert stored(booking_db_url) == before


@pytest.mark.parametrize("state", PATHS)
def test_the_allowed_actions_are_those_of_the_table(booking_client, staff_headers, new_case, step, state):
    number = new_case()["number"]
    for action in PATHS[state]:
        step(number, action)
    case = booking_client.get(f"/api/cases/{number}", headers=staff_headers).json()
    assert case["status"] == state and set(case["allowed_actions"]) == ALLOWED[state]


@pytest.mark.parametrize(
    ("path", "action", "body", "words"),
    [
        (["review"], "reject", {"staff": STAFF}, "不予须填写理由"),
        (["review"], "reject", {"staff": STAFF, "reason": "   "}, "reason"),
        ([], "return", {"staff": STAFF}, "退回须填写理由"),
        (["review"], "supplement", {"staff": STAFF}, "一次性告知"),
        (["review"], "supplement", {"staff": STAFF, "materials": []}, "一次性告知"),
        (["review"], "approve", {"staff": STAFF, "materials": ["户口簿"]}, "只有要求补正时"),
        (["review"], "approve", {}, "staff"),
        (["review"], "approve", {"staff": STAFF, "by": "x"}, "by"),
    ],
)
def test_a_step_without_what_it_needs_is_refused_and_writes_nothing(booking_db_url, new_case, step, path, action,
                                                                     body, words):
    number = new_case()["number"]
    for earlier in path:
        step(number, earlier)
    before = stored(booking_db_url)
    refused = step(number, action, body)
    assert refused.status_code == 422, refused.text
    assert words in refused.text
    assert stored(booking_db_url) == before


def test_supplement_lists_exactly_the_missing_materials_until_they_arrive(booking_client, new_case, step):
    number = new_case()["number"]
    step(number, "review")
    body = {"staff": STAFF, "materials": ["户口簿", "居民身份证数码相片回执", "户口簿"]}
    assert step(number, "supplement", body).json()["materials_missing"] == ["户口簿", "居民身份证数码相片回执"]
    citizen = booking_client.get(f"/api/cases/{number}/status", params={"phone": PHONE}).json()
    assert citizen["status_label"] == "待补正材料"
    assert citizen["materials_missing"] == ["户口簿", "居民身份证数码相片回执"]
    assert "户口簿、居民身份证数码相片回执" in citizen["next_step"]
    assert citizen["deadline"]["warning"] == "paused"
    resumed = step(number, "resume").json()
    assert resumed["status"] == "reviewing" and resumed["materials_missing"] == []
    citizen = booking_client.get(f"/api/cases/{number}/status", params={"phone": PHONE}).json()
    assert citizen["materials_missing"] == [] and citizen["deadline"]["warning"] == "normal"


def test_an_unknown_step_or_case(booking_client, staff_headers, new_case, step):
    number = new_case()["number"]
    assert booking_client.post(f"/api/cases/{number}/approve-now", json={"staff": STAFF},
                               headers=staff_headers).status_code == 422
    missing = step("SL-20261201-9999", "review")
    assert missing.status_code == 404 and missing.json()["detail"] == "未找到办件 SL-20261201-9999"

"""The work-order API: creation and validation, citizen access by phone, agents' queue, auth."""

import re

import pytest
from sqlalchemy import select
from tickets_helpers import MASKED_PHONE, PHONE, ticket_body, ticket_counts

from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.tickets.models import Ticket


@pytest.fixture
def create(booking_client):
    def _create(**overrides) -> dict:
        response = booking_client.post("/api/tickets", json=ticket_body(**overrides))
        assert response.status_code == 201, response.text
        return response.json()

    return _create


def test_create_gives_a_readable_number_the_deadline_and_a_masked_phone(booking_client, create):
    first, second = create(), create(type="咨询")
    assert re.fullmatch(r"12345-\d{8}-\d{5}", first["number"])
    assert first["number"] == "12345-20261201-00001" and second["number"] == "12345-20261201-00002"
    assert first["phone"] == MASKED_PHONE and PHONE not in str(first)
    assert first["status"] == "new" and first["status_label"] == "待受理"
    # 投诉: 5 working days from Tuesday 1 December 08:30 (Shanghai) → Tuesday 8 December 08:30.
    assert first["deadline"] == "2026-12-08T00:30:00Z"
    assert second["deadline"] == "2026-12-02T00:30:00Z"  # 咨询: 1 working day
    assert first["summary"].startswith("小区门口的路灯坏了")


def test_urgent_orders_are_due_within_a_day(create):
    assert create(type="建议", urgency="紧急")["deadline"] == "2026-12-02T00:30:00Z"


def test_related_item_fills_the_handling_department(booking_client, staff_headers, create):
    number = create(item_code="GA-SFZ-002", type="咨询")["number"]
    ticket = booking_client.get(f"/api/tickets/{number}", headers=staff_headers).json()
    assert ticket["item_code"] == "GA-SFZ-002"
    assert "公安" in ticket["department"]


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"phone": "12345"}, "手机号码格式不正确"),
        ({"content": "   "}, "请输入"),
        ({"content": "！！！"}, "没有识别到文字"),
        ({"type": "闲聊"}, "type"),
        ({"channel": "email"}, "channel"),
        ({"item_code": "NO-SUCH-1"}, "NO-SUCH-1"),
        ({"topic_l1": None}, "一级分类"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_orders_are_refused_in_chinese_and_nothing_is_written(booking_client, booking_db_url, overrides, fragment):
    response = booking_client.post("/api/tickets", json=ticket_body(**overrides))
    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert ticket_counts(booking_db_url) == {"ticket": 0, "ticket_event": 0}


AGENT_CALLS = [
    ("get", "/api/tickets", None),
    ("get", "/api/tickets/12345-20261201-00001", None),
    ("patch", "/api/tickets/12345-20261201-00001", {"agent": "王", "summary": "路灯"}),
    ("post", "/api/tickets/12345-20261201-00001/claim", {"agent": "王"}),
    ("post", "/api/tickets/12345-20261201-00001/reply", {"agent": "王", "reply": "已修好"}),
    ("post", "/api/tickets/12345-20261201-00001/return", {"agent": "王", "reason": "不属于本单位"}),
    ("post", "/api/tickets/12345-20261201-00001/reassign", {"agent": "王", "department": "市城管局"}),
    ("post", "/api/tickets/12345-20261201-00001/close", {"agent": "王"}),
]


@pytest.mark.parametrize(("method", "path", "body"), AGENT_CALLS)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"}], ids=["no token", "wrong token"])
def test_agent_endpoints_need_the_bearer_token(booking_client, booking_db_url, create, method, path, body, headers):
    create()
    response = booking_client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "请先输入正确的工作人员令牌"
    assert ticket_counts(booking_db_url) == {"ticket": 1, "ticket_event": 1}


def test_citizen_reads_status_only_with_the_phone_it_was_filed_with(booking_client, create):
    number = create()["number"]
    assert booking_client.get(f"/api/tickets/{number}/status").status_code == 422
    wrong = booking_client.get(f"/api/tickets/{number}/status", params={"phone": "13900000000"})
    assert wrong.status_code == 404 and "手机号" in wrong.json()["detail"]
    right = booking_client.get(f"/api/tickets/{number}/status", params={"phone": PHONE})
    assert right.status_code == 200
    body = right.json()
    assert body["phone"] == MASKED_PHONE and PHONE not in right.text
    assert "assignee" not in body and "content" not in body
    # The full order is for agents only.
    assert booking_client.get(f"/api/tickets/{number}").status_code == 401


def test_agents_see_the_full_order_with_the_phone_and_events(booking_client, staff_headers, create):
    number = create(confidential=True)["number"]
    ticket = booking_client.get(f"/api/tickets/{number}", headers=staff_headers).json()
    assert ticket["phone"] == PHONE and ticket["confidential"] is True
    assert ticket["requester"] == "李女士" and ticket["overdue"] is False
    assert [(e["action"], e["actor"], e["from_status"], e["to_status"]) for e in ticket["events"]] == [
        ("create", "citizen", None, "new")
    ]
    missing = booking_client.get("/api/tickets/12345-20261201-09999", headers=staff_headers)
    assert missing.status_code == 404 and "未找到工单" in missing.json()["detail"]


def test_queue_filters_and_pages(booking_client, staff_headers, create, monkeypatch):
    complaint = create()["number"]
    consult = create(type="咨询", topic_l1="劳动和社会保障", topic_l2="社会保险")["number"]
    create(type="建议", topic_l1="劳动和社会保障", topic_l2="就业")
    booking_client.post(f"/api/tickets/{complaint}/claim", json={"agent": "王"}, headers=staff_headers)

    def numbers(**params) -> list[str]:
        response = booking_client.get("/api/tickets", params=params, headers=staff_headers)
        assert response.status_code == 200, response.text
        return [row["number"] for row in response.json()["items"]]

    assert numbers(status="claimed") == [complaint]
    assert numbers(type="咨询") == [consult]
    assert len(numbers(topic="劳动和社会保障")) == 2 and numbers(topic="社会保险") == [consult]
    assert numbers(overdue="true") == []
    page = booking_client.get("/api/tickets", params={"page": 2, "page_size": 2}, headers=staff_headers).json()
    assert page["total"] == 3 and len(page["items"]) == 1
    assert booking_client.get("/api/tickets", params={"status": "lost"}, headers=staff_headers).status_code == 422

    # Thursday: the 咨询 (due Wednesday 08:30) is overdue; the claimed 投诉 is not due yet.
    monkeypatch.setenv("FIXED_NOW", "2026-12-03T09:00:00")
    get_settings.cache_clear()
    assert numbers(overdue="true") == [consult]
    assert consult not in numbers(overdue="false")
    row = booking_client.get(f"/api/tickets/{consult}", headers=staff_headers).json()
    assert row["overdue"] is True


def test_id_and_phone_numbers_in_the_text_are_stored_masked(booking_client, staff_headers, booking_db_url, create):
    id_number = "110101199003071234"
    number = create(content=f"我的身份证号{id_number}，备用电话13900001111，社保卡一直办不下来。")["number"]
    ticket = booking_client.get(f"/api/tickets/{number}", headers=staff_headers).json()
    assert "110***********1234" in ticket["content"] and "139****1111" in ticket["summary"]
    assert ticket["phone"] == PHONE  # the contact phone stays whole for agents
    with get_session_factory(booking_db_url)() as session:
        stored = session.scalars(select(Ticket.content)).one()
    assert id_number not in stored and "13900001111" not in stored


def test_the_export_is_a_spreadsheet_with_phones_masked(booking_client, staff_headers):
    import csv
    import io

    from tickets_helpers import PHONE, ticket_body

    body = ticket_body(content=f"路灯坏了，我身份证 110101199003074477，电话 {PHONE}")
    number = booking_client.post("/api/tickets", json=body).json()["number"]
    assert booking_client.get("/api/tickets/export.csv").status_code == 401
    export = booking_client.get("/api/tickets/export.csv", params={"status": "new"}, headers=staff_headers)
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    text = export.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["工单编号", "渠道", "类型"]
    row = next(r for r in rows[1:] if r[0] == number)
    assert row[7] == "138****5678" and PHONE not in text and "110101199003074477" not in text

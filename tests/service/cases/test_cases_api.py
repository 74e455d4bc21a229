"""The case API: accepting from a booking or a walk-in, one case per booking and per
Idempotency-Key, the applicant's status by phone, the bot's lookup by conversation, the push of
each change into the applicant's chat (in the change's own transaction), supervision, and /api/meta."""

import pytest
from cases_helpers import ITEM, PHONE, STAFF, new_case, step, stored, travel, walk_in  # noqa: F401  (fixtures)
from conftest import booking_body, valid_id_number
from sqlalchemy import select, text

from service.cases import push
from service.catalogue.models import Item, Unpublished
from service.core import templates as t
from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.outbox.models import OutboxMessage


@pytest.fixture
def booking_code(booking_client) -> str:
    response = booking_client.post("/api/appointments", json=booking_body(), headers={"Idempotency-Key": "case-test-0001"})
    assert response.status_code == 201, response.text
    return response.json()["code"]


def _outbox(url: str) -> list[tuple[str, str, dict]]:
    with get_session_factory(url)() as session:
        rows = session.execute(select(OutboxMessage.destination, OutboxMessage.kind, OutboxMessage.payload)
                               .order_by(OutboxMessage.id))
        return [tuple(row) for row in rows]


def test_a_case_from_a_booking_takes_its_item_and_applicant(booking_client, staff_headers, booking_code):
    response = booking_client.post("/api/cases", json={"staff": STAFF, "appointment_code": booking_code},
                                   headers=staff_headers)
    assert response.status_code == 201, response.text
    case = response.json()
    assert (case["appointment_code"], case["item_code"], case["item_name"]) == (booking_code, ITEM, "居民身份证补领")
    assert (case["applicant"], case["phone"], case["department"]) == ("张三", PHONE, "清江市公安局")
    assert case["id_number"] == "110***********" + valid_id_number(1)[-4:]
    again = booking_client.post("/api/cases", json={"staff": STAFF, "appointment_code": booking_code},
                                headers=staff_headers)
    assert again.status_code == 409
    assert again.json()["detail"] == t.CASE_APPOINTMENT_TAKEN.format(code=booking_code, number=case["number"])


def test_a_cancelled_or_unknown_booking_is_not_accepted(booking_client, staff_headers, booking_code):
    booking_client.post(f"/api/appointments/{booking_code}/cancel", json={"phone": PHONE})
    cancelled = booking_client.post("/api/cases", json={"staff": STAFF, "appointment_code": booking_code},
                                    headers=staff_headers)
    assert cancelled.status_code == 409 and "已取消" in cancelled.json()["detail"]
    unknown = booking_client.post("/api/cases", json={"staff": STAFF, "appointment_code": "20261202-A-9999"},
                                  headers=staff_headers)
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (walk_in(phone=None), "现场受理（无预约）请填写"),
        (walk_in(appointment_code="20261202-A-0001"), "只需填写预约号"),
        (walk_in(id_number=valid_id_number(7)[:-1] + ("0" if valid_id_number(7)[-1] != "0" else "1")), "校验位"),
        (walk_in(phone="12345"), "手机号码"),
        (walk_in(item_code="XX-000"), "未找到事项编码 XX-000"),
    ],
)
def test_a_walk_in_needs_a_valid_item_and_applicant(booking_client, booking_db_url, staff_headers, body, words):
    before = stored(booking_db_url)
    response = booking_client.post("/api/cases", json={k: v for k, v in body.items() if v is not None},
                                   headers=staff_headers)
    assert response.status_code in (404, 422) and words in response.json()["detail"]
    assert stored(booking_db_url) == before


def test_an_item_whose_guide_publishes_no_time_limit_takes_the_windows(booking_client, booking_db_url, staff_headers):
    # As an imported provincial guide without 承诺时限 is stored: the fact marked unpublished, never 0 days.
    with get_session_factory(booking_db_url)() as session:
        item = session.scalar(select(Item).where(Item.code == ITEM))
        item.unpublished, legal_days = [Unpublished.PROMISED_DAYS], item.legal_days
        session.commit()
    before = stored(booking_db_url)
    missing = booking_client.post("/api/cases", json=walk_in(), headers=staff_headers)
    assert missing.status_code == 422 and stored(booking_db_url) == before
    assert missing.json()["detail"] == t.CASE_PROMISED_DAYS_NEEDED.format(
        item_name="居民身份证补领", legal=t.CASE_LEGAL_DAYS_HINT.format(days=legal_days))
    given = booking_client.post("/api/cases", json=walk_in(promised_days=15), headers=staff_headers)
    assert given.status_code == 201, given.text
    # 15 working days from Tuesday 2026-12-01 (the day after acceptance counts first).
    assert given.json()["deadline"]["promised_days"] == 15 and given.json()["deadline"]["due_on"] == "2026-12-22"


def test_a_published_time_limit_is_not_overridden(booking_client, booking_db_url, staff_headers):
    before = stored(booking_db_url)
    response = booking_client.post("/api/cases", json=walk_in(promised_days=3), headers=staff_headers)
    assert response.status_code == 422 and "已公布承诺时限 10 个工作日" in response.json()["detail"]
    assert stored(booking_db_url) == before


def test_numbers_run_per_day_and_the_id_number_is_never_stored(booking_client, booking_db_url, new_case):
    numbers = [new_case()["number"] for _ in range(3)]
    assert numbers == ["SL-20261201-0001", "SL-20261201-0002", "SL-20261201-0003"]
    with get_session_factory(booking_db_url)() as session:
        dump = "\n".join(str(row) for row in session.execute(text("SELECT * FROM case_file")))
    assert valid_id_number(7) not in dump and "110***********" in dump


def test_a_retry_with_the_same_idempotency_key_returns_the_first_case(booking_client, staff_headers):
    headers = staff_headers | {"Idempotency-Key": "case-retry-0001"}
    first = booking_client.post("/api/cases", json=walk_in(), headers=headers)
    retry = booking_client.post("/api/cases", json=walk_in(), headers=headers)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["number"] == first.json()["number"]
    other = booking_client.post("/api/cases", json=walk_in(phone="13900001111"), headers=headers)
    assert other.status_code == 409 and other.json()["detail"] == t.CASE_IDEMPOTENCY_REUSED


def test_staff_routes_need_the_staff_token(booking_client, new_case):
    number = new_case()["number"]
    wrong = {"Authorization": "Bearer wrong"}
    assert booking_client.post("/api/cases", json=walk_in(), headers=wrong).status_code == 401
    assert booking_client.get(f"/api/cases/{number}", headers=wrong).status_code == 401
    assert booking_client.post(f"/api/cases/{number}/review", json={"staff": STAFF}).status_code == 401
    assert booking_client.get("/api/cases/supervision").status_code == 401


def test_the_applicant_reads_the_case_with_the_phone_only(booking_client, new_case):
    number = new_case()["number"]
    status = booking_client.get(f"/api/cases/{number}/status", params={"phone": "138 1234 5678"})
    assert status.status_code == 200
    body = status.json()
    assert (body["status_label"], body["phone"], body["applicant"]) == ("已受理", "138****5678", "张*")
    assert body["next_step"] == "窗口已受理您的申请，工作人员将尽快开始审查，承诺在 2026年12月15日 前办结。"
    assert body["deadline"]["due_on"] == "2026-12-15" and body["materials_missing"] == []
    assert "events" not in body and "id_number" not in body
    wrong = booking_client.get(f"/api/cases/{number}/status", params={"phone": "13900001111"})
    unknown = booking_client.get("/api/cases/SL-20261201-0999/status", params={"phone": PHONE})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json()["detail"] == t.CASE_NOT_FOUND_FOR_PHONE.format(number=number)


def test_the_bot_finds_the_cases_of_its_conversation(booking_client, new_case):
    bot = {"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}
    first = new_case(conversation_id="web-abc123", channel="web")["number"]
    second = new_case(conversation_id="web-abc123", channel="web")["number"]
    new_case(conversation_id="web-other")
    found = booking_client.get("/api/conversations/web-abc123/cases", headers=bot)
    assert found.status_code == 200
    assert [case["number"] for case in found.json()] == [second, first]
    assert found.json()[0]["phone"] == "138****5678"
    assert booking_client.get("/api/conversations/web-nobody/cases", headers=bot).json() == []
    assert booking_client.get("/api/conversations/web-abc123/cases").status_code == 401


def test_each_change_is_pushed_to_the_applicants_chat(booking_client, booking_db_url, new_case, step):
    number = new_case(conversation_id="wechat:oCase1", channel="wechat")["number"]
    step(number, "review")
    step(number, "supplement")
    written = _outbox(booking_db_url)
    assert [(destination, kind) for destination, kind, _ in written] == [("rasa", "agent_line"), ("wechat", "text")] * 3
    rasa, wechat = written[-2][2], written[-1][2]
    assert rasa["conversation_id"] == "wechat:oCase1" and rasa["case_number"] == number
    assert rasa["author"] == f"staff:{STAFF}"
    assert wechat["openid"] == "oCase1" and wechat["text"] == rasa["text"]
    assert rasa["text"].startswith(f"【办件进度】您的“居民身份证补领”（办件编号 {number}）待补正材料。")
    assert "居民身份证数码相片回执、户口簿" in rasa["text"]


def test_a_web_chat_gets_a_notice_for_its_page_and_with_a_walk_in_an_sms(booking_db_url, new_case, step):
    web = new_case(conversation_id="web-1f2e", channel="web")["number"]
    new_case()  # no conversation: a phone only
    step(web, "review")
    assert [(d, k, p.get("conversation_id") or p.get("phone")) for d, k, p in _outbox(booking_db_url)] == [
        ("rasa", "agent_line", "web-1f2e"), ("webchat", "notice", "web-1f2e"), ("sms", "text", "13812345678"),
        ("sms", "text", "13812345678"),
        ("rasa", "agent_line", "web-1f2e"), ("webchat", "notice", "web-1f2e"), ("sms", "text", "13812345678"),
    ]


def test_a_refused_step_pushes_nothing_and_a_failed_push_stores_no_step(
    booking_client, booking_db_url, monkeypatch, new_case, step
):
    number = new_case(conversation_id="wechat:oCase2")["number"]
    before = stored(booking_db_url)
    assert step(number, "approve").status_code == 409
    assert stored(booking_db_url) == before

    def broken(*_args, **_kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(push, "enqueue_texts", broken)
    assert step(number, "review").status_code == 500
    assert stored(booking_db_url) == before  # the step and its push commit together, or not at all


def test_supervision_counts_yellow_and_red_cases_by_department(booking_client, staff_headers, travel, new_case, step):
    police = [new_case()["number"] for _ in range(2)]  # accepted Tue 1 Dec: due Tue 15 Dec
    travel("2026-12-08T09:00:00")
    late_market = new_case(item_code="SC-SPXK-001")["number"]  # 3 working days: due Fri 11 Dec
    returned = new_case()["number"]
    step(returned, "return", {"staff": STAFF, "reason": "申请人撤回申请"})
    waiting = new_case(item_code="SC-SPXK-001")["number"]
    step(waiting, "supplement")  # the clock stands still
    travel("2026-12-14T09:00:00")
    watch = booking_client.get("/api/cases/supervision", headers=staff_headers).json()
    assert (watch["as_of"], watch["yellow"], watch["red"]) == ("2026-12-14", 2, 1)
    by_department = {d["department"]: d for d in watch["departments"]}
    assert [d["department"] for d in watch["departments"]] == ["清江市市场监督管理局", "清江市公安局"]
    market, police_watch = by_department["清江市市场监督管理局"], by_department["清江市公安局"]
    assert (market["yellow"], market["red"], [c["number"] for c in market["cases"]]) == (0, 1, [late_market])
    assert (police_watch["yellow"], police_watch["red"]) == (2, 0)
    assert sorted(c["number"] for c in police_watch["cases"]) == police
    assert police_watch["cases"][0]["deadline"]["warning_label"] == "临近时限（黄灯）"


def test_the_staff_list_shows_the_newest_cases(booking_client, staff_headers, new_case, step):
    first = new_case()["number"]
    second = new_case()["number"]
    step(second, "review")
    listed = booking_client.get("/api/cases", headers=staff_headers).json()
    assert [case["number"] for case in listed] == [second, first]
    reviewing = booking_client.get("/api/cases", params={"status": "reviewing"}, headers=staff_headers).json()
    assert [case["number"] for case in reviewing] == [second]


def test_meta_publishes_the_case_vocabulary(booking_client, new_case, step):
    meta = booking_client.get("/api/meta").json()
    statuses = {term["value"]: term for term in meta["case_statuses"]}
    assert {value: term["label"] for value, term in statuses.items()} == t.CASE_STATUS_LABELS
    assert statuses["reviewing"]["actions"] == ["supplement", "approve", "reject", "return"]
    assert statuses["delivered"]["finished"] and statuses["delivered"]["actions"] == []
    actions = {term["value"]: term for term in meta["case_actions"]}
    assert {value: term["label"] for value, term in actions.items()} == t.CASE_ACTIONS
    assert actions["reject"]["needs_reason"] and actions["return"]["needs_reason"]
    assert actions["supplement"]["needs_materials"] and actions["supplement"]["target"] == "supplement"
    assert not actions["overdue"]["step"] and actions["approve"]["step"]
    assert {term["value"] for term in meta["case_warnings"]} == {"normal", "yellow", "red", "paused", "none"}
    number = new_case()["number"]
    case = step(number, "review").json()
    assert {e["action"] for e in case["events"]} | set(case["allowed_actions"]) <= set(actions)

"""The pre-registration API on the real catalogue and halls, at a fixed clock (conftest.BOOKING_NOW)."""

import logging
from datetime import date

import pytest
from conftest import (
    BOOKING_DAY,
    REAL_SEED,
    booking_body,
    booking_counts,
    valid_id_number,
)
from sqlalchemy import func, select

from service.booking.models import Appointment, SlotUsage
from service.core.db import get_session_factory
from service.seeding import seed_database

SATURDAY = "2026-12-05"


def book(client, key: str = "key-00000001", **overrides):
    return client.post("/api/appointments", json=booking_body(**overrides), headers={"Idempotency-Key": key})


# --- halls and slots ---------------------------------------------------------------------------


def test_halls_list_the_main_hall_and_the_exit_entry_hall(booking_client):
    halls = {h["code"]: h for h in booking_client.get("/api/halls").json()}
    assert halls["A"]["name"] == "清江市政务服务中心"
    assert halls["A"]["hours"] == "09:00-12:00，13:30-17:00"
    assert halls["B"]["slots"] == ["09:00-12:00", "13:30-17:00"]
    transport = next(w for w in halls["A"]["windows"] if w["code"] == "A-JT")
    assert transport["hours"] == "09:00-12:00"


def test_slots_show_free_capacity_of_the_items_pool(booking_client):
    book(booking_client)
    slots = booking_client.get("/api/halls/A/slots", params={"date": BOOKING_DAY, "item": "GA-SFZ-001"}).json()
    assert slots["open"] and slots["reason"] is None
    assert slots["window"] == "一楼 A 区 1-8 号公安综合窗口"
    by_slot = {s["slot"]: s for s in slots["slots"]}
    assert len(by_slot) == 6
    # GA-SFZ-001 shares the 身份证 pool (8 seats) with the booked GA-SFZ-002.
    assert by_slot["10:00-11:00"] == {
        "slot": "10:00-11:00", "start": "10:00:00", "end": "11:00:00",
        "capacity": 8, "booked": 1, "free": 7, "bookable": True,
    }
    assert by_slot["09:00-10:00"]["free"] == 8
    # Another pool is untouched.
    other = booking_client.get("/api/halls/A/slots", params={"date": BOOKING_DAY, "item": "GA-HJ-001"}).json()
    assert all(s["booked"] == 0 and s["capacity"] == 6 for s in other["slots"])


def test_per_slot_capacity_override_and_morning_only_window(booking_client):
    sc = booking_client.get("/api/halls/A/slots", params={"date": BOOKING_DAY, "item": "SC-GTDJ-001"}).json()
    assert {s["slot"]: s["capacity"] for s in sc["slots"]}["15:30-17:00"] == 8
    jt = booking_client.get("/api/halls/A/slots", params={"date": BOOKING_DAY, "item": "JT-WYC-001"}).json()
    assert [s["slot"] for s in jt["slots"]] == ["09:00-10:00", "10:00-11:00", "11:00-12:00"]


def test_closed_day_gives_no_slots_and_a_reason(booking_client):
    slots = booking_client.get("/api/halls/A/slots", params={"date": SATURDAY, "item": "GA-SFZ-002"}).json()
    assert slots["open"] is False and slots["slots"] == []
    assert "不是工作日" in slots["reason"] and "星期六" in slots["reason"]


def test_slots_that_already_started_today_are_not_bookable(booking_client, monkeypatch):
    from service.core.settings import get_settings

    monkeypatch.setenv("FIXED_NOW", "2026-12-01T10:15:00")
    get_settings.cache_clear()
    slots = booking_client.get("/api/halls/A/slots", params={"date": "2026-12-01", "item": "GA-SFZ-002"}).json()
    assert [s["slot"] for s in slots["slots"] if s["bookable"]] == ["11:00-12:00", "13:30-14:30", "14:30-15:30", "15:30-17:00"]


def test_an_item_handled_at_another_hall_is_refused_with_the_right_hall(booking_client):
    response = booking_client.get("/api/halls/A/slots", params={"date": BOOKING_DAY, "item": "GA-CRJ-001"})
    assert response.status_code == 422
    assert "清江市公安局出入境接待大厅" in response.json()["detail"]
    hall_b = booking_client.get("/api/halls/B/slots", params={"date": BOOKING_DAY, "item": "GA-CRJ-001"}).json()
    assert [s["capacity"] for s in hall_b["slots"]] == [20, 20]


def test_an_item_nobody_books_says_so(booking_client):
    response = booking_client.get("/api/halls/A/slots", params={"date": BOOKING_DAY, "item": "MZ-HYDJ-001"})
    assert response.status_code == 422 and "暂不支持预约" in response.json()["detail"]


@pytest.mark.parametrize(
    ("hall", "item", "status"), [("Z", "GA-SFZ-002", 404), ("A", "XX-000", 404)]
)
def test_unknown_hall_or_item_is_404(booking_client, hall, item, status):
    response = booking_client.get(f"/api/halls/{hall}/slots", params={"date": BOOKING_DAY, "item": item})
    assert response.status_code == status and response.json()["detail"]


# --- availability ------------------------------------------------------------------------------


def test_availability_finds_the_first_free_slot_in_the_asked_period(booking_client):
    answer = booking_client.post("/api/halls/A/availability", json={"when": "明天下午", "item": "GA-SFZ-002"}).json()
    assert answer["requested"]["earliest"] == BOOKING_DAY and answer["requested"]["period"] == "afternoon"
    assert answer["slot"] == {"date": BOOKING_DAY, "slot": "13:30-14:30", "free": 8, "window": "一楼 A 区 1-8 号公安综合窗口"}
    assert answer["alternatives"] == [] and answer["reason"] is None


def test_availability_on_a_closed_day_offers_the_nearest_working_days(booking_client):
    answer = booking_client.post("/api/halls/A/availability", json={"when": "这周六", "item": "GA-SFZ-002"}).json()
    assert answer["requested"]["earliest"] == SATURDAY and answer["slot"] is None
    assert "非工作日" in answer["reason"]
    assert 1 <= len(answer["alternatives"]) <= 3
    # Nearest to Saturday morning: Friday's last slots or Monday's first.
    assert {a["date"] for a in answer["alternatives"]} <= {"2026-12-04", "2026-12-07"}


def test_availability_when_the_asked_slot_is_full(booking_client):
    # The transport pool has 3 seats per slot and its window opens only in the morning.
    for n in range(3):
        assert book(booking_client, key=f"full-slot-{n:04d}", item_code="JT-WYC-001", slot="09:00-10:00",
                    id_number=valid_id_number(100 + n)).status_code == 201
    answer = booking_client.post("/api/halls/A/availability", json={"when": "明天上午九点", "item": "JT-WYC-001"}).json()
    assert answer["slot"] is None and "已约满" in answer["reason"]
    assert answer["alternatives"][0] == {"date": BOOKING_DAY, "slot": "10:00-11:00", "free": 3,
                                         "window": "三楼 D 区 D1-D4 号交通运输综合窗口"}


def test_availability_without_a_time_still_offers_slots(booking_client):
    answer = booking_client.post("/api/halls/A/availability", json={"when": "随便", "item": "GA-SFZ-002"}).json()
    assert answer["requested"] is None and answer["slot"] is None
    assert "没有听懂" in answer["reason"] and len(answer["alternatives"]) == 3
    assert answer["alternatives"][0]["date"] == "2026-12-01"  # today, 08:30: the 09:00 slot is next


def test_availability_for_a_past_date(booking_client):
    answer = booking_client.post("/api/halls/A/availability", json={"when": "2025年3月1日", "item": "GA-SFZ-002"}).json()
    assert answer["slot"] is None and "已经过去" in answer["reason"] and answer["alternatives"]


# --- booking -------------------------------------------------------------------------------------


def test_booking_returns_a_readable_code_and_masks_personal_data(booking_client, booking_db_url):
    response = book(
        booking_client,
        situation="local",
        materials_ready=["居民身份证申领登记表"],
        materials_missing=["居民身份证数码相片回执"],
        agent={"name": "李四", "phone": "13900001111", "id_number": valid_id_number(2)},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["code"] == "20261202-A-0001"
    assert body["status"] == "booked" and body["status_label"] == "已预约"
    assert body["hall"]["code"] == "A" and body["item_name"] == "居民身份证补领"
    assert body["phone"] == "138****5678" and body["name"] == "张*"
    assert body["id_number"] == "110" + "*" * 11 + valid_id_number(1)[-4:]
    assert body["agent"] == {"name": "李*", "phone": "139****1111", "id_number": "110" + "*" * 11 + valid_id_number(2)[-4:]}
    assert body["materials_missing"] == ["居民身份证数码相片回执"]
    assert "13812345678" not in response.text and valid_id_number(1) not in response.text
    second = book(booking_client, key="key-00000002", id_number=valid_id_number(3))
    assert second.json()["code"] == "20261202-A-0002"
    # Stored: the ID only as a hash and a mask; the phone in full for staff.
    with get_session_factory(booking_db_url)() as session:
        stored = session.scalars(select(Appointment).where(Appointment.code == body["code"])).one()
        assert stored.phone == "13812345678" and len(stored.id_hash) == 64
        assert valid_id_number(1) not in str(vars(stored)) and valid_id_number(2) not in str(stored.agent)
    assert booking_counts(booking_db_url) == {
        "appointment": 2, "appointment_event": 2, "slot_usage": 1, "booking_counter": 1, "seats_taken": 2,
    }


def test_a_retry_with_the_same_key_returns_the_same_booking(booking_client, booking_db_url):
    first = book(booking_client, key="retry-key-1")
    after_first = booking_counts(booking_db_url)
    again = book(booking_client, key="retry-key-1")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    # Booked once in the database: one row under the key, one seat taken in its slot, nothing added by the retry.
    with get_session_factory(booking_db_url)() as session:
        rows = session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.idempotency_key == "retry-key-1")
        )
        seats = session.scalar(
            select(SlotUsage.booked).where(
                SlotUsage.day == date.fromisoformat(BOOKING_DAY), SlotUsage.slot == booking_body()["slot"]
            )
        )
    assert rows == 1 and seats == 1
    assert booking_counts(booking_db_url) == after_first == {
        "appointment": 1, "appointment_event": 1, "slot_usage": 1, "booking_counter": 1, "seats_taken": 1,
    }


def test_the_same_key_with_a_different_body_is_a_conflict(booking_client, booking_db_url):
    book(booking_client, key="retry-key-2")
    before = booking_counts(booking_db_url)
    response = book(booking_client, key="retry-key-2", slot="11:00-12:00")
    assert response.status_code == 409 and "Idempotency-Key" in response.json()["detail"]
    assert booking_counts(booking_db_url) == before


def test_one_active_booking_per_person_item_and_day(booking_client, booking_db_url):
    assert book(booking_client, key="person-1").status_code == 201
    before = booking_counts(booking_db_url)
    again = book(booking_client, key="person-2", slot="14:30-15:30", phone="13700000000")
    assert again.status_code == 409 and "同一事项同一天只能预约一次" in again.json()["detail"]
    assert booking_counts(booking_db_url) == before
    # Another item the same day, or the same item another day, is fine.
    assert book(booking_client, key="person-3", item_code="GA-HJ-005").status_code == 201
    assert book(booking_client, key="person-4", date="2026-12-03").status_code == 201


def test_a_full_slot_is_409_and_writes_nothing(booking_client, booking_db_url):
    for n in range(3):
        book(booking_client, key=f"jt-{n:06d}", item_code="JT-WYC-001", slot="11:00-12:00", id_number=valid_id_number(10 + n))
    before = booking_counts(booking_db_url)
    response = book(booking_client, key="jt-full-1", item_code="JT-WYC-001", slot="11:00-12:00", id_number=valid_id_number(20))
    assert response.status_code == 409 and "已约满" in response.json()["detail"]
    assert booking_counts(booking_db_url) == before
    with get_session_factory(booking_db_url)() as session:
        assert session.scalar(select(SlotUsage.booked).where(SlotUsage.group_code == "JT")) == 3


@pytest.mark.parametrize(
    ("overrides", "status", "detail"),
    [
        ({"date": "2026-11-30"}, 422, "已经过去"),
        ({"date": SATURDAY}, 422, "不是工作日"),
        ({"date": "2027-01-01"}, 422, "天以内"),
        ({"slot": "12:00-13:00"}, 422, "没有 12:00-13:00 这个时段"),
        ({"item_code": "JT-WYC-001", "slot": "13:30-14:30"}, 422, "不办理此类事项"),
        ({"item_code": "XX-000"}, 404, "未找到事项编码"),
        ({"hall": "Z"}, 404, "未找到办事大厅"),
        ({"hall": "B"}, 422, "不在清江市公安局出入境接待大厅办理"),
        ({"phone": "1381234567"}, 422, "手机号码格式不正确"),
        ({"id_number": "110101199003071234"}, 422, "校验位"),
        ({"id_number": "11010119901307123"}, 422, "18 位"),
        ({"name": "  "}, 422, "姓名"),
        ({"agent": {"name": "李四", "phone": "12345", "id_number": valid_id_number(5)}}, 422, "手机号码"),
        ({"situation": "abroad"}, 422, "没有办理情形 abroad"),
        ({"materials_ready": ["结婚证"]}, 422, "申请材料中没有：结婚证"),
        ({"materials_missing": ["居民户口簿"]}, 422, "居民户口簿通过数据共享获取，无需提交"),
        ({"materials_ready": ["居民身份证数码相片回执"], "materials_missing": ["居民身份证数码相片回执"]}, 422, "同时"),
        ({"date": "12月2日"}, 422, "date"),
        ({"unexpected": 1}, 422, "unexpected"),
    ],
)
def test_bad_bookings_get_a_chinese_detail_and_write_nothing(booking_client, booking_db_url, overrides, status, detail):
    before = booking_counts(booking_db_url)
    response = book(booking_client, key="bad-input-1", **overrides)
    assert response.status_code == status, response.text
    assert detail in response.json()["detail"]
    assert booking_counts(booking_db_url) == before


def test_a_slot_that_has_started_cannot_be_booked(booking_client, monkeypatch):
    from service.core.settings import get_settings

    monkeypatch.setenv("FIXED_NOW", "2026-12-02T10:05:00")
    get_settings.cache_clear()
    response = book(booking_client, slot="10:00-11:00")
    assert response.status_code == 422 and "已经开始或结束" in response.json()["detail"]


@pytest.mark.parametrize(("headers", "detail"), [({}, "Idempotency-Key"), ({"Idempotency-Key": "short"}, "Idempotency-Key")])
def test_the_idempotency_key_is_required(booking_client, booking_db_url, headers, detail):
    response = booking_client.post("/api/appointments", json=booking_body(), headers=headers)
    assert response.status_code == 422 and detail.lower() in response.json()["detail"].lower()
    assert booking_counts(booking_db_url)["appointment"] == 0


def test_oversized_bodies_are_413(booking_client, booking_db_url):
    body = booking_body(materials_ready=["材" * 200] * 40)
    response = booking_client.post("/api/appointments", json=body, headers={"Idempotency-Key": "too-big-01"})
    assert response.status_code == 413 and "过大" in response.json()["detail"]
    chunked = booking_client.post(
        "/api/appointments",
        content=iter([b'{"item_code": "' + b"x" * 20_000 + b'"}']),
        headers={"Idempotency-Key": "too-big-02", "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    assert booking_counts(booking_db_url)["appointment"] == 0


def test_personal_data_never_reaches_the_log_in_clear(booking_client, caplog):
    with caplog.at_level(logging.DEBUG):
        book(booking_client, key="log-check-1")
        book(booking_client, key="log-check-2", phone="1381234")
    assert "13812345678" not in caplog.text and valid_id_number(1) not in caplog.text


# --- look-up, cancel, reschedule -----------------------------------------------------------------


def test_look_up_needs_the_matching_phone(booking_client):
    code = book(booking_client).json()["code"]
    found = booking_client.get(f"/api/appointments/{code}", params={"phone": "13812345678"})
    assert found.status_code == 200 and found.json()["code"] == code
    wrong = booking_client.get(f"/api/appointments/{code}", params={"phone": "13900000000"})
    assert wrong.status_code == 404 and "未找到预约号" in wrong.json()["detail"]
    assert booking_client.get("/api/appointments/20261202-A-9999", params={"phone": "13812345678"}).status_code == 404
    assert booking_client.get(f"/api/appointments/{code}", params={"phone": "abc"}).status_code == 422


def test_cancel_frees_the_seat_and_allows_booking_again(booking_client, booking_db_url):
    code = book(booking_client).json()["code"]
    assert booking_client.post(f"/api/appointments/{code}/cancel", json={"phone": "13900000000"}).status_code == 404
    cancelled = booking_client.post(f"/api/appointments/{code}/cancel", json={"phone": "13812345678"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert booking_counts(booking_db_url)["seats_taken"] == 0
    again = booking_client.post(f"/api/appointments/{code}/cancel", json={"phone": "13812345678"})
    assert again.status_code == 409 and "不能再取消" in again.json()["detail"]
    assert book(booking_client, key="after-cancel-1").status_code == 201


def test_reschedule_moves_the_seat_atomically(booking_client, booking_db_url):
    code = book(booking_client).json()["code"]
    moved = booking_client.post(
        f"/api/appointments/{code}/reschedule", json={"phone": "13812345678", "date": "2026-12-03", "slot": "09:00-10:00"}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["code"] == code and moved.json()["date"] == "2026-12-03" and moved.json()["slot"] == "09:00-10:00"
    with get_session_factory(booking_db_url)() as session:
        usage = {(u.day.isoformat(), u.slot): u.booked for u in session.scalars(select(SlotUsage))}
    assert usage == {(BOOKING_DAY, "10:00-11:00"): 0, ("2026-12-03", "09:00-10:00"): 1}


def test_reschedule_into_a_full_or_closed_slot_changes_nothing(booking_client, booking_db_url):
    for n in range(3):
        book(booking_client, key=f"jt-re-{n:04d}", item_code="JT-WYC-001", slot="10:00-11:00", id_number=valid_id_number(30 + n))
    code = book(booking_client, key="jt-re-mover", item_code="JT-WYC-001", slot="09:00-10:00",
                id_number=valid_id_number(40)).json()["code"]
    before = booking_counts(booking_db_url)
    for target, status, detail in (
        ({"date": BOOKING_DAY, "slot": "10:00-11:00"}, 409, "已约满"),
        ({"date": SATURDAY, "slot": "09:00-10:00"}, 422, "不是工作日"),
        ({"date": BOOKING_DAY, "slot": "09:00-10:00"}, 422, "相同"),
    ):
        response = booking_client.post(f"/api/appointments/{code}/reschedule", json={"phone": "13812345678", **target})
        assert response.status_code == status and detail in response.json()["detail"]
    assert booking_counts(booking_db_url) == before
    assert booking_client.get(f"/api/appointments/{code}", params={"phone": "13812345678"}).json()["slot"] == "09:00-10:00"


def test_importing_the_seed_again_keeps_bookings_and_changes_nothing(booking_client, booking_db_url):
    book(booking_client)
    with get_session_factory(booking_db_url)() as session:
        report = seed_database(seed_dir=REAL_SEED, session=session)
    assert report.booking_halls_changed == []
    assert booking_counts(booking_db_url)["appointment"] == 1


def test_halls_can_be_listed_for_one_item(booking_client):
    passport = booking_client.get("/api/halls", params={"item": "GA-CRJ-001"}).json()
    assert [hall["code"] for hall in passport] == ["B"]
    assert booking_client.get("/api/halls", params={"item": "NO-SUCH"}).status_code == 404


def test_check_person_gives_the_reason_or_the_masked_value(booking_client):
    body = booking_client.post("/api/appointments/check-person", json={
        "name": " 张三 ", "phone": "138 1234 5678", "id_number": "110101199003071234"}).json()
    assert body["name"] == {"ok": True, "value": "张三", "masked": "张*", "reason": None}
    assert body["phone"]["value"] == "13812345678" and body["phone"]["masked"] == "138****5678"
    assert body["id_number"]["ok"] is False and "校验" in body["id_number"]["reason"]
    only_phone = booking_client.post("/api/appointments/check-person", json={"phone": "12345"}).json()
    assert only_phone["phone"]["ok"] is False and only_phone["id_number"] is None

"""Managing a booking: found by its conversation (the bot only), cancelled or moved within the
hall's rules, and online booking suspended after repeated no-shows (爽约限制)."""

import pytest
from conftest import BOOKING_DAY, booking_body, booking_counts, valid_id_number

from service.core.settings import get_settings

CONVERSATION = "wechat:o-citizen-1"


@pytest.fixture
def bot_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}


def book(client, key: str, headers: dict | None = None, **overrides) -> dict:
    response = client.post("/api/appointments", json=booking_body(**overrides),
                           headers={"Idempotency-Key": key, **(headers or {})})
    assert response.status_code == 201, response.text
    return response.json()


def at(monkeypatch, moment: str) -> None:
    monkeypatch.setenv("FIXED_NOW", moment)
    get_settings.cache_clear()


def test_only_the_bot_may_tie_a_booking_to_a_conversation(booking_client, booking_db_url, bot_headers):
    body = booking_body(channel="wechat", conversation_id=CONVERSATION)
    refused = booking_client.post("/api/appointments", json=body, headers={"Idempotency-Key": "conv-00001"})
    assert refused.status_code == 401 and "导办助手" in refused.json()["detail"]
    assert booking_counts(booking_db_url)["appointment"] == 0
    listed = booking_client.get("/api/appointments", params={"conversation": CONVERSATION})
    assert listed.status_code == 401


def test_a_conversation_lists_its_coming_bookings_soonest_first(booking_client, bot_headers):
    later = book(booking_client, "conv-later1", bot_headers, date="2026-12-04", conversation_id=CONVERSATION)
    sooner = book(booking_client, "conv-soon01", bot_headers, item_code="GA-HJ-001", conversation_id=CONVERSATION,
                  id_number=valid_id_number(2))
    book(booking_client, "other-conv1", bot_headers, conversation_id="web-other", id_number=valid_id_number(3))
    cancelled = book(booking_client, "conv-gone01", bot_headers, date="2026-12-03", conversation_id=CONVERSATION,
                     id_number=valid_id_number(4))
    assert booking_client.post(f"/api/appointments/{cancelled['code']}/cancel", json={"phone": "13812345678"}).status_code == 200
    listed = booking_client.get("/api/appointments", params={"conversation": CONVERSATION}, headers=bot_headers).json()
    assert [a["code"] for a in listed] == [sooner["code"], later["code"]]
    assert listed[0]["phone"] == "138****5678" and listed[0]["reschedules_left"] == 2


def test_the_conversation_that_booked_may_cancel_without_the_phone(booking_client, booking_db_url, bot_headers):
    code = book(booking_client, "conv-cancel", bot_headers, conversation_id=CONVERSATION)["code"]
    by_stranger = booking_client.post(f"/api/appointments/{code}/cancel", json={"conversation_id": CONVERSATION})
    assert by_stranger.status_code == 401
    other = booking_client.post(f"/api/appointments/{code}/cancel", json={"conversation_id": "wechat:o-other"},
                                headers=bot_headers)
    assert other.status_code == 404
    nothing = booking_client.post(f"/api/appointments/{code}/cancel", json={}, headers=bot_headers)
    assert nothing.status_code == 422 and "手机号" in nothing.json()["detail"]
    assert booking_counts(booking_db_url)["slot_usage"] == 1
    cancelled = booking_client.post(f"/api/appointments/{code}/cancel", json={"conversation_id": CONVERSATION},
                                    headers=bot_headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    seen = booking_client.get(f"/api/appointments/{code}", params={"conversation": CONVERSATION}, headers=bot_headers)
    assert seen.json()["status_label"] == "已取消"


def test_no_cancel_or_reschedule_once_the_slot_has_started(booking_client, booking_db_url, monkeypatch):
    code = book(booking_client, "started-001")["code"]  # 2026-12-02 10:00-11:00
    at(monkeypatch, f"{BOOKING_DAY}T10:05:00")
    before = booking_counts(booking_db_url)
    for path, extra in (("cancel", {}), ("reschedule", {"date": "2026-12-03", "slot": "09:00-10:00"})):
        response = booking_client.post(f"/api/appointments/{code}/{path}", json={"phone": "13812345678", **extra})
        assert response.status_code == 409, response.text
        assert "已经开始" in response.json()["detail"] and "0571-86012345" in response.json()["detail"]
    assert booking_counts(booking_db_url) == before
    at(monkeypatch, "2026-12-03T08:00:00")  # the day has passed
    late = booking_client.post(f"/api/appointments/{code}/cancel", json={"phone": "13812345678"})
    assert late.status_code == 409


def test_reschedules_are_limited_per_hall(booking_client, monkeypatch):
    code = book(booking_client, "limit-0001")["code"]  # hall A: the default, 2
    for day in ("2026-12-03", "2026-12-04"):
        moved = booking_client.post(f"/api/appointments/{code}/reschedule",
                                    json={"phone": "13812345678", "date": day, "slot": "09:00-10:00"})
        assert moved.status_code == 200, moved.text
    assert moved.json()["reschedules_left"] == 0
    third = booking_client.post(f"/api/appointments/{code}/reschedule",
                                json={"phone": "13812345678", "date": "2026-12-07", "slot": "09:00-10:00"})
    assert third.status_code == 409 and "最多改约 2 次" in third.json()["detail"]
    # Hall B allows one change (halls.yaml policy).
    passport = book(booking_client, "limit-b001", item_code="GA-CRJ-001", hall="B", slot="09:00-12:00",
                    id_number=valid_id_number(8))
    assert passport["reschedules_left"] == 1


def test_three_no_shows_in_90_days_suspend_online_booking_for_30_days(booking_client, staff_headers, monkeypatch):
    person = valid_id_number(21)
    for n, day in enumerate(("2026-12-02", "2026-12-03", "2026-12-04")):
        code = book(booking_client, f"noshow-{n:04d}", date=day, id_number=person)["code"]
        marked = booking_client.patch(f"/api/staff/appointments/{code}", json={"status": "no_show"}, headers=staff_headers)
        assert marked.status_code == 200
    at(monkeypatch, "2026-12-07T09:00:00")
    refused = booking_client.post("/api/appointments", json=booking_body(date="2026-12-08", id_number=person),
                                  headers={"Idempotency-Key": "noshow-next"})
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert "爽约" in detail and "2027-01-02" in detail and "0571-86012345" in detail
    # Someone else books as usual; and after the 30 days the person may book again.
    assert book(booking_client, "noshow-else", date="2026-12-08", id_number=valid_id_number(22))["code"]
    at(monkeypatch, "2027-01-04T09:00:00")
    assert book(booking_client, "noshow-back", date="2027-01-05", id_number=person)["code"]


def test_a_hall_may_turn_the_no_show_rule_off(booking_client, staff_headers, monkeypatch):
    monkeypatch.setenv("BOOKING_NO_SHOW_LIMIT", "0")
    get_settings.cache_clear()
    person = valid_id_number(31)
    for n, day in enumerate(("2026-12-02", "2026-12-03", "2026-12-04")):
        code = book(booking_client, f"noshowoff{n:03d}", date=day, id_number=person)["code"]
        booking_client.patch(f"/api/staff/appointments/{code}", json={"status": "no_show"}, headers=staff_headers)
    at(monkeypatch, "2026-12-07T09:00:00")
    assert book(booking_client, "noshowoff-next", date="2026-12-08", id_number=person)["code"]

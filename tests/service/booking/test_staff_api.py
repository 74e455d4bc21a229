"""Window staff: the day's bookings and status changes, behind the bearer token."""

import pytest
from conftest import BOOKING_DAY, booking_body, booking_counts, valid_id_number



def book(client, key: str, **overrides) -> dict:
    response = client.post("/api/appointments", json=booking_body(**overrides), headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "Basic ZGV2OmRldg=="}]
)
def test_staff_routes_need_the_token(booking_client, headers):
    for method, path, body in (
        ("GET", "/api/staff/appointments", None),
        ("PATCH", "/api/staff/appointments/20261202-A-0001", {"status": "arrived"}),
    ):
        response = booking_client.request(
            method, path, params={"date": BOOKING_DAY, "hall": "A"}, json=body, headers=headers
        )
        assert response.status_code == 401
        assert response.json()["detail"] == "请先输入正确的工作人员令牌"
        assert response.headers["www-authenticate"] == "Bearer"


def test_staff_see_the_days_bookings_in_slot_order_with_materials(booking_client, staff_headers):
    late = book(booking_client, "staff-late", slot="15:30-17:00", materials_missing=["居民身份证申领登记表"])
    early = book(booking_client, "staff-early", slot="09:00-10:00", id_number=valid_id_number(7), name="王五",
                 phone="13911112222", materials_ready=["居民身份证数码相片回执"])
    book(booking_client, "staff-otherday", date="2026-12-03", id_number=valid_id_number(8))
    day = booking_client.get(
        "/api/staff/appointments", params={"date": BOOKING_DAY, "hall": "A"}, headers=staff_headers
    ).json()
    assert [a["code"] for a in day["appointments"]] == [early["code"], late["code"]]
    first = day["appointments"][0]
    assert first["name"] == "王五" and first["phone"] == "139****2222" and first["phone_full"] == "13911112222"
    assert first["id_number"] == "110" + "*" * 11 + valid_id_number(7)[-4:]
    assert first["materials_ready"] == ["居民身份证数码相片回执"]
    assert day["appointments"][1]["materials_missing"] == ["居民身份证申领登记表"]
    assert first["events"][0]["actor"] == "citizen" and first["events"][0]["to_status"] == "booked"
    assert day["slots"][0] == "09:00-10:00"


def test_status_changes_are_kept_as_events(booking_client, staff_headers):
    code = book(booking_client, "staff-status")["code"]
    arrived = booking_client.patch(
        f"/api/staff/appointments/{code}", json={"status": "arrived", "by": "窗口3"}, headers=staff_headers
    )
    assert arrived.status_code == 200 and arrived.json()["status"] == "arrived"
    done = booking_client.patch(f"/api/staff/appointments/{code}", json={"status": "done"}, headers=staff_headers)
    events = done.json()["events"]
    assert [(e["actor"], e["from_status"], e["to_status"]) for e in events] == [
        ("citizen", None, "booked"),
        ("staff:窗口3", "booked", "arrived"),
        ("staff", "arrived", "done"),
    ]
    # Repeating the current status is harmless; going back is refused.
    assert booking_client.patch(f"/api/staff/appointments/{code}", json={"status": "done"}, headers=staff_headers).status_code == 200
    back = booking_client.patch(f"/api/staff/appointments/{code}", json={"status": "no_show"}, headers=staff_headers)
    assert back.status_code == 409 and "已办结" in back.json()["detail"]
    # The citizen can no longer cancel a finished booking.
    cancel = booking_client.post(f"/api/appointments/{code}/cancel", json={"phone": "13812345678"})
    assert cancel.status_code == 409


def test_bad_staff_input(booking_client, booking_db_url, staff_headers):
    code = book(booking_client, "staff-bad")["code"]
    before = booking_counts(booking_db_url)
    for body in ({"status": "cancelled"}, {"status": "booked"}, {"status": "gone"}, {}):
        response = booking_client.patch(f"/api/staff/appointments/{code}", json=body, headers=staff_headers)
        assert response.status_code == 422 and response.json()["detail"]
    missing = booking_client.patch("/api/staff/appointments/20261202-A-0999", json={"status": "arrived"}, headers=staff_headers)
    assert missing.status_code == 404
    unknown_hall = booking_client.get("/api/staff/appointments", params={"date": BOOKING_DAY, "hall": "Q"}, headers=staff_headers)
    assert unknown_hall.status_code == 404
    assert booking_counts(booking_db_url) == before


def test_the_staff_page_is_served(booking_client):
    page = booking_client.get("/staff")
    assert page.status_code == 200 and "预约受理" in page.text and "/static/staff.js" in page.text
    assert "sessionStorage" in booking_client.get("/static/staff.js").text

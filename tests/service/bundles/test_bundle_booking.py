"""One booking covers a life-event bundle at its 综合窗口 (POST /api/bundles/{code}/appointments)."""

from conftest import booking_body, booking_counts, valid_id_number

from service.core.settings import get_settings


def window_of(client, code: str) -> dict:
    return client.get(f"/api/bundles/{code}").json()["window"]


def book(client, code: str, key: str, headers: dict | None = None, **overrides):
    window = window_of(client, code)
    body = booking_body(item_code=window["booking_item_code"], hall=window["hall_code"], **overrides)
    return client.post(f"/api/bundles/{code}/appointments", json=body, headers={"Idempotency-Key": key, **(headers or {})})


def test_one_booking_covers_the_bundle_and_staff_see_it(booking_client, staff_headers):
    window = window_of(booking_client, "restaurant")
    booked = book(booking_client, "restaurant", "bundle-0001")
    assert booked.status_code == 201, booked.text
    bundle = booked.json()["bundle"]
    assert bundle["name"] == "开办餐饮店一件事" and window["booking_item_name"] in bundle["items"]
    assert len(bundle["items"]) == len(window["items_at_window"]) >= 2
    again = book(booking_client, "restaurant", "bundle-0001")
    assert again.status_code == 200 and again.json()["code"] == booked.json()["code"]
    day = booking_client.get("/api/staff/appointments", params={"date": booked.json()["date"], "hall": "A"},
                             headers=staff_headers).json()
    assert day["appointments"][0]["bundle"]["code"] == "restaurant"


def test_the_booking_must_name_the_bundles_item_at_its_window(booking_client, booking_db_url):
    wrong = booking_client.post("/api/bundles/restaurant/appointments", json=booking_body(),
                                headers={"Idempotency-Key": "bundle-wrong"})
    assert wrong.status_code == 422 and "一并受理" in wrong.json()["detail"]
    unknown = booking_client.post("/api/bundles/no-such/appointments", json=booking_body(),
                                  headers={"Idempotency-Key": "bundle-none"})
    assert unknown.status_code == 404
    assert booking_counts(booking_db_url)["appointment"] == 0


def test_only_the_bot_names_the_conversation(booking_client, booking_db_url):
    refused = book(booking_client, "restaurant", "bundle-conv", conversation_id="web-1", id_number=valid_id_number(5))
    assert refused.status_code == 401
    bot = {"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}
    assert book(booking_client, "restaurant", "bundle-conv", bot, conversation_id="web-1",
                id_number=valid_id_number(5)).status_code == 201

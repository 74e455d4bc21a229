"""The window staff page in a real browser: token prompt, the day's bookings, marking arrival.

Runs Debian's Chromium (apt-get install chromium) through Playwright; Playwright's own browser
downloads are not used.
"""


import httpx
import pytest

from service.core.identity import id_check_char
from tests.chromium import SCREENSHOTS, chromium
from tests.live_server import running_service, seeded_database

TOKEN = "browser-test-token"
DAY = "2026-12-02"

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def service_with_a_booking(tmp_path):
    url = seeded_database(tmp_path)
    env = {"FIXED_NOW": "2026-12-01T08:30:00", "STAFF_TOKEN": TOKEN}
    with running_service(database_url=url, log_path=tmp_path / "uvicorn.log", env=env) as base:
        first17 = "11010119900307001"
        response = httpx.post(
            f"{base}/api/appointments",
            headers={"Idempotency-Key": "browser-test-0001"},
            json={
                "item_code": "GA-SFZ-002",
                "hall": "A",
                "date": DAY,
                "slot": "10:00-11:00",
                "name": "张三",
                "phone": "13812345678",
                "id_number": first17 + id_check_char(first17),
                "materials_ready": ["居民身份证申领登记表"],
                "materials_missing": ["居民身份证数码相片回执"],
            },
        )
        assert response.status_code == 201, response.text
        yield base, response.json()["code"]


def test_staff_mark_a_booking_arrived(service_with_a_booking):
    base, code = service_with_a_booking
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 700})
        page.goto(f"{base}/staff")
        page.fill("#token", "wrong-token")
        page.click("text=进入")
        sync_api.expect(page.locator("#message")).to_contain_text("令牌")
        page.fill("#token", TOKEN)
        page.click("text=进入")
        sync_api.expect(page.locator("#desk")).to_be_visible()
        assert page.evaluate("sessionStorage.getItem('staffToken')") == TOKEN
        page.fill("#date", DAY)
        page.select_option("#hall", "A")
        page.click("text=查看预约")
        row = page.locator(f"tr[data-code='{code}']")
        sync_api.expect(row).to_contain_text("居民身份证补领")
        sync_api.expect(row.locator(".phone")).to_have_text("138****5678")
        sync_api.expect(row).to_contain_text("居民身份证数码相片回执")
        assert "13812345678" not in page.content()
        sync_api.expect(row.locator(".status")).to_have_text("已预约")
        row.locator("button[data-status='arrived']").click()
        sync_api.expect(row.locator(".status")).to_have_text("已到场")
        sync_api.expect(row.locator("button[data-status='done']")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "staff_page.png"), full_page=True)
    day = httpx.get(
        f"{base}/api/staff/appointments",
        params={"date": DAY, "hall": "A"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    ).json()
    assert [a["status"] for a in day["appointments"]] == ["arrived"]

"""The window staff's case page in a real browser: accept a walk-in, ask for 补正 with the list of
missing materials, take the materials in, approve (准予); the applicant's status follows.

Runs Debian's Chromium (apt-get install chromium) through Playwright, like test_staff_page.py.
"""

import httpx
import pytest

from service.core.identity import id_check_char
from tests.chromium import SCREENSHOTS, chromium
from tests.live_server import running_service, seeded_database

TOKEN = "browser-test-token"
PHONE = "13812345678"

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def service(tmp_path):
    url = seeded_database(tmp_path)
    env = {"FIXED_NOW": "2026-12-01T08:30:00", "STAFF_TOKEN": TOKEN, "OUTBOX_WORKER": "false"}
    with running_service(database_url=url, log_path=tmp_path / "uvicorn.log", env=env) as base:
        yield base


def test_staff_accept_a_case_ask_for_materials_and_approve(service):
    base = service
    first17 = "11010119900307001"
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/staff/cases")
        page.fill("#token", TOKEN)
        page.click("text=进入")
        sync_api.expect(page.locator("#desk")).to_be_visible()
        page.fill("#staff", "王芳")
        page.fill("#item", "GA-SFZ-002")
        page.fill("#applicant", "张三")
        page.fill("#phone", PHONE)
        page.fill("#id-number", first17 + id_check_char(first17))
        page.click("button:has-text('受理')")
        sync_api.expect(page.locator("#message")).to_contain_text("已受理，办件编号 SL-20261201-0001")
        row = page.locator("tr[data-number='SL-20261201-0001']")
        sync_api.expect(row.locator(".status")).to_have_text("已受理")
        sync_api.expect(row.locator(".deadline")).to_contain_text("2026-12-15")

        row.locator("button[data-action='review']").click()
        sync_api.expect(row.locator(".status")).to_have_text("审查中")
        row.locator("button[data-action='supplement']").click()  # no list: the service says what is needed
        sync_api.expect(page.locator("#message")).to_contain_text("一次性告知")
        row.locator("input.note").fill("居民身份证数码相片回执、户口簿")
        row.locator("button[data-action='supplement']").click()
        sync_api.expect(row.locator(".status")).to_have_text("待补正材料")
        sync_api.expect(row.locator(".missing")).to_have_text("居民身份证数码相片回执、户口簿")
        sync_api.expect(row.locator(".deadline")).to_contain_text("暂停计时")
        status = httpx.get(f"{base}/api/cases/SL-20261201-0001/status", params={"phone": PHONE}).json()
        assert status["materials_missing"] == ["居民身份证数码相片回执", "户口簿"]

        row.locator("button[data-action='resume']").click()
        sync_api.expect(row.locator(".status")).to_have_text("审查中")
        row.locator("button[data-action='approve']").click()
        sync_api.expect(row.locator(".status")).to_have_text("已决定：准予")
        sync_api.expect(row.locator("button[data-action='complete']")).to_be_visible()
        sync_api.expect(page.locator("#watch-summary")).to_contain_text("临近时限 0 件，已超期 0 件")
        page.screenshot(path=str(SCREENSHOTS / "case_page.png"), full_page=True)
    status = httpx.get(f"{base}/api/cases/SL-20261201-0001/status", params={"phone": PHONE}).json()
    assert status["status"] == "approved" and status["materials_missing"] == []
    events = httpx.get(f"{base}/api/cases/SL-20261201-0001", headers={"Authorization": f"Bearer {TOKEN}"}).json()["events"]
    assert [e["action"] for e in events] == ["accept", "review", "supplement", "resume", "approve"]

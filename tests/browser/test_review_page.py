"""The review page in a real browser: a message the bot did not understand, labelled in two clicks
(a suggested item, then 确认标注), stored with the reviewer's name.

Runs Debian's Chromium through Playwright (tests/chromium.py). Rasa is not running: the
suggestions come from the catalogue search behind POST /api/assist.
"""

import httpx
import pytest

from service.core.settings import get_settings
from tests.chromium import SCREENSHOTS, chromium
from tests.live_server import running_service, seeded_database, spare_port

TOKEN = "review-test-token"
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def service_with_turns(tmp_path):
    url = seeded_database(tmp_path)
    env = {"STAFF_TOKEN": TOKEN, "RASA_URL": f"http://127.0.0.1:{spare_port()}", "OUTBOX_WORKER": "false"}
    with running_service(database_url=url, log_path=tmp_path / "uvicorn.log", env=env) as base:
        bot = {"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}
        for number, text in enumerate(["驾照到期了那个咋弄，电话13812345678", "嗯嗯啊啊"]):
            reported = httpx.post(f"{base}/api/turns", headers=bot, json={
                "conversation_id": "web-review-browser", "message_id": f"m{number}", "at": f"2026-12-07T10:0{number}:00Z",
                "channel": "web", "text": text, "intent": "nlu_fallback", "intent_confidence": 0.3,
                "outcome": "not_understood",
            })
            assert reported.status_code == 201, reported.text
        yield base


def test_a_message_is_labelled_in_two_clicks(service_with_turns):
    base = service_with_turns
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.goto(f"{base}/review")
        page.get_by_label("审核人").fill("李娜")
        page.get_by_label("工作人员令牌").fill("wrong")
        page.get_by_role("button", name="进入").click()
        expect(page.locator("#message")).to_contain_text("令牌")
        page.get_by_label("工作人员令牌").fill(TOKEN)
        page.get_by_role("button", name="进入").click()
        expect(page.locator("#queues button[data-queue='not_understood']")).to_contain_text("未理解（2）")
        card = page.locator(".turn", has_text="驾照到期了")
        expect(card.locator("blockquote")).to_have_text("驾照到期了那个咋弄，电话138****5678")  # masked when stored
        suggestion = card.locator("button[data-item='GA-JJ-001']")
        expect(suggestion).to_contain_text("机动车驾驶证期满换证")

        suggestion.click()  # one
        card.get_by_role("button", name="确认标注").click()  # two

        expect(card.get_by_role("status")).to_contain_text("已标注（李娜）")
        expect(card).to_contain_text("机动车驾驶证期满换证")
        expect(page.locator("#queues button[data-queue='not_understood']")).to_contain_text("未理解（1）")
        page.screenshot(path=str(SCREENSHOTS / "review_labelled.png"), full_page=True)

        # Labelled messages stay open to a second look: the label is shown and can be changed.
        page.get_by_role("button", name="已标注（可改）").click()
        again = page.locator(".turn", has_text="驾照到期了")
        expect(again.locator(".current")).to_contain_text("机动车驾驶证期满换证")
        expect(again.locator("button[data-item='GA-JJ-001']")).to_have_attribute("aria-pressed", "true")
        again.get_by_role("button", name="目录缺项").click()
        expect(again.get_by_role("status")).to_contain_text("目录缺项")
        browser.close()

    staff = {"Authorization": f"Bearer {TOKEN}"}
    [labelled] = httpx.get(f"{base}/api/review/queues/not_understood?labelled=true", headers=staff).json()
    assert labelled["label"]["item_code"] is None and labelled["label"]["intent"] == "ask_materials"
    assert labelled["label"]["reviewer"] == "李娜" and labelled["label"]["kind"] == "missing"
    assert labelled["label"]["phrase"] == "驾照到期了那个咋弄，电话138****5678"

"""A 12345 handoff in the citizens' web chat page (/chat): the page files the order, then shows
the agent's messages from the outbox without the citizen doing anything, across a reload, and
ends with the 好差评 rating question tapped in the page.

Drives Debian's Chromium through Playwright as tests/e2e/test_web_chat.py does; the agent works
through the REST API as in tests/e2e/test_handoff.py.
"""

from __future__ import annotations

import pytest

from tests.chromium import SCREENSHOTS
from tests.e2e.test_handoff import NUMBER, PHONE, agent, eventually, tracker
from tests.e2e.test_web_chat import DESKTOP_VIEWPORT, browser, open_chat, say, tap  # noqa: F401 (fixtures)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

AGENT = "王芳"
AGENT_LABEL = "12345 话务员"
# The page polls the outbox every 4 s; a poll, the agent's background jobs and rendering fit in this.
OUTBOX_WAIT_MS = 15_000


def agent_bubbles(page):
    return page.locator(".bubble-agent")


def transcript(stack, number: str) -> list[dict]:
    return agent(stack, "GET", f"/api/tickets/{number}").json()["transcript"]


def test_an_agent_takes_over_the_page_and_the_citizen_rates_the_close(stack, open_chat):
    page = open_chat(DESKTOP_VIEWPORT)
    started = say(page, "我要投诉，锦绣花园3栋楼下的烧烤店天天开到凌晨两点，油烟呛人吵得没法睡")
    expect(started).to_contain_text("转交 12345")
    expect(started).to_contain_text("手机号")
    confirm = say(page, PHONE)
    expect(confirm).to_contain_text("锦绣花园3栋")
    expect(confirm).to_contain_text("138****5678")
    done = tap(page, "确认提交")
    expect(done).to_contain_text("工单编号")
    number = NUMBER.search(done.inner_text()).group(0)
    sender = page.evaluate("JSON.parse(localStorage.getItem('daoban.chat.sender'))")
    assert agent(stack, "GET", f"/api/tickets/{number}").json()["channel"] == "web"

    agent(stack, "POST", f"/api/tickets/{number}/claim", json={"agent": AGENT})
    expect(page.locator("#status")).to_have_text("话务员正在为您服务，您发的消息会直接转给话务员。",
                                                 timeout=OUTBOX_WAIT_MS)
    agent(stack, "POST", f"/api/tickets/{number}/messages",
          json={"agent": AGENT, "text": "您好，我是话务员王芳，已经联系城管，今晚会去现场查看"})
    greeting = agent_bubbles(page).filter(has_text="我是话务员王芳")
    expect(greeting).to_have_count(1, timeout=OUTBOX_WAIT_MS)
    expect(greeting.locator(".agent-label")).to_have_text(AGENT_LABEL)

    page.reload()
    expect(greeting).to_have_count(1)  # from the history, not fetched again
    expect(greeting.locator(".agent-label")).to_have_text(AGENT_LABEL)

    # The bot is paused: no reply in the page, and the message lands on the work order.
    assert eventually(lambda: tracker(stack, sender).get("paused")), "the bot was not paused"
    replies = page.locator("#log > .reply").count()
    page.fill("#input", "补充一下，是2栋和3栋中间那家")
    page.press("#input", "Enter")
    expect(page.locator(".bubble-user").last).to_have_text("补充一下，是2栋和3栋中间那家")
    expect(page.locator("#send")).to_be_enabled()
    assert page.locator("#log > .reply").count() == replies
    relayed = eventually(lambda: [line for line in transcript(stack, number) if "2栋和3栋中间" in line["text"]])
    assert [line["author"] for line in relayed] == ["citizen"]

    agent(stack, "POST", f"/api/tickets/{number}/reply",
          json={"agent": AGENT, "reply": "城管已上门责令整改，限期安装油烟净化器"})
    answer = agent_bubbles(page).filter(has_text="限期安装油烟净化器")
    expect(answer).to_have_count(1, timeout=OUTBOX_WAIT_MS)  # the page kept polling after the reload
    expect(answer).to_contain_text(number)
    expect(answer.locator(".agent-label")).to_have_text(AGENT_LABEL)
    expect(agent_bubbles(page)).to_have_count(2)
    page.screenshot(path=str(SCREENSHOTS / "web_chat_handoff.png"))

    agent(stack, "POST", f"/api/tickets/{number}/close", json={"agent": AGENT})
    question = page.locator("#log > .reply").last
    expect(question).to_contain_text(f"工单 {number}）已经办结", timeout=OUTBOX_WAIT_MS)
    expect(question.locator(".bubble-agent")).to_have_count(0)  # the bot asks, not the agent
    levels = question.locator(".choice:enabled")
    # Numbered on the page as a typed "2" picks them.
    expect(levels).to_have_text(["1. 非常满意", "2. 满意", "3. 基本满意", "4. 不满意", "5. 非常不满意"])

    before = page.locator("#log > .reply").count()
    question.get_by_role("button", name="2. 满意", exact=True).click()
    expect(page.locator(".bubble-user").last).to_have_text("满意")
    expect(page.locator("#log > .reply")).to_have_count(before + 1)
    expect(page.locator("#log > .reply").last).to_contain_text(f"谢谢您的评价（满意），已记入工单 {number}")
    order = agent(stack, "GET", f"/api/tickets/{number}").json()
    assert order["satisfaction"] == "满意" and order["status"] == "closed"

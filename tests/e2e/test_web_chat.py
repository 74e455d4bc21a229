"""The citizens' web chat page (/chat) in a real browser against the real service, actions and Rasa.

Runs Debian's Chromium (apt-get install chromium) through Playwright; Playwright's own browser
downloads are not used.
"""

from __future__ import annotations

import json
import re

import httpx
import pytest

from service.core.identity import id_check_char
from tests.chromium import SCREENSHOTS, chromium

PHONE_VIEWPORT = {"width": 375, "height": 740}
DESKTOP_VIEWPORT = {"width": 1280, "height": 860}
# Not used by tests/e2e/test_booking.py: one active booking per person, item and day.
ID_FIRST17 = "32010219880615003"
ID_NUMBER = ID_FIRST17 + id_check_char(ID_FIRST17)
CODE = re.compile(r"预约码：(\d{8}-[A-Z]-\d{4})")

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture
def open_chat(stack, browser):
    """Opens /chat in a fresh browser context (empty localStorage) at the given viewport."""
    contexts = []

    def open_page(viewport: dict = DESKTOP_VIEWPORT):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{stack.ports.service}/chat")
        expect(page.locator("#log .reply").first).to_contain_text("导办助手")
        return page

    yield open_page
    for context in contexts:
        context.close()


def _reply_count(page) -> int:
    return page.locator("#log > .reply").count()


def _wait_reply(page, before: int):
    expect(page.locator("#log > .reply")).to_have_count(before + 1, timeout=30_000)
    expect(page.locator("#typing")).to_be_hidden()
    return page.locator("#log > .reply").last


def say(page, text: str):
    """Types a message, presses Enter, and returns the bot's reply."""
    before = _reply_count(page)
    page.fill("#input", text)
    page.press("#input", "Enter")
    return _wait_reply(page, before)


def tap(page, title: str):
    """Taps the choice titled `title` in the latest reply, and returns the bot's reply."""
    before = _reply_count(page)
    page.locator("#log > .reply").last.locator(".choice:enabled", has_text=title).first.click()
    reply = _wait_reply(page, before)
    # The page numbers the bot's choices ("1. "); the citizen's bubble shows the choice itself.
    expect(page.locator(".bubble-user").last).to_have_text(re.sub(r"^\d+\. ", "", title))
    return reply


def test_config_gives_the_rasa_server_the_service_was_started_with(stack):
    config = httpx.get(f"http://127.0.0.1:{stack.ports.service}/api/chat/config", timeout=10).json()
    assert config == {"rasa_url": f"http://127.0.0.1:{stack.ports.rasa}"}


def test_a_notice_on_a_phone_sized_screen(open_chat):
    page = open_chat(PHONE_VIEWPORT)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("window.print = () => { window.printed = document.body.className; }")
    expect(page.locator("label[for=input]")).to_have_count(1)
    expect(page.locator("#input")).to_be_focused()

    reply = say(page, "身份证丢了补办要带啥")
    expect(reply).to_contain_text("情形")
    situations = reply.locator(".choice:enabled")
    assert situations.count() >= 2
    title = situations.first.inner_text()

    notice = tap(page, title).locator(".notice")
    expect(notice.locator(".line-head").first).to_contain_text("居民身份证补领")
    expect(notice).to_contain_text("一次性告知（告知单号：")
    expect(notice.locator(".line-section", has_text="申请材料")).to_be_visible()
    materials = notice.locator(".line-item")
    assert materials.count() >= 3
    expect(materials.first.locator(".item-no")).to_have_text("1.")
    assert page.locator(".choice:enabled").count() == 0  # the situation buttons are spent
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    notice.evaluate("notice => notice.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOTS / "web_chat_375.png"))

    notice.get_by_role("button", name="复制告知单").click()
    expect(notice.get_by_role("button", name="已复制")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("【居民身份证补领】一次性告知") and "\n1. " in copied and "二、申请材料" in copied
    notice.get_by_role("button", name="打印").click()
    assert page.evaluate("window.printed") == "printing-notice"
    expect(page.locator("#print-area")).to_contain_text("居民身份证补领")


def test_a_booking_through_the_page_survives_a_reload(open_chat, stack):
    page = open_chat(DESKTOP_VIEWPORT)
    reply = say(page, "我想预约一下换身份证")
    if "情形" in reply.inner_text():
        reply = tap(page, reply.locator(".choice:enabled").first.inner_text())
    if "什么时间" in reply.inner_text():
        reply = say(page, "后天上午")
    if "最近还能预约的时段" in reply.inner_text():
        reply = tap(page, reply.locator(".choice:enabled").first.inner_text())
    expect(reply).to_contain_text("本人办理，还是替别人代办")
    expect(tap(page, "本人办理")).to_contain_text("姓名")
    expect(say(page, "张三")).to_contain_text("手机号码")
    expect(say(page, "13812345678")).to_contain_text("身份证号码")
    expect(say(page, ID_NUMBER)).to_contain_text("以下材料您是否已备齐")
    expect(page.locator(".bubble-user").last).to_have_text(ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:])
    summary = tap(page, "都备齐了")
    expect(summary).to_contain_text("请核对预约信息")
    done = tap(page, "确认提交")
    expect(done).to_contain_text("预约成功")
    code = CODE.search(done.inner_text()).group(1)
    page.screenshot(path=str(SCREENSHOTS / "web_chat.png"))

    sender = page.evaluate("JSON.parse(localStorage.getItem('daoban.chat.sender'))")
    stored = page.evaluate("localStorage.getItem('daoban.chat.history')")
    assert ID_NUMBER not in stored and "13812345678" not in stored and "138****5678" in stored

    page.reload()
    expect(page.locator("#log")).to_contain_text(code)
    expect(page.locator(".bubble-user", has_text="我想预约一下换身份证")).to_have_count(1)
    assert page.evaluate("JSON.parse(localStorage.getItem('daoban.chat.sender'))") == sender
    assert page.locator(".choice:enabled").count() == 0
    say(page, "身份证丢了补办要带啥")
    tracker = httpx.get(f"http://127.0.0.1:{stack.ports.rasa}/conversations/{sender}/tracker",
                        params=stack.rasa_api_params, timeout=10).json()
    said = [event.get("text") for event in tracker["events"] if event["event"] == "user"]
    assert said[0] == "我想预约一下换身份证" and said[-1] == "身份证丢了补办要带啥"  # one conversation

    page.get_by_role("button", name="新对话").click()
    expect(page.locator("#log")).not_to_contain_text(code)
    expect(page.locator("#input")).to_be_focused()
    assert page.evaluate("JSON.parse(localStorage.getItem('daoban.chat.sender'))") != sender


def test_a_life_event_shows_its_card_and_offers_one_booking(open_chat):
    page = open_chat()
    reply = say(page, "打算和朋友合伙开家小面馆 证照手续要一样样办哪些")
    card = reply.locator(".life-event-card")
    expect(card.locator("h2")).to_have_text("开办餐饮店一件事")
    expect(card.locator("ol li").first).to_be_visible()
    expect(reply.locator(".choice", has_text="预约综合窗口，一次办")).to_be_enabled()


def test_an_unreachable_bot_says_so_and_retry_sends_again(open_chat, stack):
    page = open_chat(PHONE_VIEWPORT)
    webhook = f"http://127.0.0.1:{stack.ports.rasa}/webhooks/rest/webhook"
    held = []
    page.route(webhook, lambda route: held.append(route))  # held until the test lets it fail
    before = _reply_count(page)
    page.fill("#input", "身份证丢了补办要带啥")
    page.press("#input", "Enter")
    expect(page.locator("#typing")).to_be_visible()
    expect(page.locator("#send")).to_be_disabled()
    page.wait_for_function("document.querySelector('#log').getAttribute('aria-busy') === 'true'")
    # The page marks itself busy before Playwright hands the request to the route: wait for it.
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the chat page sent no message to the webhook"
    first = held[0].request.post_data_json["metadata"]
    assert first["resent"] is False and len(first["client_message_id"]) == 24
    held[0].abort("connectionrefused")
    error = page.locator(".bubble-error")
    expect(error).to_contain_text("暂时连不上导办助手")
    expect(page.get_by_role("button", name="重试")).to_be_focused()
    expect(page.locator("#typing")).to_be_hidden()
    page.screenshot(path=str(SCREENSHOTS / "web_chat_unreachable.png"))

    page.unroute(webhook)
    with page.expect_request(webhook) as retried:
        page.get_by_role("button", name="重试").click()
    # The same message, marked as sent again: had its first copy reached the bot, its replies come back
    # rather than a second turn (bot/resent_messages.py).
    assert retried.value.post_data_json["metadata"] == {**first, "resent": True}
    expect(_wait_reply(page, before)).to_contain_text("情形")
    expect(error).to_have_count(0)
    expect(page.locator(".bubble-user")).to_have_count(1)


def test_a_server_error_is_also_unreachable(open_chat, stack):
    page = open_chat(PHONE_VIEWPORT)
    page.route(f"http://127.0.0.1:{stack.ports.rasa}/webhooks/rest/webhook",
               lambda route: route.fulfill(status=500, body="Internal Server Error"))
    page.fill("#input", "开个小吃店要办什么证")
    page.press("#input", "Enter")
    expect(page.locator(".bubble-error")).to_contain_text("暂时连不上导办助手")


def test_a_dead_rasa_url_from_the_config_is_unreachable(stack, browser):
    context = browser.new_context(viewport=PHONE_VIEWPORT)
    try:
        page = context.new_page()
        # Port 9 (discard) has nothing listening: the connection is refused.
        page.route("**/api/chat/config", lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps({"rasa_url": "http://127.0.0.1:9"})))
        page.goto(f"http://127.0.0.1:{stack.ports.service}/chat")
        page.fill("#input", "身份证丢了补办要带啥")
        page.press("#input", "Enter")
        expect(page.locator(".bubble-error")).to_contain_text("暂时连不上导办助手")
    finally:
        context.close()

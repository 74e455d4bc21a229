"""Accessibility and 适老化 of the pages, in a real browser: axe-core finds no serious or critical
violation on the web chat, the window staff's pages (bookings, cases), the operators' dashboard and
the agents' console;
the web chat has a large-text and a high-contrast mode (remembered, announced), a 转人工 button always in reach, works
by keyboard alone and needs no sideways scrolling at 200% zoom.

axe-core comes bundled with axe-playwright-python. The chat's bot is played by Playwright
(the page's calls to Rasa's REST webhook are answered in the test), with a real notice of the
seeded catalogue: its longest. Runs Debian's Chromium (tests/chromium.py).
"""

import json
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from service.catalogue.models import Item
from service.catalogue.service import item_notice
from service.core.db import get_session_factory
from service.core.identity import id_check_char
from service.core.settings import REPO_ROOT, get_settings
from service.migrate import upgrade_database
from service.seeding import seed_database
from tests.chromium import SCREENSHOTS, chromium
from tests.live_server import running_service, spare_port

sync_api = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
expect = sync_api.expect

TOKEN = "a11y-test-token"
DAY = "2026-12-02"
RASA = f"http://127.0.0.1:{spare_port()}"  # nothing listens: the test answers the page's calls
BLOCKING = {"serious", "critical"}
SITUATIONS = [
    {"title": "年满十六周岁本人办理", "payload": '/inform{"situation": "adult"}'},
    {"title": "未满十六周岁由监护人陪同", "payload": '/inform{"situation": "minor"}'},
]
# 1280 CSS px at 200% zoom: the page lays out in 640 CSS px, drawn with two device pixels each.
ZOOMED_200 = {"viewport": {"width": 640, "height": 480}, "device_scale_factor": 2}


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[dict]:
    """A seeded service with a booking for the staff page and a work order for the console; yields
    its base URL and the catalogue's longest notice (as sections)."""
    tmp = tmp_path_factory.mktemp("a11y")
    url = f"sqlite:///{tmp / 'service.db'}"
    upgrade_database(database_url=url)
    with get_session_factory(url)() as session:
        seed_database(seed_dir=REPO_ROOT / "service" / "seed", session=session)
        notices = [
            item_notice(session, code=item.code, situation=situation)
            for item in session.scalars(select(Item))
            for situation in [None, *(s.key for s in item.situations)]
        ]
    longest = max(notices, key=lambda notice: len(notice.text))
    env = {"STAFF_TOKEN": TOKEN, "RASA_URL": RASA, "OUTBOX_WORKER": "false", "FIXED_NOW": "2026-12-01T08:30:00"}
    with running_service(database_url=url, log_path=tmp / "uvicorn.log", env=env) as base:
        first17 = "11010119900307002"
        booked = httpx.post(f"{base}/api/appointments", headers={"Idempotency-Key": "a11y-test-0001"}, json={
            "item_code": "GA-SFZ-002", "hall": "A", "date": DAY, "slot": "10:00-11:00", "name": "李四",
            "phone": "13812345678", "id_number": first17 + id_check_char(first17),
            "materials_ready": ["居民身份证申领登记表"], "materials_missing": [],
        })
        assert booked.status_code == 201, booked.text
        filed = httpx.post(f"{base}/api/tickets", json={
            "channel": "hotline", "phone": "13812345678", "type": "求助", "content": "小区门口的井盖缺失好几天了，晚上很危险",
        })
        assert filed.status_code == 201, filed.text
        yield {"base": base, "notice": longest.sections}


@pytest.fixture(scope="module")
def browser() -> Iterator["object"]:
    with chromium() as browser:
        yield browser


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    found = axe_playwright.Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in found if v["impact"] in BLOCKING]


class FakeBot:
    """Answers the web chat's calls to Rasa's REST webhook: the notice and a question with buttons
    for anything typed, a 12345 question for /request_human. Records what the page sent."""

    def __init__(self, notice: list[str]) -> None:
        self.notice = notice
        self.received: list[str] = []

    def answer(self, message: str) -> list[dict]:
        if message == "/request_human":
            return [{"text": "好的，我帮您转 12345 话务员。请简单说一下您要办的事或遇到的问题。"}]
        return [*({"text": section} for section in self.notice),
                {"text": "这个事项分几种办理情形，请问您属于哪一种（也可以回复序号）？", "buttons": SITUATIONS}]

    def handle(self, route) -> None:
        cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Allow-Methods": "POST, OPTIONS"}
        if route.request.method == "OPTIONS":
            route.fulfill(status=204, headers=cors)
            return
        message = json.loads(route.request.post_data)["message"]
        self.received.append(message)
        route.fulfill(status=200, headers=cors, content_type="application/json", body=json.dumps(self.answer(message)))


def open_chat(browser, service: dict, **context_options):
    """/chat in a fresh context (empty localStorage) with the fake bot; (page, bot)."""
    context = browser.new_context(locale="zh-CN", **({"viewport": {"width": 1280, "height": 860}} | context_options))
    bot = FakeBot(service["notice"])
    context.route(f"{RASA}/webhooks/rest/webhook", bot.handle)
    page = context.new_page()
    page.goto(f"{service['base']}/chat")
    expect(page.locator("#log .reply").first).to_contain_text("导办助手")
    return page, bot


def ask(page, text: str):
    """Types `text`, sends it with Enter, and returns the bot's reply."""
    replies = page.locator("#log > .reply")
    before = replies.count()
    page.locator("#input").fill(text)
    page.locator("#input").press("Enter")
    expect(replies).to_have_count(before + 1)
    expect(page.locator("#typing")).to_be_hidden()
    return replies.last


# --- axe-core -------------------------------------------------------------------------------------

@pytest.mark.parametrize("modes", [[], ["大字"], ["高对比度"], ["大字", "高对比度"]], ids=lambda m: "+".join(m) or "标准")
def test_axe_finds_no_serious_violation_on_the_chat(service, browser, modes):
    page, _ = open_chat(browser, service)
    for mode in modes:
        page.get_by_role("button", name=mode).click()
    ask(page, "身份证丢了补办要带啥")
    page.get_by_role("button", name="复制告知单").focus()
    assert serious_violations(page) == []
    page.context.close()


def signed_in_staff_page(browser, base: str, path: str, *, height: int = 800, reviewer: str | None = None):
    """A staff page checked by axe-core on its sign-in form, then signed in with the staff token."""
    page = browser.new_page(viewport={"width": 1280, "height": height}, locale="zh-CN")
    page.goto(f"{base}{path}")
    expect(page.get_by_label("工作人员令牌")).to_be_visible()
    assert serious_violations(page) == []
    if reviewer is not None:
        page.get_by_label("审核人").fill(reviewer)
    page.get_by_label("工作人员令牌").fill(TOKEN)
    page.get_by_role("button", name="进入").click()
    return page


def test_axe_finds_no_serious_violation_on_the_staff_page(service, browser):
    page = signed_in_staff_page(browser, service["base"], "/staff")
    page.get_by_label("日期").fill(DAY)
    page.get_by_label("大厅").select_option("A")
    page.get_by_role("button", name="查看预约").click()
    expect(page.locator("#rows tr[data-code]")).to_have_count(1)
    assert serious_violations(page) == []
    page.close()


def test_axe_finds_no_serious_violation_on_the_staff_case_page(service, browser):
    page = signed_in_staff_page(browser, service["base"], "/staff/cases")
    expect(page.get_by_label("经办人")).to_be_visible()
    assert serious_violations(page) == []
    page.close()


def test_axe_finds_no_serious_violation_on_the_dashboard(service, browser):
    page = signed_in_staff_page(browser, service["base"], "/dashboard", height=900)
    # Every chart is an image named by its title and summary, for screen readers.
    expect(page.get_by_role("img", name="各大厅预约与爽约：预约 0 个，爽约 0 个（0%）")).to_be_visible()
    expect(page.get_by_role("img")).to_have_count(9)
    assert serious_violations(page) == []
    page.close()


def test_axe_finds_no_serious_violation_on_the_agents_console(service, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{service['base']}/console")
    expect(page.get_by_label("坐席姓名")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("坐席姓名").fill("王芳")
    page.get_by_label("工作令牌").fill(TOKEN)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#queue-rows tr")).not_to_have_count(0)
    assert serious_violations(page) == []
    page.locator("#queue-rows button").first.click()
    expect(page.locator("#detail")).to_be_visible()
    assert serious_violations(page) == []
    page.close()


def test_axe_finds_no_serious_violation_on_the_review_page(service, browser):
    httpx.post(f"{service['base']}/api/turns", headers={"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}, json={
        "conversation_id": "web-a11y", "message_id": "m1", "at": "2026-12-01T08:00:00Z", "channel": "web",
        "text": "驾照到期那个咋弄", "intent": "nlu_fallback", "outcome": "not_understood"}).raise_for_status()
    page = signed_in_staff_page(browser, service["base"], "/review", height=900, reviewer="李娜")
    expect(page.locator(".turn button[data-item]").first).to_be_visible()
    assert serious_violations(page) == []
    page.close()


# --- 适老化: large text, high contrast ------------------------------------------------------------

def test_large_text_and_high_contrast_are_remembered_and_announced(service, browser):
    page, _ = open_chat(browser, service)
    large, contrast = page.get_by_role("button", name="大字"), page.get_by_role("button", name="高对比度")
    body_px = "parseFloat(getComputedStyle(document.body).fontSize)"
    assert page.evaluate(body_px) == 16
    expect(large).to_have_attribute("aria-pressed", "false")

    large.click()
    expect(large).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#status")).to_have_text("已开启大字模式")
    assert page.evaluate(body_px) >= 22
    contrast.click()
    expect(page.locator("#status")).to_have_text("已开启高对比度模式")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"

    page.reload()  # the next visit keeps both
    expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="高对比度")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(body_px) >= 22
    page.get_by_role("button", name="大字").click()
    expect(page.locator("#status")).to_have_text("已关闭大字模式，恢复标准字号")
    assert page.evaluate(body_px) == 16
    page.screenshot(path=str(SCREENSHOTS / "chat_high_contrast.png"))
    page.context.close()


def test_the_request_human_button_is_always_in_reach_and_asks_for_a_person(service, browser):
    page, bot = open_chat(browser, service, viewport={"width": 375, "height": 740})
    ask(page, "身份证丢了补办要带啥")  # a long reply: the log scrolls, the header stays
    human = page.get_by_role("button", name="转人工")
    expect(human).to_be_in_viewport()
    human.click()
    expect(page.locator("#log > .row-user").last).to_have_text("转人工")
    expect(page.locator("#log > .reply").last).to_contain_text("12345 话务员")
    assert bot.received[-1] == "/request_human"
    page.context.close()


# --- keyboard and screen readers --------------------------------------------------------------------

def test_the_chat_works_by_keyboard_alone(service, browser):
    page, bot = open_chat(browser, service)
    expect(page.locator("#input")).to_be_focused()  # on a desktop typing can start at once
    order = []
    for _ in range(11):  # round the page once; between its end and its start focus is in the browser
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement === document.body ? null"
                                   " : document.activeElement.id || document.activeElement.textContent.trim()"))
    assert [name for name in order if name] == ["send", "跳到输入框", "human", "new-chat", "large-text", "high-contrast",
                     "身份证丢了补办要带啥", "开个小吃店要办什么证", "我想预约一下换身份证", "input"]
    page.get_by_role("link", name="跳到输入框").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#input")).to_be_focused()
    # Focus is visible: a 3px outline on buttons.
    page.get_by_role("button", name="转人工").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineWidth") == "3px"

    reply = ask(page, "身份证丢了补办要带啥")  # Enter sends
    assert bot.received == ["身份证丢了补办要带啥"]
    # The reply's buttons are reachable backwards from the input, and Enter on one taps it.
    last_choice = reply.locator(".choice").last
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('choice')"):
            break
    expect(last_choice).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#log > .reply")).to_have_count(3)
    assert bot.received[-1] == SITUATIONS[-1]["payload"]
    page.context.close()


def test_the_chat_speaks_chinese_and_labels_what_a_screen_reader_needs(service, browser):
    page, _ = open_chat(browser, service)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    log = page.get_by_role("log", name="对话记录")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("textbox", name="输入您想办的事或问题，按回车发送")).to_be_visible()
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("group", name="显示设置")).to_be_visible()
    reply = ask(page, "身份证丢了补办要带啥")
    # The bot's buttons carry the number a typed answer picks them by, read out with the title;
    # the welcome's examples are no bot buttons and carry none.
    expect(reply.get_by_role("button", name="1. 年满十六周岁本人办理")).to_be_visible()
    expect(reply.get_by_role("button", name="2. 未满十六周岁由监护人陪同")).to_be_visible()
    expect(page.locator("#log > .reply").first.get_by_role("button", name="身份证丢了补办要带啥", exact=True)).to_be_visible()
    expect(reply.get_by_role("region", name="一次性告知")).to_be_visible()
    page.context.close()


# --- 200% zoom ------------------------------------------------------------------------------------

@pytest.mark.parametrize("large_text", [False, True], ids=["标准", "大字"])
def test_replies_need_no_sideways_scrolling_at_200_percent_zoom(service, browser, large_text):
    page, _ = open_chat(browser, service, **ZOOMED_200)
    assert page.evaluate("window.innerWidth") == 640
    if large_text:
        page.get_by_role("button", name="大字").click()
    reply = ask(page, "身份证丢了补办要带啥")
    overflow = """() => {
        const page = document.scrollingElement;
        const log = document.getElementById('log');
        const wide = [...document.querySelectorAll('#app *')].filter(
            (el) => el.getBoundingClientRect().right > window.innerWidth + 0.5);
        return {page: page.scrollWidth - page.clientWidth, log: log.scrollWidth - log.clientWidth,
                wide: wide.slice(0, 5).map((el) => el.className || el.tagName)};
    }"""
    assert page.evaluate(overflow) == {"page": 0, "log": 0, "wide": []}
    expect(reply.locator(".choice").last).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"chat_zoom_200{'_large' if large_text else ''}.png"))
    page.context.close()

"""The 12345 hotline agents' console in a real browser: login, the queue, one order through
claim → reply → close, a conflicting claim, the labels from /api/meta, the assist panel, and a
message that did not reach the citizen, sent again.

Every expectation comes from what the running service answers to the same request, so the page
cannot pass by showing fixed text. Runs Debian's Chromium through Playwright (tests/chromium.py).
"""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select, update

from service.core.db import get_session_factory
from service.core.settings import REPO_ROOT
from service.migrate import upgrade_database
from service.outbox.models import OutboxMessage, OutboxStatus
from service.seeding import seed_database
from service.tickets.models import Ticket
from tests.chromium import SCREENSHOTS, chromium
from tests.live_server import running_service, spare_port

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

TOKEN = "console-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ZONE = ZoneInfo("Asia/Shanghai")
SCRIPT_ERRORS: list = []
NOISE = "我家楼下烧烤店油烟太大了晚上吵得睡不着"
ID_CARD = "身份证丢了怎么补办"


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[dict]:
    """A seeded service with one overdue, urgent order; yields its base URL, its database and that order's number."""
    tmp = tmp_path_factory.mktemp("console")
    url = f"sqlite:///{tmp / 'service.db'}"
    upgrade_database(database_url=url)
    with get_session_factory(url)() as session:
        seed_database(seed_dir=REPO_ROOT / "service" / "seed", session=session)
    # No Rasa behind this service (a closed port): nothing reaches another test's conversations.
    # No delivery worker either: the outbox's rows stay as the tests leave them.
    env = {"STAFF_TOKEN": TOKEN, "RASA_URL": f"http://127.0.0.1:{spare_port()}", "OUTBOX_WORKER": "false"}
    with running_service(database_url=url, log_path=tmp / "uvicorn.log", env=env) as base:
        overdue = create_order(base, content="小区门口的井盖缺失好几天了，晚上很危险", type="求助", urgency="紧急")
        with get_session_factory(url)() as session:
            session.execute(
                update(Ticket).where(Ticket.number == overdue).values(deadline=datetime.now(UTC) - timedelta(hours=3))
            )
            session.commit()
        yield {"base": base, "database_url": url, "overdue": overdue}


@pytest.fixture(scope="module")
def browser() -> Iterator["object"]:
    with chromium() as browser:
        yield browser


def create_order(base: str, **fields) -> str:
    body = {"channel": "hotline", "phone": "13812345678", **fields}
    response = httpx.post(f"{base}/api/tickets", json=body)
    assert response.status_code == 201, response.text
    return response.json()["number"]


def order(base: str, number: str) -> dict:
    response = httpx.get(f"{base}/api/tickets/{number}", headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def label(base: str, vocabulary: str, value: str) -> str:
    """The label the service gives `value` in one vocabulary of GET /api/meta."""
    terms = httpx.get(f"{base}/api/meta").json()[vocabulary]
    return next(term["label"] for term in terms if term["value"] == value)


def claim_button(page, base: str):
    return page.get_by_role("button", name=label(base, "ticket_actions", "claim"), exact=True)


def suggestion(base: str, text: str) -> dict:
    """What the page should suggest for this text: the service's draft of a work order."""
    response = httpx.post(f"{base}/api/tickets/draft", json={"content": text}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def local(iso: str) -> str:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZONE).strftime("%Y-%m-%d %H:%M")


def console(browser, base: str, agent: str, *, width: int = 1280, fake_clock: bool = False, meta: dict | None = None):
    """A logged-in console; with `meta`, the page reads that answer instead of GET /api/meta."""
    context = browser.new_context(viewport={"width": width, "height": 900}, timezone_id="Asia/Shanghai", locale="zh-CN")
    page = context.new_page()
    page.on("pageerror", lambda error: SCRIPT_ERRORS.append(error))
    if meta is not None:
        page.route("**/api/meta", lambda route: route.fulfill(json=meta))
    if fake_clock:
        page.clock.install()  # time still flows; fast_forward jumps to the next auto-refresh
    page.goto(f"{base}/console")
    page.get_by_label("坐席姓名").fill(agent)
    page.get_by_label("工作令牌").fill(TOKEN)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#desk")).to_be_visible()
    expect(page.locator("#agent-label")).to_have_text(agent)
    return page


def finish(*pages) -> None:
    """Close the pages' contexts; the page must not have thrown a script error meanwhile."""
    for page in pages:
        page.context.close()
    errors = [str(e) for e in SCRIPT_ERRORS]
    SCRIPT_ERRORS.clear()
    assert not errors


def test_wrong_token_is_refused(service, browser):
    refusal = httpx.get(f"{service['base']}/api/tickets", headers={"Authorization": "Bearer wrong"})
    assert refusal.status_code == 401
    page = browser.new_page()
    page.on("pageerror", lambda error: SCRIPT_ERRORS.append(error))
    page.goto(f"{service['base']}/console")
    page.get_by_label("坐席姓名").fill("王芳")
    page.get_by_label("工作令牌").fill("wrong")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#login-message")).to_have_text(refusal.json()["detail"])
    expect(page.locator("#desk")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('consoleToken')") is None

    page.get_by_label("工作令牌").fill(TOKEN)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#desk")).to_be_visible()
    page.reload()  # the session survives a reload, like the staff page
    expect(page.locator("#agent-label")).to_have_text("王芳")
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#login")).to_be_visible()
    expect(page.locator("#desk")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('consoleToken')") is None
    finish(page)


def test_claim_reply_close(service, browser):
    base = service["base"]
    number = create_order(
        base, type="投诉", requester="李女士", confidential=True, content="幸福路菜场门口的摊贩占道经营，早上车都过不去"
    )
    created = order(base, number)
    page = console(browser, base, "王芳")
    assert page.evaluate("sessionStorage.getItem('consoleToken')") == TOKEN

    row = page.locator(f"#queue-rows tr[data-number='{number}']")
    expect(row).to_contain_text(created["summary"])
    expect(row.locator(".status")).to_have_text(created["status_label"])
    expect(row.locator(".deadline time")).to_have_text(local(created["deadline"]))
    expect(page.locator("#queue-rows")).not_to_contain_text(created["phone"])  # full phone only in the detail

    row.get_by_role("button", name=f"查看工单 {number}").click()
    expect(page.locator("#detail-number")).to_have_text(number)
    expect(page.locator("#detail .phone")).to_have_text(created["phone"])
    expect(page.locator("#detail .secret")).to_have_text("保密")
    expect(page.locator("#detail .d-content")).to_have_text(created["content"])
    expect(page.get_by_role("button", name="答复")).to_be_disabled()

    claim_button(page, base).click()
    expect(row.locator(".assignee")).to_have_text("王芳")
    claimed = order(base, number)
    assert (claimed["status"], claimed["assignee"]) == ("claimed", "王芳")
    expect(page.locator("#detail-status")).to_have_text(claimed["status_label"])
    expect(row.locator(".status")).to_have_text(claimed["status_label"])
    expect(claim_button(page, base)).to_be_disabled()
    expect(page.get_by_role("button", name="办结")).to_be_disabled()

    answer = "您好，已通知城管部门到幸福路菜场清理占道摊位，并将加强早间巡查。"
    page.get_by_label("答复市民（正式答复）").fill(answer)
    page.get_by_role("button", name="答复", exact=True).click()
    expect(page.locator("#detail .d-reply")).to_have_text(answer)
    replied = order(base, number)
    assert (replied["status"], replied["reply"]) == ("replied", answer)
    expect(page.locator("#detail-status")).to_have_text(replied["status_label"])

    page.get_by_role("button", name="办结").click()
    expect(page.locator("#detail .event-close")).to_be_visible()
    closed = order(base, number)
    assert closed["status"] == "closed"
    expect(page.locator("#detail-status")).to_have_text(closed["status_label"])
    expect(row.locator(".status")).to_have_text(closed["status_label"])
    expect(page.locator("#events li")).to_have_count(len(closed["events"]))
    for event, line in zip(closed["events"], page.locator("#events li").all(), strict=True):
        expect(line.locator("time")).to_have_text(local(event["at"]))
    expect(page.locator("#detail [data-action]:enabled")).to_have_count(1)  # only the correction form
    page.screenshot(path=str(SCREENSHOTS / "console.png"), full_page=True)
    finish(page)


def test_correct_type_and_topic(service, browser):
    base = service["base"]
    number = create_order(base, type="咨询", content="建议在人民公园增设几处公共厕所，周末人多排队很久")
    page = console(browser, base, "赵敏")
    page.get_by_role("button", name=f"查看工单 {number}").click()
    page.get_by_text("更正类型、分类或摘要").click()
    page.locator("#correct-type").select_option("建议")
    page.locator("#correct-l1").fill("城乡建设")
    page.get_by_role("button", name="保存更正").click()
    expect(page.locator("#detail .event-correct")).to_be_visible()
    corrected = order(base, number)
    assert (corrected["type"], corrected["topic_l1"]) == ("建议", "城乡建设")
    expect(page.locator("#detail .d-type")).to_have_text(corrected["type"])
    expect(page.locator("#detail .event-correct")).to_contain_text(corrected["events"][-1]["changes"]["type"][0])
    finish(page)


def test_chat_transcript_and_messages(service, browser):
    base = service["base"]
    number = create_order(
        base,
        type="咨询",
        content="社保卡丢了想补办，转人工",
        conversation_id="web-console-test-0001",
        transcript=[
            {"author": "citizen", "text": "我的社保卡丢了，手机13812345678，怎么补办"},
            {"author": "bot", "text": "已为您转接人工坐席，请稍候。"},
        ],
    )
    filed = order(base, number)
    assert filed["conversation"] is True and len(filed["transcript"]) == 2
    page = console(browser, base, "王芳", fake_clock=True)
    page.get_by_role("button", name=f"查看工单 {number}").click()
    lines = page.locator("#transcript .msg-text")
    expect(lines).to_have_text([line["text"] for line in filed["transcript"]])  # masked by the service
    expect(page.locator("#transcript")).not_to_contain_text("13812345678")
    expect(page.get_by_role("button", name="发送消息")).to_be_disabled()

    claim_button(page, base).click()
    expect(page.get_by_role("button", name="发送消息")).to_be_enabled()
    page.get_by_label("发消息给市民").fill("您好，我是12345话务员王芳，请问您的社保卡是在本市办理的吗？")
    page.get_by_role("button", name="发送消息").click()
    expect(lines).to_have_count(3)
    sent = order(base, number)["transcript"][-1]
    assert sent["author"] == "agent:王芳"
    expect(lines.last).to_have_text(sent["text"])
    expect(page.locator("#transcript .msg").last.locator(".msg-author")).to_have_text("坐席 王芳")

    # The citizen answers in the chat (relayed by Rasa's tracker store): it shows up by itself.
    relayed = httpx.post(f"{base}/api/conversations/web-console-test-0001/messages",
                         json={"text": "是的，在清江办的", "message_id": "console-test-relay-1"},
                         headers={"Authorization": "Bearer dev-bot-token"})
    assert relayed.status_code == 201, relayed.text
    page.clock.fast_forward(5_000)
    expect(lines).to_have_count(4)
    expect(lines.last).to_have_text("是的，在清江办的")
    finish(page)


def test_second_agent_sees_the_conflict(service, browser):
    base = service["base"]
    number = create_order(base, type="求助", content="家里老人走失了，想请社区帮忙发布寻人信息")
    first = console(browser, base, "王芳")
    second = console(browser, base, "李强")
    for page in (first, second):
        page.get_by_role("button", name=f"查看工单 {number}").click()
        expect(claim_button(page, base)).to_be_enabled()

    claim_button(first, base).click()
    expect(first.locator("#detail .d-assignee")).to_have_text("王芳")
    claim_button(second, base).click()

    refusal = httpx.post(f"{base}/api/tickets/{number}/claim", headers=AUTH, json={"agent": "李强"})
    assert refusal.status_code == 409
    expect(second.locator("#detail-message")).to_have_text(refusal.json()["detail"])
    expect(second.locator("#detail .d-assignee")).to_have_text("王芳")
    expect(claim_button(second, base)).to_be_disabled()
    expect(second.get_by_role("button", name="答复", exact=True)).to_be_disabled()
    finish(first, second)


def test_states_and_actions_are_labelled_from_the_vocabulary(service, browser):
    base = service["base"]
    number = create_order(base, type="咨询", content="想问一下新建的社区卫生服务站什么时候开诊")
    page = console(browser, base, "王芳")
    row = page.locator(f"#queue-rows tr[data-number='{number}']")
    expect(row.locator(".status")).to_have_text(label(base, "ticket_statuses", "new"))
    row.get_by_role("button", name=f"查看工单 {number}").click()
    claim_button(page, base).click()
    claimed = order(base, number)
    assert claimed["status_label"] == label(base, "ticket_statuses", claimed["status"])
    expect(page.locator("#detail-status")).to_have_text(claimed["status_label"])
    event = page.locator("#detail .event-claim")
    expect(event.locator(".event-action")).to_have_text(label(base, "ticket_actions", "claim"))
    moved = f"{label(base, 'ticket_statuses', 'new')} → {label(base, 'ticket_statuses', 'claimed')}"
    expect(event.locator(".event-move")).to_have_text(moved)

    # The page writes what /api/meta says, not words of its own: other labels there, other words here.
    meta = httpx.get(f"{base}/api/meta").json()
    for term in meta["ticket_statuses"] + meta["ticket_actions"]:
        term["label"] = f"〔{term['label']}〕"
    renamed = console(browser, base, "李强", meta=meta)
    shown = f"〔{claimed['status_label']}〕"
    expect(renamed.locator(f"#queue-rows tr[data-number='{number}'] .status")).to_have_text(shown)
    expect(renamed.locator("#filter-status option[value='claimed']")).to_have_text(shown)
    renamed.get_by_role("button", name=f"查看工单 {number}").click()
    expect(renamed.locator("#detail-status")).to_have_text(shown)
    claim = f"〔{label(base, 'ticket_actions', 'claim')}〕"
    expect(renamed.locator("#claim")).to_have_text(claim)
    expect(renamed.locator("#detail .event-claim .event-action")).to_have_text(claim)
    finish(page, renamed)


def test_queue_marks_overdue_refreshes_and_filters(service, browser):
    base = service["base"]
    page = console(browser, base, "王芳", fake_clock=True)
    row = page.locator(f"#queue-rows tr[data-number='{service['overdue']}']")
    expect(row).to_have_class("overdue")
    expect(row.locator(".overdue-tag")).to_be_visible()
    expect(row.locator(".urgent-tag")).to_have_text(order(base, service["overdue"])["urgency"])

    later = create_order(base, type="建议", content="建议地铁2号线末班车延长到晚上11点")
    expect(page.locator("#queue-rows")).not_to_contain_text(later)
    page.clock.fast_forward(20_000)
    expect(page.locator(f"#queue-rows tr[data-number='{later}']")).to_be_visible()

    late = httpx.get(f"{base}/api/tickets", params={"overdue": "true"}, headers=AUTH).json()
    page.get_by_label("只看超时").check()
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#queue-rows tr")).to_have_count(late["total"])
    expect(page.locator("#queue-rows tr:not(.overdue)")).to_have_count(0)
    finish(page)


def test_assist_suggests_a_work_order_and_a_service_item(service, browser):
    base = service["base"]
    page = console(browser, base, "王芳")
    box = page.get_by_label("来电内容（边听边记，系统自动识别）")

    expected = suggestion(base, NOISE)
    box.fill(NOISE)
    expect(page.locator("#suggest-type")).to_have_text(expected["type"])
    expect(page.locator("#suggest-topic")).to_contain_text(expected["topic"]["l1"])
    expect(page.locator("#suggest-topic")).to_contain_text(expected["topic"]["l2"])
    expect(page.locator("#suggest-confidence")).to_contain_text(f"{round(expected['confidence'] * 100)}%")

    # The agent types on while the answer to the first words is still on its way: that request is
    # cancelled, and only the answer to the whole question is shown.
    first_words = ID_CARD[:5]
    held = []

    def hold_first_words(route):
        if json.loads(route.request.post_data or "{}").get("text") == first_words and not held:
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/assist", hold_first_words)
    with page.expect_request(lambda r: r.url.endswith("/api/assist") and first_words in (r.post_data or "")):
        box.fill(first_words)
    answer = httpx.post(f"{base}/api/assist", json={"text": ID_CARD}, timeout=30).json()
    with page.expect_event("requestfailed", lambda r: r.url.endswith("/api/assist")):
        box.fill(ID_CARD)
    held[0].continue_()

    top = page.locator("#assist-items details").first
    expect(top.locator(".item-name")).to_have_text(answer["items"][0]["name"])
    assert answer["notice"] is not None and answer["notice"]["materials"]
    materials = top.locator(".material-name")
    expect(materials).to_have_count(len(answer["notice"]["materials"]))
    expect(materials).to_have_text([m["name"] for m in answer["notice"]["materials"]])
    expect(top.locator(".notice")).to_contain_text(answer["notice"]["fee"]["amount"])
    expect(page.locator("#suggest-type")).to_have_text(suggestion(base, ID_CARD)["type"])

    # Another item's notice is read when the agent opens it.
    other = answer["items"][1]
    notice = httpx.get(f"{base}/api/catalogue/items/{other['code']}/notice").json()
    second = page.locator(f"#assist-items details[data-code='{other['code']}']")
    second.locator("summary").click()
    expect(second.locator(".material-name")).to_have_text([m["name"] for m in notice["materials"]])
    page.screenshot(path=str(SCREENSHOTS / "console_assist.png"), full_page=True)
    finish(page)


def test_new_order_from_the_assist_panel(service, browser):
    base = service["base"]
    page = console(browser, base, "王芳")
    text = "我姓陈，电话13900001111，东湖路和建设路交叉口的路灯坏了一个星期，晚上很黑，请尽快修一下"
    expected = suggestion(base, text)
    page.get_by_label("来电内容（边听边记，系统自动识别）").fill(text)
    expect(page.locator("#suggest-type")).to_have_text(expected["type"])
    page.get_by_role("button", name="据此新建工单").click()

    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("类型")).to_have_value(expected["type"])
    expect(dialog.get_by_label("一级分类")).to_have_value(expected["topic"]["l1"])
    expect(dialog.get_by_label("诉求内容")).to_have_value(text)
    assert expected["phone"] == "13900001111" and expected["place"]
    expect(dialog.get_by_label("联系电话")).to_have_value(expected["phone"])
    expect(dialog.get_by_label("地点")).to_have_value(expected["place"])
    expect(dialog.get_by_label("摘要")).to_have_value(expected["summary"])
    dialog.get_by_label("诉求人（选填）").fill("陈先生")
    with page.expect_response(lambda r: r.url.endswith("/api/tickets") and r.request.method == "POST") as posted:
        dialog.get_by_role("button", name="提交工单").click()
    assert posted.value.status == 201
    number = posted.value.json()["number"]
    expect(dialog).to_be_hidden()
    expect(page.locator("#detail-number")).to_have_text(number)
    created = order(base, number)
    assert (created["channel"], created["requester"], created["phone"]) == ("hotline", "陈先生", "13900001111")
    assert (created["type"], created["topic_l1"], created["topic_l2"]) == (
        expected["type"], expected["topic"]["l1"], expected["topic"]["l2"]
    )
    row = page.locator(f"#queue-rows tr[data-number='{number}']")
    expect(row).to_contain_text(created["summary"])
    expect(row.locator(".status")).to_have_text(created["status_label"])
    expect(page.locator("#detail-notice")).to_contain_text(number)
    finish(page)


def test_narrow_screen(service, browser):
    page = console(browser, service["base"], "王芳", width=800)
    page.get_by_role("button", name=f"查看工单 {service['overdue']}").click()
    expect(page.locator("#detail-number")).to_have_text(service["overdue"])
    page.get_by_label("来电内容（边听边记，系统自动识别）").fill(NOISE)
    expect(page.locator("#suggest-type")).not_to_be_empty()
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    page.screenshot(path=str(SCREENSHOTS / "console_narrow.png"), full_page=True)
    finish(page)


def test_export_downloads_the_filtered_queue_with_phones_masked(service, browser):
    base = service["base"]
    number = create_order(base, type="举报", content="举报清江路有人非法倒卖车牌，联系我 13912345678")
    page = console(browser, base, "王芳")
    page.locator("#filter-type").select_option("举报")
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert info.value.suggested_filename.endswith(".csv")
    exported = {line.split(",")[0] for line in text.splitlines()[1:]}
    reports = httpx.get(f"{base}/api/tickets", params={"type": "举报", "page_size": 100}, headers=AUTH).json()
    assert exported == {item["number"] for item in reports["items"]} and number in exported
    assert "13912345678" not in text and "13812345678" not in text and "138****5678" in text
    finish(page)


def parked(base: str, **params) -> list[dict]:
    response = httpx.get(f"{base}/api/outbox/parked", params=params, headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_message_that_did_not_reach_the_citizen_is_shown_and_sent_again(service, browser):
    base, url = service["base"], service["database_url"]
    number = create_order(base, channel="wechat", type="咨询", content="公积金提取需要什么材料，转人工",
                          conversation_id="wechat:oConsoleTest")
    page = console(browser, base, "王芳")
    page.get_by_role("button", name=f"查看工单 {number}").click()
    claim_button(page, base).click()
    page.get_by_label("发消息给市民").fill("您好，我是12345话务员王芳，请问您是在本市缴存的公积金吗？")
    page.get_by_role("button", name="发送消息").click()
    expect(page.locator("#transcript .msg-text")).to_have_count(1)
    expect(page.locator("#outbox-notice")).to_be_hidden()

    # WeChat refuses the agent's line for good: the citizen has not written for 48 hours.
    with get_session_factory(url)() as session:
        line = session.scalars(
            select(OutboxMessage).where(OutboxMessage.ticket_number == number, OutboxMessage.destination == "wechat")
        ).one()
        line.status, line.attempts = OutboxStatus.UNDELIVERABLE, 1
        line.last_error = "errcode 45015: 用户超过48小时未与公众号互动，客服消息无法送达"
        session.commit()
        line_id = line.id
    [refused] = parked(base, ticket=number)
    assert refused["id"] == line_id

    page.get_by_role("button", name="刷新").click()
    notice = page.locator("#outbox-notice")
    item = notice.locator(f".parked[data-id='{line_id}']")
    expect(item.locator(".parked-kind")).to_have_text(label(base, "outbox_kinds", refused["kind"]))
    expect(item.locator(".parked-status")).to_have_text(label(base, "outbox_statuses", refused["status"]))
    expect(item.locator(".parked-reason")).to_contain_text(refused["last_error"])
    expect(item.locator(".parked-tries")).to_have_text(f"已尝试 {refused['attempts']} 次")
    expect(notice.locator(".parked")).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "console_outbox.png"), full_page=True)

    # The queue's header counts every parked message and lists them with their orders.
    everywhere = parked(base)
    expect(page.locator("#outbox-count")).to_have_text(str(len(everywhere)))
    page.locator("#outbox-badge").click()
    listed = page.get_by_role("dialog")
    expect(listed.locator(".parked")).to_have_count(len(everywhere))
    expect(listed.locator(f".parked[data-id='{line_id}']")).to_contain_text(f"工单 {number}")
    listed.get_by_role("button", name="关闭").click()

    item.get_by_role("button", name="重发").click()
    expect(notice).to_be_hidden()
    with get_session_factory(url)() as session:
        again = session.get(OutboxMessage, line_id)
        assert (again.status, again.attempts) == (OutboxStatus.PENDING, 0)
    assert parked(base) == []
    expect(page.locator("#outbox-badge")).to_be_hidden()
    expect(page.locator("#detail-notice")).to_contain_text(label(base, "outbox_kinds", refused["kind"]))
    with page.expect_response(lambda r: "/api/outbox/parked" in r.url):
        page.get_by_role("button", name="刷新").click()
    expect(notice).to_be_hidden()
    finish(page)

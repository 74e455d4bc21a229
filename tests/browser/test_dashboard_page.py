"""The operators' dashboard in a real browser, on known rows (tests/dashboard_data.py): what the charts
draw, the date range changing it, a CSV download, a refused range, and closing a 差评's follow-up.
Saves var/screenshots/dashboard.png (the README's docs/dashboard.png is a copy of it).

Runs Debian's Chromium (tests/chromium.py) through Playwright.
"""

import httpx
import pytest

from tests.chromium import SCREENSHOTS, chromium
from tests.dashboard_data import add_dashboard_rows
from tests.live_server import running_service, seeded_database

TOKEN = "dashboard-test-token"

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def service(tmp_path):
    url = seeded_database(tmp_path, add_dashboard_rows)
    env = {"FIXED_NOW": "2026-12-01T08:30:00", "STAFF_TOKEN": TOKEN, "OUTBOX_WORKER": "false"}
    with running_service(database_url=url, log_path=tmp_path / "uvicorn.log", env=env) as base:
        yield base


def chart_data(page, name: str) -> dict:
    """What the Chart.js instance of a chart draws: its labels and each dataset's label and numbers."""
    return page.evaluate("""(name) => {
        const chart = window.dashboard.charts[name];
        return {labels: chart.data.labels,
                datasets: Object.fromEntries(chart.data.datasets.map((d) => [d.label, d.data]))};
    }""", name)


def test_the_dashboard_draws_the_seeded_figures_and_follows_the_date_range(service, tmp_path):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN", accept_downloads=True)
        page.goto(f"{service}/dashboard")
        page.get_by_label("工作人员令牌").fill(TOKEN)
        page.get_by_role("button", name="进入").click()

        # The last 30 days by default, the service's rule: the form shows them.
        expect(page.locator("#summary-conversations")).to_have_text("共 10 轮对话，单日最多 4 个对话")
        expect(page.get_by_label("开始日期")).to_have_value("2026-11-02")
        expect(page.get_by_label("结束日期")).to_have_value("2026-12-01")
        outcomes = chart_data(page, "outcomes")
        assert len(outcomes["labels"]) == 30 and outcomes["labels"][-1] == "2026-12-01"
        assert outcomes["datasets"]["未理解"][-1] == 1 and outcomes["datasets"]["未理解占比（%）"][-1] == 16.7
        expect(page.locator("#summary-outcomes")).to_have_text("未理解占比 10%（1/10 轮）")
        assert chart_data(page, "top-items") == {"labels": ["居民身份证补领", "二手房转移登记"],
                                                 "datasets": {"轮次": [2, 1]}}
        assert chart_data(page, "ticket-deadlines")["datasets"]["工单数"] == [1, 1, 1, 1, 1]
        expect(page.locator("#summary-bookings")).to_have_text("预约 5 个，爽约 2 个（40%）")
        expect(page.get_by_role("img", name="好差评（按渠道）：评价 2 个，差评 1 个（50%）")).to_be_visible()

        # The open follow-up of the November 差评, due 15 working days after it.
        task = page.locator("tr[data-follow-up]")
        expect(task).to_have_count(1)
        expect(task).to_contain_text("12345-20261121-00001")
        expect(task).to_contain_text("2026-12-21 09:00")
        page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)

        # One day: the figures follow.
        page.get_by_label("开始日期").fill("2026-12-01")
        page.get_by_label("结束日期").fill("2026-12-01")
        page.get_by_role("button", name="查看").click()
        expect(page.locator("#summary-conversations")).to_have_text("共 6 轮对话，单日最多 4 个对话")
        assert chart_data(page, "conversations") == {"labels": ["2026-12-01"],
                                                     "datasets": {"对话数": [4], "轮次": [6]}}
        assert chart_data(page, "top-items")["datasets"]["轮次"] == [1]
        expect(page.locator("#summary-ratings-by-channel")).to_have_text("评价 0 个，差评 0 个（0%）")

        # Each chart's data as a spreadsheet, for the range shown.
        with page.expect_download() as download:
            page.locator("[data-chart='handoffs']").get_by_role("button", name="下载 CSV").click()
        assert download.value.suggested_filename == "dashboard-handoffs-20261201-20261201.csv"
        saved = tmp_path / "handoffs.csv"
        download.value.save_as(saved)
        assert saved.read_bytes().decode("utf-8-sig").splitlines() == [
            "主题,轮次,转人工,转人工率（%）", "城乡建设,3,1,33.3", "政法,2,1,50.0"]

        # A reversed range is refused in Chinese and the charts stay as they were.
        page.get_by_label("开始日期").fill("2026-12-01")
        page.get_by_label("结束日期").fill("2026-11-01")
        page.get_by_role("button", name="查看").click()
        expect(page.locator("#message")).to_contain_text("不能晚于结束日期")
        assert chart_data(page, "conversations")["labels"] == ["2026-12-01"]

        # Closing the follow-up needs a name and what was done; then it leaves the list.
        task.get_by_role("button", name="办结并告知市民").click()
        expect(page.locator("#message")).to_have_text("请先填写经办人姓名")
        page.get_by_label("经办人").fill("王芳")
        task.get_by_role("button", name="办结并告知市民").click()
        expect(page.locator("#message")).to_have_text("请填写整改情况，办结后会告知市民")
        task.get_by_label("整改情况（工单 12345-20261121-00001）").fill("已联系住建部门修复路灯，并回访市民")
        task.get_by_role("button", name="办结并告知市民").click()
        expect(page.locator("#message")).to_have_text("工单 12345-20261121-00001 的整改已办结，已通知市民")
        expect(page.locator("tr[data-follow-up]")).to_have_count(0)
        expect(page.locator("#follow-ups-summary")).to_have_text("目前没有待整改的差评。")

    open_tasks = httpx.get(f"{service}/api/follow-ups", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert open_tasks == []

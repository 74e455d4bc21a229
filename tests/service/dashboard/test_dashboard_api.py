"""Each chart's figures on known rows (tests/dashboard_data.py), its CSV, the date range, and the same
figures on PostgreSQL."""

import csv
import io
from datetime import UTC, datetime

import pytest
from conftest import REAL_SEED, make_client, rasa_down_transport
from sqlalchemy import select

from service.core.db import get_session_factory
from service.migrate import upgrade_database
from service.review.models import LabelKind, ReviewLabel
from service.seeding import seed_database
from service.turns.models import Turn
from tests.dashboard_data import add_dashboard_rows

CHARTS = ("conversations", "outcomes", "top-items", "missing-items", "handoffs", "ticket-deadlines", "bookings",
          "ratings-by-channel", "ratings-by-item")


@pytest.fixture
def dashboard_db_url(booking_db_url) -> str:
    with get_session_factory(booking_db_url)() as session:
        add_dashboard_rows(session)
    return booking_db_url


@pytest.fixture
def client(dashboard_db_url):
    with make_client(dashboard_db_url, rasa_down_transport()) as test_client:
        yield test_client


def chart(client, headers, name: str, **params) -> dict:
    response = client.get(f"/api/dashboard/{name}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def rows_by_label(table: dict) -> dict:
    return {row[0]: row[1:] for row in table["rows"]}


def test_the_default_range_is_the_last_30_days_on_local_days(client, staff_headers):
    table = chart(client, staff_headers, "conversations")
    assert (table["start"], table["end"]) == ("2026-11-02", "2026-12-01")
    assert [c["label"] for c in table["columns"]] == ["日期", "对话数", "轮次"]
    assert len(table["rows"]) == 30 and table["rows"][0] == ["2026-11-02", 0, 0]
    # 00:10 on 1 December in Shanghai is 30 November in UTC; it counts on the 1st.
    assert table["rows"][-2:] == [["2026-11-30", 4, 4], ["2026-12-01", 4, 6]]


def test_outcomes_per_day_with_the_share_not_understood(client, staff_headers):
    table = chart(client, staff_headers, "outcomes")
    assert [c["key"] for c in table["columns"]] == [
        "day", "notice", "offered", "referral", "handoff", "declined", "not_understood", "other",
        "not_understood_share"]
    assert table["columns"][6]["label"] == "未理解"
    days = rows_by_label(table)
    assert days["2026-12-01"] == [1, 0, 2, 2, 0, 1, 0, 16.7]
    assert days["2026-11-30"] == [1, 1, 1, 1, 0, 0, 0, 0.0]
    assert days["2026-11-29"] == [0] * 7 + [0.0]


def test_the_items_asked_about_most_carry_their_catalogue_names(client, staff_headers):
    table = chart(client, staff_headers, "top-items")
    assert table["rows"] == [["GA-SFZ-002", "居民身份证补领", 2], ["BDC-ZYDJ-001", "二手房转移登记", 1]]


def test_referrals_show_what_the_catalogue_lacks_with_the_latest_question(client, staff_headers):
    table = chart(client, staff_headers, "missing-items")
    assert table["rows"] == [["城乡建设", 2, 1, "二手房过户去哪里办"], ["劳动和社会保障", 1, 1, "养老保险怎么交"]]


def test_a_reviewers_labels_move_a_message_into_or_out_of_what_the_catalogue_lacks(client, staff_headers, dashboard_db_url):
    with get_session_factory(dashboard_db_url)() as session:
        turns = {turn.text: turn.id for turn in session.scalars(select(Turn))}
        session.add_all([
            ReviewLabel(turn_id=turns["那个东西咋弄"], kind=LabelKind.MISSING, intent="ask_materials",
                        phrase="护照加急", reviewer="李娜", labelled_at=datetime(2026, 12, 2, tzinfo=UTC)),
            ReviewLabel(turn_id=turns["养老保险怎么交"], kind=LabelKind.LABEL, intent="ask_materials",
                        item_code="GA-SFZ-002", reviewer="李娜", labelled_at=datetime(2026, 12, 2, tzinfo=UTC)),
        ])
        session.commit()
    table = chart(client, staff_headers, "missing-items")
    assert table["rows"] == [["城乡建设", 2, 1, "二手房过户去哪里办"], ["护照加急", 1, 1, "那个东西咋弄"]]


def test_the_handoff_rate_by_topic(client, staff_headers):
    table = chart(client, staff_headers, "handoffs")
    # One taxonomy for every outcome: 城乡建设's five questions, two of them handed over.
    assert table["rows"] == [["城乡建设", 5, 2, 40.0], ["政法", 3, 1, 33.3], ["劳动和社会保障", 1, 0, 0.0]]


def test_work_orders_against_their_deadlines_as_of_now(client, staff_headers):
    table = chart(client, staff_headers, "ticket-deadlines")
    # The October order is outside the range; the one due tonight is within the 24-hour warning.
    assert table["rows"] == [["按期答复", 1], ["超期答复", 1], ["办理中（期限内）", 1], ["临近期限（24小时内）", 1],
                             ["已超期未答复", 1]]


def test_bookings_and_no_shows_per_hall(client, staff_headers):
    halls = rows_by_label(chart(client, staff_headers, "bookings"))
    assert halls["A 清江市政务服务中心"] == [4, 2, 1, 1, 25.0]
    assert halls["B 清江市公安局出入境接待大厅"] == [1, 0, 1, 0, 100.0]


def test_ratings_by_channel_and_by_item(client, staff_headers):
    channels = chart(client, staff_headers, "ratings-by-channel")
    assert [c["label"] for c in channels["columns"]] == [
        "渠道", "非常满意", "满意", "基本满意", "不满意", "非常不满意", "评价数", "差评率（%）"]
    assert channels["rows"] == [["网站", 0, 1, 0, 0, 0, 1, 0.0], ["微信", 0, 0, 0, 1, 0, 1, 100.0],
                                ["热线电话", 0, 0, 0, 0, 0, 0, 0.0]]
    items = rows_by_label(chart(client, staff_headers, "ratings-by-item"))
    assert items == {"城乡建设": [0, 0, 0, 1, 0, 1, 100.0], "居民身份证补领": [0, 1, 0, 0, 0, 1, 0.0]}


def test_the_date_range_changes_the_figures(client, staff_headers):
    one_day = {"from": "2026-12-01", "to": "2026-12-01"}
    assert chart(client, staff_headers, "conversations", **one_day)["rows"] == [["2026-12-01", 4, 6]]
    assert chart(client, staff_headers, "top-items", **one_day)["rows"] == [["GA-SFZ-002", "居民身份证补领", 1]]
    october = {"from": "2026-10-01", "to": "2026-10-31"}
    assert rows_by_label(chart(client, staff_headers, "ratings-by-channel", **october))["热线电话"] == [
        0, 0, 0, 0, 1, 1, 100.0]
    assert rows_by_label(chart(client, staff_headers, "outcomes", **october))["2026-10-01"][5] == 1


def test_each_chart_downloads_as_csv_that_excel_reads(client, staff_headers):
    for name in CHARTS:
        response = client.get(f"/api/dashboard/{name}", params={"format": "csv"}, headers=staff_headers)
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith("text/csv")
        assert f'filename="dashboard-{name}-20261102-20261201.csv"' in response.headers["content-disposition"]
        assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the Chinese right
        table = chart(client, staff_headers, name)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [c["label"] for c in table["columns"]]
        assert rows[1:] == [[str(cell) for cell in row] for row in table["rows"]]
    handoffs = client.get("/api/dashboard/handoffs?format=csv", headers=staff_headers).content.decode("utf-8-sig")
    assert handoffs.splitlines() == ["主题,轮次,转人工,转人工率（%）", "城乡建设,5,2,40.0", "政法,3,1,33.3",
                                     "劳动和社会保障,1,0,0.0"]


@pytest.mark.parametrize(("params", "reason"), [
    ({"from": "2026-12-01", "to": "2026-11-01"}, "开始日期（2026-12-01）不能晚于结束日期（2026-11-01）"),
    ({"from": "2024-01-01", "to": "2026-12-01"}, "查询范围最长 366 天"),
    ({"from": "2026-13-01"}, "参数 from 不正确"),
    ({"format": "xlsx"}, "参数 format 不正确"),
])
def test_a_bad_range_or_format_is_refused_with_a_chinese_reason(client, staff_headers, params, reason):
    response = client.get("/api/dashboard/conversations", params=params, headers=staff_headers)
    assert response.status_code == 422
    assert reason in response.json()["detail"]


def test_the_charts_need_the_staff_token(client):
    for name in CHARTS:
        assert client.get(f"/api/dashboard/{name}").status_code == 401
    assert client.get("/dashboard").status_code == 200  # the page asks for the token itself


def test_postgresql_gives_the_same_figures(client, staff_headers, postgres_url):
    upgrade_database(database_url=postgres_url)
    with get_session_factory(postgres_url)() as session:
        seed_database(seed_dir=REAL_SEED, session=session)
        add_dashboard_rows(session)
    with make_client(postgres_url, rasa_down_transport()) as on_postgres:
        for name in CHARTS:
            for params in ({}, {"from": "2026-10-01", "to": "2026-12-01"}):
                assert chart(on_postgres, staff_headers, name, **params) == chart(client, staff_headers, name, **params)

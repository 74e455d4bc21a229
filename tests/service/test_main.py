"""App-level behaviour: health, OpenAPI, and bad input that must never become a 500."""

import pytest
from conftest import row_counts


def test_health_reports_database_and_item_count(client):
    assert client.get("/health").json() == {"status": "ok", "database": "ok", "catalogue_items": 5}


def test_openapi_lists_the_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/catalogue/items",
        "/api/catalogue/items/{code}",
        "/api/catalogue/items/{code}/notice",
        "/api/catalogue/search",
        "/api/hall",
        "/api/assist",
        "/health",
    ):
        assert path in paths
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("", "请输入要咨询的内容"),
        ("   \n\t ", "请输入要咨询的内容"),
        ("身" * 5000, "内容过长，请控制在1000字以内"),
        ("😀😀🙏", "没有识别到文字"),
        ("？？？！！。。", "没有识别到文字"),
    ],
)
def test_bad_assist_text_gets_422_in_chinese(client, fixture_db_url, text, detail):
    before = row_counts(fixture_db_url)
    response = client.post("/api/assist", json={"text": text})
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)
    assert response.json()["errors"][0]["loc"] == ["body", "text"]
    assert row_counts(fixture_db_url) == before


@pytest.mark.parametrize(
    ("q", "detail"),
    [("", "请输入要咨询的内容"), ("🙂🙂", "没有识别到文字"), ("补" * 1001, "内容过长")],
)
def test_bad_search_text_gets_422(client, q, detail):
    response = client.get("/api/catalogue/search", params={"q": q})
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)


def test_missing_query_and_bad_body_get_chinese_422(client):
    assert client.get("/api/catalogue/search").json()["detail"] == "缺少参数 q"
    response = client.post("/api/assist", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["detail"] == "请求内容不是有效的 JSON"
    response = client.post("/api/assist", json={"message": "身份证"})
    assert response.status_code == 422 and response.json()["detail"] == "缺少参数 text"
    response = client.post("/api/assist", json={"text": 42})
    assert response.status_code == 422 and "text" in response.json()["detail"]


@pytest.mark.parametrize(
    "text",
    [
        "😀身份证丢了😭要带啥",
        "我的ID card丢了，想补办身份证",
        "'; DROP TABLE item;--",
        "身份证' OR '1'='1",
        "身份证%_%",
        "1234567",
    ],
)
def test_odd_but_valid_text_is_answered_and_db_intact(client, fixture_db_url, text):
    before = row_counts(fixture_db_url)
    for response in (
        client.post("/api/assist", json={"text": text}),
        client.get("/api/catalogue/search", params={"q": text}),
        client.get("/api/catalogue/items", params={"q": text}),
    ):
        assert response.status_code == 200, response.text
    assert row_counts(fixture_db_url) == before
    assert client.get("/health").json()["catalogue_items"] == 5


def test_real_questions_with_emoji_and_english_still_match(client):
    items = client.post("/api/assist", json={"text": "😀身份证丢了😭要带啥"}).json()["items"]
    assert items[0]["name"] == "居民身份证补领"
    items = client.get("/api/catalogue/search", params={"q": "我想apply护照 passport"}).json()["items"]
    assert items[0]["name"] == "普通护照签发"

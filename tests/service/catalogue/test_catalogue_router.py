"""The catalogue HTTP API on the fixture catalogue."""

import pytest
from conftest import row_counts


def test_items_are_paginated_in_code_order(client):
    first = client.get("/api/catalogue/items", params={"page": 1, "page_size": 2}).json()
    second = client.get("/api/catalogue/items", params={"page": 3, "page_size": 2}).json()
    assert first["total"] == 5 and first["page"] == 1 and first["page_size"] == 2
    assert [i["code"] for i in first["items"]] == ["GA-CRJ-001", "GA-SFZ-001"]
    assert [i["code"] for i in second["items"]] == ["SC-SP-001"]
    beyond = client.get("/api/catalogue/items", params={"page": 9}).json()
    assert beyond["items"] == [] and beyond["total"] == 5


@pytest.mark.parametrize("department", ["SC", "sc", "市场监督管理局", "测试市市场监督管理局"])
def test_items_filter_by_department_code_or_name(client, department):
    page = client.get("/api/catalogue/items", params={"department": department}).json()
    assert [i["code"] for i in page["items"]] == ["SC-GT-001", "SC-SP-001"]
    assert page["items"][0]["department"]["short_name"] == "市场监督管理局"


def test_items_filter_by_text(client):
    page = client.get("/api/catalogue/items", params={"q": "身份证"}).json()
    assert {i["name"] for i in page["items"]} == {"居民身份证换领", "居民身份证补领"}
    assert client.get("/api/catalogue/items", params={"q": "%"}).json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page": "x"}, {"page_size": 0}, {"page_size": 101}, {"page": -1}, {"page": 1.5}],
)
def test_bad_pagination_is_422_in_chinese(client, params):
    response = client.get("/api/catalogue/items", params=params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("参数 page")


def test_item_detail_has_everything(client):
    item = client.get("/api/catalogue/items/GA-SFZ-002").json()
    assert item["name"] == "居民身份证补领" and item["department"]["code"] == "GA"
    assert [s["id"] for s in item["situations"]] == ["adult", "minor"]
    assert [m["name"] for m in item["materials"]][:2] == ["居民户口簿", "监护人居民身份证"]
    assert item["materials"][1]["situations"] == ["minor"]
    assert item["fee"] == {"amount": "20元", "basis": "居民身份证收费标准"}
    assert item["related"] == [{"code": "GA-CRJ-001", "name": "普通护照签发", "department": "测试市公安局"}]
    assert item["place"] == "政务服务中心一楼公安综合窗口"  # defaults to the department window


def test_item_handled_elsewhere_points_there(client):
    item = client.get("/api/catalogue/items/GA-CRJ-001").json()
    assert item["handled_here"] is False
    assert item["handled_by"]["name"] == "测试市出入境接待大厅"
    assert item["place"] == "测试市江边路 9 号" and item["phone"] == "0571-80000200"


def test_unknown_code_is_404_in_chinese(client):
    for path in ("/api/catalogue/items/XX-1", "/api/catalogue/items/XX-1/notice"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到事项编码 XX-1"}


def test_unknown_situation_is_404_naming_the_choices(client):
    response = client.get("/api/catalogue/items/GA-SFZ-002/notice", params={"situation": "elderly"})
    assert response.status_code == 404
    assert "elderly" in response.json()["detail"] and "minor（未满十六周岁由监护人陪同）" in response.json()["detail"]


def test_search_returns_ranked_items_with_situations(client):
    result = client.get("/api/catalogue/search", params={"q": "身份证丢了咋补", "limit": 2}).json()
    assert result["query"] == "身份证丢了咋补"
    top = result["items"][0]
    assert top["code"] == "GA-SFZ-002" and top["department"] == "测试市公安局"
    assert top["situations"] == [
        {"id": "adult", "name": "年满十六周岁本人办理"},
        {"id": "minor", "name": "未满十六周岁由监护人陪同"},
    ]
    assert 0 < top["score"] <= 1 and len(result["items"]) <= 2
    assert client.get("/api/catalogue/search", params={"q": "x", "limit": 0}).status_code == 422


def test_hall(client):
    assert client.get("/api/hall").json()["name"] == "测试市政务服务中心"


def test_gets_write_nothing(client, fixture_db_url):
    before = row_counts(fixture_db_url)
    for path in ("/api/catalogue/items", "/api/catalogue/items/GA-SFZ-002/notice", "/api/hall"):
        client.get(path)
    assert row_counts(fixture_db_url) == before

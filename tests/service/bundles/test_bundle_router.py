"""GET /api/bundles, /api/bundles/{code} and the merged notice over HTTP; colloquial search."""

import pytest


def test_the_list_has_every_bundle_in_the_seeds_order(real_client):
    body = real_client.get("/api/bundles").json()
    assert body["query"] is None and not body["confident"]
    assert [b["code"] for b in body["bundles"]] == [
        "newborn", "restaurant", "company", "retirement", "home-transfer", "hiring", "public-rental", "bereavement"]
    assert body["bundles"][0]["steps"] == 6


@pytest.mark.parametrize("words, code", [
    ("开饭店", "restaurant"),
    ("开餐馆", "restaurant"),
    ("打算和朋友合伙开家小面馆", "restaurant"),
    ("我想开个小饭馆", "restaurant"),
    ("孩子出生", "newborn"),
    ("生孩子了要办啥", "newborn"),
    ("老人去世", "bereavement"),
    ("退休手续", "retirement"),
    ("买二手房过户", "home-transfer"),
    ("注册个公司", "company"),
    ("公司招了个新员工", "hiring"),
    ("公租房怎么申请", "public-rental"),
])
def test_colloquial_names_find_their_bundle(real_client, words, code):
    body = real_client.get("/api/bundles", params={"q": words}).json()
    assert body["bundles"][0]["code"] == code
    assert body["confident"]


def test_words_about_no_life_event_find_none_for_sure(real_client):
    body = real_client.get("/api/bundles", params={"q": "今天天气怎么样"}).json()
    assert not body["confident"]


def test_one_bundle_with_its_steps_and_window(real_client):
    body = real_client.get("/api/bundles/restaurant").json()
    assert body["name"] == "开办餐饮店一件事"
    assert [s["key"] for s in body["steps"]][:3] == ["SC-GTDJ-001", "SC-SPXK-001", "SW-FP-001"]
    assert body["steps"][2]["handled_by"] == "国家税务总局清江市税务局办税服务厅"
    assert body["window"]["window_code"] == "A-SC"


@pytest.mark.parametrize("path, detail", [
    ("/api/bundles/nope", "未找到“一件事”编码 nope"),
    ("/api/bundles/nope/notice", "未找到“一件事”编码 nope"),
    ("/api/bundles/newborn/notice?situation=twins",
     "“新生儿出生一件事”没有情形 twins，可选情形：married（父母已办理结婚登记）、nonmarital（非婚生育）"),
])
def test_unknown_bundles_and_situations_are_404(real_client, path, detail):
    response = real_client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"] == detail


def test_an_empty_query_is_refused(real_client):
    assert real_client.get("/api/bundles", params={"q": "  "}).status_code == 422

"""The merged notice: order and dependencies, shared materials once, visits, fees and the critical path."""

from types import SimpleNamespace

import pytest

from service.bundles.models import BundleStep
from service.bundles.notice import critical_path, fee_summary


@pytest.fixture(scope="module")
def notices(real_seed_db_url):
    from conftest import make_client, rasa_down_transport

    with make_client(real_seed_db_url, rasa_down_transport()) as client:
        def get(code: str, situation: str | None = None) -> dict:
            response = client.get(f"/api/bundles/{code}/notice", params={"situation": situation} if situation else {})
            assert response.status_code == 200, response.text
            return response.json()
        yield get


def test_steps_come_in_order_with_their_dependencies(notices):
    newborn = notices("newborn")
    assert [s["key"] for s in newborn["steps"]] == [
        "WJ-CSZM-001", "vaccination", "GA-HJ-001", "YB-JMCB-001", "RS-SBK-001", "YB-SYJT-001"]
    registration = newborn["steps"][2]
    assert registration["after"] == ["WJ-CSZM-001"] and registration["in_catalogue"]
    assert "3. 出生登记（公安局），即办——先办出生医学证明首次签发，再办此项" in newborn["text"]


def test_a_step_outside_the_catalogue_says_who_handles_it(notices):
    vaccination = notices("newborn")["steps"][1]
    assert not vaccination["in_catalogue"] and vaccination["item_code"] is None
    assert "社区卫生服务中心" in vaccination["handled_by"]
    assert "预防接种证办理（本目录外，由出生医院产科" in notices("newborn")["text"]


def test_a_shared_document_is_listed_once_with_every_item_that_uses_it(notices):
    newborn = notices("newborn")
    ids = [m for m in newborn["materials"] if m["name"] == "父母双方居民身份证"]
    assert len(ids) == 1
    assert [u["item_code"] for u in ids[0]["used_by"]] == ["WJ-CSZM-001", "GA-HJ-001", "YB-JMCB-001", "RS-SBK-001"]
    # The names it goes by in the items are merged into one (same_materials).
    assert {u["name"] for u in ids[0]["used_by"]} == {"新生儿父母居民身份证", "父母双方居民身份证", "监护人居民身份证"}
    materials_section = newborn["sections"][3]
    assert materials_section.count("父母双方居民身份证") == 1
    assert "父母双方居民身份证 原件1份——用于：出生医学证明首次签发、出生登记、城乡居民基本医疗保险参保登记、社会保障卡申领（首次）" in materials_section


def test_materials_shared_by_data_are_not_to_bring(notices):
    restaurant = notices("restaurant")
    assert {m["name"] for m in restaurant["shared"]} == {"营业执照", "营业执照和税务登记信息"}
    assert all(m["bring"] for m in restaurant["materials"])
    assert "免提交：营业执照（食品经营许可（新办））" in restaurant["text"]


def test_each_step_uses_its_items_own_notice_for_the_bundles_situation(notices):
    married = notices("newborn", "married")
    assert married["situation"] == {"id": "married", "name": "父母已办理结婚登记", "description": None}
    registration = next(s for s in married["steps"] if s["key"] == "GA-HJ-001")
    assert registration["situation"]["id"] == "married"
    assert not any(m["name"] == "非婚生育情况说明" for m in married["materials"])
    refs = {r["item_code"]: r["notice_no"] for r in married["item_notices"]}
    assert refs["GA-HJ-001"].startswith("GA-HJ-001-MARRIED-")
    assert married["notice_no"].startswith("NEWBORN-MARRIED-")


def test_the_critical_path_adds_up_the_longest_chain(notices):
    restaurant = notices("restaurant")["time"]
    assert restaurant["critical_path"] == ["SC-GTDJ-001", "SC-SPXK-001"]
    assert restaurant["promised_days"] == 3  # 个体户 即办, then 食品经营许可 3 days
    assert restaurant["critical_path_with_conditional"] == ["SC-GTDJ-001", "fire_check"]
    assert restaurant["promised_days_with_conditional"] == 10
    assert restaurant["not_counted"] == ["户外招牌设置审批（备案）", "城镇污水排入排水管网许可"]
    retirement = notices("retirement")
    assert (retirement["time"]["promised_days"], retirement["time"]["promised_days_with_conditional"]) == (10, 25)
    assert "最长约25个工作日（职工基本养老保险关系转移15天 → 职工正常退休申请10天）" in retirement["text"]


def test_critical_path_waits_for_the_slowest_predecessor():
    steps = [BundleStep(key="a", after=[]), BundleStep(key="b", after=[]),
             BundleStep(key="c", after=["a", "b"]), BundleStep(key="d", after=["a"])]
    days = {"a": 2, "b": 5, "c": 1, "d": 3}
    assert critical_path(steps, lambda step: days[step.key]) == (6, ["b", "c"])
    # A step left out (按需) counts as done: c then waits only for a.
    assert critical_path([steps[0], steps[2]], lambda step: days[step.key]) == (3, ["a", "c"])


def test_fees_add_up_plain_amounts_and_quote_scales():
    def notice(code, amount):
        return SimpleNamespace(item=SimpleNamespace(code=code, name=code), fee=SimpleNamespace(amount=amount))

    fee = fee_summary([notice("A", "20元"), notice("B", "不收费"), notice("C", "10 元"),
                       notice("D", "住宅 80 元/件，非住宅 550 元/件")])
    assert fee.total_yuan == 30
    assert [p.item_code for p in fee.fixed] == ["A", "C"]
    assert [p.item_code for p in fee.by_standard] == ["D"]


def test_the_cost_section_says_how_the_time_was_computed(notices):
    transfer = notices("home-transfer")
    assert "另按标准收费：二手房转移登记住宅 80 元/件" in transfer["text"]
    assert "计算方法：每项按承诺办结时限计，即办件计 0 天" in transfer["text"]
    assert notices("newborn")["fee"]["fixed"] == [] and "全部事项均不收费" in notices("newborn")["text"]


def test_items_done_on_the_spot_share_a_visit_and_a_wait_starts_another(notices):
    newborn = notices("newborn")["visits"]
    assert newborn[0]["steps"] == ["WJ-CSZM-001", "GA-HJ-001", "YB-JMCB-001", "RS-SBK-001", "YB-SYJT-001"]
    transfer = notices("retirement")["visits"]
    assert [v["steps"] for v in transfer] == [["RS-YLZY-001"], ["RS-TX-001"]]
    assert transfer[1]["waits_for"] == ["RS-YLZY-001"]
    restaurant = notices("restaurant")["visits"]
    assert [v["place"] for v in restaurant] == ["清江市政务服务中心", "国家税务总局清江市税务局办税服务厅"]


def test_the_one_window_and_the_one_booking_that_covers_the_bundle(notices):
    window = notices("newborn")["window"]
    assert (window["hall_code"], window["window_code"]) == ("A", "A-B2")
    assert window["booking_item_code"] == "WJ-CSZM-001"
    assert window["items_at_window"] == ["WJ-CSZM-001"]
    # The booking names a step everyone does, not the 按需 pension transfer.
    assert notices("retirement")["window"]["booking_item_code"] == "RS-TX-001"
    assert "预约一次即可：预约时选择“出生医学证明首次签发”" in notices("newborn")["text"]


def test_the_notice_is_headed_like_every_notice_and_is_stable(notices):
    first, again = notices("company"), notices("company")
    assert first["sections"][0].startswith("【企业开办一件事】一次性告知（告知单号：COMPANY-ALL-")
    assert first["notice_no"] == again["notice_no"]

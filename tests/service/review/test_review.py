"""The review API: queues of the turns worth a second look, labels with who and when, refusals in Chinese."""

import pytest
import yaml
from sqlalchemy import select

from service.core import templates as t
from service.core.db import get_session_factory
from service.core.settings import REPO_ROOT, get_settings
from service.review.models import LabelKind, ReviewLabel

CONVERSATION = "web-review-0001"


def bot() -> dict[str, str]:
    return {"Authorization": f"Bearer {get_settings().BOT_TOKEN}"}


def report(client, message_id: str, text: str, outcome: str, **fields) -> int:
    body = {"conversation_id": CONVERSATION, "message_id": message_id, "at": f"2026-12-07T10:00:{len(message_id):02d}+08:00",
            "channel": "web", "text": text, "outcome": outcome, **fields}
    response = client.post("/api/turns", json=body, headers=bot())
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture
def turns(booking_client) -> dict[str, int]:
    ids = {
        "unclear": report(booking_client, "m-unclear", "那个东西咋弄", "not_understood", intent="nlu_fallback",
                          intent_confidence=0.3),
        "unsure": report(booking_client, "m-unsure", "我想换个驾照", "notice", intent="ask_materials",
                         intent_confidence=0.9, item_code="GA-JJ-001", item_confidence=0.41),
        "sure": report(booking_client, "m-sure", "补办身份证要带什么", "notice", intent="ask_materials",
                       intent_confidence=0.97, item_code="GA-SFZ-002", item_confidence=0.95),
        "denied": report(booking_client, "m-denied", "办护照要多久", "notice", intent="ask_time_limit",
                         intent_confidence=0.95, item_code="GA-SFZ-002", item_confidence=0.9),
        "tap": report(booking_client, "m-tap", "/nlu_fallback", "not_understood", intent="nlu_fallback"),
        "handoff": report(booking_client, "m-handoff", "楼下烧烤店太吵", "handoff", intent="complain"),
    }
    booking_client.post(f"/api/turns/{CONVERSATION}/disputes", json={"message_id": "m-denied", "reason": "denied"},
                        headers=bot())
    return ids


def test_the_api_wants_the_staff_token(booking_client):
    assert booking_client.get("/api/review/queues").status_code == 401
    assert booking_client.get("/api/review/queues", headers=bot()).status_code == 401


def test_each_queue_holds_its_turns_newest_first_without_button_taps(booking_client, staff_headers, turns):
    def ids(queue):
        response = booking_client.get(f"/api/review/queues/{queue}", headers=staff_headers)
        assert response.status_code == 200, response.text
        return [row["id"] for row in response.json()]

    assert ids("not_understood") == [turns["unclear"]]
    assert ids("low_confidence") == [turns["unsure"]]
    assert ids("disputed") == [turns["denied"]]
    assert ids("agent_corrected") == []
    counts = booking_client.get("/api/review/queues", headers=staff_headers).json()
    assert {c["queue"]: c["waiting"] for c in counts} == {
        "not_understood": 1, "low_confidence": 1, "disputed": 1, "agent_corrected": 0}
    assert counts[0]["label"] == "未理解"
    [unsure] = booking_client.get("/api/review/queues/low_confidence", headers=staff_headers).json()
    assert unsure["item_name"] == "机动车驾驶证期满换证" and unsure["label"] is None


def test_a_label_moves_the_turn_out_of_its_queue_and_can_be_replaced(booking_client, booking_db_url, staff_headers,
                                                                     turns):
    url = f"/api/review/turns/{turns['unclear']}/label"
    first = booking_client.put(url, json={"reviewer": "李娜", "intent": "ask_materials", "item_code": "GA-SFZ-002"},
                               headers=staff_headers)
    assert first.status_code == 200, first.text
    assert first.json()["item_name"] == "居民身份证补领" and first.json()["kind"] == "label"
    assert booking_client.get("/api/review/queues/not_understood", headers=staff_headers).json() == []
    [done] = booking_client.get("/api/review/queues/not_understood?labelled=true", headers=staff_headers).json()
    assert done["label"]["reviewer"] == "李娜"
    again = booking_client.put(url, json={"reviewer": "王芳", "kind": "alias", "intent": "ask_materials",
                                          "item_code": "GA-JJ-001", "phrase": "那个东西"}, headers=staff_headers)
    assert again.status_code == 200
    with get_session_factory(booking_db_url)() as session:
        [row] = session.scalars(select(ReviewLabel)).all()
    assert (row.kind, row.item_code, row.phrase, row.reviewer) == (LabelKind.ALIAS, "GA-JJ-001", "那个东西", "王芳")


def test_a_missing_matter_has_no_item(booking_client, staff_headers, turns):
    url = f"/api/review/turns/{turns['denied']}/label"
    ok = booking_client.put(url, json={"reviewer": "李娜", "kind": "missing", "intent": "ask_time_limit",
                                       "phrase": "护照加急"}, headers=staff_headers)
    assert ok.status_code == 200 and ok.json()["item_code"] is None


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        ({"reviewer": "李娜", "intent": "make_coffee"}, 422, "不在可选范围"),
        ({"reviewer": "李娜", "intent": "ask_fee", "item_code": "NO-SUCH"}, 422, "不在目录中"),
        ({"reviewer": "李娜", "kind": "alias", "intent": "ask_fee", "phrase": "换本本"}, 422, "哪个事项"),
        ({"reviewer": "李娜", "kind": "alias", "intent": "ask_fee", "item_code": "GA-JJ-001"}, 422, "别名"),
        ({"reviewer": "李娜", "kind": "missing", "intent": "ask_fee", "item_code": "GA-JJ-001"}, 422, "目录缺项"),
        ({"reviewer": "李娜", "kind": "alias", "intent": "ask_fee", "item_code": "GA-JJ-001",
          "phrase": "我那个驾照到期了想换一个新的驾照需要准备哪些东西"}, 422, "20 个字以内"),
        ({"reviewer": "李娜", "kind": "alias", "intent": "ask_fee", "item_code": "GA-JJ-001",
          "phrase": "138****5678换驾照"}, 422, "打码"),
        ({"reviewer": " ", "intent": "ask_fee"}, 422, "reviewer"),
    ],
)
def test_bad_labels_are_refused_in_chinese_and_nothing_is_stored(booking_client, staff_headers, turns, body, status,
                                                                 reason):
    response = booking_client.put(f"/api/review/turns/{turns['unsure']}/label", json=body, headers=staff_headers)
    assert response.status_code == status and reason in response.json()["detail"], response.text
    assert booking_client.get("/api/review/queues/low_confidence", headers=staff_headers).json()[0]["label"] is None


def test_an_unknown_turn_or_queue_is_refused(booking_client, staff_headers):
    missing = booking_client.put("/api/review/turns/999/label", json={"reviewer": "李娜", "intent": "ask_fee"},
                                 headers=staff_headers)
    assert missing.status_code == 404 and "999" in missing.json()["detail"]
    assert booking_client.get("/api/review/queues/everything", headers=staff_headers).status_code == 422


def test_the_intents_offered_are_the_domains_own():
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assignable = {i for i in domain["intents"] if not i.startswith("EXTERNAL_")} - {"nlu_fallback",
                                                                                    "request_consultation"}
    assert set(t.REVIEW_INTENTS) == assignable


def test_the_page_is_served(booking_client):
    page = booking_client.get("/review")
    assert page.status_code == 200 and "审核" in page.text

"""POST /api/tickets/classify: contract and bad input."""

import pytest

from service.triage.classifier import get_classifier
from service.triage.schemas import MAX_TICKET_CHARS


def test_classify_contract(client):
    title, content = "拖欠工资", "我在开发区电子厂干了两个月，老板一直不发工资，现在人也找不到了"
    response = client.post("/api/tickets/classify", json={"title": title, "content": content})
    assert response.status_code == 200
    body = response.json()
    assert body["topic"] == {"l1": "劳动和社会保障", "l2": "工资福利"}
    # The classifier's answer for title and content together, field by field (the title changes the confidence).
    expected = get_classifier().classify(content=content, title=title)
    assert body == {"type": expected.type, "topic": {"l1": expected.l1, "l2": expected.l2},
                    "confidence": expected.confidence}
    assert expected.confidence != get_classifier().classify(content=content).confidence


def test_title_is_optional(client):
    response = client.post("/api/tickets/classify", json={"content": "小区门口的路灯坏了好久没人修"})
    assert response.status_code == 200
    assert response.json()["topic"]["l1"] == "城乡建设"


@pytest.mark.parametrize(
    ("payload", "detail_part"),
    [
        ({"content": "   "}, "请输入"),
        ({"content": "啊" * (MAX_TICKET_CHARS + 1)}, str(MAX_TICKET_CHARS)),
        ({"content": "😡😡😡！！"}, "没有识别到文字"),
        ({"title": "只有标题"}, "content"),
    ],
    ids=["empty", "too-long", "emoji-only", "missing-content"],
)
def test_bad_input_is_422_in_chinese(client, payload, detail_part):
    response = client.post("/api/tickets/classify", json=payload)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail_part in detail
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail)


def test_content_at_the_limit_is_accepted(client):
    response = client.post("/api/tickets/classify", json={"content": "路灯坏了" * (MAX_TICKET_CHARS // 4)})
    assert response.status_code == 200

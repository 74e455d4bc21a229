"""The work-order classifier: data hygiene, clear golden messages, and how it behaves.

How accurate it is on the held-out set is measured by `make eval` (scripts/evaluate_triage.py,
beside the keyword baseline), not asserted here.
"""


import pytest

from service.core.settings import REPO_ROOT
from service.triage.classifier import (
    TICKET_TYPES,
    TRAIN_PATH,
    TicketClassifier,
    get_classifier,
    load_messages,
    load_taxonomy,
)

HOLDOUT_PATH = REPO_ROOT / "tests" / "triage" / "holdout.yaml"


def _normalised(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


@pytest.fixture(scope="module")
def train():
    return load_messages(TRAIN_PATH)


@pytest.fixture(scope="module")
def holdout():
    return load_messages(HOLDOUT_PATH)


def test_sizes_and_topic_coverage(train, holdout):
    assert len(train) >= 200 and len(holdout) >= 80
    assert len({m.l1 for m in train}) >= 12
    assert {m.l1 for m in holdout} <= {m.l1 for m in train}


def test_no_held_out_message_is_in_the_training_data(train, holdout):
    train_texts = {_normalised(m.content) for m in train}
    leaked = [m.content for m in holdout if _normalised(m.content) in train_texts]
    assert leaked == []
    # Nor any long shared stretch: a 20-character run of one held-out message inside a training one.
    joined = "\n".join(_normalised(m.content) for m in train)
    for m in holdout:
        text = _normalised(m.content)
        assert not any(text[i : i + 20] in joined for i in range(0, max(1, len(text) - 19))), m.content


@pytest.mark.parametrize("path", [TRAIN_PATH, HOLDOUT_PATH], ids=["train", "holdout"])
def test_labels_come_from_the_taxonomy(path):
    pairs = {(l1, l2) for l1, l2, _ in load_taxonomy()}
    for m in load_messages(path):
        assert (m.l1, m.l2) in pairs, (m.l1, m.l2, m.content)
        assert m.type in TICKET_TYPES, m.content


GOLDEN = [
    # (content, first-level topic, second-level topic, type or None where 投诉 and 求助 are both fair)
    ("我们公司老板拖欠了三个月的工资不发，打电话也不接", "劳动和社会保障", "工资福利", None),
    ("出租车司机不打表还拒载，车牌号清A·T8812", "交通运输", "出租车管理", "投诉"),
    ("楼下工地晚上十二点还在施工，噪音吵得孩子没法睡觉", "环境保护", "环境污染", "投诉"),
    ("身份证丢了怎么补办，要去哪个派出所", "政法", "户籍证件", "咨询"),
    ("举报村支书贪污扶贫款，收受贿赂", "纪检监察", "贪污贿赂", "举报"),
    ("家里宽带老是断网，运营商报修一直没人来", "科技与信息产业", "电信", "投诉"),
]
# Text with no character the classifier has seen: nothing to go on.
NOTHING_TO_GO_ON = ["", "😡😡", "ⅷⅸ"]


@pytest.mark.parametrize(("content", "l1", "l2", "ticket_type"), GOLDEN)
def test_golden_messages(content, l1, l2, ticket_type):
    result = get_classifier().classify(content=content)
    assert (result.l1, result.l2) == (l1, l2)
    if ticket_type:
        assert result.type == ticket_type
    assert 0.0 < result.confidence <= 1.0


def test_the_title_is_read_with_the_content():
    vague = "请问一下"
    assert get_classifier().classify(content=vague).l1 != "政法"
    titled = get_classifier().classify(content=vague, title="身份证丢了怎么补办")
    assert (titled.type, titled.l1, titled.l2) == ("咨询", "政法", "户籍证件")


def test_training_is_deterministic(train):
    """Two trainings on the same data answer alike, to the last digit, as the cached one does."""
    first, second = TicketClassifier(train, load_taxonomy()), TicketClassifier(train, load_taxonomy())
    for content, *_ in GOLDEN:
        answer = get_classifier().classify(content=content)
        assert first.classify(content=content) == second.classify(content=content) == answer


def test_nothing_to_go_on_gets_one_near_chance_guess():
    """No known character: the same answer as for empty text, with about 1 / (number of topics)
    confidence, below that of every clear message."""
    topics = len({l1 for l1, _, _ in load_taxonomy()})
    empty = get_classifier().classify(content="")
    assert empty.confidence < 2 / topics
    assert [get_classifier().classify(content=text) for text in NOTHING_TO_GO_ON] == [empty] * len(NOTHING_TO_GO_ON)
    assert empty.confidence < min(get_classifier().classify(content=content).confidence for content, *_ in GOLDEN)

"""The whole-message intent classifier: trains, reads long story-first messages by their end,
ignores masks, and survives a save and load through Rasa's model storage."""

from __future__ import annotations

import json

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.whole_message_classifier import WholeMessageClassifier

TRAINING = {
    "complain": ["小区晚上施工太吵了投诉一下", "物业乱收费没人管", "楼下烧烤店油烟太大熏得没法开窗",
                 "公交车司机态度太差了", "工地半夜还在打桩吵得睡不着", "路灯坏了好几个月没人修"],
    "ask_materials": ["身份证丢了补办要带什么", "换驾照需要哪些材料", "办营业执照要准备啥",
                      "提取公积金带什么证件", "孩子上户口要什么材料", "社保卡补办要带啥"],
    "greet": ["你好", "您好", "在吗", "哈喽", "早上好", "嗨"],
}


def tokenized(items: list[Message]) -> list[Message]:
    tokenizer = JiebaTokenizer(JiebaTokenizer.get_default_config(), None, Resource("jieba"))
    tokenizer.process(items)
    return items


def messages(intent_texts: dict[str, list[str]]) -> list[Message]:
    return tokenized([Message(data={"text": t, "intent": i}) for i, texts in intent_texts.items() for t in texts])


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def classify(component: WholeMessageClassifier, text: str) -> tuple[str, list[dict]]:
    message = tokenized([Message(data={"text": text})])[0]
    component.process([message])
    return message.get("intent")["name"], message.get("intent_ranking")


def test_trained_classifier_reads_the_request_and_ranks_with_probabilities(storage):
    resource = Resource("whole_message")
    component = WholeMessageClassifier.create({}, storage, resource, context())
    component.train(TrainingData(messages(TRAINING)))

    intent, ranking = classify(component, "补办社保卡要带什么材料")
    assert intent == "ask_materials"
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6
    assert ranking == sorted(ranking, key=lambda r: -r["confidence"])

    story = "领导您好，我是****小区**号楼的业主，这两个月每天晚上十二点了工地还在打桩，实在太吵了睡不着"
    assert classify(component, story)[0] == "complain"

    loaded = WholeMessageClassifier.load({}, storage, resource, context())
    assert classify(loaded, story) == classify(component, story)


def test_masks_do_not_change_the_reading(storage):
    component = WholeMessageClassifier.create({}, storage, Resource("masks"), context())
    component.train(TrainingData(messages(TRAINING)))
    assert classify(component, "****身份证丢了补办要带什么") == classify(component, "身份证丢了补办要带什么")


def test_untrained_classifier_leaves_messages_alone(storage):
    component = WholeMessageClassifier.load({}, storage, Resource("never_trained"), context())
    message = Message(data={"text": "你好"})
    component.process([message])
    assert message.get("intent") is None


def test_a_message_without_words_gets_no_intent_so_the_fallback_asks(storage):
    component = WholeMessageClassifier.create({}, storage, Resource("no_words"), context())
    component.train(TrainingData(messages(TRAINING)))
    for text in ("****", "？？？", "🙂🙂"):
        message = tokenized([Message(data={"text": text})])[0]
        component.process([message])
        assert message.get("intent") == {"name": None, "confidence": 0.0}
        assert message.get("intent_ranking") == []


def test_the_saved_model_is_plain_data_and_loads_to_the_same_probabilities(storage):
    resource = Resource("whole_message_plain")
    component = WholeMessageClassifier.create({}, storage, resource, context())
    component.train(TrainingData(messages(TRAINING)))

    with storage.read_from(resource) as directory:
        assert sorted(path.name for path in directory.iterdir()) == ["vocabularies.json", "weights.npz"]
        # No object arrays: a model file cannot carry code (np.load refuses pickles).
        with np.load(directory / "weights.npz", allow_pickle=False) as arrays:
            assert all(arrays[name].dtype != object for name in arrays.files)
    loaded = WholeMessageClassifier.load({}, storage, resource, context())
    for text in ["身份证丢了要带啥", "半夜施工太吵", "你好", "物业乱收费怎么投诉，还有公积金怎么提"]:
        assert classify(loaded, text) == classify(component, text)


def test_a_model_saved_with_other_views_is_not_loaded(storage):
    resource = Resource("whole_message_views")
    component = WholeMessageClassifier.create({}, storage, resource, context())
    component.train(TrainingData(messages(TRAINING)))
    with storage.read_from(resource) as directory:
        vocabularies = json.loads((directory / "vocabularies.json").read_text(encoding="utf-8"))
        del vocabularies["tail"]
        (directory / "vocabularies.json").write_text(json.dumps(vocabularies), encoding="utf-8")

    loaded = WholeMessageClassifier.load({}, storage, resource, context())
    message = tokenized([Message(data={"text": "身份证丢了要带啥"})])[0]
    loaded.process([message])
    assert message.get("intent") is None

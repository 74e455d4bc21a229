"""Test utterances must never be training data, or the accuracy figures would be flattering."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
PUNCTUATION = re.compile(r"[\s，。！？、,.!?~～…]+")


def normalise(text: str) -> str:
    return PUNCTUATION.sub("", ANNOTATION.sub(r"\1", text)).lower()


def training_texts() -> set[str]:
    texts = set()
    for path in (REPO_ROOT / "data" / "nlu").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                for line in block["examples"].splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        texts.add(normalise(line[2:]))
    return texts


def trained_intents() -> set[str]:
    intents = set()
    for path in (REPO_ROOT / "data" / "nlu").rglob("*.yml"):
        intents |= {b["intent"] for b in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []) if "intent" in b}
    return intents


HELD_OUT_SETS = ("holdout.yml", "holdout_real.yml", "dev_real_style.yml", "dev_short.yml", "dev_short_out_of_scope.yml")
DEVELOPMENT_SETS = ("dev_real_style.yml", "dev_short.yml", "dev_short_out_of_scope.yml")
# Character-pair overlap (Jaccard) from which two messages count as one paraphrased.
NEAR_DUPLICATE = 0.8


def holdout_texts(name: str = "holdout.yml") -> list[str]:
    examples = yaml.safe_load((REPO_ROOT / "tests" / "nlu" / name).read_text(encoding="utf-8"))
    return [example["text"] for example in examples["examples"]]


def pairs(text: str) -> frozenset[str]:
    text = normalise(text)
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def conversation_texts() -> list[str]:
    texts = []
    for path in (REPO_ROOT / "tests" / "conversations").glob("*.yml"):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            texts += [step["user"].strip() for step in story["steps"]
                      if "user" in step and not step["user"].strip().startswith("/")]
    return texts


@pytest.fixture(scope="module")
def trained() -> set[str]:
    return training_texts()


def test_training_data_is_found(trained):
    assert len(trained) > 500


@pytest.mark.parametrize("name", HELD_OUT_SETS)
def test_no_held_out_message_is_training_data(trained, name):
    leaked = [text for text in holdout_texts(name) if normalise(text) in trained]
    assert leaked == []


@pytest.mark.parametrize("name", HELD_OUT_SETS[1:])
def test_no_real_style_held_out_message_paraphrases_training_data(trained, name):
    training = [pairs(text) for text in trained]
    near = []
    for text in holdout_texts(name):
        mine = pairs(text)
        if any(len(mine & other) / (len(mine | other) or 1) >= NEAR_DUPLICATE for other in training):
            near.append(text)
    assert near == []


@pytest.mark.parametrize("name", DEVELOPMENT_SETS)
def test_no_development_message_is_a_test_message(name):
    """Parameters are chosen on the development sets: a held-out message among them would be tuned on."""
    test_sets = set(HELD_OUT_SETS) - set(DEVELOPMENT_SETS)
    tests = {normalise(text) for held_out in test_sets for text in holdout_texts(held_out)}
    assert [text for text in holdout_texts(name) if normalise(text) in tests] == []


def test_no_reviewed_message_held_back_is_training_data(trained):
    """tests/nlu/review_holdout.yml (make review-data) exists once reviewers have labelled messages;
    before that nothing is held back."""
    exported = (REPO_ROOT / "tests" / "nlu" / "review_holdout.yml").is_file()
    held_back = holdout_texts("review_holdout.yml") if exported else []
    leaked = [text for text in held_back if normalise(text) in trained]
    assert leaked == []


def test_no_conversation_test_message_is_training_data(trained):
    leaked = [text for text in conversation_texts() if normalise(text) in trained]
    assert leaked == []


def test_held_out_set_covers_every_must_cover_item_and_intent():
    examples = yaml.safe_load((REPO_ROOT / "tests" / "nlu" / "holdout.yml").read_text(encoding="utf-8"))["examples"]
    # The project's copy of the must-cover list: tests read only the repository.
    must_cover = (Path(__file__).parent / "must_cover_items.tsv").read_text(encoding="utf-8")
    names = {line.split("\t")[1] for line in must_cover.splitlines()[1:] if line.strip()}
    # Every intent citizens type (payload-only intents such as request_consultation have no examples).
    intents = {i for i in trained_intents() if i != "nlu_fallback"}
    assert len(examples) >= 150
    assert names <= {example.get("item") for example in examples}
    assert intents <= {example["intent"] for example in examples}

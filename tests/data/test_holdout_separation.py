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


def holdout_texts() -> list[str]:
    examples = yaml.safe_load((REPO_ROOT / "tests" / "nlu" / "holdout.yml").read_text(encoding="utf-8"))
    return [example["text"] for example in examples["examples"]]


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


def test_no_held_out_message_is_training_data(trained):
    leaked = [text for text in holdout_texts() if normalise(text) in trained]
    assert leaked == []


def test_no_conversation_test_message_is_training_data(trained):
    leaked = [text for text in conversation_texts() if normalise(text) in trained]
    assert leaked == []


def test_held_out_set_covers_every_must_cover_item_and_intent():
    examples = yaml.safe_load((REPO_ROOT / "tests" / "nlu" / "holdout.yml").read_text(encoding="utf-8"))["examples"]
    must_cover = (REPO_ROOT.parent / "shared" / "catalogue" / "must_cover_items.tsv").read_text(encoding="utf-8")
    names = {line.split("\t")[1] for line in must_cover.splitlines()[1:] if line.strip()}
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = {i for i in domain["intents"] if i != "nlu_fallback" and not i.startswith("EXTERNAL_")}
    assert len(examples) >= 150
    assert names <= {example.get("item") for example in examples}
    assert intents <= {example["intent"] for example in examples}

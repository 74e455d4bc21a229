"""Work-order classifier: type and first/second-level topic for a citizen's 12345 message.

Pure (no FastAPI, no database). Character 1-2-gram TF-IDF features throughout:
- l1: the first-level topic, mean of a class-balanced linear SVM (softmax of its margins) and
  complement naive Bayes; that mean probability is the confidence;
- l2: "l1/l2" pairs, linear SVM on the same features; only the pairs under the predicted l1 compete;
- type: 咨询 / 求助 / 投诉 / 举报 / 建议, class-balanced linear SVM.
The topic models also learn from the taxonomy: one document per (l1, l2) listing its l3 names and
one per l3 name, each weighted as three messages.
Chosen by 5-fold stratified cross-validation (shuffle, random_state=0) on the training set only.
On the original 1186 messages, l1 / type accuracy: logistic regression 0.733 / 0.828 (type SVM
unbalanced); SVM+NB with the weighted taxonomy documents 0.782; balanced type SVM 0.843; with the
226 messages of the fourth batch always in training 0.794 / 0.847 (the old model: 0.746 / 0.842).
No gain from: char 1-3 grams, jieba words, min_df/max_df, char_wb, NFKC/digit/filler
normalisation, summing l2-pair probabilities up to l1, adding logistic regression to the mean.
Trained in-process from service/seed/triage/train.yaml at first use (about 1 s), then cached.

`KeywordBaseline` is the simple reference used only by scripts/evaluate_triage.py.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

TRIAGE_SEED_DIR = Path(__file__).resolve().parents[1] / "seed" / "triage"
TRAIN_PATH = TRIAGE_SEED_DIR / "train.yaml"
# A copy of shared/taxonomy/12345_topics.tsv, so a fresh clone has it.
TAXONOMY_PATH = TRIAGE_SEED_DIR / "12345_topics.tsv"
TICKET_TYPES = ("咨询", "求助", "投诉", "举报", "建议")
L2_SEPARATOR = "/"
# A taxonomy pseudo-document counts as this many citizen messages when training the topic models.
TAXONOMY_WEIGHT = 3.0
# Scales the l1 SVM's margins before the softmax so they are as peaked as naive Bayes' probabilities.
SVM_SHARPNESS = 2.0


@dataclass(frozen=True)
class Message:
    content: str
    title: str = ""
    type: str = ""
    l1: str = ""
    l2: str = ""

    @property
    def text(self) -> str:
        return f"{self.title}。{self.content}" if self.title else self.content


@dataclass(frozen=True)
class Triage:
    type: str
    l1: str
    l2: str
    confidence: float  # probability of the predicted first-level topic


def load_messages(path: Path) -> list[Message]:
    """Labelled messages from a YAML file: a list under `messages`."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    return [
        Message(content=r["content"], title=r.get("title", ""), type=r["type"], l1=r["l1"], l2=r["l2"])
        for r in rows
    ]


def load_taxonomy(path: Path = TAXONOMY_PATH) -> list[tuple[str, str, str]]:
    """(l1, l2, l3) rows of the 12345 topic taxonomy."""
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["l1"], r["l2"], r["l3"]) for r in csv.DictReader(f, delimiter="\t")]


def taxonomy_documents(taxonomy: list[tuple[str, str, str]]) -> list[Message]:
    """One pseudo-message per (l1, l2): its names and all its l3 names."""
    l3s: dict[tuple[str, str], list[str]] = {}
    for l1, l2, l3 in taxonomy:
        l3s.setdefault((l1, l2), []).append(l3)
    return [Message(content=" ".join([l1, l2, *names]), l1=l1, l2=l2) for (l1, l2), names in l3s.items()]


def _l3_documents(taxonomy: list[tuple[str, str, str]]) -> list[Message]:
    """One pseudo-message per l3 name, so a single specific name is not drowned in its l2 list."""
    return [Message(content=f"{l2} {l3}", l1=l1, l2=l2) for l1, l2, l3 in taxonomy]


def _features() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)


def _pipeline(model) -> Pipeline:
    return Pipeline([("features", _features()), ("model", model)])


class TicketClassifier:
    def __init__(self, examples: list[Message], taxonomy: list[tuple[str, str, str]]) -> None:
        pseudo = taxonomy_documents(taxonomy) + _l3_documents(taxonomy)
        topical = examples + pseudo
        weights = np.array([1.0] * len(examples) + [TAXONOMY_WEIGHT] * len(pseudo))
        self._features = _features()
        x = self._features.fit_transform([m.text for m in topical])
        l1s = [m.l1 for m in topical]
        self._l1_svm = LinearSVC(class_weight="balanced").fit(x, l1s, sample_weight=weights)
        self._l1_nb = ComplementNB(alpha=0.3).fit(x, l1s, sample_weight=weights)
        self._l2 = LinearSVC().fit(x, [f"{m.l1}{L2_SEPARATOR}{m.l2}" for m in topical], sample_weight=weights)
        self._type = _pipeline(LinearSVC(class_weight="balanced")).fit(
            [m.text for m in examples], [m.type for m in examples]
        )

    def classify(self, *, content: str, title: str = "") -> Triage:
        text = Message(content=content, title=title).text
        x = self._features.transform([text])
        # Mean of the SVM's softened margins and naive Bayes' probabilities (same class order).
        l1_probs = (softmax(SVM_SHARPNESS * self._l1_svm.decision_function(x)[0]) + self._l1_nb.predict_proba(x)[0]) / 2
        best = int(l1_probs.argmax())
        l1 = str(self._l1_svm.classes_[best])
        l2_scores = self._l2.decision_function(x)[0]
        # Only the second-level topics under the chosen l1 compete.
        candidates = [
            (score, str(c).split(L2_SEPARATOR, 1)[1])
            for score, c in zip(l2_scores, self._l2.classes_)
            if str(c).startswith(l1 + L2_SEPARATOR)
        ]
        l2 = max(candidates)[1]
        ticket_type = str(self._type.predict([text])[0])
        return Triage(type=ticket_type, l1=l1, l2=l2, confidence=round(float(l1_probs[best]), 3))


@lru_cache(maxsize=1)
def get_classifier() -> TicketClassifier:
    """The classifier trained on the seed data, once per process."""
    return TicketClassifier(load_messages(TRAIN_PATH), load_taxonomy())


class KeywordBaseline:
    """Reference for the evaluation: topic by character-bigram overlap with the taxonomy's
    l1/l2/l3 names, type = the most common type in the training data."""

    def __init__(self, taxonomy: list[tuple[str, str, str]], examples: list[Message]) -> None:
        self._bigrams: dict[tuple[str, str], set[str]] = {}
        for l1, l2, l3 in taxonomy:
            self._bigrams.setdefault((l1, l2), set()).update(_bigrams(l1 + " " + l2 + " " + l3))
        self._type = Counter(m.type for m in examples).most_common(1)[0][0]

    def classify(self, *, content: str, title: str = "") -> Triage:
        seen = _bigrams(Message(content=content, title=title).text)
        scores = {pair: len(seen & grams) for pair, grams in self._bigrams.items()}
        l1_scores: Counter[str] = Counter()
        for (l1, _), score in scores.items():
            l1_scores[l1] += score
        l1 = l1_scores.most_common(1)[0][0]
        l2 = max((s, pair[1]) for pair, s in scores.items() if pair[0] == l1)[1]
        total = sum(l1_scores.values())
        return Triage(type=self._type, l1=l1, l2=l2, confidence=l1_scores[l1] / total if total else 0.0)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1) if not any(ch.isspace() for ch in text[i : i + 2])}

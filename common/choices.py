"""Resolving a citizen's answer ("第二个", "2", "外地户口的") to one of the offered choices.

The Rasa server reads a short reply to its buttons with it (bot/replies.py), the actions a typed
answer to a form's or the catalogue's question. Pure: standard library only.
"""

from __future__ import annotations

import re
from typing import Optional

_CHINESE_ORDINALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
# "第二个" anywhere, or a bare "2" / "二" / "2号吧" as the whole answer ("一方外地" is no ordinal).
_ORDINAL = re.compile(r"第\s*([1-9一二两三四五六])|^(?:选)?\s*([1-9一二两三四五六])\s*(?:个|项|种|条|号)?\s*[吧啊呀的。.!！]*$")
_LAST = re.compile(r"最后(?:一个|一项|那个|一种)")
# A label must share at least this share of its character pairs with the answer.
_MIN_BIGRAM_OVERLAP = 0.5


def resolve_choice(answer: str, labels: list[str]) -> Optional[int]:
    """Index into `labels` that `answer` picks, or None when it picks none of them."""
    text = answer.strip()
    if not text or not labels:
        return None
    ordinal = _ordinal(text)
    if ordinal is not None:
        return ordinal - 1 if 1 <= ordinal <= len(labels) else None
    if _LAST.search(text):
        return len(labels) - 1
    for index, label in enumerate(labels):
        if label and (label in text or (len(text) >= 2 and text in label)):
            return index
    scores = [_bigram_overlap(text, label) for label in labels]
    best = max(range(len(labels)), key=scores.__getitem__)
    if scores[best] >= _MIN_BIGRAM_OVERLAP and scores.count(scores[best]) == 1:
        return best
    return None


def _ordinal(text: str) -> Optional[int]:
    match = _ORDINAL.search(text)
    if not match:
        return None
    token = match.group(1) or match.group(2)
    return int(token) if token.isdigit() else _CHINESE_ORDINALS[token]


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _bigram_overlap(answer: str, label: str) -> float:
    label_pairs = _bigrams(label)
    if not label_pairs:
        return 0.0
    return len(label_pairs & _bigrams(answer)) / len(label_pairs)

"""Service-item mentions found with spaCy's Chinese pipeline (jieba segmenter) and a PhraseMatcher.

Kept apart from the Rasa component so `make eval` can measure it on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jieba
import spacy
from spacy.matcher import PhraseMatcher


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    official_name: str


def load_jieba_dictionaries(dictionary_dir: Path) -> None:
    """Teach jieba the catalogue's words so spaCy's zh tokenizer keeps item names whole."""
    for path in sorted(dictionary_dir.glob("*.txt")):
        jieba.load_userdict(str(path))


class CataloguePhraseMatcher:
    """Finds the longest catalogue phrases in a text and maps them to official item names."""

    def __init__(self, phrases: dict[str, str]) -> None:
        self._official_by_phrase = dict(phrases)
        self._nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        self._matcher = PhraseMatcher(self._nlp.vocab, attr="LOWER")
        for index, phrase in enumerate(sorted(phrases)):
            self._matcher.add(str(index), [self._nlp.make_doc(phrase)])
        self._phrase_by_key = {str(index): phrase for index, phrase in enumerate(sorted(phrases))}

    def find(self, text: str) -> list[Mention]:
        doc = self._nlp.make_doc(text)
        spans = []
        for match_id, start, end in self._matcher(doc):
            phrase = self._phrase_by_key[self._nlp.vocab.strings[match_id]]
            spans.append((doc[start:end], phrase))
        # Longest first, then left to right; overlapping shorter matches are dropped.
        spans.sort(key=lambda pair: (-(pair[0].end_char - pair[0].start_char), pair[0].start_char))
        taken: list[Mention] = []
        for span, phrase in spans:
            if any(span.start_char < m.end and m.start < span.end_char for m in taken):
                continue
            taken.append(
                Mention(span.start_char, span.end_char, span.text, self._official_by_phrase[phrase])
            )
        return sorted(taken, key=lambda mention: mention.start)

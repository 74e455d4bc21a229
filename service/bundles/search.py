"""Finding a bundle by the words citizens use ("开饭店", "孩子出生了要办啥", "老人去世").

The catalogue search's signals, on the bundles' names, aliases and keywords: a name or alias in
the message (phrase), a keyword in it, character-bigram overlap for typos. The index is built
from the database once and cached per database; seeding invalidates it.
"""

import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.bundles.models import Bundle
from service.catalogue.search import bigram_overlap, bigrams, combine, compact, phrase_match

# A keyword ("饭店", "去世") alone is good evidence, short of a whole alias.
KEYWORD_SHARE = 0.75
# The top bundle is "clearly meant" at this score and this lead over the next one.
CONFIDENT_SCORE = 0.5
CONFIDENT_MARGIN = 0.2


@dataclass(frozen=True)
class BundleHit:
    code: str
    score: float


@dataclass(frozen=True)
class _Doc:
    code: str
    phrases: list[tuple[str, float]]
    keywords: tuple[str, ...]
    grams: list[frozenset[str]]


class BundleIndex:
    def __init__(self, bundles: list[Bundle]) -> None:
        self.docs = []
        for bundle in bundles:
            stem = bundle.name.removesuffix("一件事")
            names = [(compact(bundle.name), 1.0), (compact(stem), 0.95)]
            self.docs.append(_Doc(
                code=bundle.code,
                phrases=names + [(compact(a), 0.85) for a in bundle.aliases],
                keywords=tuple(compact(k) for k in bundle.keywords),
                grams=[bigrams(stem)] + [bigrams(a) for a in bundle.aliases],
            ))

    def search(self, text: str, *, limit: int = 5, min_score: float = 0.2) -> list[BundleHit]:
        query = compact(text)
        if not query:
            return []
        grams = bigrams(query)
        hits = []
        for doc in self.docs:
            keyword = KEYWORD_SHARE if any(k and k in query for k in doc.keywords) else 0.0
            overlap = max(
                (bigram_overlap(len(g & grams), len(g), len(grams)) for g in doc.grams if g & grams),
                default=0.0,
            )
            score = round(combine(phrase_match(doc.phrases, query), keyword, overlap), 4)
            if score >= min_score:
                hits.append(BundleHit(code=doc.code, score=score))
        hits.sort(key=lambda hit: (-hit.score, hit.code))
        return hits[:limit]


def is_confident(hits: list[BundleHit]) -> bool:
    if not hits or hits[0].score < CONFIDENT_SCORE:
        return False
    return len(hits) == 1 or round(hits[0].score - hits[1].score, 4) >= CONFIDENT_MARGIN


_indexes: dict[str, BundleIndex] = {}
_lock = threading.Lock()


def get_bundle_index(session: Session) -> BundleIndex:
    """The cached index for this session's database, built on first use."""
    key = str(session.get_bind().url)
    with _lock:
        if key not in _indexes:
            _indexes[key] = BundleIndex(list(session.scalars(select(Bundle).order_by(Bundle.position))))
        return _indexes[key]


def invalidate_bundle_index() -> None:
    """Drop every cached index (after a seed import); the next search rebuilds it."""
    with _lock:
        _indexes.clear()

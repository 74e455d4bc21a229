"""Ranked free-text search of the catalogue (names, aliases, keywords) for colloquial questions.

The index is built from the database (items) and service/seed/variants.yaml (the lexicon) once
and cached per database; the importer invalidates it. A query costs two regex passes, one
jieba cut and dictionary and set lookups, never a database access. Only the items that share a
token or a character bigram with the query are scored (every other one scores 0 on all three
signals), so a catalogue of thousands of items costs little more than one of sixty.

First the lexicon rewrites how citizens type a word into the catalogue's word (身分证, ID card →
身份证). Score (0..1) = noisy-or of three signals, so any one strong signal is enough and weak
ones add up:
- phrase: an official name or alias occurs in the query (or the query inside one of them);
- lexical: BM25-style idf-weighted coverage of the query's jieba tokens, per field
  (name > alias > keyword), saturated by term frequency and field length;
- bigram: character-bigram overlap with the name or an alias, for typos and unsegmented text.
Then the operation the question asks for (补领, 注销, 变更 … from the lexicon; in a long message,
the clause's own or else the message's) decides between
items that name the same thing: an item whose name, aliases or keywords use that operation
gains in proportion to its score, one that uses only other operations loses a fixed share.
"""

import logging
import math
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import jieba
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.catalogue.models import Item, Origin
from service.catalogue.seed_schemas import VariantsSeed
from service.catalogue.terms import DepartmentTerms, ItemTerms, name_stem, userdict_entries
from service.catalogue.variants import load_variants
from service.core.settings import get_settings

FIELD_WEIGHTS = {"name": 1.0, "alias": 0.8, "keyword": 0.6}
BM25_K1 = 1.2
BM25_B = 0.75
# How much each signal can contribute on its own (see the noisy-or in _combine).
LEXICAL_WEIGHT = 0.8
BIGRAM_WEIGHT = 0.5
# Weight of a query token a source's items never use, relative to idf (about 1..4 for the hall's 60
# items, on which it was chosen): low, so the chat around a question (今年 六岁 开了个) dilutes the
# words that name the item little. A larger source scales it up with its idf: a word one of the
# 2,250 imported items holds has idf 7.3 (the hall's: 3.7), and at 0.5 there it outweighed fourteen
# chat words the item lacks ("摊位号也变了" named 诚信粤商（公众号） by its 号).
UNKNOWN_TOKEN_IDF = 0.5
UNKNOWN_TOKEN_IDF_CHOSEN_AT = 60  # items
# Operation agreement: score s becomes 1 - (1 - s)(1 - OPERATION_AGREES * s); contradiction:
# s * OPERATION_CONTRADICTS (an alias match of the wrong operation ends below the right one).
OPERATION_AGREES = 0.5
OPERATION_CONTRADICTS = 0.6
# An imported provincial item (catalogue.publishing) scores this share of its match: the hall's own
# hand-kept items, with complete guides, win over a provincial item that names the same thing.
# Chosen by scripts/tune_catalogue_search.py on development sets only: among the shares whose
# top-1 on the development sets' hall questions is not below the hall's catalogue alone, at that
# share and the next one up, the one whose imported items, asked by their names, are found best
# (0.6: dev 0.856 on 1,006 questions, the same as the hall alone, none lost at 0.6 or 0.7;
# imported 0.833; at 0.8 six lost).
IMPORTED_WEIGHT = 0.6

# Colloquial filler that says nothing about *which* item is meant.
STOPWORDS = frozenset(
    """
    了 的 地 得 着 过 吗 呢 吧 啊 呀 嘛 哦 么 啥 咋 咋办 怎么 怎么办 怎样 如何 什么 哪些 哪里 哪儿
    在哪 在哪里 在哪儿 去哪 去哪里 我 我的 我们 你 你们 您 他 她 想 要 想要 需要 需不需要 得 该 应该
    能 能不能 可以 可不可以 会 是 有 没有 没 和 与 及 跟 给 把 被 让 帮 帮我 请 请问 问 问一下 一下 下
    个 一个 这个 那个 这 那 去 来 到 在 带 带啥 准备 材料 资料 手续 流程 办 办理 办个 要办 需要办
    弄 搞 整 多久 多长时间 多少 多少钱 钱 费用 收费 谢谢 你好 您好 麻烦 就 都 还 也 又 再 吗 呗 呐 自己 咨询
    预约 约 约个 预定 排号 取号 领导 尊敬 市长 关于
    """.split()
)

_KEEP = re.compile(r"[0-9a-z\u4e00-\u9fff]")
# Masked names and places (****, **, XX, 某某) are no words: they never match an item.
_MASK = re.compile(r"[*＊×○]{2,}|某某+|(?<![a-z])xx+(?![a-z])")
# Clause ends: a long message is also read clause by clause (see SearchIndex.search).
_CLAUSE_END = re.compile(r"[。！？!?；;，,、\n…]+")
# Messages longer than this are also scored per clause and per pair of clauses.
LONG_QUERY_CHARS = 24
_NON_TEXT = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")
# A measure word between a request verb and its object ("办个护照", "补张社保卡", "换本护照"):
# dropped, so the catalogue's phrases (办护照, 补社保卡) match; 个体, 个人, 个税, 本人, 本市 … stay.
_MEASURE_WORD = re.compile(r"(?<=[办补换领开考])一?[个张本份](?![体人税市地月])")
# Inside an English form of the lexicon: "driver's license", "driver license", "id-card".
_WORD_GAP = re.compile(r"[\s\-'’_]+")

log = logging.getLogger(__name__)


def normalise(text: str) -> str:
    """Full-width → half-width, lower case, masks dropped: how queries and catalogue strings
    are compared."""
    return _MASK.sub(" ", unicodedata.normalize("NFKC", text).lower())


def compact(text: str) -> str:
    """Only letters, digits and CJK: for substring and bigram matching."""
    return _NON_TEXT.sub("", normalise(text))


def bigrams(text: str) -> frozenset[str]:
    text = compact(text)
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


@lru_cache
def get_tokenizer(dict_path: Path) -> jieba.Tokenizer:
    """One jieba tokenizer per process, with the generated catalogue dictionary loaded once."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if dict_path.is_file():
        tokenizer.load_userdict(str(dict_path))
    else:
        log.warning("jieba user dictionary %s missing: run `python -m service.cli export-nlu`", dict_path)
    return tokenizer


def tokenize(tokenizer: jieba.Tokenizer, text: str) -> list[str]:
    """Search-mode jieba tokens (whole words and their dictionary sub-words), filler removed."""
    return [
        token
        for token in tokenizer.lcut_for_search(normalise(text), HMM=True)
        if _KEEP.search(token) and token not in STOPWORDS
    ]


def _squash(form: str) -> str:
    return _WORD_GAP.sub("", normalise(form))


def _alternation(forms: list[str]) -> re.Pattern[str] | None:
    """One pattern for all forms, longest first; English forms match whole words, any spacing."""
    patterns = []
    for form in sorted(set(forms), key=lambda f: (-len(_squash(f)), f)):
        words = [re.escape(w) for w in _WORD_GAP.split(normalise(form).strip()) if w]
        pattern = r"[\s\-'’_]*".join(words)
        if words and form.isascii():
            pattern = rf"(?<![0-9a-z]){pattern}(?![0-9a-z])"
        patterns.append(pattern)
    return re.compile("|".join(patterns)) if patterns else None


def field_share(tf: int, field_length: int, average_length: float, weight: float) -> float:
    """How much one query token that occurs tf times in a field says about the document: BM25's
    saturated, length-normalised term frequency, weighted by the field (name > alias > keyword)."""
    norm = 1 - BM25_B + BM25_B * field_length / average_length
    saturation = tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm) / (BM25_K1 + 1)
    return weight * min(1.0, saturation * 1.5)


def phrase_match(phrases: list[tuple[str, float]], query: str) -> float:
    """The best (compact phrase, strength) found in the compact query, or the query as a fragment
    of a phrase ("提公积金" in "提公积金租房"); longer matches explain more of the question."""
    best = 0.0
    for phrase, strength in phrases:
        if len(phrase) < 2:
            continue
        if phrase in query:
            best = max(best, strength * (0.9 + 0.1 * min(1.0, len(phrase) / len(query))))
        elif len(query) >= 2 and query in phrase:
            best = max(best, strength * (0.45 + 0.35 * len(query) / len(phrase)))
    return best


def bigram_overlap(common: int, target_size: int, query_size: int) -> float:
    """Character-bigram agreement of a name with the query: mean of Dice and containment."""
    return (2 * common / (target_size + query_size) + common / target_size) / 2


def combine(phrase: float, lexical: float, bigram: float) -> float:
    """Noisy-or of the three signals: any strong one is enough, weak ones add up."""
    return 1 - (1 - phrase) * (1 - LEXICAL_WEIGHT * lexical) * (1 - BIGRAM_WEIGHT * bigram)


class Lexicon:
    """variants.yaml, compiled: typed forms → catalogue words, and the operations a text names."""

    def __init__(self, seed: VariantsSeed) -> None:
        self.rewrites = {_squash(f): word for word, forms in seed.variants.items() for f in forms}
        # Operation forms and the look-alikes that are no operation (None), read in one pass.
        self.operations: dict[str, str | None] = {_squash(f): None for f in seed.not_operations}
        for operation, forms in seed.operations.items():
            self.operations.update({_squash(f): operation for f in forms})
        self._variant = _alternation([f for forms in seed.variants.values() for f in forms])
        self._operation = _alternation(
            [f for forms in seed.operations.values() for f in forms] + list(seed.not_operations)
        )

    def rewrite(self, text: str) -> str:
        text = normalise(text)
        if self._variant is None:
            return text
        return self._variant.sub(lambda m: self.rewrites[_squash(m.group())], text)

    def operations_in(self, text: str) -> frozenset[str]:
        if self._operation is None:
            return frozenset()
        found = (self.operations[_squash(m.group())] for m in self._operation.finditer(compact(text)))
        return frozenset(op for op in found if op)


@dataclass(frozen=True)
class _Query:
    compact: str  # after the lexicon's rewrites
    tokens: list[str]
    grams: frozenset[str]
    operations: frozenset[str]
    # Per source: the tokens with their idf in that source, and the sum of those idfs.
    weighted_tokens: dict[Origin, tuple[list[tuple[str, float]], float]] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchHit:
    code: str
    name: str
    department: str
    score: float
    handled_here: bool
    situations: tuple[tuple[str, str], ...]
    # Another item is named by a part of the message on its own: it wins the whole text, a clause
    # or a pair of clauses there with at least CONFIDENT_SCORE ("住的是公租房……能用公积金抵房租吗").
    contested: bool = False


@dataclass
class _Doc:
    code: str
    name: str
    department: str
    handled_here: bool
    situations: tuple[tuple[str, str], ...]
    fields: dict[str, Counter] = field(default_factory=dict)  # field → token counts
    lengths: dict[str, int] = field(default_factory=dict)  # field → number of tokens
    phrases: list[tuple[str, float]] = field(default_factory=list)  # (compact text, strength)
    grams: list[frozenset[str]] = field(default_factory=list)  # name and alias bigrams
    operations: frozenset[str] = frozenset()  # named in its name, aliases or keywords
    weight: float = 1.0  # IMPORTED_WEIGHT for an imported item
    origin: Origin = Origin.SEED
    # token → its best field_share over the fields holding it, with its source's statistics:
    # constant per document, so a query's lexical score is one lookup per token.
    token_shares: dict[str, float] = field(default_factory=dict)


def _one_item_idf(items: int) -> float:
    """BM25's idf of a word that one of so many items holds: the top of a collection's idf scale."""
    return math.log(1 + (items - 1 + 0.5) / (1 + 0.5))


class _CollectionStats:
    """BM25's collection statistics over a set of documents: each token's idf, each field's mean length."""

    def __init__(self, docs: list[_Doc]) -> None:
        n = len(docs) or 1
        df = Counter(t for d in docs for t in set().union(*d.fields.values()))
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.unknown_idf = UNKNOWN_TOKEN_IDF * max(1.0, _one_item_idf(n) / _one_item_idf(UNKNOWN_TOKEN_IDF_CHOSEN_AT))
        self.avg_len = {f: (sum(sum(d.fields[f].values()) for d in docs) / n) or 1.0 for f in FIELD_WEIGHTS}


class SearchIndex:
    def __init__(self, items: list[Item], tokenizer: jieba.Tokenizer, lexicon: Lexicon | None = None) -> None:
        self.tokenizer = tokenizer
        self.lexicon = lexicon or Lexicon(VariantsSeed())
        self.docs: list[_Doc] = []
        self.by_code: dict[str, _Doc] = {}
        for item in items:
            doc = _Doc(
                code=item.code,
                name=item.name,
                department=item.department.name,
                handled_here=item.handled_here,
                situations=tuple((s.key, s.name) for s in item.situations),
                weight=IMPORTED_WEIGHT if item.origin is Origin.IMPORT else 1.0,
                origin=item.origin,
            )
            doc.fields["name"] = Counter(tokenize(tokenizer, item.name))
            doc.fields["alias"] = Counter(t for a in item.aliases for t in tokenize(tokenizer, a))
            doc.fields["keyword"] = Counter(
                t for k in item.keywords for t in {normalise(k), *tokenize(tokenizer, k)}
            )
            # An official name in the query is the strongest evidence, an alias nearly so.
            doc.phrases = [(compact(item.name), 1.0)] + [(compact(a), 0.85) for a in item.aliases]
            stem = compact(name_stem(item.name))
            if stem != compact(item.name):
                doc.phrases.append((stem, 0.95))
            doc.grams = [bigrams(item.name)] + [bigrams(a) for a in item.aliases]
            doc.operations = frozenset().union(
                *(self.lexicon.operations_in(t) for t in (item.name, *item.aliases, *item.keywords))
            )
            doc.lengths = {name: sum(counts.values()) for name, counts in doc.fields.items()}
            self.docs.append(doc)
            self.by_code[doc.code] = doc

        # Words in every department's name (the city: 清江, 清江市) say nothing about which item,
        # per source: the hall's city is no less its context once provincial departments join.
        self.context = {
            origin: _common_words(tokenizer, {i.department.name for i in items if i.origin is origin})
            for origin in {item.origin for item in items}
        }

        # Which documents hold a token or a bigram: a query scores only those (see search).
        self.by_token: dict[str, list[int]] = {}
        self.by_gram: dict[str, list[int]] = {}
        for position, doc in enumerate(self.docs):
            for token in set().union(*doc.fields.values()):
                self.by_token.setdefault(token, []).append(position)
            for gram in frozenset().union(*doc.grams):
                self.by_gram.setdefault(gram, []).append(position)

        # Each source's items are scored with their own collection's statistics: importing 2,250
        # provincial guides must not change how the hall's own items score (their words grow
        # common there, and their lengths are another catalogue's), only add competitors.
        self.stats = {
            origin: _CollectionStats([d for d in self.docs if d.origin is origin])
            for origin in {d.origin for d in self.docs}
        }
        for doc in self.docs:
            doc.token_shares = _token_shares(doc, self.stats[doc.origin])

    def _lexical(self, doc: _Doc, query: _Query) -> float:
        """idf-weighted share of the query's tokens that the document holds (each at its best field)."""
        weighted = query.weighted_tokens.get(doc.origin)
        if weighted is None:
            stats, context = self.stats[doc.origin], self.context[doc.origin]
            pairs = [(token, stats.idf.get(token, stats.unknown_idf)) for token in query.tokens if token not in context]
            weighted = query.weighted_tokens[doc.origin] = (pairs, sum(weight for _, weight in pairs))
        pairs, total = weighted
        shares = doc.token_shares
        matched = 0.0
        for token, idf in pairs:
            matched += idf * shares.get(token, 0.0)
        return matched / total if total else 0.0

    @staticmethod
    def _bigram(doc: _Doc, grams: frozenset[str]) -> float:
        if not grams:
            return 0.0
        best = 0.0
        for target in doc.grams:
            if not target:
                continue
            common = len(target & grams)
            if common:
                best = max(best, bigram_overlap(common, len(target), len(grams)))
        return best

    def _score(self, doc: _Doc, query: _Query) -> float:
        if not query.compact:
            return 0.0
        phrase = phrase_match(doc.phrases, query.compact)
        lexical = self._lexical(doc, query) if query.tokens else 0.0
        bigram = self._bigram(doc, query.grams)
        score = combine(phrase, lexical, bigram)
        if query.operations and doc.operations:
            if query.operations & doc.operations:
                score = 1 - (1 - score) * (1 - OPERATION_AGREES * score)
            else:
                score *= OPERATION_CONTRADICTS
        return round(min(1.0, score * doc.weight), 4)

    def _query(self, text: str) -> _Query:
        text = _MEASURE_WORD.sub("", self.lexicon.rewrite(text))
        query = compact(text)
        return _Query(
            compact=query,
            tokens=tokenize(self.tokenizer, text) if query else [],
            grams=bigrams(query),
            operations=self.lexicon.operations_in(query),
        )

    def search(self, text: str, *, limit: int = 5, min_score: float = 0.05) -> list[SearchHit]:
        """Items ranked for the text. A long message is a story around the item ("本人2019年买的
        二手房，现在要卖……委托别人办需要什么手续"): each item scores its best among the whole text,
        each clause and each pair of neighbouring clauses, so the story does not dilute the
        words that name the item."""
        queries = self._window_queries(text)
        if not queries:
            return []
        best: dict[int, float] = {}
        named: set[int] = set()  # the winners of windows that name an item on their own
        for query in queries:
            window = {position: self._score(self.docs[position], query) for position in self._candidates(query)}
            for position, score in window.items():
                if score > best.get(position, 0.0):
                    best[position] = score
            top = max(window.values(), default=0.0)
            if top >= CONFIDENT_SCORE:
                named.update(position for position, score in window.items() if score == top)
        scored = [(score, position) for position, score in best.items() if score >= min_score]
        scored.sort(key=lambda pair: (-pair[0], self.docs[pair[1]].code))
        return [
            self._hit(self.docs[position], score, contested=bool(named - {position}))
            for score, position in scored[:limit]
        ]

    def _window_queries(self, text: str) -> list[_Query]:
        """The queries of the text's windows (the whole text first). A clause without an operation
        word takes the message's: in "驾驶证有效期到下个月……能在外地车管所直接换吗" the clause that
        names the item and the one that says what to do with it are apart (development set: top-1
        0.845 → 0.858, top-3 0.955 → 0.967, confident answers about the wrong item 5 → 3)."""
        queries = [query for query in (self._query(window) for window in _windows(text)) if query.compact]
        if not queries:
            return []
        message_operations = queries[0].operations
        return [query if query.operations else replace(query, operations=message_operations) for query in queries]

    def _candidates(self, query: _Query) -> set[int]:
        """The documents that share a token or a bigram with the query: any other one scores 0
        (a phrase inside the query, or the query inside a phrase, shares the phrase's bigrams)."""
        found: set[int] = set()
        for token in query.tokens:
            found.update(self.by_token.get(token, ()))
        for gram in query.grams:
            found.update(self.by_gram.get(gram, ()))
        return found

    def score_of(self, text: str, code: str) -> SearchHit | None:
        doc = self.by_code.get(code)
        if doc is None:
            return None
        queries = self._window_queries(text)
        return self._hit(doc, max((self._score(doc, query) for query in queries), default=0.0))

    @staticmethod
    def _hit(doc: _Doc, score: float, *, contested: bool = False) -> SearchHit:
        return SearchHit(
            code=doc.code,
            name=doc.name,
            department=doc.department,
            score=score,
            handled_here=doc.handled_here,
            situations=doc.situations,
            contested=contested,
        )


def _common_words(tokenizer: jieba.Tokenizer, names: set[str]) -> frozenset[str]:
    """The words every one of several names holds (none for a single name)."""
    words = [set(tokenize(tokenizer, name)) for name in names]
    return frozenset(set.intersection(*words)) if len(words) > 1 else frozenset()


def _token_shares(doc: _Doc, stats: _CollectionStats) -> dict[str, float]:
    shares: dict[str, float] = {}
    for name, weight in FIELD_WEIGHTS.items():
        for token, tf in doc.fields[name].items():
            share = field_share(tf, doc.lengths[name], stats.avg_len[name], weight)
            if share > shares.get(token, 0.0):
                shares[token] = share
    return shares


def _windows(text: str) -> list[str]:
    """The whole text, and for a long one its clauses and pairs of neighbouring clauses."""
    if len(compact(text)) <= LONG_QUERY_CHARS:
        return [text]
    clauses = [c for c in _CLAUSE_END.split(normalise(text)) if len(compact(c)) >= 2]
    pairs = [a + "，" + b for a, b in zip(clauses, clauses[1:])]
    return [text, *clauses, *pairs]


_indexes: dict[str, SearchIndex] = {}
_lock = threading.Lock()


def build_search_index(session: Session) -> SearchIndex:
    items = list(
        session.scalars(
            select(Item)
            .options(selectinload(Item.department), selectinload(Item.situations))
            .order_by(Item.code)
        )
    )
    tokenizer = get_tokenizer(get_settings().JIEBA_DICT_PATH)
    # The catalogue's own words, in case the generated dictionary is older than the database.
    terms = [ItemTerms(i.code, i.name, tuple(i.aliases), tuple(i.keywords)) for i in items]
    departments = {DepartmentTerms(i.department.name, i.department.short_name) for i in items}
    for word, freq, tag in userdict_entries(terms, departments):
        if tokenizer.FREQ.get(word, 0) < freq:
            tokenizer.add_word(word, freq, tag)
    return SearchIndex(items, tokenizer, Lexicon(load_variants(get_settings().SEED_DIR)))


def get_search_index(session: Session) -> SearchIndex:
    """The cached index for this session's database, built on first use."""
    key = str(session.get_bind().url)
    index = _indexes.get(key)
    if index is None:
        with _lock:
            index = _indexes.get(key)
            if index is None:
                index = _indexes[key] = build_search_index(session)
    return index


def invalidate_search_index() -> None:
    """Drop every cached index (after a seed import); the next search rebuilds it."""
    with _lock:
        _indexes.clear()


# The top hit is "clearly meant" when it scores at least CONFIDENT_SCORE and leads the
# runner-up by CONFIDENT_MARGIN; otherwise the citizen is asked which item they mean. Chosen on
# the development set tests/nlu/dev_real_style.yml (scripts/calibrate_items.py): a wrong notice
# costs a wasted trip, a question one tap, so precision ≥ 0.97 first, then coverage. At the
# earlier 0.5 / 0.1 about 6 % of confident answers there named a neighbouring item
# (食品经营许可 延续 → 新办, 租房提取公积金 → 网签备案); at 0.55 / 0.3 about 1 %.
CONFIDENT_SCORE = 0.55
CONFIDENT_MARGIN = 0.3


def is_confident(hits: list[SearchHit], score: float = CONFIDENT_SCORE, margin: float = CONFIDENT_MARGIN) -> bool:
    """A message whose parts name two items on their own is a question of which one is meant,
    however far the first leads: the story's item is often not the request's (development set:
    confident answers 152 → 140, of them about the wrong item 3 → 1). `score` and `margin` other
    than the module's are for calibration (scripts/calibrate_items.py)."""
    if not hits or hits[0].score < score or hits[0].contested:
        return False
    return len(hits) == 1 or round(hits[0].score - hits[1].score, 4) >= margin

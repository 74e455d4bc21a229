"""Referral (首问负责): which department, at which level, handles a service this hall's catalogue lacks.

The reference directory is real data copied into service/seed/reference/ (its SOURCES.md says from
where): 2,005 guides of Guangdong province and Guangzhou city (name, short name, everyday words,
department, level, place, phone) and 1,135 item names of the 广安区 district catalogue. It is read
and indexed once per process (about 0.6 s), then a question costs one jieba cut and dictionary
lookups (under 2 ms); only `refer` touches the database, to name the hall's department of the kind.

Scores use catalogue.search's signals and weights, so that a caller can set a referral's score
against the catalogue's best hit on one scale (the catalogue keeps what it holds):
- phrase: an item's name, its name without brackets, its short name or a specific everyday word
  occurs in the question;
- lexical: BM25-style idf-weighted coverage of the question's jieba tokens (name > short name and
  everyday words), from an inverted index: the directory is 50 times the catalogue;
- bigram: character-bigram overlap with the name or the short name.
Before scoring, the everyday-words lexicon (seed/reference/everyday_words.yaml, read by search's
Lexicon) rewrites how citizens name a service into the reference names' words (狗证 → 犬类准养证,
网吧 → 互联网上网服务营业场所), as variants.yaml does for the catalogue.
Masks (****, XX, 某某) are dropped by search.normalise before anything is matched. A text that
asks for nothing (no 办, 证, 申请, 报销 …) is chat that merely shares a noun with an item: its
score is cut.
"""

import csv
import json
import math
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import jieba
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.catalogue.models import Department, Level
from service.catalogue.schemas import LocalDepartmentOut, ReferralOut
from service.catalogue.search import (
    Lexicon,
    bigram_overlap,
    bigrams,
    combine,
    compact,
    field_share,
    get_search_index,
    get_tokenizer,
    normalise,
    phrase_match,
    tokenize,
)
from service.catalogue.seed_schemas import VariantsSeed
from service.core.settings import get_settings

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "seed" / "reference"
GUIDES_FILE = "guangdong_guides.jsonl"
ITEM_NAMES_FILE = "guangan_item_names.tsv"
EVERYDAY_WORDS_FILE = "everyday_words.yaml"
# The 广安区 names are a district catalogue; "未分类" is its "no main item".
ITEM_NAMES_LEVEL = Level.COUNTY.value
UNGROUPED = "未分类"
# Portal features listed among the items: ways to ask, not services (电话咨询 would answer every
# question that mentions a phone).
NOT_SERVICES = frozenset(
    {"电话咨询", "网络咨询", "政务咨询", "咨询投诉", "政务公开", "政策解读", "我的工单", "我的户号", "绑定户号"}
)

# Chosen on the dev lists of tests/nlu/referral_dev.yml (see the comment there).
REFERRAL_THRESHOLD = 0.45
# A catalogue hit this strong is offered even when a reference item scores higher: on the
# development set (tests/nlu/dev_real_style.yml, scripts/calibrate_items.py) referrals that beat
# such hits were wrong (教师资格认定, 失业保险金 sent elsewhere although the hall handles them).
CATALOGUE_KEEPS = 0.6

FIELD_WEIGHTS = {"name": 1.0, "alias": 0.85, "daily": 0.85}
PHRASE_NAME = 1.0
PHRASE_STEM = 0.95  # the name without its brackets, or up to the first one
PHRASE_ALIAS = 0.85
PHRASE_DAILY = 0.75
# Shorter names and words ("食品", "公证") name a field, not one service; place names none.
MIN_PHRASE_CHARS = 3
# An everyday word shared by more items than this ("养老保险", "指引") is no phrase of any of them.
DAILY_PHRASE_ITEMS = 3
# Weight of a token the directory has never seen: idf runs 1.4..7.6 here (1..4 in the catalogue),
# so a fifth of a rare word; the chat around a long question dilutes it little.
UNKNOWN_TOKEN_IDF = 1.5
# Words of a request for a service (a document, a permit, an application, a payment).
SERVICE_CUES = re.compile(
    "办|申请|申领|领取|证|照|许可|登记|备案|审批|认定|鉴定|报销|补贴|补助|救助|津贴|扶助|资助|公证|考|"
    "注册|注销|变更|补发|补领|换发|转移|接续|签注|定点|资格|手续|材料|流程|上牌|报到|核发"
)
# A text with no such word needs a name match to be referred (电影 or 手机 alone is chat).
NO_CUE_FACTOR = 0.6
# Words (jieba's, with the catalogue's names kept whole) that ask for a service without naming which:
# a catalogue hit resting on them alone ("请问怎么登记" → 出生登记, "带什么证明" → 户籍证明开具) names
# none of the hall's services and does not keep a question the directory can refer.
REQUEST_WORDS = frozenset(
    """
    办 办理 办个 申请 申领 领取 登记 证明 许可 许可证 审批 备案 认定 鉴定 注册 核发 开具 证 证件 证书 资格
    经营 经营许可 报名 条件 手续 材料 流程 提交 个人 部门 窗口
    """.split()
)
# A catalogue hit keeps the question only if it also scores this much on the question without its
# request words. On the development set (scripts/calibrate_items.py) the hall's own questions score
# 0.46 or more there, the blocked outside ones 0.41 or less: 0.40 refers 9 more of 49 outside
# messages and no further service or booking one (0.45 gains one more, a hair under 教师资格认定).
MATTER_KEEPS = 0.4

# A name without its bracketed qualifiers ("食品(含保健食品)经营许可延续" → "食品经营许可延续") and
# up to its first bracket ("无线电台（站）的设置使用…" → "无线电台"): both are how people say it.
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")
_AFTER_BRACKET = re.compile(r"[（(].*$")
# Where the reference data was collected says nothing about which service is meant.
PLACE_WORDS = frozenset({"广东", "广东省", "广州", "广州市", "广安", "广安区", "全省", "我省"})

# Department name fragment → functional kind; the first fragment found wins, so the specific
# ones (公安交通管理, 法院) come before the general ones (公安, 海事).
DEPARTMENT_KINDS: tuple[tuple[str, str], ...] = (
    ("公安交通管理", "交警"),
    ("交通警察", "交警"),
    ("交警", "交警"),
    ("公安", "公安"),
    ("出入境", "公安"),
    ("法院", "法院"),
    ("检察院", "检察院"),
    ("人力资源和社会保障", "人社"),
    ("人社", "人社"),
    ("人事考试", "人社"),
    ("医疗保障", "医保"),
    ("医保", "医保"),
    ("民政", "民政"),
    ("社会组织管理", "民政"),
    ("教科体", "教育"),
    ("教育", "教育"),
    ("高等学校毕业生就业", "教育"),
    ("住房公积金", "公积金"),
    ("公积金", "公积金"),
    ("住房和城乡建设", "住建"),
    ("住建", "住建"),
    ("不动产登记中心", "不动产登记"),
    ("自然资源", "自然资源"),
    ("国土资源", "自然资源"),
    ("地质", "自然资源"),
    ("市场监督管理", "市场监管"),
    ("市场监管", "市场监管"),
    ("市监", "市场监管"),
    ("药品监督管理", "市场监管"),
    ("特种设备", "市场监管"),
    ("知识产权", "市场监管"),
    ("税务", "税务"),
    ("卫生健康", "卫健"),
    ("卫健", "卫健"),
    ("中医药", "卫健"),
    ("交通运输", "交通运输"),
    ("道路运输", "交通运输"),
    ("海事", "交通运输"),
    ("残疾人", "残联"),
    ("残联", "残联"),
    ("退役军人", "退役军人"),
    ("司法", "司法"),
    ("戒毒", "司法"),
    ("农业农村", "农业农村"),
    ("生态环境", "生态环境"),
    ("城市管理", "城管"),
    ("综合执法", "城管"),
    ("城管", "城管"),
    ("文化和旅游", "文旅"),
    ("文广旅", "文旅"),
    ("应急管理", "应急管理"),
    ("水利", "水利"),
    ("水务", "水利"),
    ("流域管理", "水利"),
    ("林业", "林业"),
    ("发展和改革", "发改"),
    ("发改", "发改"),
    ("财政", "财政"),
    ("统计", "统计"),
    ("调查总队", "统计"),
    ("体育", "体育"),
    ("行政审批", "行政审批"),
    ("消防", "消防救援"),
    ("工业和信息化", "工信"),
    ("经信", "工信"),
    ("科学技术厅", "科技"),
    ("商务", "商务"),
    ("烟草", "烟草专卖"),
    ("气象", "气象"),
    ("海关", "海关"),
    ("民族宗教", "民族宗教"),
    ("档案", "档案"),
    ("电网", "供电"),
)


def department_kind(name: str) -> str | None:
    """'广东省医疗保障局' → '医保'; None for bodies with no kind here (institutes, associations)."""
    for fragment, kind in DEPARTMENT_KINDS:
        if fragment in name:
            return kind
    return None


@dataclass(frozen=True)
class ReferenceItem:
    name: str
    aliases: tuple[str, ...]  # the short name (guides) or the main item (广安区)
    daily: tuple[str, ...]  # everyday words (guides only)
    department: str
    level: str  # 省级 / 市级 / 区县级
    location: str | None  # as in the guide: "办理地点：…" or "无线下办理窗口"
    phone: str | None


@dataclass(frozen=True)
class ReferenceHit:
    item: ReferenceItem
    score: float


@dataclass(frozen=True)
class LocalDepartment:
    name: str
    address: str
    window: str
    hours: str
    phone: str


@dataclass(frozen=True)
class Referral:
    item_name: str
    department: str
    department_kind: str | None
    level: str
    location: str | None
    phone: str | None
    local: LocalDepartment | None  # the hall's department of the same kind
    score: float


def load_reference(directory: Path = REFERENCE_DIR) -> list[ReferenceItem]:
    """The guides first, then the 广安区 names (ties in ranking go to the guides: they say more)."""
    items = []
    with (directory / GUIDES_FILE).open(encoding="utf-8") as guides:
        for line in guides:
            row = json.loads(line)
            if row["name"] in NOT_SERVICES:
                continue
            items.append(
                ReferenceItem(
                    name=row["name"],
                    aliases=(row["short"],) if row["short"] and row["short"] != row["name"] else (),
                    daily=tuple(row["daily"]),
                    department=row["department"],
                    level=row["level"],
                    location=row["location"] or None,
                    phone=row["phone"] or None,
                )
            )
    with (directory / ITEM_NAMES_FILE).open(encoding="utf-8", newline="") as names:
        for row in csv.DictReader(names, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["item_name"] in NOT_SERVICES:
                continue
            main_item = row["main_item"]
            items.append(
                ReferenceItem(
                    name=row["item_name"],
                    aliases=(main_item,) if main_item not in (UNGROUPED, row["item_name"]) else (),
                    daily=(),
                    department=row["department"],
                    level=ITEM_NAMES_LEVEL,
                    location=None,
                    phone=None,
                )
            )
    return items


def load_everyday_words(directory: Path = REFERENCE_DIR) -> Lexicon:
    """everyday_words.yaml (variants.yaml's format, validated by its schema): 狗证 → 犬类准养证."""
    raw = yaml.safe_load((directory / EVERYDAY_WORDS_FILE).read_text(encoding="utf-8"))
    return Lexicon(VariantsSeed.model_validate(raw or {}))


@dataclass(frozen=True)
class _Query:
    compact: str
    tokens: list[str]
    grams: frozenset[str]


class ReferralIndex:
    def __init__(
        self, items: list[ReferenceItem], tokenizer: jieba.Tokenizer, everyday_words: Lexicon | None = None
    ) -> None:
        self.items = items
        self.tokenizer = tokenizer
        self.everyday_words = everyday_words or Lexicon(VariantsSeed())
        # Bigram targets of each item (name, stem, short names) and their sizes.
        self.target_sizes: list[list[int]] = []
        self.gram_postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.phrases: list[list[tuple[str, float]]] = []
        fields: list[dict[str, Counter]] = []
        daily_items = Counter(compact(w) for item in items for w in set(item.daily))
        for doc, item in enumerate(items):
            stem, head = _BRACKETED.sub("", item.name), _AFTER_BRACKET.sub("", item.name)
            fields.append(
                {
                    "name": Counter(self._tokens(item.name)),
                    "alias": Counter(t for a in item.aliases for t in self._tokens(a)),
                    "daily": Counter(t for w in item.daily for t in {normalise(w), *self._tokens(w)}),
                }
            )
            phrases = [(item.name, PHRASE_NAME), (stem, PHRASE_STEM), (head, PHRASE_STEM)]
            phrases += [(a, PHRASE_ALIAS) for a in item.aliases]
            phrases += [
                (w, PHRASE_DAILY) for w in item.daily if daily_items[compact(w)] <= DAILY_PHRASE_ITEMS
            ]
            strengths: dict[str, float] = {}
            for text, strength in phrases:
                text = compact(text)
                if len(text) >= MIN_PHRASE_CHARS and text not in PLACE_WORDS:
                    strengths[text] = max(strength, strengths.get(text, 0.0))
            self.phrases.append(list(strengths.items()))
            targets = list(dict.fromkeys(g for g in map(bigrams, (item.name, stem, *item.aliases)) if g))
            self.target_sizes.append([len(g) for g in targets])
            for number, grams in enumerate(targets):
                for gram in grams:
                    self.gram_postings[gram].append((doc, number))

        n = len(items) or 1
        df = Counter(t for f in fields for t in set().union(*f.values()))
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        avg_len = {name: (sum(sum(f[name].values()) for f in fields) / n) or 1.0 for name in FIELD_WEIGHTS}
        # A token's share of an item depends only on the item: computed once, here.
        self.token_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for doc, doc_fields in enumerate(fields):
            best: dict[str, float] = {}
            for name, weight in FIELD_WEIGHTS.items():
                counts = doc_fields[name]
                for token, tf in counts.items():
                    share = field_share(tf, sum(counts.values()), avg_len[name], weight)
                    best[token] = max(best.get(token, 0.0), share)
            for token, share in best.items():
                self.token_postings[token].append((doc, share))

    def _tokens(self, text: str) -> list[str]:
        # Single characters (从, 人, 证) are function words or name no one service; bigrams see them.
        return [t for t in tokenize(self.tokenizer, text) if len(t) > 1 and t not in PLACE_WORDS]

    def _query(self, text: str) -> _Query:
        # rewrite normalises, which drops masks before anything is matched.
        text = self.everyday_words.rewrite(text)
        return _Query(compact=compact(text), tokens=self._tokens(text), grams=bigrams(text))

    def matter(self, text: str) -> str:
        """The text with its request words cut out (clause ends in their place, so that no word is
        made across the gap): what the question is about."""
        words = self.tokenizer.lcut(normalise(text))
        return "".join("，" if word in REQUEST_WORDS else word for word in words)

    def _lexical(self, tokens: list[str]) -> dict[int, float]:
        total = sum(self.idf.get(t, UNKNOWN_TOKEN_IDF) for t in tokens)
        matched: dict[int, float] = defaultdict(float)
        for token in tokens:
            for doc, share in self.token_postings.get(token, ()):
                matched[doc] += self.idf[token] * share
        return {doc: value / total for doc, value in matched.items()}

    def _bigram(self, grams: frozenset[str]) -> dict[int, float]:
        common: Counter[tuple[int, int]] = Counter()
        for gram in grams:
            common.update(self.gram_postings.get(gram, ()))
        best: dict[int, float] = {}
        for (doc, number), count in common.items():
            overlap = bigram_overlap(count, self.target_sizes[doc][number], len(grams))
            best[doc] = max(best.get(doc, 0.0), overlap)
        return best

    def rank(self, text: str, *, limit: int = 5) -> list[ReferenceHit]:
        """The best reference items for a citizen's text, highest score (0..1) first."""
        query = self._query(text)
        if not query.compact:
            return []
        lexical = self._lexical(query.tokens) if query.tokens else {}
        bigram = self._bigram(query.grams)
        cued = SERVICE_CUES.search(query.compact) is not None
        scored = []
        for doc in lexical.keys() | bigram.keys():
            phrase = phrase_match(self.phrases[doc], query.compact)
            score = combine(phrase, lexical.get(doc, 0.0), bigram.get(doc, 0.0))
            if not cued:
                score *= NO_CUE_FACTOR
            scored.append((round(min(1.0, score), 4), doc))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [ReferenceHit(item=self.items[doc], score=score) for score, doc in scored[:limit]]


_index: ReferralIndex | None = None
_lock = threading.Lock()


def get_referral_index() -> ReferralIndex:
    """The index of the reference directory, built on first use, once per process."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                tokenizer = get_tokenizer(get_settings().JIEBA_DICT_PATH)
                _index = ReferralIndex(load_reference(), tokenizer, load_everyday_words())
    return _index


def local_department(session: Session, *, kind: str | None) -> LocalDepartment | None:
    """The hall's department of this kind (a 医保 item → 清江市医疗保障局), if the catalogue has one."""
    if kind is None:
        return None
    for department in session.scalars(select(Department).order_by(Department.code)):
        if department_kind(department.name) == kind:
            return LocalDepartment(
                name=department.name,
                address=department.address,
                window=department.window,
                hours=department.hours,
                phone=department.phone,
            )
    return None


def refer(session: Session, text: str) -> Referral | None:
    """The reference item that handles what the text asks, when it scores REFERRAL_THRESHOLD or
    more and the hall's own catalogue has nothing as good: referral is only for what the
    catalogue lacks (a catalogue item scoring CATALOGUE_KEEPS or more, or as much as the referral,
    is kept, unless it shares only request words with the text)."""
    directory = get_referral_index()
    hits = directory.rank(text, limit=1)
    if not hits or hits[0].score < REFERRAL_THRESHOLD:
        return None
    catalogue = get_search_index(session)
    best = catalogue.search(text, limit=1)
    if best and (best[0].score >= CATALOGUE_KEEPS or best[0].score >= hits[0].score):
        if catalogue.score_of(directory.matter(text), best[0].code).score >= MATTER_KEEPS:
            return None
    item, kind = hits[0].item, department_kind(hits[0].item.department)
    return Referral(
        item_name=item.name,
        department=item.department,
        department_kind=kind,
        level=item.level,
        location=item.location,
        phone=item.phone,
        local=local_department(session, kind=kind),
        score=hits[0].score,
    )


def referral_out(referral: Referral | None) -> ReferralOut:
    if referral is None:
        return ReferralOut(found=False)
    local = referral.local
    return ReferralOut(
        found=True,
        item_name=referral.item_name,
        department=referral.department,
        department_kind=referral.department_kind,
        level=referral.level,
        location=referral.location,
        phone=referral.phone,
        local=LocalDepartmentOut(**vars(local)) if local else None,
        score=referral.score,
    )

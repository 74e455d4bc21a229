"""Search on questions written the way citizens type them in WeChat (real seed): typos and
homophones, English words, an operation word next to another item's alias, rambling context."""

import pytest
from conftest import REAL_SEED

from service.catalogue.search import Lexicon, get_search_index, is_confident
from service.catalogue.seed_schemas import VariantsSeed
from service.catalogue.variants import load_variants
from service.core.seed_files import SeedError

TYPOS_AND_HOMOPHONES = [
    ("身分证丢了怎么补", "居民身份证补领"),
    ("设保卡掉了", "社会保障卡补领"),
    ("社保咔丢了咋补办", "社会保障卡补领"),
    ("公基金租房能提吗", "住房公积金提取（租房）"),
    ("公鸡金贷款能贷多少", "住房公积金个人住房贷款"),
    ("营业只照丢了", "营业执照补领"),
    ("户口本本上名字写错了", "户口登记项目变更更正"),
    ("驾证到期了", "机动车驾驶证期满换证"),
    ("驾证丢了在哪补", "机动车驾驶证补证"),
    ("结昏证丢了", "补领结婚证"),
    ("去民政局领结昏证要带啥", "内地居民结婚登记"),
    ("港奥通行证怎么办", "往来港澳通行证签发"),
]

ENGLISH_AND_MIXED = [
    ("passport过期了", "普通护照签发"),
    ("我的ID card丢了", "居民身份证补领"),
    ("Driver License 到期换证", "机动车驾驶证期满换证"),
    ("driving licence lost 怎么办", "机动车驾驶证补证"),
    ("去香港的visa怎么续", "往来港澳通行证签发"),
    ("social security card丢了", "社会保障卡补领"),
    ("housing fund租房提取", "住房公积金提取（租房）"),
    ("business license丢了", "营业执照补领"),
    ("hukou迁到清江", "户口迁入登记"),
    ("想办个HK通行证", "往来港澳通行证签发"),
]

# Pinyin typed with the input method switched off, and abbreviations.
PINYIN_AND_SHORT_FORMS = [
    ("jiazhao到期了在哪换", "机动车驾驶证期满换证"),
    ("shenfenzheng丢了怎么补", "居民身份证补领"),
    ("gongjijin交房租能提吗", "住房公积金提取（租房）"),
    ("shebaoka丢了", "社会保障卡补领"),
    ("huzhao第一次办要带啥", "普通护照签发"),
    ("请不起律师 法援怎么申请", "法律援助申请"),
]

# An alias of one item must not outweigh the operation word that names another.
OPERATION_WORDS = [
    ("个体户执照怎么注销", "个体工商户注销登记"),
    ("下周一去补办营业执照", "营业执照补领"),
    ("补社保卡收工本费吗", "社会保障卡补领"),
    ("补个驾驶证", "机动车驾驶证补证"),
    ("个体户营业执照要改地址", "个体工商户变更登记"),
    ("出生证明丢了补一个", "出生医学证明补发"),
    ("饭店的食品证快到期了续一下", "食品经营许可（延续）"),
    ("结婚证补办", "补领结婚证"),
    ("社保卡第一次办", "社会保障卡申领（首次）"),
    ("身份证还有两个月到期 能提前换吗", "居民身份证换领"),
]

CONTEXT = [
    ("想查下自己名下有几套房 去哪查", "不动产登记信息查询"),
    ("租房的能给孩子报小学吗 户口不在这", "小学新生入学登记"),
    ("新生儿落户能不能网上办", "出生登记"),
    ("老公是清江人 我想把户口迁过来", "户口迁入登记"),
    ("宝宝刚出生 医院的出生证明怎么开", "出生医学证明首次签发"),
    ("老婆下个月生 产假工资找谁领", "生育津贴申领"),
    ("被公司辞退了 能领多少钱", "失业保险金申领"),
    ("买了套二手房 要去哪过户", "二手房转移登记"),
    ("我爸去世了户口要怎么销", "死亡注销户口"),
    ("在清江没房 公积金能拿出来付房租吗", "住房公积金提取（租房）"),
    ("你好，我想咨询一下，我家孩子今年六岁了，明年九月想上一年级，需要准备什么", "小学新生入学登记"),
    ("在清江开了个奶茶店 要办什么许可", "食品经营许可（新办）"),
    ("补办身份证！！！😭😭", "居民身份证补领"),
]

WECHAT = TYPOS_AND_HOMOPHONES + ENGLISH_AND_MIXED + PINYIN_AND_SHORT_FORMS + OPERATION_WORDS + CONTEXT

# A measure word between the request and its object: answered as surely as without it.
MEASURE_WORDS = [
    ("我想给孩子办个护照，他才5岁", "普通护照签发"),
    ("给老妈补张社保卡", "社会保障卡补领"),
    ("想给娃办本护照 要带啥", "普通护照签发"),
]


@pytest.mark.parametrize(("query", "expected"), MEASURE_WORDS, ids=[q for q, _ in MEASURE_WORDS])
def test_a_measure_word_does_not_hide_the_catalogues_phrase(real_session, query, expected):
    hits = get_search_index(real_session).search(query, limit=3)
    assert hits[0].name == expected and is_confident(hits), f"{query}: {[(h.name, h.score) for h in hits]}"


@pytest.mark.parametrize("query", ["想办个体户执照", "我想办个人所得税汇算", "换本人的身份证"])
def test_words_that_begin_with_a_measure_word_keep_it(real_session, query):
    expected = {"想": "个体工商户设立登记", "我": "个人所得税综合所得汇算清缴", "换": "居民身份证换领"}[query[0]]
    assert get_search_index(real_session).search(query, limit=1)[0].name == expected


@pytest.mark.parametrize(("query", "expected"), WECHAT, ids=[q for q, _ in WECHAT])
def test_query_written_like_wechat(real_session, query, expected):
    hits = get_search_index(real_session).search(query, limit=3)
    assert hits, f"{query}: no result"
    assert hits[0].name == expected, f"{query}: got {[(h.name, h.score) for h in hits]}"
    assert hits[0].score >= 0.5, f"{query}: {hits[0].score}"


@pytest.mark.parametrize(
    "query",
    ["", " ", "😭😭😭", "！？。，", "补" * 5000, "身份证" * 1700, "'; DROP TABLE items; --",
     "1=1 OR name LIKE '%'", "\x00\u200b\ufeff", "ＰＡＳＳＰＯＲＴ", "a", "ｉｄ ｃａｒｄ" * 800],
)
def test_odd_queries_do_not_crash_and_stay_in_range(real_session, query):
    hits = get_search_index(real_session).search(query, limit=5)
    assert all(0 < h.score <= 1 for h in hits)


LEXICON = Lexicon(
    VariantsSeed(
        variants={"身份证": ["身分证", "id card"], "驾驶证": ["driver's license"], "香港": ["hk"]},
        operations={"补领": ["补领", "补办", "补"], "换领": ["换"]},
        not_operations=["补贴"],
    )
)


def test_lexicon_rewrites_typos_and_whole_english_words_in_any_case():
    assert LEXICON.rewrite("身分证丢了") == "身份证丢了"
    assert LEXICON.rewrite("我的ＩＤ  Card丢了") == "我的身份证丢了"
    assert LEXICON.rewrite("Driver’s License / drivers license / DRIVERS-LICENSE") == "驾驶证 / 驾驶证 / 驾驶证"
    assert LEXICON.rewrite("HK通行证, hkust, paid card") == "香港通行证, hkust, paid card"


def test_lexicon_reads_operations_but_not_look_alikes():
    assert LEXICON.operations_in("身份证补办") == {"补领"}
    assert LEXICON.operations_in("补个证再换") == {"补领", "换领"}
    assert LEXICON.operations_in("老人补贴") == frozenset()


def test_real_lexicon_loads_and_a_form_may_mean_one_thing_only(tmp_path):
    assert "身份证" in load_variants(REAL_SEED).variants
    assert load_variants(tmp_path) == VariantsSeed()  # absent: no rewriting
    (tmp_path / "variants.yaml").write_text("variants:\n  身份证: [sfz]\n  社保卡: [SFZ]\n", encoding="utf-8")
    with pytest.raises(SeedError, match="variants.yaml"):
        load_variants(tmp_path)

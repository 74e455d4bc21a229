"""Search: ranking on the fixture catalogue, golden colloquial queries on the real seed, speed."""


import pytest

from service.catalogue.search import (
    SearchHit,
    bigrams,
    compact,
    get_search_index,
    invalidate_search_index,
    is_confident,
)


def test_scores_are_normalised_and_sorted(fixture_session):
    hits = get_search_index(fixture_session).search("身份证", limit=5)
    assert {h.name for h in hits[:2]} == {"居民身份证换领", "居民身份证补领"}
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


def test_official_name_in_query_scores_highest(fixture_session):
    hits = get_search_index(fixture_session).search("请问居民身份证补领在哪办", limit=2)
    assert hits[0].name == "居民身份证补领" and hits[0].score >= 0.9
    assert hits[0].score - hits[1].score >= 0.3


def test_alias_beats_keyword_overlap(fixture_session):
    hits = get_search_index(fixture_session).search("身份证到期了怎么办", limit=2)
    assert hits[0].name == "居民身份证换领"


def test_typo_still_matches_through_bigrams(fixture_session):
    hits = get_search_index(fixture_session).search("居民身分证补领", limit=1)
    assert hits[0].name == "居民身份证补领"


def test_unrelated_text_finds_nothing_strong(fixture_session):
    hits = get_search_index(fixture_session).search("今天天气怎么样", limit=5)
    assert all(h.score < 0.3 for h in hits)


def test_index_is_cached_and_invalidated(fixture_session):
    index = get_search_index(fixture_session)
    assert get_search_index(fixture_session) is index
    invalidate_search_index()
    assert get_search_index(fixture_session) is not index


def test_text_helpers():
    assert compact("ＩＤ 身份证！") == "id身份证"
    assert bigrams("身份证") == {"身份", "份证"}


# Colloquial questions → the official item name (real seed). At least 25, per the brief.
GOLDEN = [
    ("换驾照", "机动车驾驶证期满换证"),
    ("提公积金", "住房公积金提取"),  # either 提取 item: a prefix match, see below
    ("开个小店", "个体工商户设立登记"),
    ("身份证丢了补办要带啥", "居民身份证补领"),
    ("身份证过期了", "居民身份证换领"),
    ("上户口", "出生登记"),
    ("办护照", "普通护照签发"),
    ("港澳通行证", "往来港澳通行证签发"),
    ("开无犯罪证明", "无犯罪记录证明开具"),
    ("社保卡丢了", "社会保障卡补领"),
    ("领失业金", "失业保险金申领"),
    ("异地就医备案", "异地就医备案"),
    ("领结婚证", "内地居民结婚登记"),
    ("办离婚", "内地居民离婚登记"),
    ("低保", "最低生活保障申请"),
    ("提公积金租房", "住房公积金提取（租房）"),
    ("二手房过户", "二手房转移登记"),
    ("孩子上小学报名", "小学新生入学登记"),
    ("残疾证", "残疾人证核发"),
    ("网约车驾驶员证", "网络预约出租汽车驾驶员证申请"),
    ("开个小吃店要办啥证", "食品经营许可（新办）"),
    ("身份证快到期了怎么换", "居民身份证换领"),
    ("我想办个居住证", "居住证申领"),
    ("刚生了孩子要办准生证吗", "生育登记"),
    ("到年纪了办退休", "职工正常退休申请"),
    ("用公积金贷款买房", "住房公积金个人住房贷款"),
    ("生孩子的津贴怎么领", "生育津贴申领"),
    ("老人80岁有补贴吗", "高龄津贴申领"),
    ("退伍军人优待证", "退役军人优待证申领"),
    ("给孩子办出生证明", "出生医学证明首次签发"),
    ("查一下名下房产", "不动产登记信息查询"),
    ("营业执照丢了", "营业执照补领"),
    ("注册个公司", "有限责任公司设立登记"),
    ("个体户不干了要注销", "个体工商户注销登记"),
    ("社保转到外地", "职工基本养老保险关系转移"),
    ("灵活就业交社保", "灵活就业人员参保登记"),
    ("买新车上牌", "机动车注册登记"),
    ("户口迁到清江", "户口迁入登记"),
    ("办个临时身份证", "临时居民身份证申领"),
    ("给孩子交医保", "城乡居民基本医疗保险参保登记"),
    ("老年证怎么办", "老年人优待证办理"),
]


@pytest.mark.parametrize(("query", "expected"), GOLDEN, ids=[q for q, _ in GOLDEN])
def test_golden_colloquial_queries(real_session, query, expected):
    index = get_search_index(real_session)
    names = {doc.name for doc in index.docs}
    if not any(name.startswith(expected) for name in names):
        pytest.skip(f"{expected} is not in service/seed/ yet (its seed file is absent or unfinished)")
    hits = index.search(query, limit=3)
    assert hits, f"{query}: no result"
    assert hits[0].name.startswith(expected), f"{query}: got {[(h.name, h.score) for h in hits]}"
    assert hits[0].score >= 0.5


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("我那个身份证，上礼拜搬家以后就不晓得放哪去了，翻遍了都没有，想问下去大厅补一张要多久", "居民身份证补领"),
        ("驾驶证还有一个月就到期了，人一直在外省工地上回不来，能不能在当地车管所直接换", "机动车驾驶证期满换证"),
    ],
    ids=["id-card-lost", "licence-expiring"],
)
def test_a_long_message_names_the_item_in_one_clause_and_the_operation_in_another(real_session, message, expected):
    hits = get_search_index(real_session).search(message, limit=3)
    assert hits[0].name == expected, [(h.name, h.score) for h in hits]


def test_a_message_whose_clauses_name_two_items_is_a_question_of_which(real_session):
    # The story's 公租房 leads by more than the margin, but the request is about 公积金.
    message = "我们一家住的是公租房，租金每月从工资卡扣，听同事说公积金可以用来付房租，这种情况能提出来吗"
    hits = get_search_index(real_session).search(message, limit=3)
    assert hits[0].contested
    assert not is_confident(hits)
    assert "住房公积金提取（租房）" in [hit.name for hit in hits[:3]]


def test_a_message_about_one_item_is_not_contested(real_session):
    hits = get_search_index(real_session).search("孩子去年上了户口，现在想给他办社保卡，要带什么", limit=3)
    assert hits[0].name == "社会保障卡申领（首次）"
    assert not hits[0].contested
    assert is_confident(hits)


def test_a_contested_top_hit_is_never_confident_however_far_it_leads():
    def hit(score: float, contested: bool = False) -> SearchHit:
        return SearchHit("X", "事项", "部门", score, True, (), contested=contested)

    assert is_confident([hit(0.9), hit(0.3)])
    assert not is_confident([hit(0.9, contested=True), hit(0.3)])
    assert not is_confident([hit(0.9, contested=True)])

"""Referral (首问负责): the referrals made on the dev lists, everyday words, request words, masks,
department kinds, the hall's own department, the copied data, the route, and speed."""

import importlib.util
import json
from collections import Counter

import pytest
import yaml
from conftest import row_counts
from sqlalchemy import select

from scripts.evaluate_referral import load_referral_lists, names_expected, outcomes, service_referrer
from service.catalogue.models import Department, Item
from service.catalogue.referral import (
    EVERYDAY_WORDS_FILE,
    REFERENCE_DIR,
    REFERRAL_THRESHOLD,
    ReferralIndex,
    department_kind,
    get_referral_index,
    load_everyday_words,
    load_reference,
    refer,
)
from service.catalogue.search import compact, get_tokenizer
from service.core.settings import get_settings

# The dev lists that set REFERRAL_THRESHOLD, the check list written afterwards, and the referrals known
# to be wrong (how the threshold was chosen: the file's header). Their rates are measured by
# scripts/evaluate_referral.py (make eval); here each referral made is checked, not a rate.
LISTS = load_referral_lists()
EXPECTED = dict(LISTS.dev)

# Dev questions that name their service outright, each with the kind of department that handles it.
CLEAR_QUESTIONS = [
    ("出生公证怎么办", "司法"),
    ("我在国外考的驾照，回国了能换成国内驾驶证吗", "公安"),
    ("我妈瘫痪在床，重度残疾人护理补贴能申请吗", "民政"),
    ("注销税务登记要带什么", "税务"),
    ("开个诊所要办医疗机构执业许可证", "卫健"),
    ("医保电子凭证怎么申领", "医保"),
    ("自学考试毕业证明书在哪里办", "教育"),
    ("你好，我姓**，身份证号4401**********1234，想咨询一下XX区那边残疾人证换领在哪里办，谢谢", "残联"),
]


def test_dev_lists_are_large_enough():
    assert len(LISTS.dev) >= 40 and len(LISTS.not_referred) >= 40
    assert len({q for q, _ in LISTS.dev}) == len(LISTS.dev)


def test_referrals_made_name_the_expected_item_or_a_known_wrong_one(fixture_session):
    """A dev or check question that is referred goes to its item, except those marked known_wrong,
    which still go exactly where marked: a fix shows up here (then remove the mark)."""
    made = outcomes(service_referrer(fixture_session), LISTS.dev + LISTS.check)
    assert dict(made.wrong) == {known.question: known.referred_to for known in LISTS.known_wrong}


def test_chat_travel_and_complaints_are_not_referred(fixture_session):
    referred = [(t, r.item_name, r.score) for t in LISTS.not_referred if (r := refer(fixture_session, t))]
    assert referred == []


@pytest.mark.parametrize(("question", "kind"), CLEAR_QUESTIONS)
def test_clear_questions_are_referred_to_their_item(fixture_session, question, kind):
    referral = refer(fixture_session, question)
    assert referral is not None, question
    assert names_expected(referral.item_name, EXPECTED[question]) and referral.department_kind == kind, referral


# --- everyday words and request words --------------------------------------------------------

# How people name services the hall lacks, in words no reference name uses, and the kind of department
# each belongs to (written apart from the dev lists; without the lexicon at most 3 of them find their item).
EVERYDAY_PHRASINGS = [
    ("养了只狗，狗证去哪办", "犬类准养证", "公安"),
    ("我想开个网吧要办什么", "上网服务营业场所", "公安"),
    ("C1驾照想增驾A2要什么条件", "增加准驾车型", "公安"),
    ("申请劳动仲裁要带什么材料", "劳动人事争议仲裁", "人社"),
    ("单位要社保缴费证明，在哪打印", "参保证明", "人社"),
    ("小卖部想办个烟草证", "烟草专卖零售许可证", "烟草专卖"),
    ("新房要开通燃气，燃气报装去哪申请", "供气报装", "住建"),
    ("房屋维修基金怎么申请使用", "住宅专项维修资金", "住建"),
    ("在宅基地上盖房子要办什么手续", "乡村建设规划许可", "自然资源"),
    ("退伍回来要去哪里报到", "退役报到", "退役军人"),
    ("想开个驾校要备案吗", "驾驶员培训", "交通运输"),
]


@pytest.mark.parametrize(("text", "fragment", "kind"), EVERYDAY_PHRASINGS)
def test_everyday_words_reach_the_right_department(real_session, text, fragment, kind):
    referral = refer(real_session, text)
    assert referral is not None, text
    assert fragment in referral.item_name and referral.department_kind == kind, referral


def test_without_everyday_words_most_of_those_phrasings_find_nothing():
    plain = ReferralIndex(load_reference(), get_tokenizer(get_settings().JIEBA_DICT_PATH))
    found = []
    for text, fragment, _ in EVERYDAY_PHRASINGS:
        hits = plain.rank(text, limit=1)
        if hits and hits[0].score >= REFERRAL_THRESHOLD and fragment in hits[0].item.name:
            found.append(text)
    print(f"without the lexicon {len(found)}/{len(EVERYDAY_PHRASINGS)} found: {found}")
    assert len(found) <= 3, found  # the lexicon, not the phrasing, does the work


def test_everyday_words_name_reference_words_and_only_rewrite_once():
    raw = yaml.safe_load((REFERENCE_DIR / EVERYDAY_WORDS_FILE).read_text(encoding="utf-8"))
    assert set(raw) == {"variants"} and 80 <= sum(map(len, raw["variants"].values())) <= 600
    reference = "\n".join(
        compact(text) for item in load_reference() for text in (item.name, *item.aliases, *item.daily)
    )
    absent = [word for word in raw["variants"] if compact(word) not in reference]
    assert absent == []
    inside_target = [(w, f) for w, forms in raw["variants"].items() for f in forms if compact(f) in compact(w)]
    assert inside_target == []
    lexicon = load_everyday_words()
    assert lexicon.rewrite("家里养了条狗，要办狗证吗") == "家里犬类准养,要办犬类准养证吗"
    assert lexicon.rewrite("卖烟花爆竹要办许可证吗") == "卖烟花爆竹要办许可证吗"


def test_matter_is_the_text_without_its_request_words():
    index = get_referral_index()
    assert index.matter("请问怎么登记") == "请问怎么，"
    assert index.matter("带什么证明") == "带什么，"
    # The catalogue's names are whole words to jieba: nothing is cut out of them.
    assert index.matter("户籍证明开具") == "户籍证明开具"


def test_a_catalogue_hit_on_request_words_alone_keeps_nothing(real_session):
    # "请问怎么登记" alone scores 出生登记 high; the question is about a 合作社, which only the directory has.
    text = "想成立一个农民专业合作社，请问怎么登记"
    referral = refer(real_session, text)
    assert referral is not None and "农民专业合作社" in referral.item_name


@pytest.mark.parametrize(
    "text", ["****", "**", "*", "XX", "xx", "XXX", "ＸＸ", "＊＊＊＊", "某某", "某某某", "XX某某****", "××", "○○"]
)
def test_masks_never_match(text):
    assert get_referral_index().rank(text, limit=5) == []


def test_masks_inside_a_question_change_nothing():
    index = get_referral_index()
    plain = index.rank("想咨询一下残疾人证换领在哪里办", limit=3)
    masked = index.rank("想咨询一下XX区****残疾人证换领在哪里办，我叫某某", limit=3)
    assert [h.item.name for h in masked] == [h.item.name for h in plain]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("广东省公安厅", "公安"),
        ("区公安分局", "公安"),
        ("清江市公安局交通警察支队", "交警"),
        ("清江市公安局", "公安"),
        ("区医疗保障局", "医保"),
        ("清江市医疗保障局", "医保"),
        ("广东省人力资源和社会保障厅", "人社"),
        ("区人社局", "人社"),
        ("清江市住房公积金管理中心", "公积金"),
        ("清江市住房和城乡建设局", "住建"),
        ("广州市规划和自然资源局", "自然资源"),
        ("区市监局", "市场监管"),
        ("广东省药品监督管理局", "市场监管"),
        ("国家税务总局清江市税务局", "税务"),
        ("广安区税务局", "税务"),
        ("区卫健局", "卫健"),
        ("区教科体局", "教育"),
        ("广东省体育局", "体育"),
        ("区文广旅局", "文旅"),
        ("区综合执法局", "城管"),
        ("区水务局", "水利"),
        ("广东省戒毒管理局", "司法"),
        ("广州海事法院", "法院"),
        ("中华人民共和国广东海事局", "交通运输"),
        ("广东省残疾人联合会", "残联"),
        ("国家统计局广东调查总队", "统计"),
        ("区行政审批局", "行政审批"),
        ("广东省智能机器人研究院", None),
        ("中国银保监会广东监管局", None),
    ],
)
def test_department_kind(name, kind):
    assert department_kind(name) == kind


def test_every_hall_department_has_its_own_kind(real_session):
    departments = list(real_session.scalars(select(Department)))
    kinds = {d.name: department_kind(d.name) for d in departments}
    assert None not in kinds.values(), kinds
    assert len(set(kinds.values())) == len(departments), kinds  # so `local` is never ambiguous


def test_medical_insurance_question_goes_to_the_halls_medical_insurance_bureau(real_session):
    referral = refer(real_session, "住院花的钱回来怎么报销，要带哪些单据")
    assert referral is not None and referral.department_kind == "医保"
    assert referral.item_name == "住院费用报销" and referral.level == "区县级"
    bureau = real_session.scalars(select(Department).where(Department.code == "YB")).one()
    assert referral.local is not None
    assert (referral.local.name, referral.local.address, referral.local.window) == (
        "清江市医疗保障局", bureau.address, bureau.window
    )
    assert (referral.local.hours, referral.local.phone) == (bureau.hours, bureau.phone)


def test_local_department_only_when_the_catalogue_has_the_kind(fixture_session):
    # The fixture catalogue has a 公安 and a 市场监管 department, no 医保 one.
    police = refer(fixture_session, "我想考个保安员证")
    assert police.department_kind == "公安" and police.local.name == "测试市公安局"
    medical = refer(fixture_session, "医保电子凭证怎么申领")
    assert medical.department_kind == "医保" and medical.local is None


def test_guides_keep_their_place_phone_and_level(fixture_session):
    guide = refer(fixture_session, "我想考个保安员证")
    assert (guide.item_name, guide.department, guide.level) == ("保安员证核发", "广州市公安局", "市级")
    assert guide.location.startswith("办理地点：") and guide.phone
    district = refer(fixture_session, "办养老院需要备案吗")
    assert district.level == "区县级" and district.location is None and district.phone is None


def test_the_catalogue_keeps_its_own_items(real_session):
    """Every name and alias of the hall's items is kept by the catalogue, never referred away."""
    swallowed = []
    for item in real_session.scalars(select(Item)):
        for text in (item.name, *item.aliases):
            referral = refer(real_session, text)
            if referral is not None:
                swallowed.append((text, referral.item_name, referral.score))
    assert swallowed == []


# --- the route ------------------------------------------------------------------------------


def test_referral_route_returns_the_department(client, fixture_db_url):
    before = row_counts(fixture_db_url)
    body = client.get("/api/catalogue/referral", params={"q": "我想考个保安员证"}).json()
    assert body == {
        "found": True,
        "item_name": "保安员证核发",
        "department": "广州市公安局",
        "department_kind": "公安",
        "level": "市级",
        "location": body["location"],
        "phone": body["phone"],
        "local": {
            "name": "测试市公安局",
            "address": "测试市中心路 1 号一楼",
            "window": "政务服务中心一楼公安综合窗口",
            "hours": "周一至周五 9:00-17:00",
            "phone": "0571-80000110",
        },
        "score": body["score"],
    }
    assert body["location"].startswith("办理地点：") and REFERRAL_THRESHOLD <= body["score"] <= 1
    assert row_counts(fixture_db_url) == before


@pytest.mark.parametrize("q", ["今天天气怎么样", "XX某某**", "手机没信号"])
def test_referral_route_not_found_is_nulls(client, q):
    response = client.get("/api/catalogue/referral", params={"q": q})
    assert response.status_code == 200
    assert response.json() == {
        "found": False,
        "item_name": None,
        "department": None,
        "department_kind": None,
        "level": None,
        "location": None,
        "phone": None,
        "local": None,
        "score": None,
    }


@pytest.mark.parametrize(
    ("q", "detail"), [("", "请输入要咨询的内容"), ("🙂🙂", "没有识别到文字"), ("补" * 1001, "内容过长")]
)
def test_referral_route_rejects_bad_text_like_search(client, q, detail):
    for path in ("/api/catalogue/referral", "/api/catalogue/search"):
        response = client.get(path, params={"q": q})
        assert response.status_code == 422
        assert response.json()["detail"].startswith(detail)


def test_referral_route_needs_q(client):
    response = client.get("/api/catalogue/referral")
    assert response.status_code == 422 and response.json()["detail"] == "缺少参数 q"


# --- the copied data ------------------------------------------------------------------------


def _build_script():
    spec = importlib.util.spec_from_file_location("reference_build", REFERENCE_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_files_hold_what_sources_md_says():
    guides = [json.loads(line) for line in (REFERENCE_DIR / "guangdong_guides.jsonl").open(encoding="utf-8")]
    assert len(guides) == 2005
    assert Counter(g["level"] for g in guides) == {"省级": 1868, "市级": 137}
    assert len({(g["name"], g["department"], g["level"]) for g in guides}) == len(guides)
    assert not any(v == "无" for g in guides for v in (g["short"], g["phone"], *g["daily"]))
    names = (REFERENCE_DIR / "guangan_item_names.tsv").read_text(encoding="utf-8").splitlines()
    assert names[0] == "department\tmain_item\titem_name" and len(names) == 1136
    for licence in ("MIT_Clarence-Kong_QABasedOnPolicyKnowledgeGraph.txt", "APACHE-2.0.txt", "SOURCES.md"):
        assert (REFERENCE_DIR / licence).is_file()


def test_build_script_keeps_the_referral_fields_of_services_once(tmp_path):
    build = _build_script()
    row = {
        "matter_name": "保安员证核发", "TASK_NAME": "保安员证核发(遗失补发)", "matter_short": "无",
        "matter_daily": "保安证，保安员证", "DEPT_NAME": " 广州市公安局", "matter_level": "市级",
        "TASK_TYPE_TEXT": "行政许可", "handle_location": "办理地点：广州市  某路", "consult_phone": "无",
        "URL": "https://www.gdzwfw.gov.cn/x",
    }
    repeat = {**row, "TASK_NAME": "保安员证核发(损毁换发)", "handle_location": "办理地点：另一处"}
    news = {**row, "matter_name": "培训班开班", "URL": "http://www.gdsqyg.com/agdzxdt/1"}
    source = tmp_path / "guides.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in (row, repeat, news)]
    source.write_text("".join(lines), encoding="utf-8")
    assert build.build_guides(source, tmp_path / "out.jsonl") == (3, 1, 1)
    assert [json.loads(line) for line in (tmp_path / "out.jsonl").open(encoding="utf-8")] == [
        {
            "name": "保安员证核发", "short": "", "daily": ["保安证", "保安员证"], "department": "广州市公安局",
            "level": "市级", "type": "行政许可", "location": "办理地点：广州市 某路", "phone": "",
        }
    ]


def test_daily_words_split_outside_brackets():
    build = _build_script()
    assert build.daily_words("户口，迁出") == ["户口", "迁出"]
    assert build.daily_words("债权文书(担保合同、保函)公证书、公证") == ["债权文书(担保合同、保函)公证书", "公证"]
    assert build.daily_words("无") == [] and build.clean(" 广东省 地质局 ") == "广东省 地质局"


# --- speed ----------------------------------------------------------------------------------


def test_index_is_built_once():
    assert get_referral_index() is get_referral_index()

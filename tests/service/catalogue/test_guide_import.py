"""Importing the real Guangdong export (service/seed/reference/guangdong_service_guides.jsonl.xz):
counts, items checked field by field against the source, the validation report, dry runs,
versions and rollback, idempotence, the hand-kept items left alone, and notices that say what the
source does not publish."""

import json
import lzma
import math
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_SEED, make_client, make_database, rasa_down_transport, row_counts
from sqlalchemy import func, select

from service import cli
from service.catalogue.guide_import import IGNORED_FIELDS, MAPPED_FIELDS, read_export
from service.catalogue.models import CatalogueVersion, Department, Item, Origin
from service.catalogue.publishing import import_export, rollback
from service.catalogue.search import (
    UNKNOWN_TOKEN_IDF,
    UNKNOWN_TOKEN_IDF_CHOSEN_AT,
    build_search_index,
    invalidate_search_index,
)
from service.catalogue.service import invalidate_notices
from service.core import generations
from service.core import templates as t
from service.core.db import get_session_factory
from service.core.seed_files import SeedError
from service.core.settings import REPO_ROOT, get_settings
from service.migrate import upgrade_database
from service.seeding import seed_database

EXPORT = REPO_ROOT / "service" / "seed" / "reference" / "guangdong_service_guides.jsonl.xz"
SOURCE_ROWS = 2262
NEWS_ROWS = 10
DEPARTMENTS = 177
FIXTURE_ITEMS = 5  # tests/service/fixtures/seed
# Three items read against the source below: a Guangzhou one with a booking address and everyday
# words, a provincial one with a limit in calendar days, one whose source publishes almost nothing.
GUANGZHOU = "11440100007482620J3440102003001"
CALENDAR_DAYS = "11440000553612461J244011110400003"
BARE = "1144000000694113522442116023000"


def source_rows() -> dict[str, dict]:
    lines = lzma.decompress(EXPORT.read_bytes()).decode("utf-8").splitlines()
    return {row["TASK_CODE"]: row for row in map(json.loads, lines)}


def source_lines() -> list[str]:
    return lzma.decompress(EXPORT.read_bytes()).decode("utf-8").splitlines()


def publish(url: str, path: Path = EXPORT, *, dry_run: bool = False):
    with get_session_factory(url)() as session:
        return import_export(session, path, created_by="测试", dry_run=dry_run)


def imported(url: str) -> dict[str, tuple]:
    """Every imported item's code → (name, content hash)."""
    with get_session_factory(url)() as session:
        rows = session.execute(select(Item.code, Item.name, Item.seed_hash).where(Item.origin == Origin.IMPORT))
        return {code: (name, digest) for code, name, digest in rows}


@pytest.fixture(scope="module")
def imported_template(tmp_path_factory) -> Path:
    """The fixture catalogue plus the whole export, imported once; tests copy the file."""
    directory = tmp_path_factory.mktemp("imported")
    url = make_database(directory)
    with get_session_factory(url)() as session:
        seed_database(seed_dir=FIXTURE_SEED, session=session)
    publish(url)
    return directory / "service.db"


@pytest.fixture
def imported_url(imported_template, tmp_path) -> str:
    target = tmp_path / "service.db"
    shutil.copyfile(imported_template, target)
    invalidate_search_index()
    invalidate_notices()
    return f"sqlite:///{target}"


@pytest.fixture
def seeded_url(tmp_path) -> str:
    url = make_database(tmp_path)
    with get_session_factory(url)() as session:
        seed_database(seed_dir=FIXTURE_SEED, session=session)
    return url


def test_the_real_export_maps_every_service_row_and_reports_the_news_rows():
    reading = read_export(EXPORT)

    assert reading.rows == SOURCE_ROWS
    assert len(reading.published.items) == SOURCE_ROWS - NEWS_ROWS
    assert len(reading.published.departments) == DEPARTMENTS
    assert len(reading.rejected) == NEWS_ROWS == len(reading.problems)
    assert all(p.field == "URL" and "新闻标题" in p.reason for p in reading.rejected)
    assert reading.sha256 == "43f5f9fda5406c9cc7eced076019ada0e62291ae77f049b4d83d531583e4a747"


def test_every_field_of_the_export_is_mapped_or_said_to_be_left_out():
    fields = set().union(*(row.keys() for row in source_rows().values()))
    assert len(fields) == 42
    assert fields == MAPPED_FIELDS | IGNORED_FIELDS.keys() and not MAPPED_FIELDS & IGNORED_FIELDS.keys()


def test_the_import_counts_and_its_version(imported_url):
    with get_session_factory(imported_url)() as session:
        version = session.scalars(select(CatalogueVersion)).one()
        by_origin = dict(session.execute(select(Item.origin, func.count()).group_by(Item.origin)).all())
        departments = session.scalar(
            select(func.count()).select_from(Department).where(Department.origin == Origin.IMPORT)
        )
    assert by_origin == {Origin.SEED: FIXTURE_ITEMS, Origin.IMPORT: SOURCE_ROWS - NEWS_ROWS}
    assert departments == DEPARTMENTS
    assert (version.id, version.items, version.added, version.changed, version.removed, version.rejected) == (
        1, SOURCE_ROWS - NEWS_ROWS, SOURCE_ROWS - NEWS_ROWS, 0, 0, NEWS_ROWS
    )
    assert version.created_by == "测试" and version.source == EXPORT.name
    assert version.source_sha256.startswith("43f5f9fd")


def test_a_guangzhou_item_field_by_field(imported_url):
    row = source_rows()[GUANGZHOU]
    with make_client(imported_url, rasa_down_transport()) as client:
        detail = client.get(f"/api/catalogue/items/{GUANGZHOU}").json()

    assert detail["name"] == row["TASK_NAME"] == "高等职业学校设立（含设置分校区）"
    assert detail["department"]["name"] == row["DEPT_NAME"] == "广州市教育局"
    assert detail["department"]["code"] == "ORG" + row["ORGCODE"]
    assert detail["level"] == "市级" and detail["type"] == row["TASK_TYPE_TEXT"] == "行政许可"
    assert detail["time_limit"] == {"legal_days": 180, "promised_days": 35, "on_the_spot": False, "note": None}
    assert [m["name"] for m in detail["materials"]] == row["material_intro"]
    assert all(m["form"] is None and m["count"] is None for m in detail["materials"])
    assert detail["conditions"] == [row["accept_standard"]]
    assert detail["place"] == "广州市天河区华利路61号广州市政务服务中心3楼综合受理窗口305-313"
    assert (detail["phone"], detail["complaint_phone"]) == ("020-12345", "020-22083789")
    assert detail["online"] == {"available": True, "where": "广东省统一申办受理平台", "note": None}
    assert detail["booking_where"] == row["online_book_addr"]
    assert detail["courier"] is True and detail["visits"] == 0
    assert detail["source_url"] == row["URL"]
    assert detail["audience"] == row["service_object_name"]
    # matter_daily repeats the name: no alias then.
    assert detail["aliases"] == []
    assert detail["fee"]["amount"] == t.UNPUBLISHED and detail["basis"] == t.UNPUBLISHED
    assert set(detail["unpublished"]) == {"basis", "fee", "hours", "material_details", "process", "situations"}


def test_calendar_days_and_everyday_words(imported_url):
    row = source_rows()[CALENDAR_DAYS]
    with make_client(imported_url, rasa_down_transport()) as client:
        detail = client.get(f"/api/catalogue/items/{CALENDAR_DAYS}").json()

    assert row["handle_time"] == "91(自然日)" and row["handle_time_limit"] == "1(工作日)"
    # 91 calendar days are no number of working days: said in the note, the field stays unknown.
    assert detail["time_limit"] == {
        "legal_days": None, "promised_days": 1, "on_the_spot": False, "note": "法定办结时限为91个自然日"
    }
    assert "legal_days" in detail["unpublished"]
    # matter_short 技工学校，设立 and matter_daily 设立，技工学校，办学许可: every everyday word of
    # the export is a keyword (MIN_ALIAS_CHARS), none an alias.
    assert detail["aliases"] == [] and detail["keywords"] == ["技工学校", "设立", "办学许可"]
    assert detail["level"] == "省级" and detail["department"]["short_name"] == "人力资源和社会保障厅"


def test_the_notice_of_a_bare_item_marks_every_unknown_and_invents_nothing(imported_url):
    row = source_rows()[BARE]
    assert (row["handle_time"], row["handle_time_limit"], row["material_intro"], row["accept_standard"]) == (
        "无", "无", "无", "无"
    )
    with make_client(imported_url, rasa_down_transport()) as client:
        notice = client.get(f"/api/catalogue/items/{BARE}/notice").json()

    assert notice["time_limit"]["legal_days"] is None and notice["time_limit"]["promised_days"] is None
    assert notice["time_limit"]["on_the_spot"] is False
    assert notice["materials"] == [] and notice["conditions"] == [] and notice["process"] == []
    assert notice["visits"] == 1 and notice["online"]["available"] is False
    assert set(notice["unpublished"]) >= {"materials", "conditions", "legal_days", "promised_days", "fee"}
    text = notice["text"]
    for line in (t.TIME_LEGAL_UNPUBLISHED, t.TIME_PROMISED_UNPUBLISHED, t.MATERIALS_UNPUBLISHED,
                 t.SITUATIONS_UNPUBLISHED, t.FEE_AMOUNT.format(amount=t.UNPUBLISHED),
                 t.HOURS_LINE.format(hours=t.UNPUBLISHED), t.COURIER_NO, t.VISITS_N.format(visits=1)):
        assert line in text
    # Nothing the hand-kept notices say of their own items is claimed here.
    assert t.TIME_ON_THE_SPOT not in text and t.TIME_LEGAL_NONE not in text and "不收费" not in text
    assert "广东省水利厅" in notice["sections"][-1]
    assert notice["aspects"]["process"].endswith(t.UNPUBLISHED_LINE)


def test_search_finds_an_imported_item_by_its_everyday_words(imported_url):
    with make_client(imported_url, rasa_down_transport()) as client:
        hits = client.get("/api/catalogue/search", params={"q": "技工学校终止办学要怎么申请"}).json()["items"]
    assert hits[0]["code"] == CALENDAR_DAYS


def test_a_name_bracketed_in_the_middle_is_not_matched_by_the_word_before_its_bracket(imported_url):
    # 44 notarisation guides are named "合同（协议)之…公证指引": their stem was once the bare word 合同.
    with get_session_factory(imported_url)() as session:
        index = build_search_index(session)
    hits = index.search("租房子住了大半年 房东不给房产证复印件 租房合同要去哪备案吗", limit=5)
    assert not [hit.name for hit in hits if hit.name.startswith("合同（协议)")]
    by_name = index.search("合同之损害赔偿协议公证指引", limit=1)
    assert by_name[0].name == "合同（协议)之损害赔偿（补偿）协议公证指引"


# The last names the hall's city, a word of every hall department's name: it says nothing about which
# item there, however few provincial departments hold it.
@pytest.mark.parametrize(
    "question",
    ["身份证丢了怎么补办", "孩子上户口要带什么", "营业执照怎么办理", "结婚登记在哪办",
     "户口不在测试市能在测试补办身份证吗"],
)
def test_importing_adds_competitors_but_does_not_change_how_the_halls_items_score(tmp_path, imported_url, question):
    hall_alone = make_database(tmp_path, "hall.db")  # beside imported_url's file, not over it
    with get_session_factory(hall_alone)() as session:
        seed_database(seed_dir=FIXTURE_SEED, session=session)

    def hall_scores(url: str) -> dict[str, float]:
        with get_session_factory(url)() as session:
            index = build_search_index(session)
            hall = [doc.code for doc in index.docs if doc.origin is Origin.SEED]
        return {code: index.score_of(question, code).score for code in hall}

    assert hall_scores(imported_url) == hall_scores(hall_alone)


def test_a_chat_word_weighs_more_against_the_imported_items_larger_idf_scale(imported_url):
    # At the hall's fixed 0.5 a word one of 2,250 imported items holds (idf 7.3) outweighed fourteen
    # chat words it lacks, against seven among the hall's 60 (idf 3.7): "摊位号也变了" named
    # 诚信粤商（公众号） by its 号. A catalogue as small as the hall's, or this fixture's, keeps 0.5.
    with get_session_factory(imported_url)() as session:
        index = build_search_index(session)
    hall, provincial = index.stats[Origin.SEED], index.stats[Origin.IMPORT]
    assert hall.unknown_idf == UNKNOWN_TOKEN_IDF
    assert provincial.unknown_idf / max(provincial.idf.values()) == pytest.approx(
        UNKNOWN_TOKEN_IDF / math.log(1 + (UNKNOWN_TOKEN_IDF_CHOSEN_AT - 0.5) / 1.5)
    )
    with get_session_factory(imported_url)() as session:
        stall = session.scalars(select(Item.code).where(Item.name == "诚信粤商（公众号）")).one()
    assert index.score_of("摊位号也变了", stall).score < 0.35


def test_a_malformed_row_is_reported_and_not_imported_the_rest_go_on(tmp_path, seeded_url):
    lines = source_lines()[:5]
    broken = json.loads(lines[2])
    broken.update(TASK_NAME="无", matter_name="无")
    odd_limit = json.loads(lines[3])
    odd_limit["handle_time"] = "三十个工作日左右"
    odd_limit["fee_standard"] = "工本费 10 元"  # a field this importer does not know
    export = tmp_path / "export.jsonl"
    export.write_text(
        "\n".join([lines[0], '{"TASK_CODE": "X1", "TASK_NAME": "缺了括号"', lines[1], json.dumps(broken),
                   json.dumps(odd_limit, ensure_ascii=False), "[1, 2]", lines[4], lines[4]]) + "\n",
        encoding="utf-8",
    )

    reading, publication = publish(seeded_url, export)

    problems = {(p.line, p.field, p.rejected): p.reason for p in reading.problems}
    assert problems.keys() == {
        (2, "*", True), (4, "TASK_NAME", True), (5, "handle_time", False), (5, "fee_standard", False),
        (6, "*", True), (8, "TASK_CODE", True),
    }
    assert problems[(5, "fee_standard", False)] == t.IMPORT_UNKNOWN_FIELD
    assert problems[(2, "*", True)].startswith("不是有效的 JSON")
    assert problems[(4, "TASK_NAME", True)] == t.IMPORT_NO_NAME
    assert problems[(8, "TASK_CODE", True)] == t.IMPORT_DUPLICATE_CODE.format(line=7)
    assert "三十个工作日左右" in problems[(5, "handle_time", False)]
    codes = {json.loads(line)["TASK_CODE"] for line in (lines[0], lines[1], lines[3], lines[4])}
    assert set(imported(seeded_url)) == codes
    assert publication.version.items == 4 and publication.version.rejected == 4
    with get_session_factory(seeded_url)() as session:
        item = session.scalars(select(Item).where(Item.code == odd_limit["TASK_CODE"])).one()
        promised, _ = odd_limit["handle_time_limit"].split("(")
        assert "legal_days" in item.unpublished and item.promised_days == int(promised)


def test_a_dry_run_writes_nothing(seeded_url):
    before = row_counts(seeded_url)

    reading, publication = publish(seeded_url, dry_run=True)

    assert publication.version is None
    assert len(publication.changes.added) == SOURCE_ROWS - NEWS_ROWS and not publication.changes.removed
    assert row_counts(seeded_url) == before
    assert imported(seeded_url) == {}
    with get_session_factory(seeded_url)() as session:
        assert session.scalar(select(func.count()).select_from(CatalogueVersion)) == 0


def test_importing_the_same_file_again_changes_nothing(imported_url):
    before, counts = imported(imported_url), row_counts(imported_url)
    with get_session_factory(imported_url)() as session:
        stamps = dict(session.execute(select(Item.code, Item.updated_at)).all())

    _, publication = publish(imported_url)

    assert publication.version is None and publication.changes.empty
    assert publication.changes.unchanged == SOURCE_ROWS - NEWS_ROWS
    assert imported(imported_url) == before and row_counts(imported_url) == counts
    with get_session_factory(imported_url)() as session:
        assert dict(session.execute(select(Item.code, Item.updated_at)).all()) == stamps
        assert session.scalar(select(func.count()).select_from(CatalogueVersion)) == 1


def test_a_publication_and_only_a_publication_tells_every_process_the_catalogue_changed(seeded_url):
    def generation() -> int:
        with get_session_factory(seeded_url)() as session:
            return generations.current(session, generations.CATALOGUE)

    seeded = generation()
    publish(seeded_url, dry_run=True)
    assert generation() == seeded
    publish(seeded_url)
    assert generation() == seeded + 1
    publish(seeded_url)  # the same file again: no version, no new generation
    assert generation() == seeded + 1


def test_rollback_restores_the_previous_version(imported_url, tmp_path):
    first = imported(imported_url)
    lines = source_lines()
    dropped = json.loads(lines[0])["TASK_CODE"]
    renamed = json.loads(lines[1])
    renamed["TASK_NAME"] = "中小学地方课程教材初审（新名称）"
    export = tmp_path / "second.jsonl.xz"
    export.write_bytes(lzma.compress("\n".join([json.dumps(renamed), *lines[2:]]).encode("utf-8")))

    _, second = publish(imported_url, export)

    assert (second.version.id, second.version.changed, second.version.removed) == (2, 1, 1)
    assert dropped not in imported(imported_url)
    assert imported(imported_url)[renamed["TASK_CODE"]][0] == "中小学地方课程教材初审（新名称）"

    with get_session_factory(imported_url)() as session:
        back = rollback(session, 1, created_by="测试")

    assert back.version.id == 3 and back.version.restores == 1
    assert imported(imported_url) == first
    with get_session_factory(imported_url)() as session:
        nothing = rollback(session, 0, created_by="测试")
    assert nothing.version.removed == SOURCE_ROWS - NEWS_ROWS
    assert imported(imported_url) == {}
    with get_session_factory(imported_url)() as session:
        assert session.scalar(select(func.count()).select_from(Item)) == FIXTURE_ITEMS
        assert session.scalar(select(func.count()).where(Department.origin == Origin.IMPORT)) == 0


def test_an_export_row_may_not_take_a_hand_kept_code(seeded_url):
    taken = json.loads(source_lines()[0])["TASK_CODE"]
    with get_session_factory(seeded_url)() as session:  # a hand-kept item that happens to use it
        session.execute(Item.__table__.update().where(Item.code == "GA-SFZ-001").values(code=taken))
        session.commit()

    reading, publication = publish(seeded_url)

    assert reading.rejected[-1].reason == t.IMPORT_SEED_CODE.format(name="居民身份证换领")
    assert reading.rejected[-1].line == 1 and reading.rejected[-1].text().startswith(f"第 1 行 {taken} ")
    assert publication.version.items == SOURCE_ROWS - NEWS_ROWS - 1
    assert publication.version.rejected == NEWS_ROWS + 1
    with get_session_factory(seeded_url)() as session:
        kept = session.scalars(select(Item).where(Item.code == taken)).one()
        assert kept.origin is Origin.SEED and kept.name == "居民身份证换领"


def test_seeding_the_yaml_again_leaves_the_imported_items_alone(imported_url):
    before = imported(imported_url)
    with get_session_factory(imported_url)() as session:
        report = seed_database(seed_dir=FIXTURE_SEED, session=session)
    assert len(report.unchanged) == FIXTURE_ITEMS and not report.created and not report.updated
    assert imported(imported_url) == before


def test_a_yaml_item_may_not_take_an_imported_code(imported_url, tmp_path):
    seed_dir = tmp_path / "seed"
    shutil.copytree(FIXTURE_SEED, seed_dir)
    path = seed_dir / "catalogue" / "GA.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("GA-SFZ-001", BARE), encoding="utf-8")
    with get_session_factory(imported_url)() as session, pytest.raises(SeedError, match=BARE):
        seed_database(seed_dir=seed_dir, session=session)


def test_the_cli_reports_publishes_lists_and_rolls_back(seeded_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    get_settings.cache_clear()

    assert cli.main(["import-guides", str(EXPORT), "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "试运行" in dry and "新增 2252 项" in dry and "第 1394 行" in dry
    assert imported(seeded_url) == {}

    assert cli.main(["import-guides", str(EXPORT), "--by", "张三"]) == 0
    assert "已发布为目录版本 1（张三" in capsys.readouterr().out
    assert cli.main(["import-guides", str(EXPORT)]) == 0
    assert "目录没有变化，未生成新版本（当前版本 1）" in capsys.readouterr().out

    assert cli.main(["rollback-catalogue", "7"]) == 1
    assert "没有版本 7" in capsys.readouterr().err
    assert cli.main(["rollback-catalogue", "0"]) == 0
    assert cli.main(["catalogue-versions"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[-3].startswith(" 1 ") and listing[-3].endswith(EXPORT.name)
    assert listing[-2].startswith("*2 ") and listing[-2].endswith("rollback to version 0")
    assert imported(seeded_url) == {}

    assert cli.main(["import-guides", "/nonexistent/export.jsonl"]) == 1
    assert "找不到文件" in capsys.readouterr().err


def test_on_postgresql_the_whole_export_fits_and_rolls_back(postgres_url):
    # PostgreSQL enforces the column widths SQLite ignores (33-character codes, long phone lists).
    upgrade_database(database_url=postgres_url)
    with get_session_factory(postgres_url)() as session:
        seed_database(seed_dir=FIXTURE_SEED, session=session)

    _, first = publish(postgres_url)
    _, again = publish(postgres_url)

    assert first.version.added == SOURCE_ROWS - NEWS_ROWS and again.version is None
    with get_session_factory(postgres_url)() as session:
        back = rollback(session, 0, created_by="测试")
    assert back.version.removed == SOURCE_ROWS - NEWS_ROWS
    assert imported(postgres_url) == {} and row_counts(postgres_url)["item"] == FIXTURE_ITEMS

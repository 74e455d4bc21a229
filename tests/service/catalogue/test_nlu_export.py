"""export-nlu: deterministic output, jieba keeps catalogue words whole, committed files current."""

import jieba
import pytest
import yaml
from conftest import FIXTURE_SEED, REAL_SEED

from service.catalogue.importer import load_seed
from service.catalogue.nlu_export import export_nlu, render_lookup, render_userdict
from service.catalogue.terms import name_stem
from service.core.settings import get_settings


def test_userdict_is_sorted_with_high_frequencies():
    text = render_userdict(load_seed(FIXTURE_SEED))
    lines = text.splitlines()
    assert lines == sorted(lines)
    entries = {line.split()[0]: (int(line.split()[1]), line.split()[2]) for line in lines}
    assert entries["居民身份证补领"] == (3000, "nz")
    assert entries["身份证丢了"] == (2000, "nz")
    assert entries["食品经营许可"] == (3000, "nz")  # the name's stem before the bracket
    assert entries["市场监督管理局"][1] == "nt"
    assert all(" " not in word for word in entries)


def test_lookup_file_is_rasa_yaml_with_synonyms():
    data = yaml.safe_load(render_lookup(load_seed(FIXTURE_SEED)))
    assert data["version"] == "3.1"
    lookup = data["nlu"][0]
    assert lookup["lookup"] == "service_item"
    values = [line[2:] for line in lookup["examples"].splitlines()]
    assert "居民身份证补领" in values and "身份证丢了" in values
    synonyms = {block["synonym"]: block["examples"].splitlines() for block in data["nlu"][1:]}
    assert synonyms["居民身份证补领"] == ["- 身份证丢了", "- 补办身份证", "- 身份证掉了"]
    assert len(synonyms) == 5


def test_export_is_deterministic(tmp_path):
    seed = load_seed(FIXTURE_SEED)
    paths = {"userdict_path": tmp_path / "a" / "userdict.txt", "lookup_path": tmp_path / "a" / "l.yml"}
    assert len(export_nlu(seed=seed, **paths)) == 2
    first = {k: p.read_bytes() for k, p in paths.items()}
    assert export_nlu(seed=load_seed(FIXTURE_SEED), **paths) == []  # nothing changed
    assert {k: p.read_bytes() for k, p in paths.items()} == first


def test_jieba_keeps_catalogue_words_whole(tmp_path):
    path = tmp_path / "userdict.txt"
    path.write_text(render_userdict(load_seed(FIXTURE_SEED)), encoding="utf-8")
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(path))
    assert "身份证丢了" in tokenizer.lcut("我的身份证丢了补办要带啥")
    assert "居民身份证补领" in tokenizer.lcut("居民身份证补领怎么办")
    assert "开个小店" in tokenizer.lcut("我想开个小店")


def test_committed_files_equal_a_fresh_export():
    if not sorted((REAL_SEED / "catalogue").glob("*.yaml")):
        pytest.skip("service/seed/catalogue/ has no seed files yet")
    seed = load_seed(REAL_SEED)
    settings = get_settings()
    stale = "out of date: run `python -m service.cli export-nlu`"
    assert settings.JIEBA_DICT_PATH.read_text(encoding="utf-8") == render_userdict(seed), stale
    assert settings.NLU_LOOKUP_PATH.read_text(encoding="utf-8") == render_lookup(seed), stale


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("住房公积金提取（租房）", "住房公积金提取"),
        ("合同（协议)之损害赔偿（补偿）协议公证指引", "合同之损害赔偿协议公证指引"),
        ("居民身份证补领", "居民身份证补领"),
        ("技工学校（筹设", "技工学校"),
    ],
)
def test_a_names_stem_drops_its_bracketed_parts_wherever_they_are(name, stem):
    assert name_stem(name) == stem

"""Golden segmentation of key catalogue terms, and the spaCy catalogue matcher."""

from __future__ import annotations

from pathlib import Path

import jieba
import pytest

from bot.phrase_matching import CataloguePhraseMatcher, load_jieba_dictionaries

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def catalogue_dictionary():
    load_jieba_dictionaries(REPO_ROOT / "bot" / "jieba")


@pytest.mark.parametrize("sentence,term", [
    ("我想办居民身份证补领", "居民身份证补领"),
    ("异地就医备案怎么弄", "异地就医备案"),
    ("港澳通行证签注要带啥", "港澳通行证"),
    ("公积金能不能取出来", "公积金"),
    ("我营业执照丢了咋办", "营业执照丢了"),
    ("想去开无犯罪证明", "开无犯罪证明"),
    ("去办个体工商户设立登记", "个体工商户设立登记"),
])
def test_catalogue_terms_stay_whole(sentence, term):
    assert term in jieba.lcut(sentence)


@pytest.fixture(scope="module")
def matcher():
    return CataloguePhraseMatcher({
        "居民身份证补领": "居民身份证补领",
        "补办身份证": "居民身份证补领",
        "身份证": "居民身份证换领",
        "换驾照": "机动车驾驶证期满换证",
    })


def test_longest_phrase_wins_and_maps_to_the_official_name(matcher):
    found = matcher.find("我要补办身份证，顺便问问换驾照")
    assert [(m.text, m.official_name) for m in found] == [
        ("补办身份证", "居民身份证补领"), ("换驾照", "机动车驾驶证期满换证")]
    assert found[0].start == 2 and found[0].end == 7


def test_no_mention_gives_nothing(matcher):
    assert matcher.find("今天天气怎么样") == []

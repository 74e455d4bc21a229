"""The catalogue's vocabulary (names, aliases, keywords): one list for jieba, Rasa and search."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# High enough that jieba keeps these words whole against its built-in dictionary.
NAME_FREQ = 3000
ALIAS_FREQ = 2000
DEPARTMENT_FREQ = 2000
KEYWORD_FREQ = 1000

# A bracketed part of a name, closed with either width of bracket ("（协议)") or left open at the end.
_BRACKETED = re.compile(r"[（(][^（()）]*(?:[)）]|$)")


@dataclass(frozen=True)
class ItemTerms:
    code: str
    name: str
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class DepartmentTerms:
    name: str
    short_name: str


def name_stem(name: str) -> str:
    """The name without its bracketed parts: '住房公积金提取（租房）' → '住房公积金提取' (jieba splits at
    the bracket anyway), '合同（协议)之损害赔偿（补偿）协议公证指引' → '合同之损害赔偿协议公证指引'.
    Cutting at the first bracket instead made the stem of such a name the bare word '合同', which
    then matched any message about a contract as the name of a notarisation guide."""
    return _BRACKETED.sub("", name).strip()


def userdict_entries(
    items: Iterable[ItemTerms], departments: Iterable[DepartmentTerms]
) -> list[tuple[str, int, str]]:
    """(word, frequency, POS tag) for jieba, sorted by word; a word keeps its highest frequency."""
    best: dict[str, tuple[int, str]] = {}

    def add(word: str, freq: int, tag: str) -> None:
        word = word.strip()
        # jieba's dictionary format is space-separated: such words cannot be entered.
        if len(word) < 2 or any(ch.isspace() for ch in word):
            return
        if word not in best or best[word][0] < freq:
            best[word] = (freq, tag)

    for item in items:
        add(item.name, NAME_FREQ, "nz")
        add(name_stem(item.name), NAME_FREQ, "nz")
        for alias in item.aliases:
            add(alias, ALIAS_FREQ, "nz")
        for keyword in item.keywords:
            add(keyword, KEYWORD_FREQ, "n")
    for department in departments:
        add(department.name, DEPARTMENT_FREQ, "nt")
        add(department.short_name, DEPARTMENT_FREQ, "nt")
    return sorted((word, freq, tag) for word, (freq, tag) in best.items())

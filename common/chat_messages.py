"""Packing text sections into as few chat messages as possible, each within a channel's limit.

The web chat's limit is in characters (`len`), WeChat's in UTF-8 bytes (`utf8_bytes`): the
measure is passed in. Pure: standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

SECTION_BREAK = "\n\n"
LINE_BREAK = "\n"


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def pack_messages(sections: Iterable[str], limit: int, size: Callable[[str], int]) -> list[str]:
    """Join sections into as few messages as possible, each at most `limit` as `size` measures.

    Sections stay whole where they fit and are separated by a blank line; a longer section is
    cut at line breaks, and a single overlong line at a character boundary, so nothing is ever
    dropped. `size` must add up over characters (as `len` and `utf8_bytes` do). Blank sections
    give nothing.
    """
    return list(_joined(_pieces(sections, limit, size), SECTION_BREAK, limit, size))


def _pieces(sections: Iterable[str], limit: int, size: Callable[[str], int]) -> Iterator[str]:
    """Each section whole where it fits; else its lines, joined up to the limit."""
    for section in (s.strip() for s in sections):
        if not section:
            continue
        if size(section) <= limit:
            yield section
            continue
        parts = (part for line in section.splitlines() for part in _cut_line(line, limit, size))
        yield from _joined(parts, LINE_BREAK, limit, size)


def _joined(texts: Iterable[str], separator: str, limit: int, size: Callable[[str], int]) -> Iterator[str]:
    """The texts in order, neighbours joined by `separator` while the join stays within `limit`."""
    current = ""
    for text in texts:
        candidate = f"{current}{separator}{text}" if current else text
        if size(candidate) <= limit:
            current = candidate
            continue
        if current:
            yield current
        current = text
    if current:
        yield current


def _cut_line(line: str, limit: int, size: Callable[[str], int]) -> list[str]:
    """The line in parts of at most `limit`, cut between characters."""
    parts: list[str] = []
    part, used = "", 0
    for char in line:
        if part and used + size(char) > limit:
            parts.append(part)
            part, used = "", 0
        part += char
        used += size(char)
    return [*parts, part]

"""How the fields of a provincial guide export (the Guangdong format, service/seed/reference/SOURCES.md)
are written, read with the standard library only: service/seed/reference/build.py uses it too."""

import re

NONE_WRITTEN = "无"  # the export's "none"
# News headlines from a 文化馆 site that sit among the guides (their URL holds this), not services.
NEWS_URL = "agdzxdt"
_SPACES = re.compile(r"\s+")
# Everyday words are separated by commas, semicolons, spaces, or 、 outside brackets.
_DAILY_SEPARATORS = frozenset("，,；; ")
_OPEN, _CLOSE = frozenset("（([【《“"), frozenset("）)]】》”")
# "30(工作日)", "90（自然日）"
_DAYS = re.compile(r"^(\d{1,4})\s*[(（]\s*(工作日|自然日)\s*[)）]$")
WORKING_DAYS, CALENDAR_DAYS = "工作日", "自然日"


def clean(value: object) -> str:
    """Whitespace runs → one space, trimmed; the export's "无" (none) and non-text → empty."""
    if not isinstance(value, str):
        return ""
    value = _SPACES.sub(" ", value).strip()
    return "" if value == NONE_WRITTEN else value


def daily_words(value: object) -> list[str]:
    """'户口，迁出' → ['户口', '迁出']; '债权文书(担保合同、保函)' stays one word."""
    words, current, depth = [], [], 0
    for ch in clean(value):
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if ch in _DAILY_SEPARATORS or (ch == "、" and depth <= 0):
            words.append("".join(current))
            current = []
        else:
            current.append(ch)
    words.append("".join(current))
    return list(dict.fromkeys(w.strip() for w in words if w.strip()))


def days(value: str) -> tuple[int, str] | None:
    """'30(工作日)' → (30, '工作日'); None when the text is no time limit."""
    found = _DAYS.match(value)
    return (int(found.group(1)), found.group(2)) if found else None


def is_news(row: dict) -> bool:
    return NEWS_URL in (row.get("URL") or "")

"""How a citizen's whole message is read before classifying it: masks, width, the last clause.

Real messages carry masked names and places (`****`, `**`, `XX`, `某某`, often inside a word:
"****区人防办", "**小区**号楼"); they are no words and must never look like one. The request is
usually in the last clause ("……希望有关部门尽快解决"), after the story.

Pure: standard library only, so the Rasa components, the actions and the evaluation read text
the same way.
"""

from __future__ import annotations

import re
import unicodedata

MASK_PLACEHOLDER = "□"
# Runs of two or more mask characters, 某某, and XX/xx that is not part of a longer Latin word.
MASK = re.compile(r"[*＊×○◯●]{2,}|某某+|(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])")
_CLAUSE_END = re.compile(r"[。！？!?；;\n…]+|[，,、]\s*")
_CONTENT = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
# The last clauses hold the request; this many characters of them are read apart.
TAIL_CHARS = 40


def normalise(text: str) -> str:
    """Full-width to half-width (Ｏ２, １２３４５), lower case, masks as one placeholder each."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return MASK.sub(MASK_PLACEHOLDER, text)


def mask_spans(text: str) -> list[tuple[int, int]]:
    """Where the masks are in the text as typed (offsets for tokenizers)."""
    return [match.span() for match in MASK.finditer(text or "")]


def without_masks(text: str) -> str:
    """The normalised text with the masks removed: what a classifier of words should see."""
    return normalise(text).replace(MASK_PLACEHOLDER, "")


def tail(text: str, limit: int = TAIL_CHARS) -> str:
    """The last clauses of a message, up to `limit` characters, whole clauses where possible."""
    clauses = [c for c in _CLAUSE_END.split(without_masks(text)) if c.strip()]
    picked = ""
    for clause in reversed(clauses):
        if picked and len(clause) + len(picked) > limit:
            break
        picked = clause + " " + picked if picked else clause
    return picked[-limit * 2 :].strip()


def has_content(text: str) -> bool:
    """False for a message of only punctuation, emoji, spaces or masks."""
    return bool(_CONTENT.search(without_masks(text)))

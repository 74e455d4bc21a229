"""Validation of free text from citizens (search queries, assist messages): one rule for both."""

from typing import Annotated

from pydantic import AfterValidator

from service.core import templates as t
from service.core.settings import get_settings


def clean_text(text: str) -> str:
    """Strip; refuse empty, over-long, and word-less text (only emoji or punctuation)."""
    text = text.strip()
    if not text:
        raise ValueError(t.TEXT_EMPTY)
    max_chars = get_settings().MAX_TEXT_CHARS
    if len(text) > max_chars:
        raise ValueError(t.TEXT_TOO_LONG.format(max_chars=max_chars))
    # str.isalnum is true for CJK characters, letters and digits, false for emoji and symbols.
    if not any(ch.isalnum() for ch in text):
        raise ValueError(t.TEXT_NO_WORDS)
    return text


CitizenText = Annotated[str, AfterValidator(clean_text)]

"""A typed answer to the bot's own buttons is the button, in every channel.

When the bot's last turn offered buttons, a short reply that picks one of them ("1", "２",
"第二个", "最后一个", "确认提交", "都不是") is read as that button's payload, before the NLU
sees it. The web chat, WeChat (which shows buttons as numbered lines) and any REST client get
the same reading, because it happens in the Rasa server, against the conversation's own events.

Pure apart from reading tracker events; the choice itself is common/choices.resolve_choice.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable, Optional

from common.choices import resolve_choice

# A reply longer than this is a message of its own, not a pick ("第二个是什么意思，我是外地户口……").
MAX_PICK_CHARS = 12
_NUMBERING = re.compile(r"^\s*\d+\s*[.、．]\s*")


def last_buttons(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The buttons of the bot's messages since the citizen last wrote (the latest first wins)."""
    buttons: list[dict[str, Any]] = []
    for event in reversed(list(events)):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            found = (event.get("data") or {}).get("buttons") or []
            buttons = [b for b in found if isinstance(b, dict) and b.get("payload")] + buttons
    return buttons


def picked_payload(text: str, buttons: list[dict[str, Any]]) -> Optional[str]:
    """The payload of the button a short reply picks, or None."""
    text = unicodedata.normalize("NFKC", text or "").strip()  # "２" is "2"
    if not buttons or not text or text.startswith("/") or len(text) > MAX_PICK_CHARS:
        return None
    labels = [_NUMBERING.sub("", str(b.get("title") or "")) for b in buttons]
    index = resolve_choice(text, labels)
    return buttons[index]["payload"] if index is not None else None

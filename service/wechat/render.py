"""Rasa's answers as WeChat text messages, buttons as numbered options. Pure functions.

The numbers are written here and nowhere else: the bot's button titles are bare (actions/buttons.py),
so "1. 本人办理" never becomes "1. 1. 本人办理".
"""

from typing import Any

from common.chat_messages import pack_messages, utf8_bytes
from service.core import templates as t

# WeChat's limit for one text message (passive reply or customer-service message), UTF-8 bytes:
# a longer customer-service text is refused with errcode 45002.
TEXT_LIMIT_BYTES = 2048


def render_answer(messages: list[dict[str, Any]]) -> list[str]:
    """Rasa REST messages → WeChat texts (each within the limit).

    Buttons become numbered options, numbered on through the whole answer in the order the
    Rasa server numbers them when it reads a reply of "2" (bot/replies.py).
    """
    sections: list[str] = []
    numbered = 0
    for message in messages:
        lines = []
        if isinstance(message.get("text"), str) and message["text"].strip():
            lines.append(message["text"].strip())
        if isinstance(message.get("image"), str):
            lines.append(t.WECHAT_IMAGE_LINE.format(url=message["image"]))
        buttons = [
            {"title": str(b["title"]), "payload": str(b["payload"])}
            for b in message.get("buttons") or []
            if isinstance(b, dict) and b.get("title") and b.get("payload")
        ]
        if buttons:
            options = [
                t.WECHAT_OPTION_LINE.format(no=numbered + no, title=b["title"])
                for no, b in enumerate(buttons, start=1)
            ]
            lines.append("\n".join([t.WECHAT_OPTIONS_HEADER, *options]))
            numbered += len(buttons)
        if lines:
            sections.append("\n".join(lines))
    return pack_messages(sections, TEXT_LIMIT_BYTES, utf8_bytes)


def fit_text(text: str) -> list[str]:
    """One text as WeChat texts within the limit: cut at line breaks, a longer line between characters."""
    return pack_messages([text], TEXT_LIMIT_BYTES, utf8_bytes)

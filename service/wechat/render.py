"""Rasa's answers as WeChat text messages, buttons as numbered options. Pure functions."""

from typing import Any

from service.core import templates as t

# WeChat's limit for one text message (passive reply or customer-service message), UTF-8 bytes.
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
    return pack(sections, TEXT_LIMIT_BYTES)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def pack(sections: list[str], limit: int) -> list[str]:
    """As few texts as possible, each at most `limit` bytes; sections are cut only when too big.

    A section is cut at line breaks, and a line longer than the limit at a character boundary,
    so nothing is dropped.
    """
    texts: list[str] = []
    current = ""
    for piece in (p for section in sections for p in _pieces(section, limit)):
        candidate = f"{current}\n\n{piece}" if current else piece
        if _size(candidate) <= limit:
            current = candidate
        else:
            texts.append(current)
            current = piece
    if current:
        texts.append(current)
    return texts


def _pieces(section: str, limit: int) -> list[str]:
    if _size(section) <= limit:
        return [section]
    pieces: list[str] = []
    chunk = ""
    for line in section.splitlines():
        for part in _cut_line(line, limit):
            candidate = f"{chunk}\n{part}" if chunk else part
            if _size(candidate) <= limit:
                chunk = candidate
            else:
                pieces.append(chunk)
                chunk = part
    if chunk:
        pieces.append(chunk)
    return pieces


def _cut_line(line: str, limit: int) -> list[str]:
    parts: list[str] = []
    part = ""
    for char in line:
        if _size(part + char) > limit:
            parts.append(part)
            part = ""
        part += char
    return [*parts, part]

"""Packing long texts into chat messages. Pure: no rasa-sdk."""

from __future__ import annotations


def pack_sections(sections: list[str], max_chars: int) -> list[str]:
    """Join sections into as few messages as possible, each at most `max_chars` long.

    Sections stay whole where they fit; a section longer than a message is cut at line
    breaks, and a single overlong line at `max_chars`, so nothing is ever dropped.
    """
    messages: list[str] = []
    current = ""
    for piece in _pieces(sections, max_chars):
        candidate = f"{current}\n\n{piece}" if current else piece
        if len(candidate) <= max_chars:
            current = candidate
        else:
            messages.append(current)
            current = piece
    if current:
        messages.append(current)
    return messages


def _pieces(sections: list[str], max_chars: int) -> list[str]:
    pieces: list[str] = []
    for section in (s.strip() for s in sections):
        if not section:
            continue
        if len(section) <= max_chars:
            pieces.append(section)
            continue
        chunk = ""
        for line in section.splitlines():
            while len(line) > max_chars:
                if chunk:
                    pieces.append(chunk)
                    chunk = ""
                pieces.append(line[:max_chars])
                line = line[max_chars:]
            candidate = f"{chunk}\n{line}" if chunk else line
            if len(candidate) <= max_chars:
                chunk = candidate
            else:
                pieces.append(chunk)
                chunk = line
        if chunk:
            pieces.append(chunk)
    return pieces

"""Buttons the actions offer: payloads that carry an intent and its entities, numbered titles.

Pure: no rasa-sdk. The titles' wording is in the text modules and domain.yml.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def intent_payload(intent: str, **entities: str) -> str:
    """'/inform{"item_code": "GA-SFZ-001"}': a tap is read as this intent and these entities."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"


def numbered_buttons(options: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """(title, payload) pairs as buttons in the order a typed "1", "2", … picks them in every
    channel (bot/replies.py). Titles stay bare: a text channel shows the numbers once, through
    the whole answer (service/wechat/render.py); the web chat shows buttons to tap."""
    return [{"title": title, "payload": payload} for title, payload in options]

"""The words of a 12345 handoff, a status question and a rating: reading the citizen's, and the
values and lines the bot shows (types, places, times). The fixed sentences are domain.yml's
responses (utter_*handoff*, utter_*ticket*, utter_*rating*).

Pure: no rasa-sdk.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Optional
from zoneinfo import ZoneInfo

from actions.booking_text import find_mobile

# The work-order types as the service names them; a consultation is asked for with a button.
CONSULTATION = "咨询"
TYPE_OF_INTENT = {"complain": "投诉", "report": "举报", "suggest": "建议", "seek_help": "求助"}
# Types that are about something somewhere: the agent needs the place.
TYPES_WITH_PLACE = {"投诉", "举报", "求助"}
NO_PLACE = "不涉及具体地点"
# Typed at the confirmation, these file the order.
CONFIRMING_WORDS = ("确认", "提交", "没问题", "对的")

TICKET_NUMBER = re.compile(r"12345\s*[-－—]\s*(\d{8})\s*[-－—]\s*(\d{5})")
# What a request for a person says without saying what it is about: "转人工", "我要投诉".
_TRIGGER_WORDS = re.compile(
    r"转|人工|客服|真人|活人|话务员|坐席|接线员|找人|来个人|我要|我想|要|想|帮我|给我|麻烦|请|你们|"
    r"投诉|举报|建议|反映|求助|帮忙|一下|一个|下|吧|啊|呀|呢|了|的|你好|您好|喂|在吗|谢谢|[\s\W\d]"
)
SUBSTANTIVE_CHARS = 6
_NO_PLACE_ANSWER = re.compile(r"^(?:无|没有|没|不涉及|不用|不需要|没地点|没有地点|不清楚|不知道|网上|线上|电话里)[。.!！]*$")
# Five levels of 好差评, most specific words first ("非常不满意" before "不满意" before "满意").
_RATINGS: list[tuple[str, re.Pattern[str]]] = [
    ("非常不满意", re.compile(r"非常不满意|很不满意|特别不满意|太差|极差|非常差|很差|垃圾|一星|1星|打1分|零分|0分")),
    ("不满意", re.compile(r"不满意|差评|不太满意|没解决|不行|二星|2星|打2分|两星")),
    ("基本满意", re.compile(r"基本满意|一般|还行|凑合|马马虎虎|中评|三星|3星|打3分|还可以|过得去")),
    ("非常满意", re.compile(r"非常满意|很满意|特别满意|太好了|五星|5星|满分|打5分|10分|十分满意|超级满意|👍")),
    ("满意", re.compile(r"满意|好评|四星|4星|打4分|不错|挺好|可以")),
]
RATING_LEVELS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]  # as the service names them
LOW_RATINGS = {"不满意", "非常不满意"}


def mobile_number(text: str) -> Optional[str]:
    """The 11 digits of the mobile number in the text ("+86 138-1234-5678" → "13812345678")."""
    found = find_mobile(text)
    return re.sub(r"\D", "", found)[-11:] if found else None


def find_ticket_number(text: str) -> Optional[str]:
    """"工单12345 - 20261122-00042" → "12345-20261122-00042"."""
    match = TICKET_NUMBER.search(text or "")
    return f"12345-{match.group(1)}-{match.group(2)}" if match else None


_STATED_TYPES = re.compile(r"投诉|举报|建议|求助")


def stated_type(text: str) -> Optional[str]:
    """The type the citizen names ("我要投诉…") — it outranks the NLU's guess from the wording."""
    match = _STATED_TYPES.search(text or "")
    return match.group(0) if match else None


def is_substantive(text: str) -> bool:
    """The message says what the matter is, not just "转人工" / "我要投诉" (or a button's /payload)."""
    if (text or "").startswith("/"):
        return False
    return len(_TRIGGER_WORDS.sub("", text or "")) >= SUBSTANTIVE_CHARS


def place_answer(text: str) -> str:
    """The place as answered; "无" and the like become NO_PLACE."""
    text = (text or "").strip()
    return NO_PLACE if _NO_PLACE_ANSWER.match(text) else text


def rating_in(text: str) -> Optional[str]:
    """One of the five 好差评 levels the text expresses, or None."""
    for level, pattern in _RATINGS:
        if pattern.search(text or ""):
            return level
    return None


def transcript(events: list[dict[str, Any]], *, limit: int, line_chars: int) -> list[dict[str, str]]:
    """The latest user and bot lines of the conversation, for the agent (the service masks them)."""
    lines = []
    for event in events:
        text = (event.get("text") or "").strip()
        if not text or event.get("event") not in ("user", "bot") or text.startswith("/"):
            continue
        author = "citizen" if event["event"] == "user" else "bot"
        lines.append({"author": author, "text": text[:line_chars]})
    return lines[-limit:]


def local_time(iso: str, timezone: str) -> str:
    """"2026-11-25T01:30:00Z" → "11月25日 09:30": the moment in the hall's timezone."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo(timezone))
    return f"{moment.month}月{moment.day}日 {moment:%H:%M}"

"""The booking's words: reading a citizen's answers out of free text, and composing the lines
the bot shows (times, the people, the materials). The fixed sentences are domain.yml's
responses (utter_*booking*).

Pure: no rasa-sdk, no validation rules (the service owns those: /api/appointments/check-person).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection
from datetime import date
from typing import Any, Optional

from common.personal_data import ID_NUMBER_AS_TYPED, MOBILE_AS_TYPED

_NAME_PREFIX = re.compile(r"^(?:我叫|我是|我姓名|姓名是|姓名|名字是|名字叫|名字|叫|是)[:：\s]*")
_NAME_SUFFIX = re.compile(r"[，,。.!！\s]*(?:就是我|谢谢|哈)?$")
_FOR_OTHER = re.compile(r"代办|代理|替|帮(?:我|他|她)?(?:爸|妈|老人|家人|朋友|老公|老婆|孩子|儿子|女儿|父|母|别人|亲戚)|别人|他人|委托|不是本人|不是我")
_FOR_SELF = re.compile(r"本人|自己|我去|我本人|亲自")
# An agent brings the item's authorisation letter (授权委托书…).
_AUTHORISATION_LETTER = "委托书"
_NUMBERS = re.compile(r"\d+")
_ALL_READY = re.compile(r"都(?:有|齐|备齐|准备好)|齐了|备齐|全有|全齐|都带|准备好了|没有缺")
_SKIP = re.compile(r"先不|跳过|不核对|不清楚|不知道|到时候|再说")
# Typed at the confirmation, these submit the booking.
CONFIRMING_WORDS = ("确认", "提交", "没问题")
# The service refuses a booking for a slot taken meanwhile with a reason that says so.
SLOT_TAKEN_MARK = "约满"
WEEKDAYS = "一二三四五六日"


def find_mobile(text: str) -> Optional[str]:
    """A mobile-looking number anywhere in the text ("电话写错了，是139 1234 5678")."""
    match = MOBILE_AS_TYPED.search(text or "")
    return match.group(0) if match else None


def find_id_number(text: str) -> Optional[str]:
    match = ID_NUMBER_AS_TYPED.search(text or "")
    return match.group(0) if match else None


def clean_name(text: str) -> str:
    """"我叫张三" → "张三"; the service decides whether it is a plausible name."""
    return _NAME_SUFFIX.sub("", _NAME_PREFIX.sub("", (text or "").strip()))


def booking_for(text: str) -> Optional[str]:
    """"self" for 本人办理, "other" for 代办, None when the answer says neither."""
    if _FOR_OTHER.search(text or ""):
        return "other"
    if _FOR_SELF.search(text or ""):
        return "self"
    return None


def missing_materials(text: str, materials: list[str]) -> Optional[list[str]]:
    """Which of the listed materials the citizen says are missing: [] when all are ready,
    None when the answer says neither ("先不核对" or unrelated text)."""
    if _SKIP.search(text or ""):
        return None
    picked = [int(n) for n in _NUMBERS.findall(text or "")]
    picked = [n for n in picked if 1 <= n <= len(materials)]
    if picked:
        return [materials[n - 1] for n in sorted(set(picked))]
    named = [name for name in materials if name and name in (text or "")]
    if named:
        return named
    if _ALL_READY.search(text or ""):
        return []
    return None


def idempotency_key(conversation: str, nonce: str, booking: dict[str, Any]) -> str:
    """Same booking in the same attempt → same key (a retry is safe); any change → a new key."""
    digest = hashlib.sha256(json.dumps(booking, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    conversation_part = hashlib.sha256(conversation.encode()).hexdigest()[:12]
    return f"bot-{conversation_part}-{nonce}-{digest[:16]}"


def authorisation_letter(materials: list[str]) -> Optional[str]:
    """The item's own authorisation letter, if it has one."""
    return next((name for name in materials if _AUTHORISATION_LETTER in name), None)


# --- what the bot shows -------------------------------------------------------------------------


def slot_label(day: Optional[str], slot: Optional[str]) -> str:
    """"2026-11-25", "09:00-10:00" → "11月25日（周三）09:00-10:00"; "" until both are known."""
    if not day or not slot:
        return ""
    when = date.fromisoformat(day)
    return f"{when.month}月{when.day}日（周{WEEKDAYS[when.weekday()]}）{slot}"


def person_line(name: str, phone_masked: str, id_masked: str) -> str:
    return f"{name}，电话 {phone_masked}，身份证 {id_masked}"


def agent_line(name: str, phone_masked: str, id_masked: str) -> str:
    """The agent's line of the confirmation (it follows the applicant's)."""
    return f"\n代办人：{person_line(name, phone_masked, id_masked)}"


def missing_line(missing: list[str]) -> str:
    """The confirmation's line of materials not ready yet, "" when none are missing."""
    return f"\n尚缺材料：{'、'.join(missing)}" if missing else ""


def numbered_materials(materials: list[str], missing: Collection[str] = ()) -> str:
    """One a line, numbered, the missing ones marked: "2. 近期免冠照片（尚未备齐）"."""
    return "\n".join(f"{number}. {name}{'（尚未备齐）' if name in missing else ''}"
                     for number, name in enumerate(materials, start=1))


def bundle_line(bundle: Optional[dict[str, Any]]) -> str:
    """The done message's line for a booking that covers a life event: what the window takes too."""
    if not bundle:
        return ""
    return f"\n一件事：{bundle['name']}，窗口一并受理：{'、'.join(bundle['items'])}（全部材料见上面的一件事告知单）"


# --- managing a booking ---------------------------------------------------------------------

# 20261203-A-0042 as citizens type it: "20261203A42", "20261203 - a - 0042".
_BOOKING_CODE = re.compile(r"(20\d{6})\s*[-－—_ ]?\s*([A-Za-z])\s*[-－—_ ]?\s*(\d{1,4})(?!\d)")


def find_booking_code(text: str) -> Optional[str]:
    """The booking code in the text, written the service's way, or None."""
    match = _BOOKING_CODE.search(text or "")
    if not match:
        return None
    day, hall, number = match.groups()
    return f"{day}-{hall.upper()}-{int(number):04d}"


def appointment_line(appointment: dict[str, Any]) -> str:
    """"11月25日（周三）09:00-10:00 居民身份证换领，清江市政务服务中心（一楼…窗口），预约码 …"."""
    when = slot_label(appointment["date"], appointment["slot"])
    place = appointment["hall"]["name"] + (f"（{appointment['window']}）" if appointment.get("window") else "")
    return f"{when} {appointment['item_name']}，{place}，预约码 {appointment['code']}"


def appointment_lines(appointments: list[dict[str, Any]]) -> str:
    return "\n".join(f"{n}. {appointment_line(a)}" for n, a in enumerate(appointments, start=1))

"""Mainland mobile numbers and 18-character resident ID numbers: the one set of patterns that
finds, checks and masks them (个人信息保护法), and how a name is masked, for the service (logs, work
orders, field checks) and the bot (citizens' answers, what the tracker store keeps).
service/static/chat.js keeps a JavaScript copy of MOBILE and ID_NUMBER.

Pure: standard library only.
"""

from __future__ import annotations

import re

# A mainland mobile number is 11 digits starting 13 to 19; masking keeps the first 3 and last 4.
_MOBILE_HEAD = r"1[3-9]\d"
# In a text, not part of a longer run of digits ("138123456789" is no mobile number).
MOBILE = re.compile(rf"(?<!\d)({_MOBILE_HEAD})\d{{4}}(\d{{4}})(?!\d)")
# As citizens type one: "139 1234 5678", "+86 138-1234-5678".
MOBILE_AS_TYPED = re.compile(rf"(?<!\d)(?:\+?86[\s-]?)?{_MOBILE_HEAD}[\s-]?\d{{4}}[\s-]?\d{{4}}(?!\d)")
# A whole number once separators and +86 are removed (use fullmatch).
MOBILE_NUMBER = re.compile(rf"{_MOBILE_HEAD}\d{{8}}")

# 17 digits and a digit or X check character; masking keeps the first 3 and last 4.
# In a text, not part of a longer token ("ABC110101199003071234" is an order number).
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{3})\d{11}(\d{3}[\dXx])(?![0-9A-Za-z])")
# As citizens type one: "110105 19491231 002x".
ID_NUMBER_AS_TYPED = re.compile(r"(?<![\dXx])\d{6}[\s-]?\d{8}[\s-]?\d{3}[\dXx](?![\dXx])")
# A whole number once separators are removed and x upper-cased (use fullmatch): no leading 0.
ID_NUMBER_FORMAT = re.compile(r"[1-9]\d{16}[\dX]")

_SEPARATORS = re.compile(r"[\s-]")


def mask_id_numbers(text: str) -> str:
    """110101199003071234 → 110***********1234"""
    return ID_NUMBER.sub(lambda m: m.group(1) + "*" * 11 + m.group(2), text)


def mask_mobiles(text: str) -> str:
    """13812345678 → 138****5678"""
    return MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧阳**: the family name stays, so staff and citizens recognise it."""
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_personal_data(text: str) -> str:
    # ID numbers first: an ID number contains 11-digit runs that look like mobiles.
    return mask_mobiles(mask_id_numbers(text))


def mask_as_typed(text: str) -> str:
    """Numbers as citizens type them, separators and +86 included, masked as mask_personal_data
    masks them: "身份证110101 19900307 4477 电话+86 138-1234-5678" → "身份证110***********4477
    电话138****5678"."""
    text = ID_NUMBER_AS_TYPED.sub(lambda m: mask_id_numbers(_SEPARATORS.sub("", m.group(0))), text)
    return MOBILE_AS_TYPED.sub(lambda m: mask_mobiles(re.sub(r"\D", "", m.group(0))[-11:]), text)

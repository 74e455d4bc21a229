"""Checks of citizens' mobile and ID numbers: pure functions, shared by the API and (through it) the bot.

Each check returns the normalised value or raises ValueError with a Chinese message.
"""

import hashlib
import hmac
import re
from datetime import date

from common.personal_data import ID_NUMBER_FORMAT, MOBILE_NUMBER, mask_id_numbers, mask_mobiles
from service.core import templates as t

_SEPARATORS = re.compile(r"[\s\-]")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
OLDEST_AGE = 130


def check_name(text: str) -> str:
    name = (text or "").strip()
    if not 1 <= len(name) <= 30 or not any(ch.isalpha() for ch in name):
        raise ValueError(t.NAME_INVALID)
    return name


def check_mobile(text: str) -> str:
    """'138 1234-5678' or '+8613812345678' → '13812345678'."""
    number = _SEPARATORS.sub("", text or "")
    number = number.removeprefix("+86") if number.startswith("+86") else number
    if len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if not MOBILE_NUMBER.fullmatch(number):
        raise ValueError(t.PHONE_INVALID)
    return number


def id_check_char(first17: str) -> str:
    """The 18th character of an ID number (GB 11643-1999, ISO 7064 MOD 11-2)."""
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def check_id_number(text: str, *, today: date) -> str:
    """An 18-character resident ID number: format, plausible birth date, check character."""
    number = _SEPARATORS.sub("", text or "").upper()
    if len(number) != 18:
        raise ValueError(t.ID_NUMBER_LENGTH)
    if not ID_NUMBER_FORMAT.fullmatch(number):
        raise ValueError(t.ID_NUMBER_FORMAT)
    born = id_birth_date(number)
    if born is None or born > today or today.year - born.year > OLDEST_AGE:
        raise ValueError(t.ID_NUMBER_BIRTH_DATE)
    if id_check_char(number[:17]) != number[17]:
        raise ValueError(t.ID_NUMBER_CHECKSUM)
    return number


def hash_id_number(number: str, *, key: str) -> str:
    """The stored form of an ID number: HMAC-SHA256, so equal numbers match without keeping them."""
    return hmac.new(key.encode("utf-8"), number.encode("ascii"), hashlib.sha256).hexdigest()


def mask_id_number(number: str) -> str:
    return mask_id_numbers(number)


def mask_mobile(number: str) -> str:
    return mask_mobiles(number)

"""The pure mobile and ID number checks the API applies (and the bot reuses through it)."""

from datetime import date

import pytest

from service.core.identity import (
    check_id_number,
    check_mobile,
    hash_id_number,
    id_check_char,
    mask_id_number,
    mask_mobile,
)

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8619912345678", "19912345678"),
    ],
)
def test_mobile_numbers_are_normalised(text, number):
    assert check_mobile(text) == number


@pytest.mark.parametrize(
    "text", ["", "1381234567", "138123456789", "12812345678", "23812345678", "1381234567a", "010-12345678"]
)
def test_bad_mobile_numbers_are_refused_in_chinese(text):
    with pytest.raises(ValueError, match="手机号码格式不正确"):
        check_mobile(text)


def test_the_check_character_follows_gb_11643():
    # The standard's own example, and one whose check character is X.
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("44052418800101001") == "4"


@pytest.mark.parametrize("text", ["11010519491231002X", "11010519491231002x", "110105 19491231 002X"])
def test_valid_id_numbers_are_normalised_to_upper_case(text):
    assert check_id_number(text, today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("11010519491231002", "应为 18 位"),
        ("1101051949123100200", "应为 18 位"),
        ("01010519491231002X", "格式不正确"),
        ("1101051949123100XX", "格式不正确"),
        ("11010519491331002X", "出生日期"),  # month 13
        ("110105194902300021", "出生日期"),  # 30 February
        ("110105202712010016", "出生日期"),  # born after today
        ("110105186001010016", "出生日期"),  # older than anyone alive
        ("110105194912310021", "校验位"),
    ],
)
def test_bad_id_numbers_are_refused_with_the_reason(text, message):
    with pytest.raises(ValueError, match=message):
        check_id_number(text, today=TODAY)


def test_a_birth_date_of_today_is_plausible():
    first17 = "11010120261201001"
    assert check_id_number(first17 + id_check_char(first17), today=TODAY).startswith(first17)


def test_hashes_depend_on_the_key_and_never_contain_the_number():
    number = "11010519491231002X"
    first, again, other_key = (hash_id_number(number, key=k) for k in ("k1", "k1", "k2"))
    assert first == again and first != other_key
    assert number not in first and len(first) == 64


def test_masks():
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_mobile("13812345678") == "138****5678"

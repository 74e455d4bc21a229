"""The one set of mobile and ID number patterns: the service checks and masks with them
(tests/service/core/test_privacy.py, test_identity.py), the bot reads citizens' answers."""

import pytest

from common.personal_data import (
    ID_NUMBER_AS_TYPED,
    ID_NUMBER_FORMAT,
    MOBILE,
    MOBILE_AS_TYPED,
    MOBILE_NUMBER,
    mask_as_typed,
    mask_name,
    mask_personal_data,
)


@pytest.mark.parametrize(("text", "found"), [
    ("电话13812345678", "13812345678"), ("19912345678。", "19912345678"),
    ("12345678901", None), ("138123456789", None), ("138 1234 5678", None),
])
def test_a_mobile_in_a_text_stands_alone(text, found):
    match = MOBILE.search(text)
    assert (match.group(0) if match else None) == found


@pytest.mark.parametrize(("text", "found"), [
    ("是139 1234 5678", "139 1234 5678"), ("+86 138-1234-5678", "+86 138-1234-5678"),
    ("身份证110105194912310021", None),
])
def test_a_mobile_as_typed_keeps_its_spaces_dashes_and_country_code(text, found):
    match = MOBILE_AS_TYPED.search(text)
    assert (match.group(0) if match else None) == found


def test_whole_numbers_are_checked_in_their_normalised_form():
    assert MOBILE_NUMBER.fullmatch("13812345678") and not MOBILE_NUMBER.fullmatch("12812345678")
    assert not MOBILE_NUMBER.fullmatch("138123456789")
    assert ID_NUMBER_FORMAT.fullmatch("11010119900307123X")
    assert not ID_NUMBER_FORMAT.fullmatch("01010119900307123X")  # no leading zero
    assert not ID_NUMBER_FORMAT.fullmatch("11010119900307123x")  # upper-cased before the check


def test_an_id_number_as_typed_may_be_grouped():
    assert ID_NUMBER_AS_TYPED.search("我的是110105 19491231 002x").group(0) == "110105 19491231 002x"
    assert ID_NUMBER_AS_TYPED.search("13812345678") is None


def test_numbers_as_typed_are_masked_as_the_service_masks_them():
    text = "身份证110101199003074477 电话138 1234 5678"
    assert mask_as_typed(text) == "身份证110***********4477 电话138****5678"
    assert mask_as_typed("+86 139-0000-1111，身份证 110101 19900307 447x") == "139****1111，身份证 110***********447x"
    plain = "张三 110101199003071234 手机13812345678"
    assert mask_as_typed(plain) == mask_personal_data(plain)


def test_a_name_keeps_its_family_name():
    assert mask_name("张三") == "张*"
    assert mask_name("李小龙") == "李**"
    assert mask_name("欧阳娜娜") == "欧阳**"

import pytest

from actions.booking_text import (
    booking_for,
    clean_name,
    find_id_number,
    find_mobile,
    idempotency_key,
    missing_materials,
    numbered_materials,
    slot_label,
)

MATERIALS = ["居民户口簿", "近期免冠照片", "授权委托书"]


@pytest.mark.parametrize("text,expected", [
    ("电话写错了，是139 1234 5678", "139 1234 5678"), ("13812345678", "13812345678"),
    ("+86 138-1234-5678", "+86 138-1234-5678"), ("身份证110105194912310021", None), ("12345", None),
])
def test_find_mobile(text, expected):
    assert find_mobile(text) == expected


def test_find_id_number_takes_the_x_and_ignores_phones():
    assert find_id_number("我的是11010519491231002x") == "11010519491231002x"
    assert find_id_number("13812345678") is None


@pytest.mark.parametrize("text,expected", [("我叫张三", "张三"), ("姓名：欧阳娜娜。", "欧阳娜娜"), (" 李四 ", "李四")])
def test_clean_name(text, expected):
    assert clean_name(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("本人办理", "self"), ("我自己去", "self"), ("替别人代办", "other"), ("帮我爸办的", "other"),
    ("不是本人", "other"), ("嗯", None),
])
def test_booking_for(text, expected):
    assert booking_for(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("都备齐了", []), ("缺2和3", ["近期免冠照片", "授权委托书"]), ("照片还没拍 近期免冠照片没有", ["近期免冠照片"]),
    ("先不核对", None), ("你好", None), ("缺第9项", None),
])
def test_missing_materials(text, expected):
    assert missing_materials(text, MATERIALS) == expected


def test_idempotency_key_is_stable_for_a_retry_and_changes_with_the_booking():
    booking = {"item_code": "GA-SFZ-001", "date": "2026-11-25"}
    assert idempotency_key("sender", "n1", booking) == idempotency_key("sender", "n1", dict(booking))
    assert idempotency_key("sender", "n1", booking) != idempotency_key("sender", "n1", {**booking, "date": "2026-11-26"})
    assert idempotency_key("sender", "n1", booking) != idempotency_key("sender", "n2", booking)
    assert "sender" not in idempotency_key("sender", "n1", booking)


def test_a_time_is_told_with_its_weekday_once_day_and_slot_are_known():
    assert slot_label("2026-11-29", "14:30-15:30") == "11月29日（周日）14:30-15:30"
    assert slot_label(None, "14:30-15:30") == "" and slot_label("2026-11-29", None) == ""


def test_the_checklist_marks_what_is_not_ready():
    assert numbered_materials(MATERIALS, ["授权委托书"]) == "1. 居民户口簿\n2. 近期免冠照片\n3. 授权委托书（尚未备齐）"

import io
import logging

import pytest

from service.core.privacy import (
    PersonalDataFilter,
    install_log_masking,
    mask_id_numbers,
    mask_mobiles,
    mask_personal_data,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("110101199003071234", "110***********1234"),
        ("身份证11010119900307123X丢了", "身份证110***********123X丢了"),
        ("号码 11010119900307123x。", "号码 110***********123x。"),
        ("1101011990030712345", "1101011990030712345"),  # 19 digits: not an ID number
        ("订单 ABC110101199003071234", "订单 ABC110101199003071234"),  # part of a longer token
    ],
)
def test_mask_id_numbers(text, expected):
    assert mask_id_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13812345678", "138****5678"),
        ("电话:19912345678，谢谢", "电话:199****5678，谢谢"),
        ("12345678901", "12345678901"),  # not a mobile prefix
        ("0571-86012345", "0571-86012345"),  # landline stays
        ("138123456789", "138123456789"),  # 12 digits: not a mobile
    ],
)
def test_mask_mobiles(text, expected):
    assert mask_mobiles(text) == expected


def test_mask_personal_data_masks_both_and_not_mobiles_inside_ids():
    text = "张三 110101199003071234 手机13812345678"
    assert mask_personal_data(text) == "张三 110***********1234 手机138****5678"


def _record(msg, args=()):
    return logging.LogRecord("test", logging.INFO, __file__, 1, msg, args, None)


def test_filter_masks_message_and_arguments():
    record = _record("用户 %s 手机 %s", ("110101199003071234", "13812345678"))
    assert PersonalDataFilter().filter(record) is True
    assert record.getMessage() == "用户 110***********1234 手机 138****5678"


def test_filter_keeps_argument_tuple_for_formatters_that_unpack_it():
    # uvicorn's access formatter unpacks record.args: the tuple must keep its shape.
    args = ("127.0.0.1:5000", "GET", "/api/catalogue/search?q=13812345678", "1.1", 200)
    record = _record('%s - "%s %s HTTP/%s" %d', args)
    PersonalDataFilter().filter(record)
    assert len(record.args) == 5 and record.args[4] == 200
    assert "138****5678" in record.args[2]


def test_filter_falls_back_when_a_number_is_a_numeric_argument():
    record = _record("phone %d", (13812345678,))
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "phone 138****5678"


def test_filter_masks_tracebacks():
    try:
        raise ValueError("bad id 110101199003071234")
    except ValueError:
        import sys

        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    PersonalDataFilter().filter(record)
    assert "110***********1234" in record.exc_text
    assert "110101199003071234" not in record.exc_text


def test_install_log_masking_masks_handler_output():
    stream = io.StringIO()
    logger = logging.getLogger("service.test_privacy")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        install_log_masking(("service.test_privacy",))
        install_log_masking(("service.test_privacy",))  # idempotent: one filter
        assert len(handler.filters) == 1
        logger.warning("查询 %s 电话 13812345678", "身份证110101199003071234")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().strip() == "查询 身份证110***********1234 电话 138****5678"

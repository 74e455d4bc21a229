"""Packing sections into chat messages: characters for the web chat, UTF-8 bytes for WeChat."""

import pytest

from common.chat_messages import pack_messages, utf8_bytes

WECHAT_LIMIT_BYTES = 2048


def test_sections_that_fit_share_one_message():
    assert pack_messages(["一、条件", "二、材料"], 100, len) == ["一、条件\n\n二、材料"]


def test_never_exceeds_the_limit_and_loses_nothing():
    sections = ["【标题】", "1. 甲材料\n2. 乙材料\n3. 丙材料", "很长" * 40]
    messages = pack_messages(sections, 25, len)
    assert all(len(m) <= 25 for m in messages)
    joined = "".join(m.replace("\n", "") for m in messages)
    for section in sections:
        assert section.replace("\n", "") in joined or all(
            line in joined for line in section.splitlines())


@pytest.mark.parametrize("sections", [[], ["", "  "]])
def test_empty_input_gives_no_messages(sections):
    assert pack_messages(sections, 10, len) == []


def test_long_texts_are_cut_within_the_byte_limit_and_nothing_is_lost():
    line = "材料：居民户口簿原件一份，近期免冠照片两张（纸质）"
    section = "\n".join([line] * 60)
    overlong_line = "证" * 1000  # 3000 bytes in one line
    texts = pack_messages(["短消息一", "短消息二", section, overlong_line], WECHAT_LIMIT_BYTES, utf8_bytes)
    assert texts[0].startswith("短消息一\n\n短消息二")
    assert all(utf8_bytes(text) <= WECHAT_LIMIT_BYTES for text in texts)
    assert "".join(texts).count(line) == 60
    assert "".join(texts).count("证") == 1000  # every character of the long line survives


def test_the_measure_decides_where_a_text_is_cut():
    text = "证" * 10  # 10 characters, 30 bytes
    assert pack_messages([text], 10, len) == [text]
    assert pack_messages([text], 10, utf8_bytes) == ["证" * 3, "证" * 3, "证" * 3, "证"]

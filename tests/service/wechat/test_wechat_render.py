"""Rasa's answers as WeChat texts: numbered options and the 2048-byte limit. (A reply of "2" is
read by the Rasa server for every channel: tests/bot/test_replies.py.)"""

from service.wechat.render import TEXT_LIMIT_BYTES, pack, render_answer

OPTIONS = [{"title": "本人办理", "payload": "/inform_self"}, {"title": "委托代办", "payload": "/inform_agent"}]


def test_buttons_become_options_numbered_through_the_whole_answer():
    texts = render_answer([
        {"text": "您属于哪种情形？", "buttons": OPTIONS},
        {"text": "或者：", "buttons": [{"title": "都不是", "payload": "/deny"}]},
    ])
    assert texts == ["您属于哪种情形？\n回复序号选择：\n1. 本人办理\n2. 委托代办\n\n或者：\n回复序号选择：\n3. 都不是"]


def test_messages_without_text_or_buttons_add_nothing():
    assert render_answer([{"recipient_id": "x"}, {"text": "  "}]) == []


def test_long_texts_are_cut_within_the_byte_limit_and_nothing_is_lost():
    line = "材料：居民户口簿原件一份，近期免冠照片两张（纸质）"
    section = "\n".join([line] * 60)
    overlong_line = "证" * 1000  # 3000 bytes in one line
    texts = pack(["短消息一", "短消息二", section, overlong_line], TEXT_LIMIT_BYTES)
    assert texts[0].startswith("短消息一\n\n短消息二")
    assert all(len(text.encode("utf-8")) <= TEXT_LIMIT_BYTES for text in texts)
    assert "".join(texts).count(line) == 60
    assert "".join(texts).count("证") == 1000  # every character of the long line survives

"""Rasa's answers as WeChat texts: numbered options and the 2048-byte limit. (A reply of "2" is
read by the Rasa server for every channel: tests/bot/test_replies.py; packing itself:
tests/common/test_chat_messages.py.)"""

from service.wechat.render import TEXT_LIMIT_BYTES, render_answer

OPTIONS = [{"title": "本人办理", "payload": "/inform_self"}, {"title": "委托代办", "payload": "/inform_agent"}]


def test_buttons_become_options_numbered_through_the_whole_answer():
    texts = render_answer([
        {"text": "您属于哪种情形？", "buttons": OPTIONS},
        {"text": "或者：", "buttons": [{"title": "都不是", "payload": "/deny"}]},
    ])
    assert texts == ["您属于哪种情形？\n回复序号选择：\n1. 本人办理\n2. 委托代办\n\n或者：\n回复序号选择：\n3. 都不是"]


def test_messages_without_text_or_buttons_add_nothing():
    assert render_answer([{"recipient_id": "x"}, {"text": "  "}]) == []


def test_answers_are_cut_within_wechats_byte_limit():
    # 1000 characters fit a web chat message; in UTF-8 they are 3000 bytes, two WeChat texts.
    texts = render_answer([{"text": "证" * 1000}])
    assert len(texts) == 2 and all(len(text.encode("utf-8")) <= TEXT_LIMIT_BYTES for text in texts)

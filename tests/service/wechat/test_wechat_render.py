"""Rasa's answers as WeChat texts: numbered options and the 2048-byte limit. (A reply of "2" is
read by the Rasa server for every channel: tests/bot/test_replies.py; packing itself:
tests/common/test_chat_messages.py.)"""

import re

from actions.buttons import numbered_buttons  # pure: the titles the bot's buttons carry
from bot.replies import picked_payload  # pure: how the Rasa server reads a typed "1"
from service.wechat.render import TEXT_LIMIT_BYTES, fit_text, render_answer

TWICE_NUMBERED = re.compile(r"^\s*\d+\s*[.、．]\s*\d+\s*[.、．]")

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


# --- numbered once ------------------------------------------------------------------------------

def test_the_bots_buttons_are_numbered_once_and_a_typed_number_picks_that_button():
    # The buttons as the catalogue offers likely items: the actions' own, then a bare one.
    buttons = numbered_buttons([("居民身份证换领（公安局）", '/inform{"item_code": "GA-SFZ-001"}'),
                                ("居民身份证补领（公安局）", '/inform{"item_code": "GA-SFZ-002"}')])
    buttons.append({"title": "都不是，转人工咨询", "payload": "/request_consultation"})

    [text] = render_answer([{"text": "您问的是哪一项？", "buttons": buttons}])

    assert text.splitlines()[-3:] == ["1. 居民身份证换领（公安局）", "2. 居民身份证补领（公安局）", "3. 都不是，转人工咨询"]
    assert not [line for line in text.splitlines() if TWICE_NUMBERED.match(line)]
    # What the citizen then types is read against the same buttons by the Rasa server.
    assert picked_payload("1", buttons) == '/inform{"item_code": "GA-SFZ-001"}'
    assert picked_payload("3", buttons) == "/request_consultation"


# --- the longest notice -------------------------------------------------------------------------

def non_blank_lines(texts: list[str]) -> list[str]:
    return [line for text in texts for line in text.split("\n") if line.strip()]


def test_the_longest_notice_of_the_catalogue_fits_wechat_whole_lines_in_order(longest_notice):
    # As the catalogue action sends it: its sections as messages.
    parts = render_answer([{"text": section} for section in longest_notice.sections])

    assert len(parts) >= 2, "the longest notice should need more than one WeChat text"
    assert all(len(part.encode("utf-8")) <= TEXT_LIMIT_BYTES for part in parts)
    # Every line whole, in order, none lost: no line of the notice is longer than the limit,
    # so a cut inside one would show as a line that is not the notice's.
    assert max(len(line.encode("utf-8")) for line in longest_notice.text.split("\n")) < TEXT_LIMIT_BYTES
    assert non_blank_lines(parts) == non_blank_lines([longest_notice.text])
    assert parts[0].startswith(longest_notice.sections[0])
    # WeChat takes 5 customer-service messages per citizen message after the passive reply.
    assert len(parts) <= 1 + 5


def test_an_overlong_line_is_cut_between_characters_never_inside_one():
    line = "补" * 700 + "😀" * 10  # 2100 + 40 bytes: 3-byte and 4-byte characters
    parts = fit_text(line)
    assert "".join(parts) == line and len(parts) == 2
    assert all(len(part.encode("utf-8")) <= TEXT_LIMIT_BYTES for part in parts)

"""Messages written the way real citizens write (long, masked, story first; shared/REAL_MESSAGES.md)
through the REST webhook with the real service, actions and model: every government matter gets
a useful first answer, and bad input gets an answer, never an error."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import buttons, texts

REPHRASE = "没太明白"
OUT_OF_SCOPE = "超出了我的服务范围"


def test_a_renewal_question_is_about_the_id_card_not_a_licence_renewal(chat):
    replies = chat.say("身份证快过期了，换新的要带啥")
    # The notice, or (when the catalogue is not sure enough) the ID card first among the choices.
    first = texts(replies) if not buttons(replies) else buttons(replies)[0]["title"]
    assert "居民身份证换领" in first and "【食品经营许可" not in texts(replies)


def test_a_booking_names_the_item_the_message_names(chat):
    replies = chat.say("我要预约结婚登记")
    named = texts(replies) + "".join(b["title"] for b in buttons(replies))
    assert "内地居民结婚登记" in named


def test_a_long_polite_complaint_starts_a_work_order_with_its_words(chat):
    story = ("领导您好，我是**小区的业主，小区从今年十月份开始供暖，但是我家室温一直只有十四五度，"
             "找物业好几次都说是管道问题推给热力公司，热力公司又说是物业的事，老人孩子在家冻得不行，希望领导帮忙协调一下")
    reply = texts(chat.say(story))
    assert "12345" in reply or "工单" in reply
    assert "具体说说是什么事" not in reply  # the story is the content: not asked again


def test_a_matter_outside_the_hall_is_referred_and_a_consultation_offered(chat):
    replies = chat.say("我想考个保安员证，需要准备什么，去哪里办")
    assert "不在本大厅的办理范围" in texts(replies)
    offer = next(b for b in buttons(replies) if "咨询工单" in b["title"])
    assert "咨询工单" in texts(chat.say(offer["payload"]))


@pytest.mark.parametrize("message", ["我要举报", "/report", "我想求助"])
def test_a_bare_report_or_request_for_help_is_asked_what_happened_not_filed_empty(chat, message):
    reply = texts(chat.say(message))
    assert "具体说说是什么事" in reply and "没有提交成功" not in reply


@pytest.mark.parametrize("message", ["？？？", "****", "…… ！！", "🙂🙂🙂"])
def test_a_message_without_words_is_asked_what_is_needed(chat, message):
    reply = texts(chat.say(message))
    assert "请问您想办理什么事情" in reply


@pytest.mark.parametrize("message", [
    "身份证补办要多少钱１２３",
    "my ID card 丢了 how to 补办",
    "😭😭身份证丢了怎么办啊",
    "尊敬的****局领导：" + "我们**小区**号楼楼下的烧烤摊每天晚上营业到凌晨两三点，油烟和噪音很大。" * 80,
    "请问" + "身份证" * 1660,  # about 5,000 characters
])
def test_unusual_messages_get_an_answer_not_an_error(chat, message):
    replies = chat.say(message)
    assert replies and texts(replies).strip()
    assert REPHRASE not in texts(replies)


def test_a_typed_number_picks_the_offered_button_in_any_channel(chat):
    offered = buttons(chat.say("身份证的事情要带啥"))
    first_item = offered[0]["title"].split("（")[0]
    replies = chat.say("１")  # a full-width digit, typed rather than tapped
    assert first_item in texts(replies)  # its situations or its notice
    assert "都不是，转人工咨询" not in [b["title"] for b in buttons(replies)]  # not asked again

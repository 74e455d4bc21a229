"""Whole conversations through Rasa's REST webhook, with the real service, actions and model."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import Chat, buttons, texts

HALL_PHONE = "0571-86012345"
MAX_MESSAGE_CHARS = 1000


def test_greeting_says_what_the_assistant_does(chat):
    assert "导办助手" in texts(chat.say("你好呀"))


def test_materials_question_asks_the_situation_then_gives_the_notice(chat):
    replies = chat.say("我身份证搞丢了想补办一张 要准备啥")
    choices = buttons(replies)
    assert "分几种办理情形" in texts(replies)
    assert len(choices) == 4 and "未满十六周岁" in choices[1]["title"]
    assert choices[-1]["title"] == "不确定，看全部情形的材料"

    notice = chat.say(choices[1]["payload"])
    text = texts(notice)
    assert text.startswith("【居民身份证补领】一次性告知")
    assert "二、申请材料" in text and "\n1. " in text and "监护人居民身份证" in text
    assert "五、收费标准" in text and "20元" in text
    assert all(len(reply["text"]) <= MAX_MESSAGE_CHARS for reply in notice)
    assert len(notice) >= 2, "a full notice is longer than one chat message"


def test_a_reply_that_fits_no_situation_gets_every_situations_notice(chat):
    assert "分几种办理情形" in texts(chat.say("身份证丢了"))
    notice = texts(chat.say("孩子的 12岁"))  # it used to offer 小学新生入学登记 and 出生登记
    assert "各种情形的全部内容" in notice and "【居民身份证补领】一次性告知" in notice
    assert "【仅限：本市户籍、未满十六周岁由监护人陪同申请】" in notice


def test_typed_ordinal_answers_the_situation_question(chat):
    chat.say("驾照快到期了换证要带哪些东西")
    text = texts(chat.say("第一个"))
    assert "【机动车驾驶证期满换证】一次性告知" in text


def test_fee_question_answers_the_fee_first_and_offers_the_notice(chat):
    replies = chat.say("补办身份证要交多少钱")
    assert "20元" in replies[0]["text"]
    assert any(button["title"] == "查看完整一次性告知" for button in buttons(replies))

    follow_up = texts(chat.say("那大概多久能拿到"))
    assert "个工作日" in follow_up and "居民身份证补领" in follow_up


def test_unclear_item_offers_up_to_three_choices_and_a_way_out(chat):
    replies = chat.say("身份证的事情要带啥")
    titles = [button["title"] for button in buttons(replies)]
    assert 2 <= len(titles) - 1 <= 3
    assert any("居民身份证换领" in title for title in titles)
    assert titles[-1] == "都不是，转人工咨询"


def test_a_short_reply_to_the_choices_narrows_the_question_down(chat):
    assert len(buttons(chat.say("营业执照"))) > 2
    narrowed = texts(chat.say("补办"))  # not understood on its own: it used to count as a failure
    assert "营业执照补领" in narrowed and "没能理解" not in narrowed


def test_item_handled_elsewhere_names_the_office(chat):
    text = texts(chat.say("办护照要去哪里办"))
    assert "出入境接待大厅" in text and "0571-86013200" in text


def test_out_of_scope_says_what_the_assistant_can_do(chat):
    assert "超出了我的服务范围" in texts(chat.say("帮我写一首关于春天的诗"))




def test_service_down_gives_the_hall_phone_and_no_silence(stack):
    chat = Chat(stack.ports.rasa)
    service = stack.processes["service"]
    service.stop()
    try:
        text = texts(chat.say("换驾照要带什么材料"))
        assert "暂时无法查询" in text and HALL_PHONE in text
    finally:
        service.start()
        stack.wait_healthy(("service",), 60)
    assert "机动车驾驶证期满换证" in texts(chat.say("换驾照要带什么材料"))


def test_assist_combines_rasa_and_the_catalogue(stack):
    response = httpx.post(f"http://127.0.0.1:{stack.ports.service}/api/assist",
                          json={"text": "驾照快到期了换证要带啥"}, timeout=10)
    body = response.json()
    assert response.status_code == 200
    assert body["nlu_available"] is True
    assert body["intent"]["name"] == "ask_materials"
    assert body["items"][0]["name"] == "机动车驾驶证期满换证"
    assert body["notice"]["notice_no"].startswith(body["items"][0]["code"])


def test_a_message_sent_again_after_it_was_answered_gets_the_same_replies_not_a_second_turn(stack, chat):
    # As after a Rasa server that stored the turn died before answering (tests/cluster kills one).
    def post(message: str, metadata: dict) -> list[dict]:
        response = httpx.post(f"http://127.0.0.1:{stack.ports.rasa}/webhooks/rest/webhook",
                              json={"sender": chat.sender, "message": message, "metadata": metadata}, timeout=30)
        response.raise_for_status()
        return response.json()

    first = post("身份证丢了补办要带啥", {"client_message_id": "m-1", "resent": False})
    again = post("身份证丢了补办要带啥", {"client_message_id": "m-1", "resent": True})
    assert again == first and "居民身份证补领" in texts(first)
    new_turn = post("身份证丢了补办要带啥", {"client_message_id": "m-2", "resent": True})  # its first was lost
    assert "居民身份证补领" in texts(new_turn)

    tracker = httpx.get(f"http://127.0.0.1:{stack.ports.rasa}/conversations/{chat.sender}/tracker",
                        params=stack.rasa_api_params, timeout=10).json()
    stored = [e.get("metadata", {}).get("client_message_id") for e in tracker["events"] if e["event"] == "user"]
    assert stored == ["m-1", "m-2"]

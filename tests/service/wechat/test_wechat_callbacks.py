"""POST/GET /wechat driven the way WeChat drives it: signed, encrypted, retried, slow."""

import concurrent.futures
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from conftest import make_database, outbox_worker_running
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from wechat_fakes import (
    AES_KEY,
    APP_ID,
    APP_SECRET,
    TOKEN,
    FakeRasa,
    decrypt_reply,
    event_xml,
    fake_wechat_api,
    new_msg_id,
    new_openid,
    post_encrypted,
    post_plain,
    reply_content,
    serve,
    signed_query,
    text_xml,
)

from service.core import templates as t
from service.core.db import get_session_factory
from service.core.rasa import RasaClient
from service.core.settings import Settings
from service.main import create_app
from service.wechat.channel import build_channel
from service.outbox.worker import Destination
from service.wechat.clients import WeChatApiClient
from service.outbox.models import OutboxMessage
from service.wechat.delivery import WECHAT, WeChatDelivery, enqueue_texts
from service.wechat.models import WechatDelivery
from service.wechat.render import TEXT_LIMIT_BYTES, render_answer
from service.wechat.router import get_wechat_channel

NOTICE = "【居民身份证补领】一次性告知\n二、申请材料（共2项）\n1. 户口簿 原件1份（纸质）"
BUTTONS = [
    {"title": "本人办理", "payload": '/inform{"situation":"self"}'},
    {"title": "委托代办", "payload": '/inform{"situation":"agent"}'},
]


def notice_with_buttons(_message: str) -> list[dict]:
    return [{"recipient_id": "x", "text": NOTICE}, {"recipient_id": "x", "text": "您属于哪种情形？", "buttons": BUTTONS}]


@contextmanager
def wechat_service(
    db_url: str, rasa: FakeRasa, *, api_base: str = "http://127.0.0.1:9", passive_reply_s: float = 4.0,
    app_secret: str = APP_SECRET,
) -> Iterator[str]:
    """The service under uvicorn with the WeChat channel configured and a fake Rasa."""
    settings = Settings(
        WECHAT_TOKEN=TOKEN, WECHAT_APP_ID=APP_ID, WECHAT_APP_SECRET=app_secret, WECHAT_ENCODING_AES_KEY=AES_KEY,
        WECHAT_API_BASE=api_base, WECHAT_PASSIVE_REPLY_S=passive_reply_s, RASA_URL="http://rasa.test",
    )
    rasa_client = RasaClient.from_settings(settings, transport=rasa.transport())
    channel = build_channel(settings, rasa=rasa_client, database_url=db_url)
    app = create_app()
    app.dependency_overrides[get_wechat_channel] = lambda: channel
    # The worker's own client of the WeChat API: it runs on its own event loop.
    api = WeChatApiClient(base_url=api_base, app_id=APP_ID, app_secret=app_secret, sessions=get_session_factory(db_url))
    delivery = {WECHAT: Destination(WeChatDelivery(lambda: api).deliver, timeout_s=5.0)}
    with serve(app) as base_url, outbox_worker_running(db_url, delivery):
        yield base_url


@pytest.fixture
def db_url(tmp_path) -> str:
    return make_database(tmp_path)


def deliveries(db_url: str) -> int:
    with get_session_factory(db_url)() as session:
        return session.scalar(select(func.count()).select_from(WechatDelivery))


# --- URL check --------------------------------------------------------------------------------

def test_url_check_echoes_echostr_when_signed_with_the_token(db_url):
    with wechat_service(db_url, FakeRasa(notice_with_buttons)) as base_url:
        good = httpx.get(f"{base_url}/wechat", params=signed_query(echostr="4711942"))
        forged = httpx.get(f"{base_url}/wechat", params=signed_query(token="not-our-token", echostr="4711942"))
        unsigned = httpx.get(f"{base_url}/wechat", params={"echostr": "4711942"})
    assert (good.status_code, good.text) == (200, "4711942")
    assert forged.status_code == 403 and "4711942" not in forged.text
    assert unsigned.status_code == 403


def test_without_a_token_the_endpoint_is_off(db_url):
    with TestClient(create_app()) as client:
        assert client.get("/wechat", params=signed_query(echostr="1")).status_code == 503


# --- messages ---------------------------------------------------------------------------------

def test_plaintext_message_gets_a_passive_reply_with_numbered_options(db_url):
    rasa, openid = FakeRasa(notice_with_buttons), new_openid()
    with wechat_service(db_url, rasa) as base_url:
        response = post_plain(base_url, text_xml(openid, "身份证丢了补办要带啥", msg_id=new_msg_id()))
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/xml")
    reply = reply_content(response)
    assert NOTICE in reply
    assert reply.endswith("回复序号选择：\n1. 本人办理\n2. 委托代办")
    assert rasa.turns == [{"sender": f"wechat:{openid}", "message": "身份证丢了补办要带啥"}]


def test_a_bare_number_goes_to_the_bot_as_typed(db_url):
    # The Rasa server reads "2" against the buttons it offered (bot/replies.py), for every channel.
    rasa, openid = FakeRasa(notice_with_buttons), new_openid()
    with wechat_service(db_url, rasa) as base_url:
        post_plain(base_url, text_xml(openid, "身份证丢了补办要带啥", msg_id=new_msg_id()))
        post_plain(base_url, text_xml(openid, "2", msg_id=new_msg_id()))
    assert [turn["message"] for turn in rasa.turns] == ["身份证丢了补办要带啥", "2"]


def test_safe_mode_message_is_decrypted_and_the_reply_encrypted(db_url):
    rasa, openid = FakeRasa(notice_with_buttons), new_openid()
    with wechat_service(db_url, rasa) as base_url:
        response = post_encrypted(base_url, text_xml(openid, "身份证丢了补办要带啥", msg_id=new_msg_id()))
    assert response.status_code == 200
    assert "身份证" not in response.text and "<Encrypt>" in response.text
    reply = decrypt_reply(response)
    assert reply["ToUserName"] == openid and reply["MsgType"] == "text"
    assert NOTICE in reply["Content"] and "1. 本人办理" in reply["Content"]
    assert rasa.turns[0]["message"] == "身份证丢了补办要带啥"


def test_safe_mode_with_a_wrong_msg_signature_is_refused(db_url):
    from wechatpy.crypto import WeChatCrypto

    rasa = FakeRasa(notice_with_buttons)
    forger = WeChatCrypto("not-our-token", AES_KEY, APP_ID)
    with wechat_service(db_url, rasa) as base_url:
        response = post_encrypted(base_url, text_xml(new_openid(), "你好", msg_id=new_msg_id()), crypto=forger)
    assert response.status_code == 403
    assert rasa.turns == [] and deliveries(db_url) == 0


def test_subscribe_gets_the_welcome_without_asking_the_bot(db_url):
    rasa = FakeRasa(notice_with_buttons)
    with wechat_service(db_url, rasa) as base_url:
        response = post_plain(base_url, event_xml(new_openid(), "subscribe"))
        unsubscribe = post_plain(base_url, event_xml(new_openid(), "unsubscribe"))
    assert reply_content(response) == t.WECHAT_WELCOME
    assert unsubscribe.text == "success"
    assert rasa.turns == []


@pytest.mark.parametrize(
    ("key", "intent"),
    [("GUIDE", "/ask_materials"), ("BOOK", "/book_appointment"), ("PROGRESS", "/check_progress"),
     ("HOTLINE", "/request_human")],
)
def test_menu_clicks_ask_the_bot_for_their_intent(db_url, key, intent):
    rasa = FakeRasa(lambda _m: [{"text": "请问您要办理什么事项？"}])
    with wechat_service(db_url, rasa) as base_url:
        response = post_plain(base_url, event_xml(new_openid(), "CLICK", key=key))
    assert reply_content(response) == "请问您要办理什么事项？"
    assert [turn["message"] for turn in rasa.turns] == [intent]


def test_non_text_messages_are_told_to_use_text(db_url):
    rasa, openid = FakeRasa(notice_with_buttons), new_openid()
    image = (
        f"<xml><ToUserName>gh_x</ToUserName><FromUserName>{openid}</FromUserName><CreateTime>1700000000</CreateTime>"
        f"<MsgType>image</MsgType><PicUrl>http://127.0.0.1/p.jpg</PicUrl><MediaId>m</MediaId><MsgId>{new_msg_id()}</MsgId></xml>"
    )
    with wechat_service(db_url, rasa) as base_url:
        response = post_plain(base_url, image)
    assert reply_content(response) == t.WECHAT_TEXT_ONLY and rasa.turns == []


def test_bot_down_gets_an_apology_with_the_hotline(db_url):
    rasa = FakeRasa(notice_with_buttons, down=True)
    with wechat_service(db_url, rasa) as base_url:
        response = post_plain(base_url, text_xml(new_openid(), "身份证丢了补办要带啥", msg_id=new_msg_id()))
    assert reply_content(response) == t.WECHAT_BOT_UNAVAILABLE


# --- refused requests -------------------------------------------------------------------------

def test_bad_signature_403_and_malformed_xml_400_process_and_log_nothing(db_url, caplog):
    rasa, openid = FakeRasa(notice_with_buttons), new_openid()
    caplog.set_level(logging.DEBUG)
    secret_text = "我的身份证号110101199003071234"
    with wechat_service(db_url, rasa) as base_url:
        forged = httpx.post(f"{base_url}/wechat", params=signed_query(token="wrong"),
                            content=text_xml(openid, secret_text, msg_id=new_msg_id()).encode())
        malformed = post_plain(base_url, f"<xml><FromUserName>{openid}</FromUserName><Content>{secret_text}")
        not_a_message = post_plain(base_url, f"<xml><Content>{secret_text}</Content></xml>")
        bad_time = post_plain(base_url, text_xml(openid, secret_text, msg_id=1).replace("<CreateTime>", "<CreateTime>x"))
    assert forged.status_code == 403
    assert malformed.status_code == 400 and not_a_message.status_code == 400 and bad_time.status_code == 400
    assert rasa.turns == [] and deliveries(db_url) == 0
    assert "签名校验失败" in forged.json()["detail"]
    logged = caplog.text
    assert "refused" in logged
    assert openid not in logged and "身份证" not in logged and "110101" not in logged


# --- retries ----------------------------------------------------------------------------------

def test_sequential_retries_of_one_msgid_are_processed_once(db_url):
    rasa, openid, msg_id = FakeRasa(notice_with_buttons), new_openid(), new_msg_id()
    xml = text_xml(openid, "身份证丢了补办要带啥", msg_id=msg_id)
    with wechat_service(db_url, rasa) as base_url:
        replies = [reply_content(post_plain(base_url, xml)) for _ in range(3)]
        post_encrypted(base_url, xml)  # the same message again, in safe mode
    assert len(rasa.turns) == 1
    assert replies[0] == replies[1] == replies[2] and NOTICE in replies[0]
    assert deliveries(db_url) == 1


def test_retries_of_one_event_are_processed_once_and_other_events_are_not(db_url):
    rasa, openid = FakeRasa(lambda _m: [{"text": "请问您要预约什么事项？"}]), new_openid()
    with wechat_service(db_url, rasa) as base_url:
        for _ in range(3):
            post_plain(base_url, event_xml(openid, "CLICK", key="BOOK", create_time=1764550000))
        post_plain(base_url, event_xml(openid, "CLICK", key="BOOK", create_time=1764550099))
    assert [turn["message"] for turn in rasa.turns] == ["/book_appointment", "/book_appointment"]


def test_concurrent_retries_while_the_first_is_processed_do_not_ask_the_bot_again(db_url):
    rasa, openid = FakeRasa(notice_with_buttons, delay_s=1.0), new_openid()
    xml = text_xml(openid, "帮我约明天上午换身份证", msg_id=new_msg_id())
    with wechat_service(db_url, rasa) as base_url:
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            responses = list(pool.map(lambda _: post_plain(base_url, xml), range(4)))
    assert len(rasa.turns) == 1
    assert all(r.status_code == 200 for r in responses)
    contents = [reply_content(r) for r in responses]
    # Every delivery that got an answer got the same one (WeChat shows one per message).
    assert {c for c in contents if c is not None} == {contents[0]} and NOTICE in contents[0]


# --- the 5-second rule: the customer-service message API --------------------------------------

def test_slow_answer_returns_success_at_once_and_follows_as_customer_service_messages(db_url):
    # The bot takes 3 s; the callback answers after 0.3 s, well before it. The bound leaves room
    # for a busy machine (CI saw 1.43 s once with the bot at 1.5 s and a 1.0 s bound).
    rasa, openid = FakeRasa(notice_with_buttons, delay_s=3.0), new_openid()
    xml = text_xml(openid, "身份证丢了补办要带啥", msg_id=new_msg_id())
    with fake_wechat_api() as api, wechat_service(db_url, rasa, api_base=api.base_url, passive_reply_s=0.3) as base_url:
        started = time.monotonic()
        response = post_plain(base_url, xml)
        answered_in = time.monotonic() - started
        retry = post_plain(base_url, xml)  # WeChat retries: must not ask the bot again
        texts = api.wait_for_texts(openid, 1)
        time.sleep(0.3)
        texts = api.texts_to(openid)
    assert response.text == "success" and answered_in < 2.5
    assert retry.text == "success"
    assert len(rasa.turns) == 1
    assert len(texts) == 1 and NOTICE in texts[0] and texts[0].endswith("1. 本人办理\n2. 委托代办")
    assert [r["appid"] for r in api.token_requests] == [APP_ID]
    assert api.token_requests[0] == {"grant_type": "client_credential", "appid": APP_ID, "secret": APP_SECRET}
    assert "本人办理".encode() in api.sent[0]["raw"]  # UTF-8, not \\u escapes


def test_customer_service_send_refreshes_an_expired_token_and_retries_once(db_url):
    rasa, openid = FakeRasa(notice_with_buttons, delay_s=0.6), new_openid()
    with fake_wechat_api() as api, wechat_service(db_url, rasa, api_base=api.base_url, passive_reply_s=0.2) as base_url:
        api.fail_next_send_with = [40001]
        assert post_plain(base_url, text_xml(openid, "补办身份证", msg_id=new_msg_id())).text == "success"
        texts = api.wait_for_texts(openid, 1)
        api.fail_next_send_with = [42001]
        assert post_plain(base_url, text_xml(openid, "那多久能办好", msg_id=new_msg_id())).text == "success"
        texts = api.wait_for_texts(openid, 2)
    assert len(texts) == 2
    assert len(api.token_requests) == 3  # first token, refreshed after 40001, refreshed after 42001
    assert api.refused_tokens == ["ACCESS_TOKEN_1", "ACCESS_TOKEN_2"]
    assert [m["touser"] for m in api.sent] == [openid, openid]


def test_long_answer_is_split_first_part_passive_rest_through_the_api(db_url):
    materials = "\n".join(f"{no}. 第{no}项申请材料：居民户口簿原件及复印件各一份（纸质）" for no in range(1, 80))
    rasa, openid = FakeRasa(lambda _m: [{"text": materials, "buttons": BUTTONS}]), new_openid()
    expected = render_answer([{"text": materials, "buttons": BUTTONS}])
    with fake_wechat_api() as api, wechat_service(db_url, rasa, api_base=api.base_url) as base_url:
        first = reply_content(post_plain(base_url, text_xml(openid, "身份证丢了补办要带啥", msg_id=new_msg_id())))
        rest = api.wait_for_texts(openid, len(expected) - 1)
    parts = [first, *rest]
    assert len(parts) >= 3 and parts == expected
    assert all(len(p.encode()) <= TEXT_LIMIT_BYTES for p in parts)
    assert "\n".join(parts) == materials + "\n回复序号选择：\n1. 本人办理\n2. 委托代办"


def test_the_longest_notice_comes_whole_the_passive_part_first_the_rest_after_it(db_url, longest_notice):
    sections = longest_notice.sections
    rasa, openid = FakeRasa(lambda _m: [{"recipient_id": "x", "text": section} for section in sections]), new_openid()
    expected = render_answer([{"text": section} for section in sections])
    with fake_wechat_api() as api, wechat_service(db_url, rasa, api_base=api.base_url) as base_url:
        first = reply_content(post_plain(base_url, text_xml(openid, "低保怎么申请", msg_id=new_msg_id())))
        time.sleep(0.5)  # WeChat relays the passive reply after our answer: no later part may overtake it
        overtaken = api.texts_to(openid)
        rest = api.wait_for_texts(openid, len(expected) - 1)
    assert overtaken == []
    assert [first, *rest] == expected and len(expected) >= 2
    assert all(len(part.encode()) <= TEXT_LIMIT_BYTES for part in expected)


def test_an_agents_long_message_reaches_wechat_in_parts_within_the_limit(db_url):
    line = "您好，关于您反映的问题，" + "承办部门已安排人员到现场核实处理。" * 60  # ~3 KB in one line
    with get_session_factory(db_url)() as session:
        # As the console queues it (service/tickets/agent_steps.py): the label, then the agent's text.
        queued = enqueue_texts(session, openid="o-agent", texts=[t.WECHAT_AGENT_LABEL + line])
        session.commit()
    with get_session_factory(db_url)() as session:
        texts = [m.payload["text"] for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert queued == len(texts) == 2  # one line longer than the limit: cut between characters
    assert all(len(text.encode()) <= TEXT_LIMIT_BYTES for text in texts)
    assert "".join(texts) == t.WECHAT_AGENT_LABEL + line


def test_slow_answer_without_api_credentials_apologises_passively(db_url):
    rasa = FakeRasa(notice_with_buttons, delay_s=0.8)
    with wechat_service(db_url, rasa, passive_reply_s=0.2, app_secret="") as base_url:
        response = post_plain(base_url, text_xml(new_openid(), "补办身份证", msg_id=new_msg_id()))
    assert reply_content(response) == t.WECHAT_TOO_SLOW


def test_openids_are_stored_only_as_hashes(db_url):
    openid = new_openid()
    with wechat_service(db_url, FakeRasa(notice_with_buttons)) as base_url:
        post_plain(base_url, text_xml(openid, "身份证丢了补办要带啥", msg_id=new_msg_id()))
    with get_session_factory(db_url)() as session:
        keys = session.scalars(select(WechatDelivery.dedup_key)).all()
    assert keys and all(openid not in key for key in keys)

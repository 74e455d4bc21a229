"""WeChat Official Account → service /wechat → real Rasa, actions and service; a fake WeChat API."""

from __future__ import annotations

import time

import httpx
import pytest

from common.deployment import DEVELOPMENT_SECRETS
from scripts.stack import Ports
from service.wechat.service import REST_AFTER_PASSIVE_S
from tests.e2e.conftest import running_stack, sqlite_databases
from tests.service.wechat.wechat_fakes import (
    AES_KEY,
    APP_ID,
    APP_SECRET,
    TOKEN,
    FakeWeChatApi,
    fake_wechat_api,
    new_msg_id,
    new_openid,
    post_plain,
    reply_content,
    text_xml,
)

WECHAT_PORTS = Ports(service=18020, actions=15075, rasa=15025)


@pytest.fixture(scope="module")
def wechat_stack(tmp_path_factory):
    work = tmp_path_factory.mktemp("e2e_wechat")
    with fake_wechat_api() as api:
        env = {
            **sqlite_databases(work),
            "WECHAT_TOKEN": TOKEN,
            "WECHAT_APP_ID": APP_ID,
            "WECHAT_APP_SECRET": APP_SECRET,
            "WECHAT_ENCODING_AES_KEY": AES_KEY,
            "WECHAT_API_BASE": api.base_url,
        }
        with running_stack(WECHAT_PORTS, work, env) as stack:
            yield f"http://127.0.0.1:{WECHAT_PORTS.service}", api, stack


def ask(base_url: str, api: FakeWeChatApi, openid: str, text: str) -> list[str]:
    """Everything the citizen sees for one message: the passive reply, then customer-service messages."""
    already = len(api.texts_to(openid))
    response = post_plain(base_url, text_xml(openid, text, msg_id=new_msg_id()))
    assert response.status_code == 200
    passive = reply_content(response)
    # Customer-service messages follow in the background, held a moment after a passive reply:
    # wait until they stop coming.
    deadline, quiet_since, count = time.monotonic() + 30, time.monotonic(), already
    while time.monotonic() < deadline:
        now = len(api.texts_to(openid))
        if now != count:
            count, quiet_since = now, time.monotonic()
        if time.monotonic() - quiet_since > REST_AFTER_PASSIVE_S + 1.5 and (passive is not None or count > already):
            break
        time.sleep(0.1)
    return ([passive] if passive else []) + api.texts_to(openid)[already:]


def test_a_citizen_asks_on_wechat_and_answers_an_option_by_number(wechat_stack):
    base_url, api, _ = wechat_stack
    openid = new_openid()

    question = "\n".join(ask(base_url, api, openid, "身份证丢了补办要带啥"))
    assert "分几种办理情形" in question
    assert "回复序号选择：\n1. " in question and "\n3. " in question

    notice = ask(base_url, api, openid, "1")
    text = "\n".join(notice)
    assert "【居民身份证补领】一次性告知" in text
    assert "二、申请材料" in text and "五、收费标准" in text and "20元" in text
    # Longer than one WeChat text: the rest came through the customer-service API, in order.
    assert len(notice) >= 2 and all(len(part.encode("utf-8")) <= 2048 for part in notice)
    assert api.sent and all(message["touser"] == openid for message in api.sent)
    assert [r["appid"] for r in api.token_requests] == [APP_ID]


class SlowServiceProxy:
    """A real HTTP hop between the action server and the service that answers late, so the
    catalogue action itself is slow (not a fake bot)."""

    def __init__(self, upstream: str, delay_s: float) -> None:
        import http.server
        import threading
        import urllib.request

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
                request = urllib.request.Request(upstream + self.path, data=body, method=self.command,
                                                 headers={"Content-Type": self.headers.get("Content-Type", "")})
                time.sleep(delay_s)
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        status, payload = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, payload = error.code, error.read()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _forward

            def log_message(self, *args) -> None:  # requests carry personal data: no logging
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def test_a_slow_action_answers_through_the_customer_service_api(wechat_stack):
    base_url, api, stack = wechat_stack
    actions = stack.processes["actions"]
    proxy = SlowServiceProxy(base_url, delay_s=2.5)
    original_env = actions.env
    actions.stop()
    actions.env = {**original_env, "SERVICE_URL": proxy.url}
    try:
        actions.start()
        _wait_healthy(actions)
        openid = new_openid()
        response = post_plain(base_url, text_xml(openid, "身份证丢了补办要带啥", msg_id=new_msg_id()))
        assert response.status_code == 200 and reply_content(response) is None  # "success" at once
        later = "\n".join(api.wait_for_texts(openid, 1, timeout_s=30))
        assert "分几种办理情形" in later and "回复序号选择：\n1. " in later
    finally:
        actions.stop()
        actions.env = original_env
        actions.start()
        _wait_healthy(actions)
        proxy.close()


def _wait_healthy(process, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not process.healthy():
        assert time.monotonic() < deadline, f"{process.name} not healthy"
        time.sleep(0.3)


def test_a_wechat_citizen_lists_and_cancels_a_booking(wechat_stack):
    service, api, _ = wechat_stack
    openid = new_openid()
    # Booked as the bot books for a WeChat conversation (the booking dialogue itself is tested above).
    slots = httpx.post(f"{service}/api/halls/A/availability", json={"when": "后天上午", "item": "GA-SFZ-001"},
                       timeout=10).json()
    body = {"item_code": "GA-SFZ-001", "hall": "A", "date": slots["slot"]["date"], "slot": slots["slot"]["slot"],
            "name": "王五", "phone": "13700001234", "id_number": "120101197003150022", "channel": "wechat",
            "conversation_id": f"wechat:{openid}"}
    bot = {"Authorization": f"Bearer {DEVELOPMENT_SECRETS['BOT_TOKEN']}"}
    booked = httpx.post(f"{service}/api/appointments", json=body, timeout=10,
                        headers={"Idempotency-Key": f"e2e-wechat-{openid}", **bot})
    assert booked.status_code == 201, booked.text
    code = booked.json()["code"]
    listed = "\n".join(ask(service, api, openid, "我的预约"))
    assert code in listed
    confirm = "\n".join(ask(service, api, openid, "取消预约"))
    assert "确认取消以下预约吗" in confirm and code in confirm
    done = "\n".join(ask(service, api, openid, "确认"))
    assert "已为您取消预约" in done


def test_a_wechat_citizen_hears_of_a_case_and_asks_after_it(wechat_stack):
    service, api, _ = wechat_stack
    openid = new_openid()
    staff = {"Authorization": f"Bearer {DEVELOPMENT_SECRETS['STAFF_TOKEN']}"}
    case = httpx.post(f"{service}/api/cases", headers=staff, timeout=10, json={
        "staff": "王芳", "item_code": "GA-SFZ-001", "applicant": "赵六", "phone": "13600001234",
        "id_number": "440106198502140014", "channel": "wechat", "conversation_id": f"wechat:{openid}"})
    assert case.status_code == 201, case.text
    number = case.json()["number"]
    moved = httpx.post(f"{service}/api/cases/{number}/review", json={"staff": "王芳"}, headers=staff, timeout=10)
    assert moved.status_code == 200
    deadline = time.monotonic() + 30
    while not any(number in text for text in api.texts_to(openid)):  # the news, pushed through the outbox
        assert time.monotonic() < deadline, api.texts_to(openid)
        time.sleep(0.2)
    status = "\n".join(ask(service, api, openid, "我换身份证的事办到哪了"))
    assert number in status and "审查中" in status


def test_a_life_event_on_wechat_comes_in_texts_that_fit(wechat_stack):
    service, api, _ = wechat_stack
    openid = new_openid()
    answer = ask(service, api, openid, "孩子出生了要办什么")
    assert all(len(text.encode("utf-8")) <= 2048 for text in answer)
    whole = "\n".join(answer)
    assert "新生儿出生一件事" in whole and "出生医学证明" in whole

"""WeChat's side of the callbacks, a fake WeChat API server and a fake Rasa, for the WeChat tests.

Also used by tests/e2e/test_wechat.py. Nothing here reaches the internet.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import uvicorn
import xmltodict
from wechatpy.crypto import WeChatCrypto

from tests.live_server import spare_port

TOKEN = "test-wechat-token"
APP_ID = "wx0123456789abcdef"
APP_SECRET = "test-app-secret"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat gives it
OFFICIAL_ID = "gh_0123456789ab"
# WeChat refuses a longer customer-service text (errcode 45002); kept apart from the code under test.
TEXT_LIMIT_BYTES = 2048


def new_openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signed_query(token: str = TOKEN, **extra: str) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    return {"signature": signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce, **extra}


def text_xml(openid: str, content: str, *, msg_id: int, create_time: int | None = None) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{OFFICIAL_ID}]]></ToUserName>"
        f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{create_time or int(time.time())}</CreateTime>"
        f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>"
        f"<MsgId>{msg_id}</MsgId></xml>"
    )


def event_xml(openid: str, event: str, *, key: str | None = None, create_time: int | None = None) -> str:
    key_xml = f"<EventKey><![CDATA[{key}]]></EventKey>" if key is not None else ""
    return (
        f"<xml><ToUserName><![CDATA[{OFFICIAL_ID}]]></ToUserName>"
        f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{create_time or int(time.time())}</CreateTime>"
        f"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event>{key_xml}</xml>"
    )


def new_msg_id() -> int:
    return int(uuid.uuid4().int % 10**19)


def post_plain(base_url: str, xml: str, **kwargs) -> httpx.Response:
    """A message as WeChat posts it in plaintext mode."""
    return httpx.post(f"{base_url}/wechat", params=signed_query(openid="x"), content=xml.encode(), timeout=30, **kwargs)


def post_encrypted(base_url: str, xml: str, *, crypto: WeChatCrypto | None = None) -> httpx.Response:
    """A message as WeChat posts it in safe mode: encrypted body, msg_signature."""
    crypto = crypto or WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    query = signed_query(encrypt_type="aes")
    envelope = xmltodict.parse(crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))["xml"]
    query["msg_signature"] = envelope["MsgSignature"]
    body = f"<xml><ToUserName><![CDATA[{OFFICIAL_ID}]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
    return httpx.post(f"{base_url}/wechat", params=query, content=body.encode(), timeout=30)


def reply_content(response: httpx.Response) -> str | None:
    """The text of a passive reply; None for "success"."""
    if response.text == "success":
        return None
    return xmltodict.parse(response.text)["xml"]["Content"]


def decrypt_reply(response: httpx.Response) -> dict:
    """An encrypted passive reply, checked and decrypted as WeChat does."""
    envelope = xmltodict.parse(response.text)["xml"]
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    xml = crypto.decrypt_message(response.text, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    return xmltodict.parse(xml)["xml"]


# --- the WeChat API (access token, customer-service messages) ---------------------------------

class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # a worker's batch connects at once; the default 5 drops connections


class FakeWeChatApi:
    """A real HTTP server on a spare 127.0.0.1 port, recording token requests and sent messages.

    A message counts as sent when WeChat has read it, before its answer goes out (as on WeChat:
    what reached it is delivered, whether or not the sender lives to read the answer). Each answer
    takes `answer_delay_s`; from the `hold_after`-th accepted message on, answers wait for
    `release()`, so that a kill lands between WeChat accepting messages and the sender's record."""

    def __init__(self, *, answer_delay_s: float = 0.0, hold_after: int | None = None) -> None:
        self.token_requests: list[dict[str, str]] = []
        self.issued_tokens: list[str] = []
        self.sent: list[dict] = []  # accepted messages, in order, each with the access token it came with
        self.refused_tokens: list[str] = []
        self.fail_next_send_with: list[int] = []  # errcodes answered to the next sends
        self.holding = threading.Event()
        self._released = threading.Event()
        self._answer_delay_s = answer_delay_s
        self._hold_after = hold_after
        self._lock = threading.Lock()
        self._current_token = ""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _answer(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path != "/cgi-bin/token":
                    self._answer({"errcode": 404})
                    return
                with fake._lock:
                    fake.token_requests.append(query)
                    if query.get("appid") != APP_ID or query.get("secret") != APP_SECRET:
                        self._answer({"errcode": 40013, "errmsg": "invalid appid"})
                        return
                    fake._current_token = f"ACCESS_TOKEN_{len(fake.token_requests)}"
                    fake.issued_tokens.append(fake._current_token)
                    self._answer({"access_token": fake._current_token, "expires_in": 7200})

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                token = parse_qs(url.query).get("access_token", [""])[0]
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with fake._lock:
                    if url.path != "/cgi-bin/message/custom/send":
                        answer = {"errcode": 404}
                    elif fake.fail_next_send_with:
                        fake.refused_tokens.append(token)
                        answer = {"errcode": fake.fail_next_send_with.pop(0), "errmsg": "invalid credential"}
                    elif token != fake._current_token:
                        fake.refused_tokens.append(token)
                        answer = {"errcode": 40001, "errmsg": "invalid credential"}
                    elif len(json.loads(raw)["text"]["content"].encode()) > TEXT_LIMIT_BYTES:
                        answer = {"errcode": 45002, "errmsg": "content size out of limit"}
                    else:
                        fake.sent.append({"raw": raw, "access_token": token, **json.loads(raw)})
                        answer = {"errcode": 0, "errmsg": "ok"}
                        if fake._hold_after is not None and len(fake.sent) >= fake._hold_after:
                            fake.holding.set()
                time.sleep(fake._answer_delay_s)
                if fake.holding.is_set():
                    fake._released.wait(timeout=30)
                try:
                    self._answer(answer)
                except OSError:
                    pass  # the sender died waiting for this answer

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "FakeWeChatApi":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def release(self) -> None:
        self._released.set()

    def stop(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    def texts_to(self, openid: str) -> list[str]:
        with self._lock:
            return [m["text"]["content"] for m in self.sent if m["touser"] == openid]

    def wait_for_texts(self, openid: str, count: int, timeout_s: float = 10) -> list[str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            texts = self.texts_to(openid)
            if len(texts) >= count:
                return texts
            time.sleep(0.05)
        return self.texts_to(openid)


@contextmanager
def fake_wechat_api(*, answer_delay_s: float = 0.0, hold_after: int | None = None) -> Iterator[FakeWeChatApi]:
    api = FakeWeChatApi(answer_delay_s=answer_delay_s, hold_after=hold_after).start()
    try:
        yield api
    finally:
        api.stop()


# --- a fake Rasa REST channel -----------------------------------------------------------------

class FakeRasa:
    """Rasa's /webhooks/rest/webhook as an httpx transport: records turns, answers after `delay_s`."""

    def __init__(self, answer: Callable[[str], list[dict]], *, delay_s: float = 0.0, down: bool = False):
        self.answer = answer
        self.delay_s = delay_s
        self.down = down
        self.turns: list[dict] = []

    def transport(self) -> httpx.MockTransport:
        async def handler(request: httpx.Request) -> httpx.Response:
            assert request.url.path == "/webhooks/rest/webhook"
            turn = json.loads(request.content)
            self.turns.append(turn)
            if self.down:
                raise httpx.ConnectError("connection refused", request=request)
            await asyncio.sleep(self.delay_s)
            return httpx.Response(200, json=self.answer(turn["message"]))

        return httpx.MockTransport(handler)


# --- the app under a real HTTP server ---------------------------------------------------------

@contextmanager
def serve(app) -> Iterator[str]:
    """Runs an ASGI app under uvicorn in a thread (responses go out before background tasks end)."""
    port = spare_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)

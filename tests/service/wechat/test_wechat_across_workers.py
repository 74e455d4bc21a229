"""WeChat behind two service workers (two uvicorn processes on one database, as behind nginx): a
retry that reaches the other worker is answered once, and slow answers leave through both workers'
outbox once each, with one access token between them."""

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import make_database
from wechat_fakes import (
    AES_KEY,
    APP_ID,
    APP_SECRET,
    TOKEN,
    fake_wechat_api,
    new_msg_id,
    new_openid,
    post_plain,
    reply_content,
    text_xml,
)

from tests.live_server import ServiceProcess


class RasaServer:
    """Rasa's REST webhook on a real port: records each turn, answers after `delay_s`."""

    def __init__(self, answer: Callable[[str], list[dict]], *, delay_s: float) -> None:
        self.turns: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                turn = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.turns.append(turn)
                time.sleep(delay_s)
                body = json.dumps(answer(turn["message"])).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def echo(message: str) -> list[dict]:
    return [{"recipient_id": "x", "text": f"您说的是：{message}"}]


@contextmanager
def two_workers(tmp_path, *, rasa_delay_s: float, passive_reply_s: float) -> Iterator[tuple[list[str], RasaServer, object]]:
    db_url = make_database(tmp_path)
    with ExitStack() as stack, fake_wechat_api() as api:
        rasa = RasaServer(echo, delay_s=rasa_delay_s)
        stack.callback(rasa.stop)
        env = {
            "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET,
            "WECHAT_ENCODING_AES_KEY": AES_KEY, "WECHAT_API_BASE": api.base_url, "RASA_URL": rasa.url,
            "WECHAT_PASSIVE_REPLY_S": str(passive_reply_s), "OUTBOX_WORKER": "true", "OUTBOX_POLL_S": "0.05",
        }
        workers = []
        for index in range(2):
            worker = ServiceProcess(database_url=db_url, log_path=tmp_path / f"worker{index}.log", env=env)
            stack.callback(worker.stop)
            workers.append(worker.url)
        yield workers, rasa, api


def test_a_retry_on_the_other_worker_gets_the_same_answer_and_asks_the_bot_once(tmp_path):
    with two_workers(tmp_path, rasa_delay_s=1.0, passive_reply_s=4.0) as (workers, rasa, _api):
        openid = new_openid()
        xml = text_xml(openid, "身份证丢了补办要带啥", msg_id=new_msg_id())
        answers: dict[int, str | None] = {}

        def deliver(index: int) -> None:
            answers[index] = reply_content(post_plain(workers[index], xml))

        first = threading.Thread(target=deliver, args=(0,))
        first.start()
        time.sleep(0.3)  # WeChat gave up waiting on worker 0; its retry lands on worker 1
        deliver(1)
        first.join()
        deliver(0)  # the third try, after both answered
    assert [turn["message"] for turn in rasa.turns] == ["身份证丢了补办要带啥"]
    assert answers[0] == answers[1] == "您说的是：身份证丢了补办要带啥"


def test_slow_answers_through_both_workers_outbox_arrive_once_with_one_token(tmp_path):
    users = 6
    with two_workers(tmp_path, rasa_delay_s=1.0, passive_reply_s=0.3) as (workers, rasa, api):
        openids = [new_openid() for _ in range(users)]
        for index, openid in enumerate(openids):
            xml = text_xml(openid, f"第{index}个问题", msg_id=new_msg_id())
            # Too slow for the passive reply: "success", and WeChat retries on the other worker.
            assert reply_content(post_plain(workers[index % 2], xml)) is None
            assert reply_content(post_plain(workers[(index + 1) % 2], xml)) is None
        for openid in openids:
            api.wait_for_texts(openid, 1)
        time.sleep(1.0)  # anything sent twice would have arrived by now
        texts = {openid: api.texts_to(openid) for openid in openids}
    assert len(rasa.turns) == users
    assert texts == {openid: [f"您说的是：第{index}个问题"] for index, openid in enumerate(openids)}
    assert len(api.token_requests) == 1 and api.refused_tokens == []

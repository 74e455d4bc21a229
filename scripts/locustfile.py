"""Whole conversations under load, through Rasa's REST webhook: `make bench` runs it headless.

Each simulated citizen has one conversation at a time, then starts another as someone new:
- a catalogue question and a follow-up ("身份证丢了补办要带啥", then the fee);
- a booking from the first message to its code (item, situation, time, the person, materials,
  confirmation), with a valid ID number of its own (the service allows one booking per person,
  item and day);
- a complaint handed to 12345: the complaint, the phone, the confirmation, the order's number.
A turn fails when its reply lacks what the step must show; a confirmation answered with "已约满"
(another citizen took the last seat of that slot meanwhile) is a real answer, not a failure. Each finished conversation is counted
under the request type "conversation", so the statistics give conversations per second beside
the turns' latencies.

    locust -f scripts/locustfile.py --headless --host http://127.0.0.1:5005 -u 8 -r 8 -t 60s
"""

from __future__ import annotations

import itertools
import random
import time
import uuid

from locust import HttpUser, between, task

WEBHOOK = "/webhooks/rest/webhook"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECKS = "10X98765432"
_serial = itertools.count(random.randrange(1000))


def fresh_id_number() -> str:
    """A well-formed resident ID number (region, birth date, serial, check character), new each time."""
    serial = next(_serial)
    birth = f"{1950 + serial % 50}{1 + serial // 50 % 12:02d}{1 + serial // 600 % 28:02d}"
    body = f"110105{birth}{serial % 1000:03d}"
    return body + ID_CHECKS[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11]


class TurnFailed(Exception):
    pass


class Citizen(HttpUser):
    wait_time = between(0.1, 0.3)  # the next citizen comes soon: the run measures capacity

    def _say(self, step: str, message: str, *expect: str) -> list[dict]:
        """The replies; the turn fails unless one of `expect` (when given) is in their text."""
        with self.client.post(WEBHOOK, json={"sender": self.sender, "message": message}, name=step,
                              catch_response=True) as response:
            replies = response.json() if response.status_code == 200 else None
            text = "\n".join(r.get("text", "") for r in replies or [])
            if not replies or (expect and not any(marker in text for marker in expect)):
                response.failure(f"{step}: expected one of {expect!r} in {text[:200]!r}")
                raise TurnFailed(step)
        return replies

    def _conversation(self, kind: str, turns) -> None:
        self.sender = f"load-{uuid.uuid4().hex[:12]}"
        started = time.perf_counter()
        try:
            turns()
        except TurnFailed as failed:
            self._record(kind, started, failed)
            return
        self._record(kind, started, None)

    def _record(self, kind: str, started: float, error) -> None:
        self.environment.events.request.fire(
            request_type="conversation", name=kind, response_time=(time.perf_counter() - started) * 1000,
            response_length=0, exception=error, context={},
        )

    @task(3)
    def catalogue_question(self) -> None:
        def turns():
            self._say("catalogue: question", "身份证丢了补办要带啥", "身份证")
            self._say("catalogue: fee", "那要交多少钱")

        self._conversation("catalogue", turns)

    @task(1)
    def booking(self) -> None:
        def turns():
            replies = self._say("booking: start", "我想预约一下换身份证")
            for _ in range(3):  # situation, time, and a nearest free slot when that time is full
                text = "\n".join(r.get("text", "") for r in replies)
                if "本人办理，还是替别人代办" in text:
                    break
                if "什么时间" in text:
                    replies = self._say("booking: when", "后天上午")
                else:
                    offered = [b for r in replies for b in r.get("buttons", [])]
                    if not offered:
                        raise TurnFailed(f"booking: no question to answer in {text[:200]!r}")
                    replies = self._say("booking: choice", offered[0]["payload"])
            self._say("booking: in person", "本人办理", "姓名")
            self._say("booking: name", "我叫张三", "手机号码")
            self._say("booking: phone", "13812345678", "身份证号码")
            self._say("booking: id number", fresh_id_number(), "材料")
            self._say("booking: materials", "都备齐了", "请核对预约信息")
            self._say("booking: confirm", "确认", "预约码", "已约满")

        self._conversation("booking", turns)

    @task(1)
    def complaint_to_12345(self) -> None:
        def turns():
            self._say("handoff: complaint", "我要投诉，锦绣花园3栋楼下的烧烤店天天开到凌晨两点，油烟呛人吵得没法睡",
                      "手机号")
            self._say("handoff: phone", "我电话 13812345678", "类型：投诉")
            self._say("handoff: confirm", "确认", "工单编号")

        self._conversation("handoff", turns)

"""The actions' one client against the real service process (its API as it is, not a fake):
the shapes it reads, and how each kind of failure comes back."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess

import pytest

from actions.api.service_client import ItemNotFound, Refused, ServiceClient, ServiceUnavailable, query_text
from scripts.stack import REPO_ROOT, SERVICE_VENV, Ports, Stack

CLIENT_PORTS = Ports(service=18040, actions=15095, rasa=15045)  # only the service is started
# A Tuesday morning, so that the hall has free slots tomorrow whatever the real date is.
FIXED_NOW = "2026-12-01T08:30:00"


@pytest.fixture(scope="module")
def service_url(tmp_path_factory):
    work = tmp_path_factory.mktemp("client")
    env = {"DATABASE_URL": f"sqlite:///{work / 'service.db'}", "FIXED_NOW": FIXED_NOW}
    for command in ("migrate", "seed"):
        subprocess.run([str(SERVICE_VENV / "python"), "-m", "service.cli", command],
                       cwd=REPO_ROOT, env={**os.environ, **env}, check=True, capture_output=True)
    stack = Stack(ports=CLIENT_PORTS, log_dir=work / "logs", extra_env=env)
    try:
        stack.start(("service",), timeout_s=120)
        yield f"http://127.0.0.1:{CLIENT_PORTS.service}"
    finally:
        stack.stop()


def call(url: str, method: str, *args, **kwargs):
    async def run():
        client = ServiceClient(url, timeout_s=10)
        try:
            return await getattr(client, method)(*args, **kwargs)
        finally:
            await client.close()

    return asyncio.run(run())


def test_search_finds_the_item_a_citizen_names(service_url):
    result = call(service_url, "search", "身份证丢了怎么补办")
    assert result.hits and result.hits[0].code == "GA-SFZ-002"
    assert result.hits[0].department  # the search answers with the department's name


def test_a_message_naming_two_items_comes_back_contested_not_confident(service_url):
    text = "我们一家住的是公租房，租金每月从工资卡扣，听同事说公积金可以用来付房租，这种情况能提出来吗"
    result = call(service_url, "search", text)
    assert result.contested and not result.confident
    assert not call(service_url, "search", "身份证丢了怎么补办").contested


def test_a_message_of_masks_only_finds_nothing(service_url):
    result = call(service_url, "search", "****")
    assert result.hits == [] and not result.confident


def test_the_notice_carries_sections_aspects_and_the_checklist(service_url):
    notice = call(service_url, "get_notice", "GA-SFZ-002")
    assert notice.name == "居民身份证补领"
    assert notice.sections and notice.checklist
    assert {"fee", "time_limit"} <= set(notice.aspects)
    local = call(service_url, "get_notice", "GA-SFZ-002", "local")
    assert "居民户口簿" not in local.checklist  # 免提交: checked through data sharing
    assert "居民身份证数码相片回执" in local.checklist


def test_an_unknown_item_is_not_found(service_url):
    with pytest.raises(ItemNotFound):
        call(service_url, "get_notice", "NO-SUCH-ITEM")


def test_halls_and_a_free_slot_for_tomorrow_morning(service_url):
    halls = call(service_url, "halls_for_item", "GA-SFZ-002")
    assert halls
    availability = call(service_url, "availability", halls[0].code, "明天上午", "GA-SFZ-002")
    assert availability.understood
    assert availability.slot is not None and availability.slot.date == "2026-12-02"


def test_a_bad_phone_is_checked_with_a_reason(service_url):
    check = call(service_url, "check_field", "phone", "1381234")
    assert not check.ok and check.reason


def test_a_refused_booking_says_why(service_url):
    with pytest.raises(Refused) as refused:
        call(service_url, "create_appointment", {"item_code": "GA-SFZ-002"}, "key-refused-1")
    assert 400 <= refused.value.status < 500 and refused.value.detail


def test_a_ticket_draft_reads_type_and_phone(service_url):
    draft = call(service_url, "draft_ticket", "我要投诉，小区门口夜里施工太吵了，电话13812345678")
    assert draft["type"] == "投诉"
    assert draft["phone"] == "13812345678"


def test_a_referral_for_a_matter_outside_the_catalogue(service_url):
    referral = call(service_url, "referral", "保安员证怎么考")
    assert referral is not None and "公安" in referral.department_kind + referral.department


def test_a_service_that_is_down_is_unavailable_not_an_error():
    with pytest.raises(ServiceUnavailable):
        call("http://127.0.0.1:9", "search", "身份证")


class DropsFirstConnections:
    """A server that closes the first `drops` connections without answering (as a kept-alive
    connection closed by the other side as it was reused) and answers the rest with `answer`."""

    def __init__(self, drops: int, answer: object = None) -> None:
        self.drops = drops
        self.body = json.dumps({} if answer is None else answer).encode()
        self.requests = 0

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        await reader.readexactly(length)
        self.requests += 1
        if self.requests > self.drops:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(self.body)).encode() + b"\r\n\r\n" + self.body)
            await writer.drain()
        writer.close()

    def call(self, method: str, *args):
        async def run():
            server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            client = ServiceClient(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", timeout_s=5)
            try:
                return await getattr(client, method)(*args)
            finally:
                await client.close()
                server.close()
                await server.wait_closed()

        return asyncio.run(run())


CHECKED_PHONE = {"phone": {"ok": True, "value": "13812345678", "masked": "138****5678", "reason": None}}


@pytest.mark.parametrize("method, args, answer", [
    ("conversation_tickets", ("c1",), []),  # a read
    ("check_field", ("phone", "13812345678"), CHECKED_PHONE),  # a POST that only checks
    ("create_ticket", ({"content": "投诉"}, "key-1"), {"number": "12345-1"}),  # a write with its key
])
def test_a_dropped_connection_is_tried_again_when_sending_twice_is_harmless(method, args, answer):
    server = DropsFirstConnections(drops=1, answer=answer)
    server.call(method, *args)
    assert server.requests == 2


def test_a_write_without_an_idempotency_key_is_not_sent_twice():
    server = DropsFirstConnections(drops=1)
    with pytest.raises(ServiceUnavailable):
        server.call("cancel_appointment", "YY-1", {"phone": "13812345678"})
    assert server.requests == 1


def test_a_connection_dropped_twice_is_unavailable():
    server = DropsFirstConnections(drops=2)
    with pytest.raises(ServiceUnavailable):
        server.call("conversation_tickets", "c1")
    assert server.requests == 2


def test_very_long_text_keeps_its_start_and_its_end():
    text = "开头" + "中" * 3000 + "结尾"
    sent = query_text(text)
    assert len(sent) == 1000 and sent.startswith("开头") and sent.endswith("结尾")

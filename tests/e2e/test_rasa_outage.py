"""Rasa down for 30 s while agents claim, answer and close 50 chat orders, on the real processes.
When the real Rasa server is back, every conversation holds its events once and in order: pause,
the agent's answer, resume, then the rating question. The bot is quiet exactly while the agent
holds the order. Counted in Rasa's own trackers."""

from __future__ import annotations

import time

import httpx
import pytest

from common.deployment import DEVELOPMENT_SECRETS
from scripts.stack import Ports
from tests.e2e.conftest import running_stack, sqlite_databases

OUTAGE_PORTS = Ports(service=18060, actions=15115, rasa=15065)
ORDERS = 50
OUTAGE_S = 30
STAFF = {"Authorization": f"Bearer {DEVELOPMENT_SECRETS['STAFF_TOKEN']}"}
# Kept in Rasa's tracker: what the outbox did, in the order it did it.
OUTBOX_EVENTS = ("pause", "resume", "bot", "user")


@pytest.fixture(scope="module")
def outage_stack(tmp_path_factory):
    work = tmp_path_factory.mktemp("e2e_outage")
    # Short back-off (and tries enough to outlast the outage), so that the wait after it is about
    # Rasa, not the retry schedule.
    env = {**sqlite_databases(work), "OUTBOX_BACKOFF_BASE_S": "0.5", "OUTBOX_BACKOFF_CAP_S": "4",
           "OUTBOX_MAX_ATTEMPTS": "60"}
    with running_stack(OUTAGE_PORTS, work, env) as stack:
        yield stack


def file_and_work(service: str, n: int) -> tuple[str, str]:
    conversation = f"web-outage-{n:02d}"
    body = {"channel": "web", "requester": "李女士", "phone": "13900001111", "type": "投诉",
            "topic_l1": "城乡建设", "topic_l2": "城市建设和市政管理", "district": "清江区",
            "place": f"滨江路 {n} 号", "content": f"滨江路{n}号路灯坏了一个多月，晚上很黑，请尽快维修。",
            "conversation_id": conversation}
    created = httpx.post(f"{service}/api/tickets", json=body, timeout=10, headers={"Idempotency-Key": f"outage-{n:04d}"})
    assert created.status_code == 201, created.text
    number = created.json()["number"]
    for step, extra in (("claim", {}), ("reply", {"reply": f"滨江路{n}号路灯已派人维修"}), ("close", {})):
        answer = httpx.post(f"{service}/api/tickets/{number}/{step}", json={"agent": "王芳", **extra},
                            headers=STAFF, timeout=10)
        assert answer.status_code in (200, 201), answer.text
    return conversation, number


def outbox_events(stack, conversation: str) -> list[str]:
    tracker = httpx.get(f"http://127.0.0.1:{stack.ports.rasa}/conversations/{conversation}/tracker",
                        params=stack.rasa_api_params, timeout=10).json()
    return [e["event"] for e in tracker["events"] if e["event"] in OUTBOX_EVENTS]


def test_fifty_orders_worked_while_rasa_is_down_reach_it_once_and_in_order(outage_stack):
    stack = outage_stack
    service = f"http://127.0.0.1:{stack.ports.service}"
    stack.processes["rasa"].stop()
    down_since = time.monotonic()
    orders = dict(file_and_work(service, n) for n in range(ORDERS))
    time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - down_since)))
    pending = httpx.get(f"{service}/api/outbox/counts", headers=STAFF, timeout=10).json()["counts"]
    assert pending["pending"] >= ORDERS and pending["delivered"] == 0  # nothing reached Rasa meanwhile

    stack.start(("rasa",))
    deadline = time.monotonic() + 180
    while httpx.get(f"{service}/api/outbox/counts", headers=STAFF, timeout=10).json()["counts"]["pending"]:
        assert time.monotonic() < deadline, "the outbox did not drain after Rasa came back"
        time.sleep(1)
    counts = httpx.get(f"{service}/api/outbox/counts", headers=STAFF, timeout=10).json()["counts"]
    assert counts["dead"] == counts["undeliverable"] == 0
    for conversation in orders:
        # pause → the agent's answer → resume → the rating trigger and its question: once each.
        assert outbox_events(stack, conversation) == ["pause", "bot", "resume", "user", "bot"], conversation

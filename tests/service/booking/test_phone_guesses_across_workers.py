"""Guessing the phone of a booking is limited however the guesses are spread over the service's
workers: two uvicorn processes on one database count the same wrong answers (PROOF_GUESS_LIMIT)."""

from contextlib import ExitStack

import httpx
from conftest import BOOKING_NOW, booking_body, valid_id_number

from service.core.settings import Settings
from tests.live_server import ServiceProcess
from tests.service.tickets.tickets_helpers import ticket_body

LIMIT = Settings.model_fields["PROOF_GUESS_LIMIT"].default
WRONG = "13900000000"


def test_wrong_phones_spread_over_two_workers_lock_the_booking_code_on_both(booking_db_url, tmp_path):
    with ExitStack() as stack:
        workers = []
        for index in range(2):
            worker = ServiceProcess(database_url=booking_db_url, log_path=tmp_path / f"worker{index}.log",
                                    env={"FIXED_NOW": BOOKING_NOW, "OUTBOX_WORKER": "false"})
            stack.callback(worker.stop)
            workers.append(worker.url)
        codes = []
        for serial, phone in ((1, "13812345678"), (2, "13712345678")):
            made = httpx.post(f"{workers[0]}/api/appointments", json=booking_body(phone=phone, id_number=valid_id_number(serial)),
                              headers={"Idempotency-Key": f"guess-key-{serial}"})
            assert made.status_code == 201, made.text
            codes.append(made.json()["code"])

        for guess in range(LIMIT):  # alternately on each worker, as a load balancer spreads them
            wrong = httpx.get(f"{workers[guess % 2]}/api/appointments/{codes[0]}", params={"phone": WRONG})
            assert wrong.status_code == 404
        for base in workers:
            right = httpx.get(f"{base}/api/appointments/{codes[0]}", params={"phone": "13812345678"})
            assert right.status_code == 429 and "分钟后再试" in right.json()["detail"]
            cancel = httpx.post(f"{base}/api/appointments/{codes[0]}/cancel", json={"phone": "13812345678"})
            assert cancel.status_code == 429
            other = httpx.get(f"{base}/api/appointments/{codes[1]}", params={"phone": "13712345678"})
            assert other.status_code == 200  # only the guessed number is locked


def test_work_order_and_case_numbers_are_limited_the_same_way(booking_client):
    number = booking_client.post("/api/tickets", json=ticket_body()).json()["number"]
    for _ in range(LIMIT):
        assert booking_client.get(f"/api/tickets/{number}/status", params={"phone": WRONG}).status_code == 404
    refused = booking_client.get(f"/api/tickets/{number}/status", params={"phone": ticket_body()["phone"]})
    assert refused.status_code == 429 and refused.json()["detail"]
    rating = booking_client.post(f"/api/tickets/{number}/rating", json={"phone": ticket_body()["phone"], "rating": "满意"})
    assert rating.status_code == 429
    for _ in range(LIMIT):
        assert booking_client.get("/api/cases/SL-20261201-0001/status", params={"phone": WRONG}).status_code == 404
    assert booking_client.get("/api/cases/SL-20261201-0001/status", params={"phone": WRONG}).status_code == 429

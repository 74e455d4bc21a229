"""Twenty agents claim one work order at the same moment: exactly one gets it, on SQLite and PostgreSQL.

A real uvicorn server on a spare port; each thread claims as a different agent.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select
from tickets_helpers import ticket_body

from service.core.db import get_session_factory
from service.core.settings import get_settings
from service.migrate import upgrade_database
from service.tickets.models import Status, Ticket, TicketEvent
from tests.live_server import running_service

RACERS = 20


def _race(database_url: str, log_path) -> None:
    headers = {"Authorization": f"Bearer {get_settings().STAFF_TOKEN}"}
    with running_service(database_url=database_url, log_path=log_path) as base:
        created = httpx.post(f"{base}/api/tickets", json=ticket_body())
        assert created.status_code == 201, created.text
        number = created.json()["number"]
        start = threading.Barrier(RACERS)

        def attempt(serial: int) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
                start.wait()
                return client.post(f"/api/tickets/{number}/claim", json={"agent": f"坐席{serial:02d}"})

        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            responses = list(pool.map(attempt, range(RACERS)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (RACERS - 1), [r.text for r in responses if r.status_code not in (200, 409)]
    winner = next(r.json()["assignee"] for r in responses if r.status_code == 200)
    assert all(f"已由{winner}受理" in r.json()["detail"] for r in responses if r.status_code == 409)
    with get_session_factory(database_url)() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        actions = session.scalars(select(TicketEvent.action).where(TicketEvent.ticket_id == ticket.id)).all()
    assert (ticket.status, ticket.assignee) == (Status.CLAIMED, winner)
    assert sorted(actions) == ["claim", "create"]


def test_one_claim_wins_on_sqlite(booking_db_url, tmp_path):
    _race(booking_db_url, tmp_path / "uvicorn.log")


def test_one_claim_wins_on_postgresql(postgres_url, tmp_path):
    upgrade_database(database_url=postgres_url)
    _race(postgres_url, tmp_path / "uvicorn.log")

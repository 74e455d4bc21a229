"""The last free seat goes to exactly one of 25 simultaneous bookings, and to one of 50 simultaneous
reschedules, on SQLite and on PostgreSQL.

A real uvicorn server on a spare port; each thread books for a different person.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
from conftest import BOOKING_DAY, BOOKING_NOW, REAL_SEED, booking_body, valid_id_number
from sqlalchemy import func, select

from service.booking.models import Appointment, SlotUsage, Status
from service.core.db import get_session_factory
from service.migrate import upgrade_database
from service.seeding import seed_database
from tests.live_server import running_service

RACERS = 25
SLOT = "09:00-10:00"
ITEM = "JT-WYC-001"  # the transport pool: 3 seats per slot


def _body(serial: int) -> dict:
    return booking_body(item_code=ITEM, slot=SLOT, id_number=valid_id_number(serial), phone=f"1390000{serial:04d}")


def _race(database_url: str, log_path) -> None:
    with running_service(database_url=database_url, log_path=log_path, env={"FIXED_NOW": BOOKING_NOW}) as base:
        # Two seats taken beforehand: exactly one left.
        for serial in (1, 2):
            response = httpx.post(f"{base}/api/appointments", json=_body(serial), headers={"Idempotency-Key": f"seat-{serial:04d}"})
            assert response.status_code == 201, response.text
        start = threading.Barrier(RACERS)

        def attempt(serial: int) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=60) as client:
                start.wait()
                return client.post("/api/appointments", json=_body(serial), headers={"Idempotency-Key": f"race-{serial:04d}"})

        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            responses = list(pool.map(attempt, range(100, 100 + RACERS)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (RACERS - 1), [r.text for r in responses if r.status_code not in (201, 409)]
    assert all("已约满" in r.json()["detail"] for r in responses if r.status_code == 409)
    with get_session_factory(database_url)() as session:
        booked = session.scalar(
            select(func.count()).select_from(Appointment).where(
                Appointment.day == date.fromisoformat(BOOKING_DAY), Appointment.slot == SLOT, Appointment.status == Status.BOOKED
            )
        )
        counter = session.scalar(select(SlotUsage.booked).where(SlotUsage.slot == SLOT, SlotUsage.group_code == "JT"))
        codes = session.scalars(select(Appointment.code)).all()
    assert booked == counter == 3
    assert len(set(codes)) == len(codes) == 3


def test_last_seat_on_sqlite(booking_db_url, tmp_path):
    _race(booking_db_url, tmp_path / "uvicorn.log")


def test_last_seat_on_postgresql(postgres_url, tmp_path):
    upgrade_database(database_url=postgres_url)
    with get_session_factory(postgres_url)() as session:
        seed_database(seed_dir=REAL_SEED, session=session)
    _race(postgres_url, tmp_path / "uvicorn.log")


# --- 50 citizens move their bookings into the same last seat -----------------------------------

MOVERS = 50
TARGET_SLOT = "09:00-10:00"  # the 身份证 pool: 8 seats per slot
ID_ITEM = "GA-SFZ-002"


def _reschedule_race(database_url: str, log_path) -> None:
    with running_service(database_url=database_url, log_path=log_path, env={"FIXED_NOW": BOOKING_NOW}) as base:
        with httpx.Client(base_url=base, timeout=60) as client:
            def book(serial: int, day: str, slot: str) -> str:
                body = booking_body(item_code=ID_ITEM, date=day, slot=slot, id_number=valid_id_number(serial),
                                    phone=f"1370000{serial:04d}")
                response = client.post("/api/appointments", json=body, headers={"Idempotency-Key": f"mover-{serial:04d}"})
                assert response.status_code == 201, response.text
                return response.json()["code"]

            for serial in range(1, 8):  # 7 of the 8 seats taken: one left
                book(serial, BOOKING_DAY, TARGET_SLOT)
            elsewhere = [(day, slot) for day in ("2026-12-03", "2026-12-04")
                         for slot in ("09:00-10:00", "10:00-11:00", "11:00-12:00", "13:30-14:30")]
            movers = {serial: book(serial, *elsewhere[i % len(elsewhere)])
                      for i, serial in enumerate(range(100, 100 + MOVERS))}
        start = threading.Barrier(MOVERS)

        def move(serial: int) -> httpx.Response:
            with httpx.Client(base_url=base, timeout=60) as client:
                start.wait()
                return client.post(f"/api/appointments/{movers[serial]}/reschedule", json={
                    "phone": f"1370000{serial:04d}", "date": BOOKING_DAY, "slot": TARGET_SLOT})

        with ThreadPoolExecutor(max_workers=MOVERS) as pool:
            responses = list(pool.map(move, movers))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (MOVERS - 1), [r.text for r in responses if r.status_code not in (200, 409)]
    with get_session_factory(database_url)() as session:
        appointments = session.scalars(select(Appointment)).all()
        usage = {(u.day, u.slot): u.booked for u in session.scalars(select(SlotUsage))}
    # Nobody lost a booking, nobody holds two, and every pool count matches its bookings.
    assert len(appointments) == 7 + MOVERS and all(a.status is Status.BOOKED for a in appointments)
    held: dict[tuple, int] = {}
    for appointment in appointments:
        held[(appointment.day, appointment.slot)] = held.get((appointment.day, appointment.slot), 0) + 1
    assert held[(date.fromisoformat(BOOKING_DAY), TARGET_SLOT)] == 8
    assert {k: v for k, v in usage.items() if v} == held


def test_fifty_reschedules_into_the_last_seat_on_sqlite(booking_db_url, tmp_path):
    _reschedule_race(booking_db_url, tmp_path / "uvicorn.log")


def test_fifty_reschedules_into_the_last_seat_on_postgresql(postgres_url, tmp_path):
    upgrade_database(database_url=postgres_url)
    with get_session_factory(postgres_url)() as session:
        seed_database(seed_dir=REAL_SEED, session=session)
    _reschedule_race(postgres_url, tmp_path / "uvicorn.log")

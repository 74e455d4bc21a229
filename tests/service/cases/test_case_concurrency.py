"""准予 and 不予 (and 退回) taken on one case at the same moment: exactly one wins, on SQLite and
PostgreSQL; the others answer 409 and leave no event. A real uvicorn server on a spare port."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from cases_helpers import STEP_BODIES, walk_in
from sqlalchemy import select

from service.cases.models import Case, CaseEvent
from service.core.db import get_session_factory
from service.core.settings import REPO_ROOT, get_settings
from service.migrate import upgrade_database
from service.seeding import seed_database
from tests.live_server import running_service

RACERS = 12
STEPS = ("approve", "reject", "return")


def _race(database_url: str, log_path) -> None:
    headers = {"Authorization": f"Bearer {get_settings().STAFF_TOKEN}"}
    with running_service(database_url=database_url, log_path=log_path) as base:
        created = httpx.post(f"{base}/api/cases", json=walk_in(), headers=headers)
        assert created.status_code == 201, created.text
        number = created.json()["number"]
        assert httpx.post(f"{base}/api/cases/{number}/review", json=STEP_BODIES["review"], headers=headers).is_success
        start = threading.Barrier(RACERS)

        def attempt(serial: int) -> tuple[str, httpx.Response]:
            action = STEPS[serial % len(STEPS)]
            with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
                start.wait()
                return action, client.post(f"/api/cases/{number}/{action}", json=STEP_BODIES[action])

        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            results = list(pool.map(attempt, range(RACERS)))
    statuses = sorted(response.status_code for _, response in results)
    assert statuses == [200] + [409] * (RACERS - 1), [r.text for _, r in results if r.status_code not in (200, 409)]
    winner = next(response.json()["status"] for _, response in results if response.status_code == 200)
    with get_session_factory(database_url)() as session:
        case = session.scalars(select(Case).where(Case.number == number)).one()
        actions = session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id)).all()
    assert case.status.value == winner
    assert len(actions) == 3 and actions[:2] == ["accept", "review"]


def test_one_decision_wins_on_sqlite(booking_db_url, tmp_path):
    _race(booking_db_url, tmp_path / "uvicorn.log")


def test_one_decision_wins_on_postgresql(postgres_url, tmp_path):
    upgrade_database(database_url=postgres_url)
    with get_session_factory(postgres_url)() as session:
        seed_database(seed_dir=REPO_ROOT / "service" / "seed", session=session)
    _race(postgres_url, tmp_path / "uvicorn.log")

"""Shared fixtures: temporary databases migrated by Alembic, seeded catalogues, a test client."""

import asyncio
import json
import threading
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.assist.router import get_rasa_client
from service.booking.models import (
    Appointment,
    AppointmentEvent,
    BookingCounter,
    SlotUsage,
)
from service.catalogue.models import (
    Department,
    Hall,
    Item,
    Material,
    Situation,
    material_situation,
)
from service.catalogue.schemas import Notice
from service.catalogue.service import item_notice
from service.core.db import get_db, get_engine, get_session_factory
from service.core.identity import id_check_char
from service.core.rasa import RasaClient
from service.core.settings import REPO_ROOT, get_settings
from service.main import create_app
from service.migrate import upgrade_database
from service.outbox.worker import Destination, OutboxWorker
from service.seeding import seed_database
from service.sms.delivery import SMS, SmsDelivery
from service.sms.senders import LoggingSmsSender
from service.tickets.channels import RASA, RasaConversations
from service.webchat.notices import WEB_CHAT
from service.wechat.delivery import WECHAT, WeChatDelivery
from tests import postgres

FIXTURE_SEED = Path(__file__).parent / "fixtures" / "seed"
REAL_SEED = REPO_ROOT / "service" / "seed"


def make_database(directory: Path, name: str = "service.db") -> str:
    url = f"sqlite:///{directory / name}"
    upgrade_database(database_url=url)
    return url


def seeded_database(directory: Path, seed_dir: Path) -> str:
    url = make_database(directory)
    with get_session_factory(url)() as session:
        seed_database(seed_dir=seed_dir, session=session)
    return url


def row_counts(url: str) -> dict[str, int]:
    with get_session_factory(url)() as session:
        tables = [m.__table__ for m in (Hall, Department, Item, Situation, Material)]
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in [*tables, material_situation]
        }


@pytest.fixture
def empty_db_url(tmp_path) -> str:
    """A new database with every table and nothing in them."""
    return make_database(tmp_path)


@pytest.fixture(scope="session")
def fixture_db_url(tmp_path_factory) -> str:
    """The fixture catalogue, migrated and seeded once; tests must not write to it."""
    return seeded_database(tmp_path_factory.mktemp("fixture_db"), FIXTURE_SEED)


@pytest.fixture(scope="session")
def real_seed_db_url(tmp_path_factory) -> str:
    """The real catalogue (service/seed/) in a temporary database."""
    if not sorted((REAL_SEED / "catalogue").glob("*.yaml")):
        pytest.skip("service/seed/catalogue/ has no seed files yet")
    return seeded_database(tmp_path_factory.mktemp("real_db"), REAL_SEED)


@pytest.fixture
def fixture_session(fixture_db_url) -> Iterator[Session]:
    with get_session_factory(fixture_db_url)() as session:
        yield session


@pytest.fixture
def real_session(real_seed_db_url) -> Iterator[Session]:
    with get_session_factory(real_seed_db_url)() as session:
        yield session


@pytest.fixture(scope="session")
def longest_notice(real_seed_db_url) -> Notice:
    """The longest notice the real catalogue gives, over every item and every situation (and none)."""
    with get_session_factory(real_seed_db_url)() as session:
        notices = [
            item_notice(session, code=item.code, situation=situation)
            for item in session.scalars(select(Item))
            for situation in [None, *(s.key for s in item.situations)]
        ]
    return max(notices, key=lambda notice: len(notice.text.encode("utf-8")))


def rasa_down_transport() -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    return httpx.MockTransport(handler)


def fake_rasa_transport(answer: Callable[[str], dict]) -> httpx.MockTransport:
    """A fake Rasa /model/parse: `answer(text)` gives the parse result."""

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/model/parse"
        return httpx.Response(200, json=answer(json.loads(request.content)["text"]))

    return httpx.MockTransport(handler)


def rasa_client_on(transport: httpx.AsyncBaseTransport, *, token: str | None = None) -> RasaClient:
    """The service's Rasa client with `transport` as the Rasa server, every call bounded at 0.5 s."""
    return RasaClient(base_url="http://rasa.test", parse_timeout_s=0.5, converse_timeout_s=0.5,
                      conversation_timeout_s=0.5, token=token, transport=transport)


def make_client(db_url: str, transport: httpx.AsyncBaseTransport) -> TestClient:
    """The app on a test database, with `transport` as Rasa's NLU; its outbox is delivered by
    the tests themselves (deliver_outbox)."""
    app = create_app()

    def session_for_test() -> Iterator[Session]:
        with get_session_factory(db_url)() as session:
            yield session

    app.dependency_overrides[get_db] = session_for_test
    rasa = rasa_client_on(transport)
    app.dependency_overrides[get_rasa_client] = lambda: rasa
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(fixture_db_url) -> Iterator[TestClient]:
    with make_client(fixture_db_url, rasa_down_transport()) as test_client:
        yield test_client


@pytest.fixture
def real_client(real_seed_db_url) -> Iterator[TestClient]:
    with make_client(real_seed_db_url, rasa_down_transport()) as test_client:
        yield test_client


# --- PostgreSQL -----------------------------------------------------------------------------

@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database (tests/postgres.py: skipped or, in CI, failed when unreachable)."""
    with postgres.throwaway_databases("daoban_test") as (name,):
        database_url = postgres.url(name, driver="postgresql+psycopg")
        try:
            yield database_url
        finally:
            get_engine(database_url).dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """An empty migrated database, once on SQLite and once on PostgreSQL: for what several
    processes share through the database."""
    if request.param == "sqlite":
        return make_database(tmp_path)
    url = request.getfixturevalue("postgres_url")
    upgrade_database(database_url=url)
    return url


# --- pre-registration (预约) -------------------------------------------------------------------

# The booking clock in tests: Tuesday 1 December 2026, 08:30 in Shanghai (settings.FIXED_NOW).
BOOKING_NOW = "2026-12-01T08:30:00"
BOOKING_DAY = "2026-12-02"  # Wednesday, a working day
BOOKING_TABLES = (Appointment, AppointmentEvent, SlotUsage, BookingCounter)


def valid_id_number(serial: int, *, born: str = "19900307") -> str:
    """A well-formed 18-character ID number (region 110101) with the right check character."""
    first17 = f"110101{born}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def booking_body(**overrides) -> dict:
    body = {
        "item_code": "GA-SFZ-002",
        "hall": "A",
        "date": BOOKING_DAY,
        "slot": "10:00-11:00",
        "name": "张三",
        "phone": "13812345678",
        "id_number": valid_id_number(1),
        "materials_ready": [],
        "materials_missing": [],
    }
    body.update(overrides)
    return body


def booking_counts(url: str) -> dict[str, int]:
    with get_session_factory(url)() as session:
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) for model in BOOKING_TABLES
        }
        counts["seats_taken"] = session.scalar(select(func.coalesce(func.sum(SlotUsage.booked), 0)))
        return counts


@pytest.fixture(autouse=True)
def booking_clock(monkeypatch) -> Iterator[None]:
    """Every service test runs at BOOKING_NOW, and drives the outbox worker itself rather than
    having the app run one (settings are cached: clear them both ways)."""
    monkeypatch.setenv("FIXED_NOW", BOOKING_NOW)
    monkeypatch.setenv("OUTBOX_WORKER", "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def booking_template_url(tmp_path_factory) -> str:
    """The real catalogue and halls, migrated and seeded once; copied for each booking test."""
    return seeded_database(tmp_path_factory.mktemp("booking_template"), REAL_SEED)


@pytest.fixture
def booking_db_url(booking_template_url, tmp_path) -> str:
    source = Path(booking_template_url.removeprefix("sqlite:///"))
    target = tmp_path / "booking.db"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


@pytest.fixture
def booking_client(booking_db_url) -> Iterator[TestClient]:
    with make_client(booking_db_url, rasa_down_transport()) as test_client:
        yield test_client


@pytest.fixture
def staff_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {get_settings().STAFF_TOKEN}"}


def deliver_outbox(
    db_url: str, *, rasa: httpx.AsyncBaseTransport | None = None, wechat_api: object | None = None,
    sms: object | None = None,
) -> int:
    """Runs the real outbox worker on the test database until nothing is due, with `rasa` behind
    the conversation client, `wechat_api` as WeChat's and `sms` as the SMS sender; how many deliveries it tried."""
    sessions = get_session_factory(db_url)

    async def drain() -> int:
        rasa_client = rasa_client_on(rasa or rasa_down_transport())
        conversations = RasaConversations(rasa=rasa_client, sessions=sessions)
        worker = OutboxWorker(sessions, {
            RASA: Destination(conversations.deliver, timeout_s=1.0),
            WECHAT: Destination(WeChatDelivery(lambda: wechat_api).deliver, timeout_s=1.0),
            SMS: Destination(SmsDelivery(sms or LoggingSmsSender()).deliver, timeout_s=1.0),
        }, fetched=(WEB_CHAT,))
        tried = 0
        while batch := await worker.run_once():
            tried += batch
        await rasa_client.aclose()
        return tried

    return asyncio.run(drain())


@contextmanager
def outbox_worker_running(db_url: str, destinations: dict[str, Destination]) -> Iterator[None]:
    """The real delivery worker in a thread of its own, on the test database, while the block runs."""
    stop = threading.Event()

    async def run() -> None:
        worker = OutboxWorker(get_session_factory(db_url), destinations, poll_s=0.05, fetched=(WEB_CHAT,))
        while not stop.is_set():
            try:
                tried = await worker.run_once()
            except Exception:  # e.g. SQLite busy under load: the next batch tries again, as in the app
                tried = 0
            if not tried:
                await asyncio.sleep(0.05)

    thread = threading.Thread(target=asyncio.run, args=(run(),), daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)

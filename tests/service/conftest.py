"""Shared fixtures: temporary databases migrated by Alembic, seeded catalogues, a test client."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.assist.rasa_client import RasaClient
from service.assist.router import get_rasa_client
from service.catalogue.importer import seed_database
from service.catalogue.models import Department, Hall, Item, Material, Situation, material_situation
from service.db import get_db, get_session_factory
from service.main import create_app
from service.migrate import upgrade_database
from service.settings import REPO_ROOT

FIXTURE_SEED = Path(__file__).parent / "fixtures" / "seed"
REAL_SEED = REPO_ROOT / "service" / "seed"
SHARED = REPO_ROOT.parent / "shared"


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


def make_client(db_url: str, transport: httpx.AsyncBaseTransport) -> TestClient:
    app = create_app()

    def session_for_test() -> Iterator[Session]:
        with get_session_factory(db_url)() as session:
            yield session

    app.dependency_overrides[get_db] = session_for_test
    rasa = RasaClient(base_url="http://rasa.test", timeout_s=0.5, transport=transport)
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

"""Alembic migrations upgrade a fresh database on SQLite and on PostgreSQL."""

import uuid

import pytest
from sqlalchemy import create_engine, inspect

from service.catalogue.importer import seed_database
from service.db import Base, get_engine, get_session_factory
from service.migrate import upgrade_database

from conftest import FIXTURE_SEED, make_database, row_counts

POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=2"
EXPECTED_TABLES = {"hall", "department", "item", "situation", "material", "material_situation"}


def test_sqlite_upgrade_creates_every_model_table(tmp_path):
    url = make_database(tmp_path)
    tables = set(inspect(get_engine(url)).get_table_names())
    assert EXPECTED_TABLES <= tables
    assert "alembic_version" in tables
    # The migration matches the models: same columns in every table.
    inspector = inspect(get_engine(url))
    for name, table in Base.metadata.tables.items():
        assert {c["name"] for c in inspector.get_columns(name)} == set(table.columns.keys()), name


def test_upgrade_twice_is_a_no_op(tmp_path):
    url = make_database(tmp_path)
    upgrade_database(database_url=url)
    assert EXPECTED_TABLES <= set(inspect(get_engine(url)).get_table_names())


@pytest.fixture
def postgres_url():
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(POSTGRES_ADMIN, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL unreachable at 127.0.0.1:5432: {exc}")
    name = f"daoban_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        get_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}").dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_postgresql_migrate_and_seed_twice(postgres_url):
    upgrade_database(database_url=postgres_url)
    assert EXPECTED_TABLES <= set(inspect(create_engine(postgres_url)).get_table_names())
    for _ in range(2):
        with get_session_factory(postgres_url)() as session:
            seed_database(seed_dir=FIXTURE_SEED, session=session)
    counts = row_counts(postgres_url)
    assert counts["item"] == 5 and counts["department"] == 2 and counts["hall"] == 1
    assert counts["material_situation"] == 2

"""Alembic migrations upgrade a fresh database on SQLite and on PostgreSQL."""

from conftest import FIXTURE_SEED, REAL_SEED, make_database, row_counts
from sqlalchemy import create_engine, inspect

from service.core.db import Base, get_engine, get_session_factory
from service.migrate import upgrade_database
from service.seeding import seed_database

EXPECTED_TABLES = {
    "hall", "department", "item", "situation", "material", "material_situation",
    "booking_hall", "hall_window", "capacity_group", "slot_usage", "booking_counter",
    "appointment", "appointment_event", "wechat_delivery",
    "ticket", "ticket_event", "ticket_counter", "ticket_message",
    "case_file", "case_event", "case_counter", "bundle", "bundle_step", "catalogue_version",
    "data_generation", "wechat_access_token", "wrong_proof",
}


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


def test_postgresql_migrate_and_seed_twice(postgres_url):
    upgrade_database(database_url=postgres_url)
    assert EXPECTED_TABLES <= set(inspect(create_engine(postgres_url)).get_table_names())
    for _ in range(2):
        with get_session_factory(postgres_url)() as session:
            seed_database(seed_dir=FIXTURE_SEED, session=session)
    counts = row_counts(postgres_url)
    assert counts["item"] == 5 and counts["department"] == 2 and counts["hall"] == 1
    assert counts["material_situation"] == 2


def test_postgresql_booking_tables_and_the_partial_unique_index(postgres_url):
    upgrade_database(database_url=postgres_url)
    with get_session_factory(postgres_url)() as session:
        report = seed_database(seed_dir=REAL_SEED, session=session)
    assert report.booking_halls_changed == ["A", "B"]
    indexes = {i["name"]: i for i in inspect(create_engine(postgres_url)).get_indexes("appointment")}
    person_day = indexes["uq_appointment_active_person_item_day"]
    assert person_day["unique"] and person_day["column_names"] == ["id_hash", "item_code", "day"]
    assert "booked" in person_day["dialect_options"]["postgresql_where"]

"""Run Alembic programmatically (python -m service.cli migrate, and the tests)."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from service.core.settings import get_settings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def alembic_config(*, database_url: str | None = None) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.attributes["configure_logging"] = False
    url = database_url or get_settings().DATABASE_URL
    # ConfigParser interpolation would eat the % of URL-escaped passwords.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(*, database_url: str | None = None, revision: str = "head") -> None:
    if database_url is None or database_url.startswith("sqlite"):
        from service.core.db import (
            get_engine,  # creates var/ for the default SQLite file
        )

        get_engine(database_url)
    command.upgrade(alembic_config(database_url=database_url), revision)

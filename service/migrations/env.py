"""Alembic environment: metadata from the models, URL from settings (or from the caller)."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

import service.booking.models  # noqa: F401  (registers the tables on Base.metadata)
import service.bundles.models  # noqa: F401
import service.cases.models  # noqa: F401
import service.catalogue.models  # noqa: F401
import service.core.generations  # noqa: F401
import service.core.guesses  # noqa: F401
import service.outbox.models  # noqa: F401
import service.review.models  # noqa: F401
import service.tickets.models  # noqa: F401
import service.wechat.models  # noqa: F401
from service.core.db import Base
from service.core.settings import get_settings

config = context.config
# Called programmatically (service.cli, tests), logging is already set up by the caller.
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().DATABASE_URL


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        {"sqlalchemy.url": _url()}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        # Batch mode lets later migrations ALTER tables on SQLite too.
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

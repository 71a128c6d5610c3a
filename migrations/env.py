"""Alembic environment: every domain's tables, async engine, batch mode on SQLite."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from core.db import include_in_migrations, make_engine
from core.settings import Settings, get_settings
from skillpass.models import metadatas

config = context.config
target_metadata = metadatas()


def _settings() -> Settings:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    return Settings(database_url=url) if url else get_settings()


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    is_sqlite = (url or str(connection.engine.url)).startswith("sqlite")
    context.configure(
        connection=connection, url=url, target_metadata=target_metadata, compare_type=True,
        render_as_batch=is_sqlite, literal_binds=connection is None,
        include_object=include_in_migrations,
    )


def run_migrations_offline() -> None:
    _configure(url=_settings().async_database_url)
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = make_engine(_settings())
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())

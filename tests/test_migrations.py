"""Alembic: `upgrade head` on an empty database gives exactly the tables the models declare."""

from __future__ import annotations

import asyncio
import os
import tempfile

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from advanced_alchemy.types import GUID

from core.db import include_in_migrations, make_engine, metadatas
from core.settings import Settings
from skillpass.migrate import upgrade


def _fresh_url() -> str:
    chosen = os.environ.get("SKILLPASS_TEST_DB", "sqlite")
    if chosen == "sqlite":
        return f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/migrate.db"
    base = chosen.rsplit("/", 1)[0]

    async def recreate() -> None:
        engine = make_engine(Settings(database_url=base + "/postgres"))
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("DROP DATABASE IF EXISTS skillpass_migrate_test"))
            await conn.execute(text("CREATE DATABASE skillpass_migrate_test"))
        await engine.dispose()

    asyncio.run(recreate())
    return base + "/skillpass_migrate_test"


def _guid_on_sqlite(change) -> bool:
    """SQLite reflects advanced-alchemy's GUID column as NUMERIC: same column, not a difference."""
    return (isinstance(change, list) and change[0][0] == "modify_type"
            and isinstance(change[0][-1], GUID) and "NUMERIC" in str(change[0][-2]))


def test_upgrade_head_on_empty_database_matches_models() -> None:
    url = _fresh_url()
    upgrade(url)

    def diff(connection):
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_in_migrations})
        return [change for change in compare_metadata(context, metadatas()) if not _guid_on_sqlite(change)]

    def tables(connection):
        return set(inspect(connection).get_table_names())

    async def check():
        engine = make_engine(Settings(database_url=url))
        async with engine.connect() as conn:
            found_tables = await conn.run_sync(tables)
            changes = await conn.run_sync(diff)
        await engine.dispose()
        return found_tables, changes

    found_tables, changes = asyncio.run(check())
    assert {"person", "organization", "membership", "api_key", "kv_store", "alembic_version"} <= found_tables
    assert changes == [], f"models and migrations differ: {changes}"

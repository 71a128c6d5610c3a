"""Database wiring: the async SQLAlchemy config, column helpers and a session for scripts."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any

from advanced_alchemy.extensions.litestar import AsyncSessionConfig, SQLAlchemyAsyncConfig
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel import Field, SQLModel

from core.settings import Settings


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def id_field() -> Any:
    """A UUID primary key generated in Python (portable across SQLite and PostgreSQL)."""
    return Field(default_factory=uuid.uuid4, primary_key=True)


def created_at_field(*, index: bool = False) -> Any:
    return Field(default_factory=utcnow, sa_column_kwargs={"nullable": False}, index=index,
                 sa_type=DateTimeUTC(timezone=True))


def datetime_field(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, nullable=nullable, index=index, sa_type=DateTimeUTC(timezone=True))


def metadatas() -> list[Any]:
    """Every metadata whose tables the platform owns (SQLModel models and the session store)."""
    import_all_models()
    from advanced_alchemy.base import orm_registry

    import core.kvstore  # noqa: F401 - registers the session store table

    return [SQLModel.metadata, orm_registry.metadata]


def import_all_models() -> None:
    """Import every domain's models so their tables are registered (migrations, test schema)."""
    from core.modules import optional_import

    for module in ("accounts.models", "credentials.models", "credentials.trust.models", "skills.models",
                   "matching.models"):
        optional_import(module)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(settings: Settings):
    url = settings.async_database_url
    if not url.startswith("sqlite") and not settings.database_pool:
        return create_async_engine(url, poolclass=NullPool)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, poolclass=NullPool)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def alchemy_config(settings: Settings, engine=None) -> SQLAlchemyAsyncConfig:
    """The advanced-alchemy config: one engine, handlers never commit (the plugin does)."""
    return SQLAlchemyAsyncConfig(
        engine_instance=engine or make_engine(settings),
        metadata=SQLModel.metadata,
        before_send_handler="autocommit_include_redirects",
        session_config=AsyncSessionConfig(expire_on_commit=False),
        create_all=False,
    )


@asynccontextmanager
async def session_scope(engine) -> AsyncIterator[AsyncSession]:
    """A session for the CLI and jobs: commits on success, rolls back on error."""
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


# advanced-alchemy's store declares this index for Spanner only (ddl_if); it is never created here.
_NOT_MIGRATED = {"ix_kv_store_key_namespace_unique"}


def include_in_migrations(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic ``include_object`` hook: skip objects that exist only on other dialects."""
    return not (type_ == "index" and name in _NOT_MIGRATED)

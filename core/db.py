"""Database wiring: the async SQLAlchemy config, column helpers and a session for scripts."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from advanced_alchemy.extensions.litestar import AsyncSessionConfig, SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar._utils import delete_aa_scope_state, get_aa_scope_state
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlmodel import Field, SQLModel

from core.settings import Settings

log = logging.getLogger("skillpass.db")


LOCAL_TZ = ZoneInfo("Asia/Tokyo")  # the platform's calendar day (pages show times in JST)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def local_day(value: datetime) -> date:
    """The JST calendar day of a stored time (naive values are UTC, as the database keeps them)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    return aware.astimezone(LOCAL_TZ).date()


def id_field() -> Any:
    """A UUID primary key generated in Python (portable across SQLite and PostgreSQL)."""
    return Field(default_factory=uuid.uuid4, primary_key=True)


def created_at_field(*, index: bool = False) -> Any:
    return Field(default_factory=utcnow, sa_column_kwargs={"nullable": False}, index=index,
                 sa_type=DateTimeUTC(timezone=True))


def datetime_field(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, nullable=nullable, index=index, sa_type=DateTimeUTC(timezone=True))


def metadatas() -> list[Any]:
    """The metadata of every table registered so far (SQLModel models and the session store); the
    composition root registers the domains' tables by importing ``skillpass.models``."""
    from advanced_alchemy.base import orm_registry

    return [SQLModel.metadata, orm_registry.metadata]


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
    engine = create_async_engine(url, pool_size=settings.database_pool_size,
                                 max_overflow=settings.database_max_overflow,
                                 pool_timeout=settings.database_pool_timeout,
                                 pool_recycle=settings.database_pool_recycle)
    ping_when_idle(engine)
    return engine


# A connection back in the pool for less than this is handed out again without a ping: it answered
# moments ago. SQLAlchemy's pool_pre_ping pinged at every checkout, and on asyncpg a ping is three
# round trips (BEGIN, an empty query, ROLLBACK), twice per page view (session read, request).
PING_AFTER_IDLE_SECONDS = 1.0
_RETURNED_AT = "skillpass.returned_at"


def ping_when_idle(engine) -> None:
    """Ping a pooled connection at checkout when it has been idle for ``PING_AFTER_IDLE_SECONDS`` (or
    was never returned); a dead one is replaced before anyone uses it (the pool retries the checkout on
    ``DisconnectionError``). A database restarted in the second after a connection's last use is seen
    by the first query on it instead: that request fails, and the pool then replaces every connection
    older than the failure (SQLAlchemy invalidates the pool on a disconnect error)."""
    pool_events = engine.sync_engine

    @event.listens_for(pool_events, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(pool_events, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is not None and time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("the pooled connection did not answer its ping") from exc


def alchemy_config(settings: Settings, engine=None) -> SQLAlchemyAsyncConfig:
    """The advanced-alchemy config: one engine, handlers never commit (the plugin does)."""
    return SQLAlchemyAsyncConfig(
        engine_instance=engine or make_engine(settings),
        metadata=SQLModel.metadata,
        before_send_handler="autocommit_include_redirects",
        session_config=AsyncSessionConfig(expire_on_commit=False),
        create_all=False,
    )


class RequestTransactionMiddleware:
    """Ends the request's database transaction (commit on 2xx/3xx, else rollback) and returns its
    connection to the pool before the response starts, or as soon as the handler raises.

    advanced-alchemy does this in ``before_send``, which runs outside every middleware: the session
    middleware then saved the session on a second connection while the first (with its row locks) was
    still held, and 20 concurrent requests on a 20-connection pool waited on each other for ever.
    Placed inside the session middleware, a request holds at most one connection at a time.
    """

    def __init__(self, app: ASGIApp, alchemy: SQLAlchemyAsyncConfig) -> None:
        self.app = app
        self.key = alchemy.session_scope_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_after_commit(message: Message) -> None:
            if message["type"] == "http.response.start":
                await self._end(scope, commit=200 <= message["status"] < 400)
            await send(message)

        try:
            await self.app(scope, receive, send_after_commit)
        except BaseException:
            await self._end(scope, commit=False)
            raise

    async def _end(self, scope: Scope, *, commit: bool) -> None:
        session = get_aa_scope_state(scope, self.key)
        if session is None:
            return
        delete_aa_scope_state(scope, self.key)
        try:
            if commit:
                await session.commit()  # a failed commit raises: the client gets a 500, not a false 2xx
            else:
                await session.rollback()
        except Exception:
            if commit:
                raise
            log.warning("rollback failed (database unreachable?)", exc_info=True)
        finally:
            try:
                await session.close()
            except Exception:  # noqa: BLE001 - the pool discards a broken connection itself
                log.warning("closing the request session failed", exc_info=True)


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

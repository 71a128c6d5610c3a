"""Key/value stores for server-side sessions, and atomic counters for throttles.

Sessions: on PostgreSQL advanced-alchemy's database store, shared by every server process and kept
across restarts; on SQLite Litestar's file store under the data directory, because SQLite allows one
writer at a time and the session is saved while the request's own transaction may still hold the
write lock.

Counters (:func:`hit_counter`) live in the same ``kv_store`` table on both databases: one UPSERT adds
one and returns the new count, so concurrent requests can never all read the same old count.
"""

from __future__ import annotations

import math
import uuid
from datetime import timedelta

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar.store import SQLAlchemyStore, StoreModelMixin
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from sqlalchemy import Integer, LargeBinary, Text, and_, bindparam, case, cast, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from core.db import utcnow
from core.settings import Settings


class StoreItem(StoreModelMixin):
    __tablename__ = "kv_store"


class DatabaseStore(SQLAlchemyStore):
    """advanced-alchemy's store, reading in one statement: a session is read on every signed-in request,
    and the library's read opens an ORM session and a transaction around its one SELECT (BEGIN,
    SELECT, COMMIT); here it is a single autocommit SELECT on a pooled connection."""

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        if renew_for:
            return await super().get(key, renew_for)
        engine = self._config.get_engine()
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            value = (await conn.execute(_READ, {"key": key, "namespace": self.namespace, "now": utcnow()})).scalar()
        return value or None

    async def get_in(self, session: AsyncSession, key: str) -> bytes | None:
        """The value of ``key`` read in ``session``'s transaction (a request's own session: a signed-in
        page view then takes one pooled connection, not one for the session and one for the page)."""
        value = (await session.execute(_READ, {"key": key, "namespace": self.namespace, "now": utcnow()})).scalar()
        return value or None

    def request_session(self, scope) -> AsyncSession:
        """The request's database session (created now when nothing asked for it yet)."""
        return self._config.provide_session(scope["app"].state, scope)


def _read_statement():
    table = StoreItem.__table__
    return select(table.c.value).where(
        table.c.key == bindparam("key"), table.c.namespace == bindparam("namespace"),
        table.c.expires_at.is_(None) | (table.c.expires_at > bindparam("now", type_=table.c.expires_at.type)))


_READ = _read_statement()


def make_store(settings: Settings, config: SQLAlchemyAsyncConfig, namespace: str) -> Store:
    if settings.is_sqlite:
        return FileStore(path=settings.data_dir / "store" / namespace, create_directories=True)
    return DatabaseStore(config, model=StoreItem, namespace=namespace)


def _as_int(value, postgres: bool):
    # the store keeps values as bytes: the count is its decimal digits
    return cast(func.convert_from(value, "UTF8") if postgres else cast(value, Text), Integer)


def _as_bytes(number, postgres: bool):
    return func.convert_to(cast(number, Text), "UTF8") if postgres else cast(cast(number, Text), LargeBinary)


async def hit_counter(conn: AsyncConnection, namespace: str, key: str, window_seconds: int) -> tuple[int, int]:
    """Add one to the counter of a fixed window starting at its first hit (a lapsed window starts
    again at 1); returns the new count and the seconds left in the window."""
    postgres = conn.dialect.name == "postgresql"
    table, now = StoreItem.__table__, utcnow()
    insert = (pg_insert if postgres else sqlite_insert)(table).values(
        id=uuid.uuid4(), key=key, namespace=namespace, value=b"1", expires_at=now + timedelta(seconds=window_seconds))
    lapsed = table.c.expires_at <= now
    statement = insert.on_conflict_do_update(
        index_elements=[table.c.key, table.c.namespace],
        set_={"value": case((lapsed, literal(b"1", LargeBinary)),
                            else_=_as_bytes(_as_int(table.c.value, postgres) + 1, postgres)),
              "expires_at": case((lapsed, insert.excluded.expires_at), else_=table.c.expires_at)},
    ).returning(table.c.value, table.c.expires_at)
    value, expires_at = (await conn.execute(statement)).one()
    return int(value), max(1, math.ceil((expires_at - now).total_seconds()))


async def take_back(session: AsyncSession, namespace: str, key: str, *, forget: bool = False) -> None:
    """Remove one hit from a counter (or, with ``forget``, the whole counter), in the caller's transaction."""
    table = StoreItem.__table__
    where = and_(table.c.key == key, table.c.namespace == namespace)
    if forget:
        await session.execute(table.delete().where(where))
        return
    postgres = session.bind.dialect.name == "postgresql"
    count = _as_int(table.c.value, postgres)
    await session.execute(update(table).where(where, count > 0).values(value=_as_bytes(count - 1, postgres)))

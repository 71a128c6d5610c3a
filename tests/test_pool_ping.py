"""The PostgreSQL pool pings a connection at checkout only after it sat idle (``core.db.ping_when_idle``):
a connection killed while idle (a database restart) is replaced before a request uses it, and a
connection returned a moment ago is handed out again without the three round trips of a ping."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from core import db as core_db
from core.db import make_engine


@pytest.fixture
async def pooled(settings):
    if settings.is_sqlite:
        pytest.skip("SQLite is not pooled")
    engine = make_engine(settings.model_copy(update={"database_pool": True, "database_pool_size": 1,
                                                    "database_max_overflow": 0}))
    yield engine
    await engine.dispose()


@pytest.fixture
def pings(pooled, monkeypatch) -> list[int]:
    """Counts the pings the pool sends (the real ping still goes to the database)."""
    sent: list[int] = []
    real = pooled.dialect.do_ping

    def counted(dbapi_connection):
        sent.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(pooled.dialect, "do_ping", counted)
    return sent


async def backend_pid(engine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()


async def test_a_connection_returned_a_moment_ago_is_not_pinged(pooled, pings) -> None:
    first = await backend_pid(pooled)  # a new connection: pinged once
    assert len(pings) == 1
    assert await backend_pid(pooled) == first and await backend_pid(pooled) == first
    assert len(pings) == 1


async def test_an_idle_connection_is_pinged(pooled, pings, monkeypatch) -> None:
    await backend_pid(pooled)
    monkeypatch.setattr(core_db, "PING_AFTER_IDLE_SECONDS", 0.05)
    await asyncio.sleep(0.1)
    await backend_pid(pooled)
    assert len(pings) == 2


async def test_a_connection_killed_while_idle_is_replaced_before_use(pooled, engine, monkeypatch) -> None:
    monkeypatch.setattr(core_db, "PING_AFTER_IDLE_SECONDS", 0.05)
    killed = await backend_pid(pooled)
    async with engine.connect() as admin:
        assert (await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": killed})).scalar_one()
        for _ in range(50):  # the backend exits just after the signal
            gone = (await admin.execute(text("SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = :pid"),
                                        {"pid": killed})).scalar_one()
            if gone:
                break
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.1)
    assert await backend_pid(pooled) != killed  # the ping failed, the pool connected again: no error

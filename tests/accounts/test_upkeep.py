"""Account upkeep: lapsed throttle counters are deleted, and mail whose turn has come is sent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from accounts import upkeep
from accounts.models import MailOutbox
from accounts.service import AccountService
from accounts.throttle import NAMESPACE, sweep_lapsed_counters
from core.db import utcnow
from core.kvstore import StoreItem, hit_counter
from tests.conftest import TEST_PASSWORD, outbox_files


async def _counter_keys(db) -> set[str]:
    table = StoreItem.__table__
    return set((await db.execute(select(table.c.key).where(table.c.namespace == NAMESPACE))).scalars())


async def test_lapsed_throttle_counters_are_swept_and_live_ones_kept(engine, db) -> None:
    async with engine.begin() as conn:
        await hit_counter(conn, NAMESPACE, "signin:lapsed", 300)
        await hit_counter(conn, NAMESPACE, "signin:live", 300)
        await hit_counter(conn, "sessions", "not-a-counter", 1)
    table = StoreItem.__table__
    async with engine.begin() as conn:
        await conn.execute(update(table).where(table.c.key.in_(["signin:lapsed", "not-a-counter"]))
                           .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert await sweep_lapsed_counters(engine) == 1
    assert await _counter_keys(db) == {"signin:live"}
    other = (await db.execute(select(table.c.key).where(table.c.namespace == "sessions"))).scalars().all()
    assert other == ["not-a-counter"]  # other namespaces (sessions on PostgreSQL) are not the sweep's business


async def test_an_upkeep_round_sends_mail_left_behind(client, settings, engine, db) -> None:
    await AccountService(db, settings).sign_up("left@example.jp", TEST_PASSWORD, "Left")
    await db.commit()  # committed, but the process stopped before sending (nobody called deliver_committed)
    before = outbox_files(client)
    await upkeep.run_once(engine, settings)
    assert outbox_files(client) == before  # its lease has not run out: the committing request may still send it
    await db.execute(update(MailOutbox).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    await db.commit()
    await upkeep.run_once(engine, settings)
    [path] = outbox_files(client) - before
    assert b"To: left@example.jp" in path.read_bytes()
    assert (await db.execute(select(MailOutbox))).first() is None

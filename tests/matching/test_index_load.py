"""Loading the candidate index from the database: streamed into columns, linear in the number of people."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from matching.index import encode
from matching.profiles import SkillsProfileSource, StaticProfileSource, indexed, stream_into
from matching.search import IndexHolder
from skills.consent import discoverable_profiles
from tests.matching.seeding import seed_profiles

SAME_TIME = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


async def load_seconds(engine, db, n: int) -> float:
    async with engine.begin() as conn:
        await seed_profiles(conn, n, same_time=SAME_TIME)
    holder = IndexHolder()
    try:
        started = time.perf_counter()
        index = await holder.ready(db)
        elapsed = time.perf_counter() - started
    finally:
        holder.close()
    assert len(index) > 0.8 * n
    return elapsed


async def clear(engine, migrated_tables) -> None:
    async with engine.begin() as conn:
        for table in migrated_tables:
            await conn.execute(table.delete())


async def test_load_stays_linear_when_every_snapshot_has_the_same_timestamp(engine, db, migrated_tables):
    small = await load_seconds(engine, db, 2_000)
    await clear(engine, migrated_tables)
    large = await load_seconds(engine, db, 8_000)
    # 4x the people: linear is ~4x; the quadratic join on the timestamp was ~16x
    assert large / small < 8, (small, large)


def contents(index) -> dict:
    """person id -> (name, prefecture, update second, held items) of every live row."""
    out = {}
    for row in range(index.size):
        if index.alive[row]:
            out[index.person_id(row)] = (index.names[row], index.prefectures[index.prefecture[row]],
                                         int(index.updated[row]), int(index.month[row]), index.profile_of(row),
                                         index.role_score[:, row].tolist(), int(index.best_role[row]))
    return out


async def test_streamed_load_holds_what_the_consented_view_holds(engine, db):
    async with engine.begin() as conn:
        await seed_profiles(conn, 1_200)
    holder = IndexHolder()
    streamed = holder.empty_index()
    await stream_into(db, streamed, chunk=250)  # several chunks, and growth past the counted rows is not needed
    reference = holder.empty_index()
    reference.load(indexed(row) for row in await discoverable_profiles(db))
    holder.close()
    mine, theirs = contents(streamed), contents(reference)
    assert len(mine) == 1_200 - 120 - 48 + 24  # not discoverable (i % 10 == 9), inactive (i % 25 == 24), both
    assert mine == theirs
    held = [items for _, _, _, _, items, _, _ in mine.values()]
    assert any(h.status == "self_declared" for items in held for h in items.values())
    assert sum(1 for name, *_ in mine.values() if name) > 400
    some = sorted(mine)[:40]
    assert {p.person_id: p for p in await SkillsProfileSource().load_some(db, set(some))} == \
        {p.person_id: p for p in map(indexed, await discoverable_profiles(db, person_ids=some))}


async def test_appended_chunks_grow_past_the_counted_rows():
    index = IndexHolder(StaticProfileSource()).empty_index()
    index.begin_load(2)
    at = datetime(2026, 4, 1, tzinfo=UTC)
    position = index.positions[index.item_ids[-1]]
    for start in range(0, 3000, 1000):
        count = 1000
        index.append_chunk(list(range(start + 1, start + count + 1)), [7] * count, [None] * count, [0] * count,
                           [at] * count, list(range(count)), [position] * count, [encode("b", "verified")] * count)
    index.end_load()
    assert len(index) == 3000 and index.capacity >= 3000
    assert index.row_of(uuid.UUID(int=(2500 << 64) | 7)) == 2499
    assert len(index.holders(position)) == 3000

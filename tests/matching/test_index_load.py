"""Loading the candidate index from the database: from the stored rows (matching.candidates) or streamed
from the consented view, linear in the number of people, equal to what skills.consent shows."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from accounts.models import Person
from matching import candidates
from matching.index import encode
from matching.models import CandidateRow
from matching.profiles import SkillsProfileSource, StaticProfileSource, indexed, stream_into
from matching.search import IndexHolder
from skills.consent import discoverable_profiles
from tests.matching.helpers import learner, send, settings
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
    # the first load builds the stored rows from the snapshots (seeding bypasses the services), so this
    # times the snapshot choice as well as the read of the rows
    # best of two per size: on a busy 2-core machine one slow run alone moved the ratio past 8
    times = {}
    for n in (2_000, 2_000, 8_000, 8_000):
        times[n] = min(times.get(n, float("inf")), await load_seconds(engine, db, n))
        await clear(engine, migrated_tables)
    small, large = times[2_000], times[8_000]
    # 4x the people: linear is ~4x; the quadratic join on the timestamp was ~16x
    assert large / small < 8, (small, large)


async def reference_contents(db) -> dict:
    reference = IndexHolder(StaticProfileSource()).empty_index()
    reference.load(indexed(row) for row in await discoverable_profiles(db))
    return contents(reference)


async def loaded_contents(db) -> dict:
    holder = IndexHolder()
    try:
        return contents(await holder.ready(db))
    finally:
        holder.close()


async def test_stored_rows_load_holds_what_the_consented_view_holds(engine, db):
    async with engine.begin() as conn:
        await seed_profiles(conn, 1_200)
    loaded = await loaded_contents(db)  # builds the missing rows first
    assert loaded == await reference_contents(db)
    assert len(loaded) == 1_200 - 120 - 48 + 24
    stored = (await db.execute(select(func.count()).select_from(CandidateRow))).scalar_one()
    assert stored == 1_200 - 120  # inactive people keep their row; the join leaves them out
    async with engine.begin() as conn:  # a renamed or deactivated account needs no row rewrite
        named = next(pid for pid, (name, *_rest) in loaded.items() if name)
        await conn.execute(update(Person).where(Person.id == named).values(display_name="改名 太郎"))
        gone = next(pid for pid, (name, *_rest) in loaded.items() if pid != named)
        await conn.execute(update(Person).where(Person.id == gone).values(is_active=False))
    again = await loaded_contents(db)
    assert again[named][0] == "改名 太郎" and gone not in again
    assert again == await reference_contents(db)


async def test_rows_of_another_layout_are_rebuilt_before_the_load(engine, db):
    async with engine.begin() as conn:
        await seed_profiles(conn, 300)
        await candidates.heal(conn)
        await conn.execute(update(CandidateRow).values(layout=1, packed=b"\x00" * 7))  # an older layout
    assert await loaded_contents(db) == await reference_contents(db)


async def test_rows_follow_profile_and_consent_changes_in_their_transaction(client, db):
    """Written through the API: the rows change with the profile, so a new index needs no rebuild."""
    first = await learner(client, "a@example.jp", "青木 一郎", {"v2-sre": "b"})
    await send(client, "PUT", "/api/v1/me/self-assessment", json={"skill_id": "v2-backend", "level": "c"})
    await settings(client, employer_parts=["skills", "self_declared"])  # name and prefecture withdrawn
    second = await learner(client, "b@example.jp", "馬場 二郎", {"v2-backend": "a"})
    third = await learner(client, "c@example.jp", "千葉 三郎", {"v2-backend": "d"})
    await settings(client, discoverable=False)
    async with db.bind.connect() as conn:
        assert await candidates.row_counts(conn, candidates.layout_of(candidates.template())) == (2, 2)
    loaded = await loaded_contents(db)
    assert set(map(str, loaded)) == {first, second}
    name, prefecture, *_rest, items, _scores, _best = loaded[uuid.UUID(first)]
    assert (name, prefecture) == (None, "") and set(items) == {"v2-sre", "v2-backend"}
    assert loaded == await reference_contents(db)
    assert str(third) not in set(map(str, loaded))


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

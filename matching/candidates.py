"""The candidate index's stored rows (``matching_candidate``): written with the profile, read as bytes.

Each discoverable person has one row holding their consented profile already in the index's column
layout (``packed``: one code per item, the coverage of every role, the best role, the update second and
month; see :func:`packed_dtype`), the consented prefecture and whether the display name may be shown.
:func:`on_profile_changed` rewrites the rows of the people a transaction changed, just before it commits
(``skills.events.subscribe_in_transaction``, connected in ``skillpass.wiring``), so a row never disagrees
with a committed profile or consent.

Loading the index (:func:`load_into`) is then one sequential scan of fixed-width rows: the driver's
rows are joined into one buffer per chunk and read with ``np.frombuffer`` (no window sort over the
snapshots, no JSON, no Python object per person beyond the name). The display name and whether the
account is active come from ``person`` in the same scan, so renaming or deactivating an account needs
no row rewrite.

A row whose ``layout`` is not the current one (the item list or the role requirements changed) and a
discoverable person without a row (a database from before this table, rows written straight into the
tables) are (re)built by :func:`heal` before the load reads, from the consented view
(``matching.profiles.consented_rows``), the same rules ``skills.consent`` applies.
"""

from __future__ import annotations

import functools
import uuid
import zlib
from collections.abc import Iterable

import numpy as np
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session

from matching.index import CandidateIndex, IndexedProfile, month_of, seconds_of
from matching.models import CandidateRow
from matching.roles import DEFAULT_VERSION, role_targets
from taxonomies.dss import get_taxonomy

LOAD_CHUNK = 5_000  # rows per fetch: larger chunks were no faster and hold more memory at once
HEAL_CHUNK = 2_000  # people rebuilt per statement


@functools.cache
def template() -> CandidateIndex:
    """An empty index of the platform's layout (every item, the default version's roles)."""
    tx = get_taxonomy()
    return CandidateIndex([s.id for v in tx.versions for s in tx.skill_items(v)], role_targets(DEFAULT_VERSION))


def packed_dtype(index: CandidateIndex) -> np.dtype:
    """One row's bytes: codes (u1 per item), role coverages (<u2 per role), best role, update second, month."""
    return np.dtype([("codes", "u1", (len(index.item_ids),)), ("score", "<u2", (len(index.roles),)),
                     ("best", "i1"), ("updated", "<u4"), ("month", "<i4")])


def layout_of(index: CandidateIndex) -> int:
    """A fingerprint of what the bytes mean: the item order, the role requirements, the byte layout."""
    roles = [(t.id, sorted(t.requirements.items())) for t in index.roles]
    text = repr((index.item_ids, roles, packed_dtype(index).descr))
    return zlib.crc32(text.encode()) & 0x7FFF_FFFF


def pack(index: CandidateIndex, profiles: list[IndexedProfile]) -> list[bytes]:
    """Each person's ``packed`` bytes (role coverages scored as :meth:`CandidateIndex.upsert` does)."""
    count = len(profiles)
    codes = np.zeros((len(index.item_ids), count), dtype=np.uint8)
    for column, profile in enumerate(profiles):
        index._encode_into(codes[:, column], profile.skills)
    items = np.arange(len(index.item_ids))[:, None]
    fit = index._fit_table[:, items, codes].sum(axis=1)  # (roles, people)
    rows = np.zeros(count, dtype=packed_dtype(index))
    rows["codes"] = codes.T
    rows["score"] = index._role_table[:, items, codes].sum(axis=1).T
    rows["best"] = np.where(fit.max(axis=0) > 0, fit.argmax(axis=0), -1) if count else []
    rows["updated"] = [seconds_of(p.updated_at) for p in profiles]
    rows["month"] = [month_of(p.updated_at) for p in profiles]
    raw, size = rows.tobytes(), rows.dtype.itemsize
    return [raw[i * size:(i + 1) * size] for i in range(count)]


def refresh(executor: Session | Connection, person_ids: Iterable[uuid.UUID]) -> int:
    """Rewrite the rows of these people from their consented profile (no row when not discoverable);
    synchronous, in the caller's transaction. Returns how many rows were written."""
    from matching.profiles import consented_rows, profile_of_row

    index, written = template(), 0
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), HEAL_CHUNK):
        chunk = ids[start:start + HEAL_CHUNK]
        profiles = [profile_of_row(*row) for row in
                    executor.execute(consented_rows(chunk, active_only=False))]
        executor.execute(delete(CandidateRow).where(CandidateRow.person_id.in_(chunk)))
        if profiles:
            layout = layout_of(index)
            executor.execute(insert(CandidateRow.__table__), [
                {"person_id": p.person_id, "layout": layout, "packed": packed, "show_name": p.display_name is not None,
                 "prefecture": p.prefecture} for p, packed in zip(profiles, pack(index, profiles), strict=True)])
        written += len(profiles)
    return written


def on_profile_changed(session: Session, person_ids: set[uuid.UUID]) -> None:
    """``skills.events`` in-transaction callback: the changed people's rows commit with their change."""
    refresh(session, person_ids)


def connect() -> None:
    """Keep the rows with every profile and consent change (idempotent; called by ``skillpass.wiring``)."""
    from skills import events

    events.subscribe_in_transaction(on_profile_changed)


def people_to_heal(executor: Session | Connection, layout: int) -> list[uuid.UUID]:
    """Discoverable people without a row of this layout."""
    from skills.models import LearnerSettings

    settings, row = LearnerSettings.__table__.c, CandidateRow.__table__.c
    query = (select(settings.person_id).select_from(LearnerSettings.__table__)
             .outerjoin(CandidateRow.__table__, row.person_id == settings.person_id)
             .where(settings.discoverable.is_(True), or_(row.person_id.is_(None), row.layout != layout)))
    return [person_id for (person_id,) in executor.execute(query)]


async def heal(conn: AsyncConnection) -> int:
    """Build the missing and stale rows, and drop the rows of people no longer discoverable, in the
    connection's transaction (the caller commits); returns how many people it read."""
    from skills.models import LearnerSettings

    def work(sync: Connection) -> int:
        settings = LearnerSettings.__table__.c
        discoverable = select(settings.person_id).where(settings.discoverable.is_(True))
        sync.execute(delete(CandidateRow).where(CandidateRow.person_id.not_in(discoverable)))
        missing = people_to_heal(sync, layout_of(template()))
        if missing:
            refresh(sync, missing)
        return len(missing)

    return await conn.run_sync(work)


async def row_counts(conn: AsyncConnection, layout: int) -> tuple[int, int]:
    """(discoverable people, rows of this layout): two scans without a join, to tell whether to heal."""
    from skills.models import LearnerSettings

    settings, row = LearnerSettings.__table__.c, CandidateRow.__table__.c
    people = select(func.count()).where(settings.discoverable.is_(True)).scalar_subquery()
    rows = select(func.count()).where(row.layout == layout).scalar_subquery()
    counts = (await conn.execute(select(people, rows))).one()
    return counts[0], counts[1]


async def load_into(session: AsyncSession, index: CandidateIndex) -> bool:
    """Replace the index's content with every stored row of an active person; False (nothing done) when
    the index's layout is not the stored one. Reads on a connection of its own (the rows it heals are
    committed first, whatever the caller's transaction does). Rows are healed when their count is not the
    number of discoverable people (rows written with the profile never make the two differ)."""
    layout = layout_of(index)
    if layout != layout_of(template()):
        return False
    async with session.bind.connect() as conn:
        people, rows = await row_counts(conn, layout)
        if people != rows:
            await heal(conn)
            await conn.commit()
            people, rows = await row_counts(conn, layout)
        index.begin_load(rows)
        driver = (await conn.get_raw_connection()).driver_connection
        if conn.dialect.name == "postgresql":
            await _read_postgresql(driver, index, layout)
        else:
            await _read_sqlite(driver, index, layout)
        index.end_load()
    return True


_FROM = ("FROM matching_candidate c JOIN person p ON p.id = c.person_id "
         "WHERE p.is_active AND c.layout = {param}")
_NAME = "CASE WHEN c.show_name THEN p.display_name END"


async def _read_postgresql(driver, index: CandidateIndex, layout: int) -> None:
    """asyncpg rows straight from a server-side cursor (the SQLAlchemy result layer costs more than the
    scan), inside the transaction the count began; the id's 16 bytes lead each row's bytes."""
    dtype = np.dtype([("id", ">u8", (2,)), ("row", packed_dtype(index))])
    query = f"SELECT uuid_send(c.person_id) || c.packed, {_NAME}, c.prefecture {_FROM.format(param='$1')}"
    cursor = await driver.cursor(query, layout)
    while records := await cursor.fetch(LOAD_CHUNK):
        both = np.frombuffer(b"".join([r[0] for r in records]), dtype=dtype)
        _append(index, both["id"], both["row"], [r[1] for r in records], [r[2] for r in records])


async def _read_sqlite(driver, index: CandidateIndex, layout: int) -> None:
    """aiosqlite rows; SQLite keeps a UUID as 32 hex digits."""
    dtype = packed_dtype(index)
    cursor = await driver.execute(f"SELECT c.person_id, c.packed, {_NAME}, c.prefecture {_FROM.format(param='?')}",
                                  (layout,))
    try:
        while records := await cursor.fetchmany(LOAD_CHUNK):
            ids = np.frombuffer(bytes.fromhex("".join([r[0] for r in records])), dtype=">u8").reshape(-1, 2)
            rows = np.frombuffer(b"".join([r[1] for r in records]), dtype=dtype)
            _append(index, ids, rows, [r[2] for r in records], [r[3] for r in records])
    finally:
        await cursor.close()


def _append(index: CandidateIndex, ids: np.ndarray, rows: np.ndarray, names: list[str | None],
            prefectures: list[str | None]) -> None:
    codes = {prefecture: index.prefecture_code(prefecture) for prefecture in set(prefectures)}
    index.append_packed(ids, rows, names, [codes[p] for p in prefectures])

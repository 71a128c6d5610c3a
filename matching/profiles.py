"""Where matching reads people from: the skills domain's consented view, and change events.

``skills.consent.discoverable_profiles(session)`` returns only people who opted in to employer search,
each with only the fields they consented to; ``skills.events.subscribe(callback)`` calls back with a
person id after a committed profile or consent change. This module adapts both to the index and is
the one place to change if the skills domain's interface moves.

Loading every person at start-up does not go through ``discoverable_profiles`` (one ORM object, one
dict per person, and a join on the snapshot timestamp that turned quadratic when many snapshots share
one): :func:`stream_into` reads the same consented view as plain rows in chunks (the latest snapshot
chosen by a window function, its JSON decoded by msgspec) and appends each chunk to the index's columns,
so nothing per person outlives its chunk except the consented display name. The consent rules are the
ones of ``skills.consent`` (tests/matching/test_index_load.py compares the two).
"""

from __future__ import annotations

import gc
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

import msgspec
from sqlalchemy import Select, Text, and_, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from matching.index import STATUS_CODE, CandidateIndex, IndexedProfile, encode
from matching.roles import EVIDENCE_FACTOR, Held
from taxonomies.dss import LEVELS

log = logging.getLogger("skillpass.matching")


class ProfileSource(Protocol):
    """What the candidate index needs from the skills domain."""

    async def load_all(self, session: AsyncSession) -> list[IndexedProfile]: ...

    async def load_into(self, session: AsyncSession, index: CandidateIndex) -> None: ...

    async def load_some(self, session: AsyncSession, person_ids: set[uuid.UUID]) -> list[IndexedProfile]: ...

    async def changed_since(self, session: AsyncSession, since: datetime) -> set[uuid.UUID]: ...

    def subscribe(self, callback: Callable[[uuid.UUID], None]) -> None: ...

    def unsubscribe(self, callback: Callable[[uuid.UUID], None]) -> None: ...


def indexed(row: Any) -> IndexedProfile:
    """A ``skills.consent.ProfileRow`` as the index keeps it (items with unknown levels/statuses skipped)."""
    skills = {skill_id: Held(level, status) for skill_id, (level, status, *_rest) in row.skills.items()
              if level in LEVELS and status in EVIDENCE_FACTOR}
    return IndexedProfile(row.person_id, row.display_name, row.prefecture, skills, row.updated_at)


class SkillsProfileSource:
    """The real source: ``skills.consent`` and ``skills.events``."""

    async def load_all(self, session: AsyncSession) -> list[IndexedProfile]:
        from skills.consent import discoverable_profiles

        return [indexed(row) for row in await discoverable_profiles(session)]

    async def load_into(self, session: AsyncSession, index: CandidateIndex) -> None:
        """Replace the index's content with every discoverable person: the stored rows
        (``matching.candidates``), or, for an index of another layout, streamed from the consented view."""
        from matching import candidates

        if not await candidates.load_into(session, index):
            await stream_into(session, index)

    async def load_some(self, session: AsyncSession, person_ids: set[uuid.UUID]) -> list[IndexedProfile]:
        """The changed people who are still discoverable."""
        if not person_ids:
            return []
        query = consented_rows(sorted(person_ids))
        rows = await session.execute(query)
        return [profile_of_row(*row) for row in rows]

    async def changed_since(self, session: AsyncSession, since: datetime) -> set[uuid.UUID]:
        """People changed after ``since`` by any server process (this one hears its own through events)."""
        from skills.consent import changed_since

        return await changed_since(session, since)

    def subscribe(self, callback: Callable[[uuid.UUID], None]) -> None:
        from skills import events

        events.subscribe(callback)

    def unsubscribe(self, callback: Callable[[uuid.UUID], None]) -> None:
        from skills import events

        events.unsubscribe(callback)


class StaticProfileSource:
    """A fixed list of people (tests, benchmarks, the CLI); ``changed`` re-announces someone."""

    def __init__(self, profiles: Iterable[IndexedProfile] = ()) -> None:
        self.profiles = {p.person_id: p for p in profiles}
        self._callbacks: list[Callable[[uuid.UUID], None]] = []

    async def load_all(self, session: AsyncSession | None) -> list[IndexedProfile]:
        return list(self.profiles.values())

    async def load_into(self, session: AsyncSession | None, index: CandidateIndex) -> None:
        index.load(self.profiles.values())

    async def load_some(self, session: AsyncSession | None,
                        person_ids: set[uuid.UUID]) -> list[IndexedProfile]:
        return [p for pid, p in self.profiles.items() if pid in person_ids]

    async def changed_since(self, session: AsyncSession | None, since: datetime) -> set[uuid.UUID]:
        return set()  # a static source changes only through ``changed``

    def subscribe(self, callback: Callable[[uuid.UUID], None]) -> None:
        self._callbacks.append(callback)

    def unsubscribe(self, callback: Callable[[uuid.UUID], None]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def put(self, profile: IndexedProfile) -> None:
        self.profiles[profile.person_id] = profile
        self.changed(profile.person_id)

    def drop(self, person_id: uuid.UUID) -> None:
        self.profiles.pop(person_id, None)
        self.changed(person_id)

    def changed(self, person_id: uuid.UUID) -> None:
        for callback in self._callbacks:
            callback(person_id)


# -- the streamed load ----------------------------------------------------------------------------------
CHUNK = 2_000  # rows per fetch: larger fetches were slower with asyncpg (bench/matching/load.py)
PG_WORK_MEM = "64MB"
_CODES = {(level, status): encode(level, status) for level in LEVELS for status in STATUS_CODE}
_decode_items = msgspec.json.Decoder(dict).decode
_decode_parts = msgspec.json.Decoder(list).decode


def consented_rows(person_ids: list[uuid.UUID] | None = None, active_only: bool = True) -> Select:
    """(id, name, prefecture, parts JSON, settings time, latest snapshot items JSON, snapshot time) of every
    active (or, with ``active_only`` false, every) discoverable person, or of those in ``person_ids``;
    JSON columns as text."""
    from accounts.models import Person
    from skills.models import LearnerSettings, ProfileSnapshot

    snapshot = ProfileSnapshot.__table__.c
    order = func.row_number().over(partition_by=snapshot.person_id,
                                   order_by=(snapshot.created_at.desc(), snapshot.id.desc()))
    latest = select(snapshot.person_id, cast(snapshot["items"], Text).label("snapshot_items"),
                    snapshot.created_at, order.label("newest"))
    if person_ids is not None:
        latest = latest.where(snapshot.person_id.in_(person_ids))
    latest = latest.subquery()
    settings, person = LearnerSettings.__table__.c, Person.__table__.c
    query = (select(settings.person_id, person.display_name, settings.prefecture,
                    cast(settings.employer_parts, Text), settings.updated_at, latest.c.snapshot_items,
                    latest.c.created_at)
             .join(Person.__table__, person.id == settings.person_id)
             .outerjoin(latest, and_(latest.c.person_id == settings.person_id, latest.c.newest == 1))
             .where(settings.discoverable.is_(True)))
    if active_only:
        query = query.where(person.is_active.is_(True))
    if person_ids is not None:
        query = query.where(settings.person_id.in_(person_ids))
    return query


async def discoverable_count(session: AsyncSession) -> int:
    """How many people the load will read (to size the columns once)."""
    from accounts.models import Person
    from skills.models import LearnerSettings

    settings, person = LearnerSettings.__table__.c, Person.__table__.c
    query = (select(func.count()).select_from(LearnerSettings.__table__)
             .join(Person.__table__, person.id == settings.person_id)
             .where(settings.discoverable.is_(True), person.is_active.is_(True)))
    return (await session.execute(query)).scalar_one()


def _consent_of(parts_json: str | None) -> tuple[dict | None, bool, bool]:
    """What a person's employer parts allow: the (level, status) -> code pairs that may be shown (None:
    no skills), the display name, the prefecture (the rules of ``skills.consent``)."""
    parts = set(_decode_parts(parts_json)) if parts_json else set()
    allowed = None
    if "skills" in parts:
        allowed = {pair: code for pair, code in _CODES.items()
                   if pair[1] != "self_declared" or "self_declared" in parts}
    return allowed, "display_name" in parts, "prefecture" in parts


def _consented(parts_json: str | None, items_json: str | None) -> tuple[set[str], dict]:
    parts = set(_decode_parts(parts_json)) if parts_json else set()
    items = _decode_items(items_json) if items_json and "skills" in parts else {}
    return parts, items


def profile_of_row(person_id: uuid.UUID, name: str | None, prefecture: str | None, parts_json: str | None,
                   settings_at: datetime, items_json: str | None, snapshot_at: datetime | None) -> IndexedProfile:
    """One row of :func:`consented_rows` as the index keeps it (the rules of ``skills.consent``)."""
    parts, items = _consented(parts_json, items_json)
    self_declared = "self_declared" in parts
    skills = {skill_id: Held(item["level"], item["status"]) for skill_id, item in items.items()
              if (item["level"], item["status"]) in _CODES
              and (self_declared or item["status"] != "self_declared")}
    return IndexedProfile(person_id, name if "display_name" in parts else None,
                          prefecture if "prefecture" in parts else None, skills,
                          max(settings_at, snapshot_at) if snapshot_at else settings_at)


async def _chunks(session: AsyncSession, query: Select, chunk: int) -> AsyncIterator[Sequence[Sequence]]:
    """The query's rows, ``chunk`` at a time, from a server-side cursor."""
    result = await session.stream(query.execution_options(yield_per=chunk))
    async for rows in result.partitions(chunk):
        yield rows


async def stream_into(session: AsyncSession, index: CandidateIndex, chunk: int = CHUNK) -> None:
    """Replace the index's content with every discoverable person, ``chunk`` rows at a time.

    The cyclic garbage collector is paused meanwhile: the load makes no cycles (every row's objects go
    with their chunk), and collections scanning the growing heap cost a third of the load time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        await _stream_into(session, index, chunk)
    finally:
        if collecting:
            gc.enable()


async def _stream_into(session: AsyncSession, index: CandidateIndex, chunk: int) -> None:
    query = consented_rows()
    expected = await discoverable_count(session)
    if (await session.connection()).dialect.name == "postgresql":  # the snapshot sort stays in memory
        await session.execute(text(f"SET LOCAL work_mem = '{PG_WORK_MEM}'"))
    index.begin_load(expected)
    positions, prefecture_code = index.positions, index.prefecture_code
    consents: dict[str | None, tuple[dict | None, bool, bool]] = {}  # parts JSON -> codes allowed, name, prefecture
    async for rows in _chunks(session, query, chunk):
        hi, lo, names, prefectures, updated = [], [], [], [], []
        cell_rows, cell_items, cell_codes = [], [], []
        for row, (person_id, name, prefecture, parts_json, settings_at, items_json, snapshot_at) in enumerate(rows):
            consent = consents.get(parts_json)
            if consent is None:
                consent = consents[parts_json] = _consent_of(parts_json)
            allowed, show_name, show_prefecture = consent
            if allowed is not None and items_json:
                for skill_id, item in _decode_items(items_json).items():
                    code = allowed.get((item["level"], item["status"]))
                    position = positions.get(skill_id)
                    if code is not None and position is not None:
                        cell_rows.append(row)
                        cell_items.append(position)
                        cell_codes.append(code)
            whole = person_id.int
            hi.append(whole >> 64)
            lo.append(whole & 0xFFFF_FFFF_FFFF_FFFF)
            names.append(name if show_name else None)
            prefectures.append(prefecture_code(prefecture) if show_prefecture else 0)
            updated.append(max(settings_at, snapshot_at) if snapshot_at else settings_at)
        index.append_chunk(hi, lo, names, prefectures, updated, cell_rows, cell_items, cell_codes)
    index.end_load()

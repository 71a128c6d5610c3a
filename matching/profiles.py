"""Where matching reads people from: the skills domain's consented view, and change events.

``skills.consent.discoverable_profiles(session)`` returns only people who opted in to employer search,
each with only the fields they consented to; ``skills.events.subscribe(callback)`` calls back with a
person id after a committed profile or consent change. This module adapts both to the index and is
the one place to change if the skills domain's interface moves.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from matching.index import IndexedProfile
from matching.roles import EVIDENCE_FACTOR, Held
from taxonomies.dss import LEVELS

log = logging.getLogger("skillpass.matching")


class ProfileSource(Protocol):
    """What the candidate index needs from the skills domain."""

    async def load_all(self, session: AsyncSession) -> list[IndexedProfile]: ...

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

    async def load_some(self, session: AsyncSession, person_ids: set[uuid.UUID]) -> list[IndexedProfile]:
        """The changed people who are still discoverable."""
        from skills.consent import discoverable_profiles

        return [indexed(row) for row in await discoverable_profiles(session, person_ids=sorted(person_ids))]

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

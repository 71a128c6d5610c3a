"""What an import changed in a person's profile: items gained or lost, levels raised or lowered, status
changes, from the profile before and after (one rule for every kind of import)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from skills.models import EvidenceStatus
from skills.profile import Profile, compute_profile
from skills.service import ProfileService
from taxonomies.dss import level_rank

T = TypeVar("T")
KINDS = ("gained", "raised", "status", "lowered", "lost")  # the order a result page lists them in
# self-declared < evidenced < verified (EvidenceStatus lists them strongest first)
_STATUS_RANK = {status.value: rank for rank, status in enumerate(reversed(tuple(EvidenceStatus)))}


@dataclass(frozen=True)
class Change:
    """One item's change; ``before``/``after`` are (level, status), None where the item was or is absent."""

    skill_id: str
    kind: str
    before: tuple[str, str] | None
    after: tuple[str, str] | None

    @property
    def status_raised(self) -> bool:
        return (self.before is not None and self.after is not None
                and _STATUS_RANK[self.after[1]] > _STATUS_RANK[self.before[1]])


@dataclass(frozen=True)
class Changes:
    items: tuple[Change, ...] = ()

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.items if c.kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        return {kind: len(self.of(kind)) for kind in KINDS}

    def __bool__(self) -> bool:
        return bool(self.items)

    def as_data(self) -> list[list]:
        """JSON-safe, for a page that shows the changes after a redirect (``from_data`` reads it back)."""
        return [[c.skill_id, c.kind, list(c.before) if c.before else None, list(c.after) if c.after else None]
                for c in self.items]

    @classmethod
    def from_data(cls, data: object) -> Changes | None:
        """The changes ``as_data`` wrote, or None for anything else (a session value is checked)."""
        if not isinstance(data, list):
            return None
        try:
            items = tuple(Change(str(skill_id), kind, _pair(before), _pair(after))
                          for skill_id, kind, before, after in data if kind in KINDS)
        except (TypeError, ValueError):
            return None
        return cls(items)


def _pair(value: object) -> tuple[str, str] | None:
    if value is None:
        return None
    level, status = value  # ValueError / TypeError for anything but a pair
    if status not in _STATUS_RANK:
        raise ValueError(status)
    return str(level), str(status)


def _kind(before: tuple[str, str] | None, after: tuple[str, str] | None) -> str | None:
    if before is None:
        return "gained" if after is not None else None
    if after is None:
        return "lost"
    if level_rank(after[0]) != level_rank(before[0]):
        return "raised" if level_rank(after[0]) > level_rank(before[0]) else "lowered"
    return "status" if after[1] != before[1] else None


def compare(before: Profile, after: Profile) -> Changes:
    """The changes from ``before`` to ``after``, by kind (``KINDS`` order), then skill id; confidence alone
    moving is not a change a person is told about."""
    found = []
    for skill_id in sorted(set(before.items) | set(after.items)):
        was, now = before.items.get(skill_id), after.items.get(skill_id)
        pair_before = (was.level, was.status) if was else None
        pair_after = (now.level, now.status) if now else None
        kind = _kind(pair_before, pair_after)
        if kind:
            found.append(Change(skill_id, kind, pair_before, pair_after))
    found.sort(key=lambda c: (KINDS.index(c.kind), c.skill_id))
    return Changes(tuple(found))


async def what_changed(service: ProfileService, person_id: uuid.UUID,
                       action: Callable[[], Awaitable[T]]) -> tuple[T, Changes]:
    """Run one import (records, badge, exam, self-assessment: a ``ProfileService`` call that ends in
    ``recompute``) and say what it changed in the profile. Both sides are computed from the stored
    evidence, so a wallet sync done by a later read is not credited to this import."""
    before = compute_profile(await service.evidence(person_id))
    result = await action()
    after = compute_profile(await service.evidence(person_id))
    return result, compare(before, after)

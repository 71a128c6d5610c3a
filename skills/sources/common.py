"""Helpers every evidence source uses: skill ids of the profile's version, text mapping, storing pieces."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date

import anyio.to_thread
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from skills.assessment import PROFILE_VERSION
from skills.mapping import SkillMatch, map_records, map_text
from skills.models import SkillEvidence
from skills.record_parsing import LearningRecord
from taxonomies.dss import get_taxonomy

MATCH_THRESHOLD = 0.3  # mapper matches below this calibrated confidence are not evidence


def profile_skill_ids(skill_id: str) -> list[str]:
    """The profile-version ids a skill id stands for: itself, or its exact/close crosswalk targets."""
    tx = get_taxonomy()
    try:
        item = tx.skill_item(skill_id)
    except KeyError:
        return []
    if item.version == PROFILE_VERSION:
        return [item.id]
    return sorted({link.target_id for link in tx.v2_items_for(item.id) if link.match in ("exact", "close")})


def strong_matches(matches: Sequence[SkillMatch]) -> list[SkillMatch]:
    return [m for m in matches if m.confidence >= MATCH_THRESHOLD]


async def match_records(records: Sequence[LearningRecord]) -> list[list[SkillMatch]]:
    """Mapper matches at or above the threshold for each record (CPU work off the event loop)."""
    if not records:
        return []
    found = await anyio.to_thread.run_sync(lambda: map_records(list(records), version=PROFILE_VERSION))
    return [strong_matches(matches) for matches in found]


async def match_text(title: str, description: str = "", *, passed: bool | None = None) -> list[SkillMatch]:
    """Mapper matches at or above the threshold for an achievement's name and description."""
    if not (title or description).strip():
        return []
    found = await anyio.to_thread.run_sync(
        lambda: map_text(title, description, version=PROFILE_VERSION, passed=passed))
    return strong_matches(found)


async def replace_evidence(session: AsyncSession, person_id: uuid.UUID, source: str, source_id: uuid.UUID,
                           pieces: Iterable[tuple[str, str, float]], label: str,
                           observed_on: date | None = None) -> int:
    """Replace what one source says with ``pieces`` of (skill_id, level, weight); returns how many."""
    await session.execute(delete(SkillEvidence).where(SkillEvidence.person_id == person_id,
                                                      SkillEvidence.source_id == source_id))
    count = 0
    for skill_id, level, weight in pieces:
        session.add(SkillEvidence(person_id=person_id, source=source, source_id=source_id, skill_id=skill_id,
                                  level=level, weight=round(weight, 4), label=label[:500],
                                  observed_on=observed_on))
        count += 1
    return count


async def drop_evidence(session: AsyncSession, person_id: uuid.UUID, source_id: uuid.UUID) -> None:
    await replace_evidence(session, person_id, "", source_id, (), "")

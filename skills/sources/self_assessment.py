"""Self-assessment: a person sets (or clears) their own level on a skill item. Always self-declared."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from skills.assessment import PROFILE_VERSION
from skills.models import SelfAssessment
from skills.sources.common import drop_evidence, replace_evidence
from taxonomies.dss import LEVELS, get_taxonomy

SOURCE = "self"
SELF_WEIGHT = 0.2


def check_skill_id(skill_id: str) -> str:
    try:
        item = get_taxonomy().skill_item(skill_id)
    except KeyError:
        raise InvalidInput(f"unknown DSS skill item {skill_id!r}", field="skill_id") from None
    if item.version != PROFILE_VERSION:
        raise InvalidInput(f"assess ver.{PROFILE_VERSION} skill items; {skill_id!r} is ver.{item.version}",
                           field="skill_id")
    return item.id


async def set_self_level(session: AsyncSession, person_id: uuid.UUID, skill_id: str,
                         level: str | None) -> SelfAssessment | None:
    """Set the person's own level on a skill item; ``None`` clears it."""
    skill_id = check_skill_id(skill_id)
    if level is not None and level not in LEVELS:
        raise InvalidInput(f"level must be one of {', '.join(LEVELS)}", field="level")
    found = await session.execute(select(SelfAssessment).where(SelfAssessment.person_id == person_id,
                                                               SelfAssessment.skill_id == skill_id))
    row = found.scalar_one_or_none()
    if level is None:
        if row is not None:
            await drop_evidence(session, person_id, row.id)
            await session.delete(row)
        return None
    if row is None:
        row = SelfAssessment(person_id=person_id, skill_id=skill_id, level=level)
        session.add(row)
    row.level = level
    await replace_evidence(session, person_id, SOURCE, row.id, [(skill_id, level, SELF_WEIGHT)],
                           "self-assessment / 自己評価")
    return row


async def list_self_levels(session: AsyncSession, person_id: uuid.UUID) -> list[SelfAssessment]:
    rows = await session.execute(select(SelfAssessment).where(SelfAssessment.person_id == person_id)
                                 .order_by(SelfAssessment.skill_id))
    return list(rows.scalars())

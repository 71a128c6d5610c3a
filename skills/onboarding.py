"""The learner's first-run path: a goal (a DSS role, or "explore"), then what to add; remembered as done
(finished or skipped) in the learner's settings, so it is offered once."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from skills import consent
from skills.models import LearnerSettings

EXPLORE = "explore"


async def set_goal(session: AsyncSession, person_id: uuid.UUID, goal: str) -> LearnerSettings:
    """A DSS role becomes the target role (the settings' rule: an unknown role is refused); "explore"
    means no target yet."""
    return await consent.update_learner_settings(session, person_id,
                                                 {"target_role": None if goal == EXPLORE else goal})


async def finish(session: AsyncSession, person_id: uuid.UUID) -> None:
    """Remember the path as done (the first time only)."""
    settings = await consent.learner_settings(session, person_id)
    if settings.onboarded_at is None:
        settings.onboarded_at = utcnow()
        session.add(settings)


async def is_done(session: AsyncSession, person_id: uuid.UUID) -> bool:
    return (await consent.learner_settings(session, person_id)).onboarded_at is not None

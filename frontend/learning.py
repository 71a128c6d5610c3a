"""The recommended learning path to a target role, for the gap page (planned by ``matching``)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError
from core.settings import Settings
from matching import service as matching


async def learning_path_for(session: AsyncSession, settings: Settings, person_id: uuid.UUID,
                            role_id: str, language: str) -> dict[str, Any] | None:
    """The cheapest ordered courses, in the reader's language when it can, that close the person's gap
    to the role (None if none can be planned)."""
    profile = await matching.own_profile(session, settings, person_id)
    try:
        return await matching.path_for_reader(session, profile, role_id, language)
    except DomainError:
        return None

"""The wallet pages' export and deletion: the one use case of ``accounts.erasure`` (the API and the
CLI call it too); kept under these names for the wallet page module."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accounts import erasure
from core.settings import Settings

EXPORT_FORMAT = erasure.EXPORT_FORMAT


async def export_everything(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> dict[str, Any]:
    """Everything the platform holds about the person (``accounts.erasure.export_person``)."""
    return await erasure.export_person(session, person_id)


async def delete_everything(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> None:
    """Delete it all (``accounts.erasure.delete_person``; refused, removing nothing, for an only admin)."""
    await erasure.delete_person(session, person_id)

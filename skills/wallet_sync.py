"""Keeps the skill profile in step with the wallet: subscribes to ``credentials.events``."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials import events
from skills.service import ProfileService


async def on_wallet_changed(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> None:
    """Bring credential evidence in line with the wallet and recompute (snapshots, search index notice)."""
    await ProfileService(session, settings).profile(person_id)


def connect() -> None:
    events.subscribe(on_wallet_changed)

"""In-process notice that a person's wallet changed: a credential delivered, claimed, imported,
re-verified, removed, revoked or suspended.

Callbacks run in the caller's transaction (each inside a savepoint), so what they write commits or
rolls back with the change itself; a failing callback is logged and does not undo the change.
The skills domain subscribes to recompute the profile (see ``skills.wallet_sync``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings

log = logging.getLogger("skillpass.credentials.events")
WalletCallback = Callable[[AsyncSession, Settings, uuid.UUID], Awaitable[None]]
_subscribers: list[WalletCallback] = []


def subscribe(callback: WalletCallback) -> None:
    if callback not in _subscribers:
        _subscribers.append(callback)


def unsubscribe(callback: WalletCallback) -> None:
    if callback in _subscribers:
        _subscribers.remove(callback)


async def wallet_changed(session: AsyncSession, settings: Settings | None, person_id: uuid.UUID) -> None:
    if settings is None:
        return
    for callback in list(_subscribers):
        try:
            async with session.begin_nested():
                await callback(session, settings, person_id)
        except Exception:  # noqa: BLE001 - a subscriber must never break issuance or revocation
            log.exception("wallet subscriber failed for a person")

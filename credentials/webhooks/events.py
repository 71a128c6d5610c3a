"""The four provider events, announced in the transaction of what they tell of (see ``outbox``):
``credential.issued`` (one per credential, also for each line of a batch), ``credential.claimed`` (the
credential reached its recipient's wallet), ``credential.revoked`` and ``batch.finished``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from credentials.webhooks.outbox import announce


def _when(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def credential_data(credential: Any) -> dict[str, Any]:
    """What a provider receives about one of its credentials (a row or the dict of a bulk insert)."""
    get = credential.get if isinstance(credential, dict) else lambda name: getattr(credential, name)
    return {"credential_id": str(get("id")), "achievement_id": str(get("achievement_id")),
            "recipient_email": get("recipient_email"), "format": get("format"), "state": get("state"),
            "batch_id": str(get("batch_id")) if get("batch_id") else None, "batch_line": get("batch_line"),
            "issued_at": _when(get("created_at"))}


async def credentials_issued(session: AsyncSession, org_id: uuid.UUID, credentials: list[Any]) -> None:
    await announce(session, org_id, "credential.issued", [credential_data(c) for c in credentials])


async def credential_claimed(session: AsyncSession, credential: Any) -> None:
    await announce(session, credential.org_id, "credential.claimed", [credential_data(credential)])


async def credential_revoked(session: AsyncSession, credential: Any) -> None:
    data = {**credential_data(credential), "reason": credential.state_reason,
            "revoked_at": _when(credential.state_changed_at)}
    await announce(session, credential.org_id, "credential.revoked", [data])


async def batch_finished(session: AsyncSession, org_id: uuid.UUID, batch_id: uuid.UUID,
                         counts: dict[str, int]) -> None:
    await announce(session, org_id, "batch.finished", [{"batch_id": str(batch_id), **counts}])

"""Delete presentation requests nobody answered, a week after they expired (run by the upkeep round,
``accounts.upkeep``; connected in ``skillpass/wiring.py``). The week lets the employer still see
"expired" on their list; answered requests stay: they are the employer's record of what was disclosed.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db import utcnow
from credentials.oid4vp.models import PresentationRequest, RequestStatus

KEPT_AFTER_EXPIRY = timedelta(days=7)


async def sweep_lapsed(engine: AsyncEngine) -> int:
    async with engine.begin() as conn:
        gone = await conn.execute(delete(PresentationRequest).where(
            PresentationRequest.status == RequestStatus.PENDING,
            PresentationRequest.expires_at <= utcnow() - KEPT_AFTER_EXPIRY))
    return gone.rowcount or 0
